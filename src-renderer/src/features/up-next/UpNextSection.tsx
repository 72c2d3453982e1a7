import { useMemo, useState } from 'react';
import { useDb } from '../../app/services';
import { useLiveDocs } from '../../db/live-query';
import type { MeetingDoc, PersonDoc } from '../../db/schemas';
import { useNavigation } from '../../state/navigation';
import { EmptyState } from '../../ui/EmptyState';
import { SectionPage } from '../../ui/SectionPage';
import { CalendarPlusIcon } from '../../ui/icons';
import { MeetingList } from '../meetings/MeetingList';

/** A meeting that started up to this long ago still counts as "up next" (it may be running). */
const RUNNING_GRACE_MS = 4 * 3_600_000;
const SHOWN = 20;

export function UpNextSection() {
  const db = useDb();
  const go = useNavigation((s) => s.go);
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
  const peopleQuery = useMemo(() => db.people.find(), [db]);
  const meetings = useLiveDocs<MeetingDoc>(query);
  const people = useLiveDocs<PersonDoc>(peopleQuery);
  const upcoming = useMemo(
    () => meetings.value.filter((m) => m.end > now).slice(0, SHOWN),
    [meetings.value, now],
  );

  return (
    <SectionPage title="Up next" description="Your next 1:1s, so you can prepare before they start.">
      {!meetings.ready ? null : upcoming.length === 0 ? (
        <EmptyState
          title="No 1:1s coming up"
          icon={<CalendarPlusIcon />}
          actions={
            <>
              <button type="button" className="button button--primary" onClick={() => go('settings')}>
                Connect a calendar
              </button>
              <button type="button" className="button" onClick={() => go('team')}>
                Add your team
              </button>
            </>
          }
        >
          <p>
            Duet finds the 1:1s already on your calendar. Connect Google Calendar or Microsoft 365 in Settings
            — or try the sandbox calendar, which needs no account — and your next meetings show up here.
          </p>
        </EmptyState>
      ) : (
        <MeetingList meetings={upcoming} people={people.value} now={now} />
      )}
    </SectionPage>
  );
}
