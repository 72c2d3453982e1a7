// Up next: today's and this week's 1:1s (then the next few after), each with a prep summary (open
// action items, what rolled over, days since the last 1:1 with this person), "Sync now", and a
// "Join" button while a meeting with a video link is on. Everything is read from RxDB, the content
// projection included (docs/architecture.md §5), so it works offline and opens no connection.
import { useEffect, useMemo, useState } from 'react';
import { videoUrl } from '../../../../src-shared/calendar/join-url';
import { useBridge, useDb } from '../../app/services';
import { useLiveDocs } from '../../db/live-query';
import type { MeetingContentDoc, MeetingDoc } from '../../db/schemas';
import { useCachedEvents } from '../../calendar/use-cached-events';
import { useToasts } from '../../state/toasts';
import { SectionPage } from '../../ui/SectionPage';
import { CalendarMarkIcon } from '../../ui/icons';
import { meetingHash } from '../meeting/MeetingPage';
import { CADENCE_LABEL, dayLabel, otherParticipant, timeRange } from '../meetings/meeting-format';
import { isSharedWithYou, withoutSharedDuplicates } from '../meetings/room-sync';
import { NoMeetings } from '../meetings/NoMeetings';
import { useMeetingContext, type MeetingContext } from '../meetings/use-meeting-context';
import { CadenceOverview } from '../cadence/CadenceOverview';
import { seriesHash } from '../series/series-route';
import { endOfWeek, isLive, lastMetWords, prepFor, rolledWords, type Prep } from './prep';

/** A meeting that started up to this long ago still counts as "up next" (it may be running). */
const RUNNING_GRACE_MS = 4 * 3_600_000;
const SHOWN = 20;
/** Open items listed per meeting; the rest are counted. */
const FIRST_FEW = 3;
/** How often "Join" is re-evaluated: it appears when a meeting starts without a reload. */
const TICK_MS = 30_000;

function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(t);
  }, [everyMs]);
  return now;
}

export function UpNextSection() {
  const db = useDb();
  // The list is fixed at mount (a plan for the coming days); only "Join" follows the clock.
  const [since] = useState(() => Date.now());
  const now = useNow(TICK_MS);
  const query = useMemo(
    () =>
      db.meetings.find({
        selector: { state: 'scheduled', start: { $gte: since - RUNNING_GRACE_MS } },
        sort: [{ start: 'asc' }],
        limit: SHOWN * 2,
      }),
    [db, since],
  );
  const meetings = useLiveDocs<MeetingDoc>(query);
  // Earlier meetings too: the days since the last 1:1 and earlier open items come from them.
  const allQuery = useMemo(() => db.meetings.find({ sort: [{ start: 'asc' }] }), [db]);
  const all = useLiveDocs<MeetingDoc>(allQuery);
  const context = useMeetingContext();
  const upcoming = useMemo(
    () => withoutSharedDuplicates(meetings.value.filter((m) => m.end > since)).slice(0, SHOWN),
    [meetings.value, since],
  );
  // Only what a prep summary reads: projections with something open (an indexed field), and the
  // listed meetings' own (what rolled into them), never every meeting's notes.
  const listedKey = upcoming.map((m) => m.id).join('\n');
  const contentQuery = useMemo(
    () =>
      db.meetingContent.find({
        selector: {
          $or: [{ openItems: { $gt: 0 } }, { id: { $in: listedKey ? listedKey.split('\n') : [] } }],
        },
      }),
    [db, listedKey],
  );
  const contents = useLiveDocs<MeetingContentDoc>(contentQuery);
  const byContent = useMemo(() => new Map(contents.value.map((c) => [c.id, c])), [contents.value]);
  const joinUrls = useJoinUrls(upcoming);

  const weekEnd = endOfWeek(since);
  const dayEnd = new Date(since).setHours(24, 0, 0, 0);
  const parts = [
    { id: 'today', title: 'Today', meetings: upcoming.filter((m) => m.start < dayEnd) },
    {
      id: 'week',
      title: 'This week',
      meetings: upcoming.filter((m) => m.start >= dayEnd && m.start < weekEnd),
    },
    { id: 'later', title: 'Later', meetings: upcoming.filter((m) => m.start >= weekEnd) },
  ].filter((p) => p.meetings.length > 0);

  return (
    <SectionPage
      title="Up next"
      description="Your next 1:1s, so you can prepare before they start."
      actions={context.selves.size > 0 ? <SyncNow /> : null}
    >
      {!meetings.ready ? null : upcoming.length === 0 ? (
        <NoMeetings
          title="No 1:1s coming up"
          connected={context.selves.size > 0}
          teamSize={context.people.length}
        />
      ) : (
        parts.map((part) => (
          <section key={part.id} className="meetings-part" aria-labelledby={`up-next-${part.id}`}>
            <h2 className="part-heading" id={`up-next-${part.id}`}>
              {part.title}
            </h2>
            <ul className="meetings">
              {part.meetings.map((m) => (
                <PrepCard
                  key={m.id}
                  meeting={m}
                  context={context}
                  prep={prepFor(m, all.value, byContent, context.people, context.selves, now)}
                  join={isLive(m, now) ? joinUrls.get(m.id) : undefined}
                  since={since}
                />
              ))}
            </ul>
          </section>
        ))
      )}
      <CadenceOverview />
    </SectionPage>
  );
}

