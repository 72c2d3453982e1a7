// Presentation helpers for meeting lists. Locale-aware, but with the clock injectable for tests.
import type { MeetingDoc, PersonDoc, SeriesDoc } from '../../db/schemas';

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

/** "Mon, 7 Jan, 10:00 – 10:30" in the user's zone (or just the date for an all-day event). */
export function formatEventTime(start: number, end: number, allDay = false, locale?: string): string {
  const date = new Date(start).toLocaleDateString(locale, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
  });
  return allDay ? `${date}, all day` : `${date}, ${timeRange(start, end, locale)}`;
}

export const CADENCE_LABEL: Record<SeriesDoc['cadence'], string> = {
  weekly: 'Weekly',
  biweekly: 'Every 2 weeks',
  triweekly: 'Every 3 weeks',
  monthly: 'Monthly',
  irregular: 'Irregular',
};

/** The person across the table: the participant who is not the user (one of `selves`, the connected accounts). */
export function otherParticipant(
  meeting: Pick<MeetingDoc, 'participants'>,
  people: readonly PersonDoc[],
  selves: ReadonlySet<string>,
): string {
  const byEmail = (e: string) => people.find((p) => p.email === e || p.aliases.includes(e));
  const email =
    (selves.size > 0 ? meeting.participants.find((e) => !selves.has(e)) : undefined) ??
    // No account known (or both addresses are the user's): the one on the team is the other person.
    meeting.participants.find((e) => byEmail(e)) ??
    meeting.participants[0] ??
    '';
  return byEmail(email)?.name ?? email;
}
