import { useMemo, useState } from 'react';
import { useDb } from '../../app/services';
import { useLiveDocs } from '../../db/live-query';
import type { MeetingDoc } from '../../db/schemas';
import { SectionPage } from '../../ui/SectionPage';
import { MeetingList } from '../meetings/MeetingList';
import { NoMeetings } from '../meetings/NoMeetings';
import { useMeetingContext } from '../meetings/use-meeting-context';
import { CadenceOverview } from '../cadence/CadenceOverview';

/** A meeting that started up to this long ago still counts as "up next" (it may be running). */
const RUNNING_GRACE_MS = 4 * 3_600_000;
const SHOWN = 20;

export function UpNextSection() {
  const db = useDb();
  // Fixed at mount: the list is a plan for the coming days, not a ticking clock.
  const [now] = useState(() => Date.now());
  const query = useMemo(
    () =>
      db.meetings.find({
        selector: { state: 'scheduled', start: { $gte: now - RUNNING_GRACE_MS } },
        sort: [{ start: 'asc' }],
        limit: SHOWN * 2,
      }),
    [db, now],
  );
  const meetings = useLiveDocs<MeetingDoc>(query);
  const context = useMeetingContext();
  const upcoming = useMemo(
    () => meetings.value.filter((m) => m.end > now).slice(0, SHOWN),
    [meetings.value, now],
  );

  return (
    <SectionPage title="Up next" description="Your next 1:1s, so you can prepare before they start.">
      {!meetings.ready ? null : upcoming.length === 0 ? (
        <NoMeetings
          title="No 1:1s coming up"
          connected={context.selves.size > 0}
          teamSize={context.people.length}
        />
      ) : (
        <MeetingList meetings={upcoming} context={context} now={now} />
      )}
      <CadenceOverview />
    </SectionPage>
  );
}