/** Each meeting's video link, from the cached calendar event it follows (only known video hosts). */
function useJoinUrls(meetings: readonly MeetingDoc[]): ReadonlyMap<string, string> {
  const cachedEvent = useCachedEvents(meetings.flatMap((m) => (m.calendarLink ? [m.calendarLink] : [])));
  return useMemo(() => {
    const out = new Map<string, string>();
    for (const m of meetings) {
      const link = m.calendarLink;
      if (!link) continue;
      const url = videoUrl(cachedEvent(link)?.joinUrl);
      if (url) out.set(m.id, url);
    }
    return out;
  }, [cachedEvent, meetings]);
}

function SyncNow() {
  const bridge = useBridge();
  const showToast = useToasts((s) => s.show);
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      className="button"
      disabled={busy}
      onClick={() => {
        setBusy(true);
        bridge.calendar
          .syncNow({})
          .then(
            ({ started }) =>
              showToast({
                message: started ? 'Syncing your calendars.' : 'A sync is already running.',
              }),
            (error: unknown) =>
              showToast({
                tone: 'error',
                message: `Sync did not start: ${error instanceof Error ? error.message : String(error)}`,
              }),
          )
          .finally(() => setBusy(false));
      }}
    >
      Sync now
    </button>
  );
}

function PrepCard({
  meeting: m,
  context,
  prep,
  join,
  since,
}: {
  meeting: MeetingDoc;
  context: MeetingContext;
  prep: Prep;
  join: string | undefined;
  since: number;
}) {
  const who = otherParticipant(m, context.people, context.selves);
  const series = m.seriesId ? context.series.get(m.seriesId) : undefined;
  const first = prep.open.slice(0, FIRST_FEW);
  const more = prep.open.length - first.length;
  return (
    <li
      className="meeting meeting--prep"
      data-testid="meeting"
      aria-label={`${who}, ${dayLabel(m.start, since)}, ${timeRange(m.start, m.end)}`}
    >
      <div className="meeting__time">
        {shortDay(m.start, since)}
        <br />
        {timeRange(m.start, m.end)}
      </div>
      <div className="meeting__main">
        <div className="meeting__who">
          <span className="meeting__person">{who}</span>
          {series ? (
            <a className="badge badge--muted" href={seriesHash(series.id)} title="Open the series">
              {CADENCE_LABEL[series.cadence]}
            </a>
          ) : null}
          {isSharedWithYou(m) ? <span className="badge">Shared with you</span> : null}
        </div>
        <div className="meeting__title">
          <a href={meetingHash(m.id)}>{m.title}</a>
        </div>
        <div className="prep" role="group" aria-label={`Prep for ${who}`}>
          <p className="prep__facts muted">
            <span>{lastMetWords(prep.daysSinceLast, who)}</span> · <span>{rolledWords(prep)}</span> ·{' '}
            <span>
              {prep.open.length === 0
                ? 'No open action items'
                : `${prep.open.length} open action item${prep.open.length === 1 ? '' : 's'}`}
            </span>
          </p>
          {first.length > 0 ? (
            <ul className="prep__items" aria-label={`Open action items with ${who}`}>
              {first.map((o) => (
                <li key={`${o.meeting.id}/${o.item.id}`}>
                  {o.item.text}
                  {o.item.due ? <span className="muted"> · due {o.item.due}</span> : null}
                </li>
              ))}
              {more > 0 ? (
                <li className="muted">
                  and {more} more in <a href="#/action-items">Action items</a>
                </li>
              ) : null}
            </ul>
          ) : null}
        </div>
      </div>
      {join ? (
        <a
          className="button button--primary"
          href={join}
          target="_blank"
          rel="noreferrer noopener"
          role="button"
        >
          Join
        </a>
      ) : null}
      {m.source === 'calendar' ? (
        <span className="meeting__mark" title="From your calendar" role="img" aria-label={markLabel(m)}>
          <CalendarMarkIcon />
        </span>
      ) : null}
    </li>
  );
}

/** "Today", "Tomorrow", else "Tue, 8 Dec": fits the time column. */
function shortDay(ms: number, now: number): string {
  const long = dayLabel(ms, now);
  if (long === 'Today' || long === 'Tomorrow') return long;
  return new Date(ms).toLocaleDateString(undefined, { weekday: 'short', day: 'numeric', month: 'short' });
}

const providerName = {
  google: 'Google Calendar',
  microsoft: 'Microsoft 365',
  sandbox: 'the sandbox calendar',
} as const;
const markLabel = (m: MeetingDoc) =>
  m.calendarLink ? `From ${providerName[m.calendarLink.provider]}` : 'From your calendar';
