// A meeting's prep summary on Up next: the open action items between the two people (this
// meeting's and their earlier meetings'), what rolled over into it (the "from <date>" mark,
// docs/architecture.md §5), and how long it has been since they last met. Pure, clock injected.
import { calendarDaysBetween } from '../../../../src-shared/engine/cadence-health';
import type { Zone } from '../../../../src-shared/engine/timezone';
import type { MeetingContentDoc, MeetingDoc, PersonDoc } from '../../db/schemas';
import { systemZone } from '../inbox/notifier';
import { openItems, type OpenItem } from '../action-items/open-items';

export interface Prep {
  open: OpenItem[];
  /** Topics and items in this meeting that rolled over from an earlier one. */
  rolledTopics: number;
  rolledItems: number;
  /** The earliest "from" date among them ('YYYY-MM-DD'), '' when nothing rolled over. */
  rolledFrom: string;
  /** Whole days since the last 1:1 of the same two people that has started; null for a first one. */
  daysSinceLast: number | null;
}

const samePair = (a: MeetingDoc, b: MeetingDoc) =>
  a.participants.length === b.participants.length && a.participants.every((p) => b.participants.includes(p));

export function prepFor(
  meeting: MeetingDoc,
  meetings: readonly MeetingDoc[],
  contents: ReadonlyMap<string, MeetingContentDoc>,
  people: readonly PersonDoc[],
  selves: ReadonlySet<string>,
  now: number,
  zone: Zone = systemZone(),
): Prep {
  const pair = meetings.filter((m) => samePair(m, meeting));
  const upToThis = pair.filter((m) => m.start <= meeting.start);
  const open = openItems(
    upToThis,
    upToThis.map((m) => contents.get(m.id)).filter((c): c is MeetingContentDoc => !!c),
    people,
    selves,
  );
  const own = contents.get(meeting.id);
  const rolled = [...(own?.topics ?? []), ...(own?.items ?? [])].filter((e) => e.rolledFrom);
  const last = pair
    .filter((m) => m.id !== meeting.id && m.state !== 'cancelled' && m.start < Math.min(now, meeting.start))
    .reduce<MeetingDoc | null>((best, m) => (!best || m.start > best.start ? m : best), null);
  return {
    open,
    rolledTopics: own?.topics.filter((t) => t.rolledFrom).length ?? 0,
    rolledItems: own?.items.filter((t) => t.rolledFrom).length ?? 0,
    rolledFrom: rolled.map((e) => e.rolledFrom).sort()[0] ?? '',
    daysSinceLast: last ? calendarDaysBetween(zone, last.start, now) : null,
  };
}

export function lastMetWords(days: number | null, person: string): string {
  if (days === null) return `First 1:1 with ${person}`;
  if (days <= 0) return 'Last 1:1 earlier today';
  if (days === 1) return 'Last 1:1 yesterday';
  return `Last 1:1 ${days} days ago`;
}

export function rolledWords(
  p: Pick<Prep, 'rolledTopics' | 'rolledItems' | 'rolledFrom'>,
  locale?: string,
): string {
  const n = p.rolledTopics + p.rolledItems;
  if (n === 0) return 'Nothing rolled over';
  const [y, m, d] = p.rolledFrom.split('-').map(Number) as [number, number, number];
  const from = new Date(y, m - 1, d).toLocaleDateString(locale, { day: 'numeric', month: 'short' });
  const parts = [
    p.rolledTopics ? `${p.rolledTopics} topic${p.rolledTopics === 1 ? '' : 's'}` : '',
    p.rolledItems ? `${p.rolledItems} item${p.rolledItems === 1 ? '' : 's'}` : '',
  ].filter(Boolean);
  return `${parts.join(' and ')} rolled over from ${from}`;
}

/** Live now: between its start (or 5 minutes before, when people join early) and its end. */
export const JOIN_EARLY_MS = 5 * 60_000;
export const isLive = (m: Pick<MeetingDoc, 'start' | 'end' | 'state'>, now: number): boolean =>
  m.state === 'scheduled' && now >= m.start - JOIN_EARLY_MS && now < m.end;

/** The end of the user's week (the coming Sunday, 24:00 local): "this week" on Up next. */
export function endOfWeek(now: number): number {
  const d = new Date(now);
  d.setHours(0, 0, 0, 0);
  const daysToMonday = (8 - d.getDay()) % 7 || 7;
  d.setDate(d.getDate() + daysToMonday);
  return d.getTime();
}
