// Presentation helpers for meeting lists. Locale-aware, but with the clock injectable for tests.
import type { MeetingDoc, PersonDoc } from '../../db/schemas';

const DAY = 86_400_000;

const startOfDay = (ms: number): number => {
  const d = new Date(ms);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
};

/** "Today", "Tomorrow", "Yesterday", else e.g. "Monday, 7 January". */
export function dayLabel(ms: number, now: number, locale?: string): string {
  const diff = Math.round((startOfDay(ms) - startOfDay(now)) / DAY);
  if (diff === 0) return 'Today';
  if (diff === 1) return 'Tomorrow';
  if (diff === -1) return 'Yesterday';
  const sameYear = new Date(ms).getFullYear() === new Date(now).getFullYear();
  return new Date(ms).toLocaleDateString(locale, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    ...(sameYear ? {} : { year: 'numeric' }),
  });
}

export function timeRange(start: number, end: number, locale?: string): string {
  const fmt = (ms: number) => new Date(ms).toLocaleTimeString(locale, { hour: 'numeric', minute: '2-digit' });
  return `${fmt(start)} – ${fmt(end)}`;
}

export interface DayGroup {
  key: number;
  label: string;
  meetings: MeetingDoc[];
}

/** Meetings must already be sorted by start. */
export function groupByDay(meetings: readonly MeetingDoc[], now: number, locale?: string): DayGroup[] {
  const groups: DayGroup[] = [];
  for (const m of meetings) {
    const key = startOfDay(m.start);
    const last = groups[groups.length - 1];
    if (last && last.key === key) last.meetings.push(m);
    else groups.push({ key, label: dayLabel(m.start, now, locale), meetings: [m] });
  }
  return groups;
}

/** Participants by name where they are on the team, by address otherwise. */
export function participantNames(meeting: MeetingDoc, people: readonly PersonDoc[]): string {
  return meeting.participants
    .map((email) => people.find((p) => p.email === email || p.aliases.includes(email))?.name ?? email)
    .join(' & ');
}
