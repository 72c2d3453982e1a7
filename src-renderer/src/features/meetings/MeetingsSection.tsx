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
import { MeetingsView, seriesLinkLost, type RelinkState } from './MeetingsView';
import { candidateKey, findRelinkCandidates, relinkSeriesTo, type RelinkCandidate } from './relink-series';
import { useToasts } from '../../state/toasts';
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
  const [relinking, setRelinking] = useState<ReadonlyMap<string, RelinkState>>(new Map());
  const showToast = useToasts((st) => st.show);
  const put = useCallback(
    (seriesId: string, v: RelinkState | undefined) =>
      setRelinking((prev) => {
        const next = new Map(prev);
        if (v === undefined) next.delete(seriesId);
        else next.set(seriesId, v);
        return next;
      }),
    [],
  );

  // Relink (docs/architecture.md §4 "Series links"): detection runs again over the cached
  // calendar first; a series whose recurring event is back is linked by it. Otherwise the user
  // picks the recurring 1:1 it follows from now on (RelinkDialog), or is told there is none, with
  // the way to find out why.
  const onRelink = useCallback(
    async (seriesId: string): Promise<RelinkState> => {
      put(seriesId, 'busy');
      let outcome: RelinkState;
      try {
        if (!ingest) throw new Error('Calendar detection is not running in this window.');
        await ingest.redetect();
        const series = await db.series.findOne(seriesId).exec();
        if (series && !seriesLinkLost(series.toMutableJSON())) {
          outcome = { ok: true, message: 'Linked to the calendar again.' };
        } else {
          const candidates = await findRelinkCandidates(db, seriesId);
          outcome =
            candidates.length > 0
              ? { choose: candidates }
              : {
                  ok: false,
                  message:
                    'Its recurring event is still not among your calendar’s 1:1s, and there is no other recurring 1:1 with the same person to follow.',
                };
        }
      } catch (error) {
        outcome = { ok: false, message: error instanceof Error ? error.message : String(error) };
      }
      put(seriesId, outcome);
      return outcome;
    },
    [db, ingest, put],
  );

  const onRelinkChoose = useCallback(
    async (seriesId: string, candidate: RelinkCandidate): Promise<void> => {
      const choose = relinking.get(seriesId);
      const candidates = typeof choose === 'object' && 'choose' in choose ? choose.choose : [candidate];
      put(seriesId, { choose: candidates, busy: true });
      try {
        // The calendar may have changed since the list was made: link only to what is there now.
        const fresh = await findRelinkCandidates(db, seriesId);
        if (!fresh.some((c) => candidateKey(c) === candidateKey(candidate))) {
          put(seriesId, {
            choose: fresh.length > 0 ? fresh : candidates,
            error: `“${candidate.title}” is no longer among your calendar’s recurring 1:1s with this person.`,
          });
          return;
        }
        await relinkSeriesTo(db, seriesId, candidate);
        // The next pass moves the chosen event's meetings into the series (and keeps the choice).
        await ingest?.redetect();
        put(seriesId, undefined);
        showToast({ message: `Relinked: the series now follows “${candidate.title}”.` });
      } catch (error) {
        put(seriesId, { choose: candidates, error: `Could not relink: ${error instanceof Error ? error.message : String(error)}` });
      }
    },
    [db, ingest, put, relinking, showToast],
  );

  const onRelinkCancel = useCallback((seriesId: string) => put(seriesId, undefined), [put]);

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
          onRelinkChoose={onRelinkChoose}
          onRelinkCancel={onRelinkCancel}
        />
      )}
    </SectionPage>
  );
}
