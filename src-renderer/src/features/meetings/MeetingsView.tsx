// The Meetings screen's body (docs/architecture.md §5, "Meetings screen"): tabs Upcoming, Past,
// Cancelled and Archived; a person filter; search as you type over titles, names, agenda, action
// items and shared notes (meeting-search.ts over the `meetingContent` projection); one windowed list
// (ui/VirtualList.tsx) so 5,000 meetings scroll smoothly. Pure: the data comes in as props, so the
// bench renders it with synthetic meetings and the tests without RxDB timing in the way.
import { memo, useCallback, useDeferredValue, useId, useMemo, useRef, type KeyboardEvent } from 'react';
import type { MeetingDoc, SeriesDoc } from '../../db/schemas';
import { CalendarMarkIcon } from '../../ui/icons';
import { VirtualList } from '../../ui/VirtualList';
import { meetingHash } from '../meeting/MeetingPage';
import { seriesHash } from '../series/series-route';
import { CADENCE_LABEL, otherParticipant, timeRange } from './meeting-format';
import { FIELD_WORDS, search, searchEntry, type MeetingText, type SearchHit } from './meeting-search';
import { RelinkDialog } from './RelinkDialog';
import type { RelinkCandidate } from './relink-series';
import { isSharedWithYou, withoutSharedDuplicates } from './room-sync';
import type { MeetingContext } from './use-meeting-context';
import { useMeetingsViewState, type MeetingsTab } from './view-state';

export const MEETING_ROW_HEIGHT = 76;

export const TABS: readonly { id: MeetingsTab; label: string; empty: string }[] = [
  { id: 'upcoming', label: 'Upcoming', empty: 'Nothing scheduled.' },
  { id: 'past', label: 'Past', empty: 'No past meetings yet.' },
  { id: 'cancelled', label: 'Cancelled', empty: 'No cancelled meetings.' },
  { id: 'archived', label: 'Archived', empty: 'No archived meetings.' },
];

const providerName = {
  google: 'Google Calendar',
  microsoft: 'Microsoft 365',
  sandbox: 'the sandbox calendar',
} as const;

/** A series whose calendar link is lost: it was linked to a recurring event and is no longer. */
export function seriesLinkLost(s: SeriesDoc): boolean {
  return !s.archived && (s.linkState === 'disconnected' || (s.linkState === 'unlinked' && !!s.calendarLink));
}

/** Which tab a meeting belongs in; an archived series puts all its meetings under Archived. */
export function tabOf(m: MeetingDoc, series: ReadonlyMap<string, SeriesDoc>, now: number): MeetingsTab {
  if (m.state === 'archived' || (m.seriesId && series.get(m.seriesId)?.archived)) return 'archived';
  if (m.state === 'cancelled') return 'cancelled';
  return m.end > now ? 'upcoming' : 'past';
}

export interface RelinkOutcome {
  ok: boolean;
  message: string;
}

/** Relink could not link by detecting again: the user picks the recurring 1:1 (RelinkDialog). */
export interface RelinkChoosing {
  choose: readonly RelinkCandidate[];
  busy?: boolean;
  error?: string;
}

export type RelinkState = RelinkOutcome | RelinkChoosing | 'busy';

const isChoosing = (s: RelinkState | undefined): s is RelinkChoosing => typeof s === 'object' && 'choose' in s;

export interface MeetingsViewProps {
  meetings: readonly MeetingDoc[];
  context: MeetingContext;
  texts: ReadonlyMap<string, MeetingText>;
  now: number;
  /** Re-links a series to the calendar; absent where no detection runs (tests of other parts). */
  onRelink?: (seriesId: string) => Promise<unknown>;
  relinking?: ReadonlyMap<string, RelinkState>;
  /** The user picked the recurring 1:1 a series follows (docs/architecture.md §4 "Series links"). */
  onRelinkChoose?: (seriesId: string, candidate: RelinkCandidate) => Promise<unknown>;
  onRelinkCancel?: (seriesId: string) => void;
}

