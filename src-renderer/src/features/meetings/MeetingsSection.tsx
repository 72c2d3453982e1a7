import { useCallback, useEffect, useMemo, useState } from 'react';
import { useDb } from '../../app/services';
import { useIngest } from '../imports/ingest-port';
import { useLiveDocs } from '../../db/live-query';
import type { MeetingContentDoc, MeetingDoc } from '../../db/schemas';
import { SectionPage } from '../../ui/SectionPage';
import { useSubpage } from '../imports/use-diagnosis';
import { MeetingPage } from '../meeting/MeetingPage';
import { ScheduleButton } from '../schedule/ScheduleButton';
import { SeriesPage } from '../series/SeriesPage';
import { useSeriesIdFromHash } from '../series/series-route';
import { meetingTextOf, type MeetingText } from './meeting-search';
import { MeetingsView, seriesLinkLost, type RelinkOutcome } from './MeetingsView';
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
  const ingest = useIngest();
  const meetingsQuery = useMemo(() => db.meetings.find({ sort: [{ start: 'asc' }] }), [db]);
  // Shared content as this device holds it, for search (docs/architecture.md §5, "Search").
  const contentQuery = useMemo(() => db.meetingContent.find(), [db]);
  const meetings = useLiveDocs<MeetingDoc>(meetingsQuery);
  const content = useLiveDocs<MeetingContentDoc>(contentQuery);
  const texts = useMemo(
    () => new Map<string, MeetingText>(content.value.map((c) => [c.id, meetingTextOf(c)])),
    [content.value],
  );
  const context = useMeetingContext();
  // A meeting moves from Upcoming to Past when it ends, also while the screen stays open.
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(timer);
  }, []);
  const [relinking, setRelinking] = useState<ReadonlyMap<string, RelinkOutcome | 'busy'>>(new Map());

  // Relink: detection runs again over the cached calendar (docs/architecture.md §3–4); a series
  // whose recurring event is there again is linked by it. Otherwise the user is told so, with the
  // way to find out why.
  const onRelink = useCallback(
    async (seriesId: string): Promise<RelinkOutcome> => {
      const put = (v: RelinkOutcome | 'busy') => setRelinking((prev) => new Map(prev).set(seriesId, v));
      put('busy');
      let outcome: RelinkOutcome;
      try {
        if (!ingest) throw new Error('Calendar detection is not running in this window.');
        await ingest.redetect();
        const series = await db.series.findOne(seriesId).exec();
        outcome =
          series && !seriesLinkLost(series.toMutableJSON())
            ? { ok: true, message: 'Linked to the calendar again.' }
            : {
                ok: false,
                message:
                  'Its recurring event is still not among your calendar’s 1:1s, so there is nothing to link it to.',
              };
      } catch (error) {
        outcome = { ok: false, message: error instanceof Error ? error.message : String(error) };
      }
      put(outcome);
      return outcome;
    },
    [db, ingest],
  );

  return (
    <SectionPage
      title="Meetings"
      description="Every 1:1 Duet knows about: what is coming, what has been, cancelled and archived."
      actions={<ScheduleButton people={context.people} />}
    >
      {!meetings.ready ? null : meetings.value.length === 0 ? (
        <NoMeetings
          title="No meetings yet"
          connected={context.selves.size > 0}
          teamSize={context.people.length}
        />
      ) : (
        <MeetingsView
          meetings={meetings.value}
          context={context}
          texts={texts}
          now={now}
          onRelink={onRelink}
          relinking={relinking}
        />
      )}
    </SectionPage>
  );
}
