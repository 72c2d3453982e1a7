// Open action items across meetings, read from the content projection (docs/architecture.md §5),
// joined with their meetings and the person across the table: the Action items screen groups them
// by person, and the person, series and Up next pages show the ones that concern them.
import type { ContentItem, MeetingContentDoc, MeetingDoc, PersonDoc } from '../../db/schemas';
import { otherParticipant } from '../meetings/meeting-format';

export interface OpenItem {
  item: ContentItem;
  meeting: MeetingDoc;
  /** The other participant's name (or address, when they are not on the team). */
  person: string;
}

/**
 * Every open item of the given meetings, soonest due first (items without a due date after those
 * with one), then by the meeting's start and the item's order. Archived meetings still count:
 * archiving a meeting does not finish its work.
 */
export function openItems(
  meetings: readonly MeetingDoc[],
  contents: readonly MeetingContentDoc[],
  people: readonly PersonDoc[],
  selves: ReadonlySet<string>,
): OpenItem[] {
  const byId = new Map(meetings.map((m) => [m.id, m]));
  const out: OpenItem[] = [];
  for (const c of contents) {
    const meeting = byId.get(c.id);
    if (!meeting) continue;
    const person = otherParticipant(meeting, people, selves);
    // An item that rolled on to the next meeting is open there, not here (docs/architecture.md §5).
    for (const item of c.items) if (!item.done && !item.movedTo) out.push({ item, meeting, person });
  }
  return out.sort(compareOpen);
}

export function compareOpen(a: OpenItem, b: OpenItem): number {
  const due = (x: OpenItem) => x.item.due || '9999-99-99';
  return (
    due(a).localeCompare(due(b)) ||
    a.meeting.start - b.meeting.start ||
    a.item.order - b.item.order ||
    (a.item.id < b.item.id ? -1 : a.item.id > b.item.id ? 1 : 0)
  );
}

export interface PersonGroup {
  person: string;
  items: OpenItem[];
}

/** Grouped by person (alphabetically), each group keeping the due-date order. */
export function groupByPerson(items: readonly OpenItem[]): PersonGroup[] {
  const groups = new Map<string, OpenItem[]>();
  for (const i of items) groups.set(i.person, [...(groups.get(i.person) ?? []), i]);
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([person, list]) => ({ person, items: list }));
}

/** Today as YYYY-MM-DD in the user's zone: the day a due date is compared with. */
export function localDay(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** "Due 10 Jan" / "Overdue since 2 Jan" / "" for a due date 'YYYY-MM-DD', relative to `today`. */
export function dueWords(due: string, today: string, locale?: string): string {
  if (!due) return '';
  const [y, m, d] = due.split('-').map(Number) as [number, number, number];
  const label = new Date(y, m - 1, d).toLocaleDateString(locale, { day: 'numeric', month: 'short' });
  if (due < today) return `Overdue since ${label}`;
  if (due === today) return 'Due today';
  return `Due ${label}`;
}