interface Row {
  meeting: MeetingDoc;
  who: string;
  hit?: SearchHit;
}

export function MeetingsView({
  meetings,
  context,
  texts,
  now,
  onRelink,
  relinking,
  onRelinkChoose,
  onRelinkCancel,
}: MeetingsViewProps) {
  const { tab, query, person, setTab, setQuery, setPerson } = useMeetingsViewState();
  // Typing stays responsive: the list follows the query a frame behind when it is busy.
  const deferredQuery = useDeferredValue(query);
  const listed = useMemo(() => withoutSharedDuplicates(meetings), [meetings]);

  // The other person's name, worked out once per pair of participants (not per row and keystroke).
  const names = useMemo(() => {
    const map = new Map<string, string>();
    const add = (participants: readonly string[]) => {
      const key = participants.join('\n');
      if (!map.has(key))
        map.set(key, otherParticipant({ participants: [...participants] }, context.people, context.selves));
    };
    for (const m of listed) add(m.participants);
    for (const sr of context.series.values()) add(sr.participants);
    return map;
  }, [listed, context.people, context.series, context.selves]);
  const whoOf = useCallback(
    (m: Pick<MeetingDoc, 'participants'>) =>
      names.get(m.participants.join('\n')) ?? otherParticipant(m, context.people, context.selves),
    [names, context.people, context.selves],
  );

  const entries = useMemo(
    () => listed.map((m) => searchEntry(m.id, m.title, whoOf(m), texts.get(m.id))),
    [listed, whoOf, texts],
  );
  const hits = useMemo(
    () => (deferredQuery.trim() ? search(entries, deferredQuery) : null),
    [entries, deferredQuery],
  );

  const selected = person ? context.people.find((p) => p.id === person) : undefined;
  const byTab = useMemo(() => {
    const emails = selected
      ? new Set([selected.email, ...selected.aliases].map((e) => e.toLowerCase()))
      : null;
    const out: Record<MeetingsTab, Row[]> = { upcoming: [], past: [], cancelled: [], archived: [] };
    for (const m of listed) {
      if (emails && !m.participants.some((e) => emails.has(e))) continue;
      const hit = hits?.get(m.id);
      if (hits && !hit) continue;
      out[tabOf(m, context.series, now)].push({ meeting: m, who: whoOf(m), ...(hit ? { hit } : {}) });
    }
    out.upcoming.sort((a, b) => a.meeting.start - b.meeting.start);
    for (const t of ['past', 'cancelled', 'archived'] as const)
      out[t].sort((a, b) => b.meeting.start - a.meeting.start);
    return out;
  }, [listed, selected, hits, context.series, now, whoOf]);

  const lost = useMemo(
    () => [...context.series.values()].filter(seriesLinkLost).sort((a, b) => a.title.localeCompare(b.title)),
    [context.series],
  );
  const filtering = !!hits || !!selected;
  const rows = byTab[tab];
  const searchId = useId();
  const tabsId = useId();
  const tabRefs = useRef(new Map<MeetingsTab, HTMLButtonElement>());
  const relinkButtons = useRef(new Map<string, HTMLButtonElement>());

  const onTabKey = (e: KeyboardEvent<HTMLButtonElement>) => {
    const i = TABS.findIndex((t) => t.id === tab);
    const next =
      e.key === 'ArrowRight'
        ? (i + 1) % TABS.length
        : e.key === 'ArrowLeft'
          ? (i + TABS.length - 1) % TABS.length
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? TABS.length - 1
              : -1;
    if (next < 0) return;
    e.preventDefault();
    const id = TABS[next]!.id;
    setTab(id);
    tabRefs.current.get(id)?.focus();
  };

  return (
    <div className="meetings-screen">
      {lost.length > 0 ? (
        <section className="notice notice--warning" aria-label="Calendar links lost">
          {lost.map((s) => {
            const state = relinking?.get(s.id);
            const outcome = state === 'busy' || isChoosing(state) ? undefined : state;
            const who = whoOf(s);
            const sentence = `${s.title || 'A series'} with ${who} is no longer linked to its calendar event: new meetings from the calendar will not join it.`;
            return (
              <div key={s.id} className="notice__row" data-testid="link-lost">
                <p id={`lost-${s.id}`}>{sentence}</p>
                {onRelink ? (
                  <button
                    ref={(el) => {
                      if (el) relinkButtons.current.set(s.id, el);
                      else relinkButtons.current.delete(s.id);
                    }}
                    type="button"
                    className="button"
                    aria-describedby={`lost-${s.id}`}
                    aria-expanded={isChoosing(state)}
                    disabled={state === 'busy' || isChoosing(state)}
                    onClick={() => void onRelink(s.id)}
                  >
                    {state === 'busy' ? 'Relinking…' : 'Relink'}
                  </button>
                ) : null}
                {outcome ? (
                  <p role="status" className={outcome.ok ? 'muted' : 'field__error'}>
                    {outcome.message}{' '}
                    {outcome.ok ? null : <a href="#/settings/diagnostics">Why isn’t my 1:1 showing?</a>}
                  </p>
                ) : null}
                {isChoosing(state) && onRelinkChoose ? (
                  <RelinkDialog
                    seriesTitle={s.title}
                    who={who}
                    candidates={state.choose}
                    busy={state.busy === true}
                    {...(state.error ? { error: state.error } : {})}
                    onLink={(c) => void onRelinkChoose(s.id, c)}
                    onCancel={() => {
                      onRelinkCancel?.(s.id);
                      // Back to the button that opened it (enabled again once the dialog is gone).
                      requestAnimationFrame(() => relinkButtons.current.get(s.id)?.focus());
                    }}
                  />
                ) : null}
              </div>
            );
          })}
        </section>
      ) : null}

      <div className="meetings-filters" role="search">
        <label className="meetings-filters__search" htmlFor={searchId}>
          <span className="visually-hidden">Search meetings</span>
          <input
            id={searchId}
            type="search"
            placeholder="Search titles, agenda, action items, notes"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            autoComplete="off"
          />
        </label>
        <label className="meetings-filters__person">
          <span>Person</span>
          <select value={selected ? selected.id : ''} onChange={(e) => setPerson(e.target.value)}>
            <option value="">Everyone</option>
            {[...context.people]
              .sort((a, b) => a.name.localeCompare(b.name))
              .map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
          </select>
        </label>
      </div>

      <div role="tablist" aria-label="Meetings" className="tabs">
        {TABS.map((t) => (
          <button
            key={t.id}
            ref={(el) => {
              if (el) tabRefs.current.set(t.id, el);
              else tabRefs.current.delete(t.id);
            }}
            type="button"
            role="tab"
            id={`${tabsId}-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`${tabsId}-panel`}
            tabIndex={tab === t.id ? 0 : -1}
            className="tab"
            onClick={() => setTab(t.id)}
            onKeyDown={onTabKey}
          >
            {t.label} <span className="tab__count">{byTab[t.id].length}</span>
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${tabsId}-panel`} aria-labelledby={`${tabsId}-${tab}`} className="tabpanel">
        {rows.length === 0 ? (
          <div className="meetings-empty" data-testid="meetings-empty">
            {filtering ? (
              <>
                <p>
                  No {TABS.find((t) => t.id === tab)!.label.toLowerCase()} meetings match
                  {hits ? ` “${deferredQuery.trim()}”` : ''}
                  {selected ? ` with ${selected.name}` : ''}.
                </p>
                <MatchesElsewhere byTab={byTab} current={tab} onPick={setTab} />
                <button
                  type="button"
                  className="button"
                  onClick={() => {
                    setQuery('');
                    setPerson('');
                  }}
                >
                  Clear filters
                </button>
              </>
            ) : (
              <p className="muted">{TABS.find((t) => t.id === tab)!.empty}</p>
            )}
          </div>
        ) : (
          <VirtualList
            items={rows}
            rowHeight={MEETING_ROW_HEIGHT}
            label={`${TABS.find((t) => t.id === tab)!.label} meetings`}
            itemKey={(r) => r.meeting.id}
            // "Person, time range", as the list has always been announced (and found by tests).
            itemLabel={(r) => `${r.who}, ${timeRange(r.meeting.start, r.meeting.end)}`}
            renderRow={(r, _i, state) => (
              <MeetingRow row={r} context={context} now={now} focusable={state.focusable} />
            )}
          />
        )}
      </div>
    </div>
  );
}

function MatchesElsewhere({
  byTab,
  current,
  onPick,
}: {
  byTab: Record<MeetingsTab, Row[]>;
  current: MeetingsTab;
  onPick: (tab: MeetingsTab) => void;
}) {
  const others = TABS.filter((t) => t.id !== current && byTab[t.id].length > 0);
  if (others.length === 0) return null;
  return (
    <p>
      Found in:{' '}
      {others.map((t, i) => (
        <span key={t.id}>
          {i > 0 ? ', ' : ''}
          <button type="button" className="link-button" onClick={() => onPick(t.id)}>
            {t.label} ({byTab[t.id].length})
          </button>
        </span>
      ))}
    </p>
  );
}

const dayFormat = (start: number, now: number): string => {
  const d = new Date(start);
  const sameYear = d.getFullYear() === new Date(now).getFullYear();
  return d.toLocaleDateString(undefined, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    ...(sameYear ? {} : { year: 'numeric' }),
  });
};

const isoDay = (ms: number): string => {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

const MeetingRow = memo(function MeetingRow({
  row,
  context,
  now,
  focusable,
}: {
  row: Row;
  context: MeetingContext;
  now: number;
  focusable: boolean;
}) {
  const m = row.meeting;
  const series = m.seriesId ? context.series.get(m.seriesId) : undefined;
  const cancelled = m.state === 'cancelled';
  const from = m.calendarLink ? `From ${providerName[m.calendarLink.provider]}` : 'From your calendar';
  const lost = m.linkState === 'disconnected' || (series ? seriesLinkLost(series) : false);
  return (
    <div className={`mrow mrow--${m.state}`} data-testid="meeting" data-day={isoDay(m.start)}>
      <div className="mrow__when">
        <span className="mrow__day">{dayFormat(m.start, now)}</span>
        <span className="mrow__time">{timeRange(m.start, m.end)}</span>
      </div>
      <div className="mrow__main">
        <div className="meeting__who">
          <span className="meeting__person">{cancelled ? <s>{row.who}</s> : row.who}</span>
          {series ? (
            // The series' page: every meeting of it and its open items.
            <a
              className="badge badge--muted"
              href={seriesHash(series.id)}
              title="Open the series"
              tabIndex={focusable ? 0 : -1}
            >
              {CADENCE_LABEL[series.cadence]}
            </a>
          ) : null}
          {cancelled ? <span className="badge badge--muted">Cancelled</span> : null}
          {m.state === 'archived' || series?.archived ? (
            <span className="badge badge--muted">Archived</span>
          ) : null}
          {isSharedWithYou(m) ? <span className="badge">Shared with you</span> : null}
          {lost ? <span className="badge badge--warning">Calendar link lost</span> : null}
        </div>
        <div className="mrow__title">
          <a href={meetingHash(m.id)} data-row-focus tabIndex={focusable ? 0 : -1}>
            {cancelled ? (
              <>
                <s>{m.title}</s>
                <span className="visually-hidden"> (cancelled)</span>
              </>
            ) : (
              m.title
            )}
          </a>
        </div>
        {row.hit?.snippet ? (
          <div className="mrow__snippet">
            <span className="mrow__field">{FIELD_WORDS[row.hit.field]}:</span> {row.hit.snippet}
          </div>
        ) : null}
      </div>
      {m.source === 'calendar' ? (
        <span className="meeting__mark" title={from} role="img" aria-label={from}>
          <CalendarMarkIcon />
        </span>
      ) : null}
    </div>
  );
});
