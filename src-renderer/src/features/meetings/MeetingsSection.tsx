import { useMemo, useState } from 'react';
import { useDb } from '../../app/services';
import { useLiveDocs } from '../../db/live-query';
import type { MeetingDoc } from '../../db/schemas';
import { SectionPage } from '../../ui/SectionPage';
import { useSubpage } from '../imports/use-diagnosis';
import { MeetingPage } from '../meeting/MeetingPage';
import { ScheduleButton } from '../schedule/ScheduleButton';
import { SeriesPage } from '../series/SeriesPage';
import { useSeriesIdFromHash } from '../series/series-route';
import { MeetingList } from './MeetingList';
import { withoutSharedDuplicates } from './room-sync';
import { NoMeetings } from './NoMeetings';
import { useMeetingContext } from './use-meeting-context';

export function MeetingsSection() {
  // '#/meetings/<id>' opens that meeting (the in-app form of duet://meeting/<id>).
  const subpage = useSubpage();
  // '#/meetings/series/<id>' opens that series.
  const seriesId = useSeriesIdFromHash();
  if (seriesId) return <SeriesPage key={seriesId} seriesId={seriesId} />;
  if (subpage) return <MeetingPage key={subpage} meetingId={decodeURIComponent(subpage)} />;
  return <MeetingsOverview />;
}

function MeetingsOverview() {
  const db = useDb();
  // Archived meetings get their own view later; this list is everything still in play.
  const meetingsQuery = useMemo(
    () =>
      db.meetings.find({
        selector: { state: { $in: ['scheduled', 'cancelled'] } },
        sort: [{ start: 'asc' }],
      }),
    [db],
  );
  const meetings = useLiveDocs<MeetingDoc>(meetingsQuery);
  const context = useMeetingContext();
  const [now] = useState(() => Date.now());
  const listed = withoutSharedDuplicates(meetings.value);
  const upcoming = listed.filter((m) => m.end > now);
  const past = listed.filter((m) => m.end <= now).reverse();

  return (
    <SectionPage
      title="Meetings"
      description="Every 1:1 Duet knows about: what is coming, then what has been."
      actions={<ScheduleButton people={context.people} />}
    >
      {!meetings.ready ? null : meetings.value.length === 0 ? (
        <NoMeetings
          title="No meetings yet"
          connected={context.selves.size > 0}
          teamSize={context.people.length}
        />
      ) : (
        <>
          <section aria-labelledby="meetings-upcoming" className="meetings-part">
            <h2 className="part-heading" id="meetings-upcoming">
              Upcoming
            </h2>
            {upcoming.length === 0 ? (
              <p className="muted">Nothing scheduled.</p>
            ) : (
              <MeetingList meetings={upcoming} context={context} now={now} />
            )}
          </section>
          {past.length > 0 ? (
            <section aria-labelledby="meetings-past" className="meetings-part">
              <h2 className="part-heading" id="meetings-past">
                Earlier
              </h2>
              <MeetingList meetings={past} context={context} now={now} />
            </section>
          ) : null}
        </>
      )}
    </SectionPage>
  );
}
