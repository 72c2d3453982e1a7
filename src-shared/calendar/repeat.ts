// How a 1:1 Duet schedules repeats (docs/architecture.md §6, "Scheduling"): none, weekly, every 2
// or 3 weeks, or monthly, written as each provider's own recurrence. The rule is derived from the
// first meeting's local date in the user's zone, so a series keeps its wall-clock time across DST
// (both providers expand a rule in the start's time zone) and both faces describe the same days:
// - weekly:  RRULE:FREQ=WEEKLY;INTERVAL=n;BYDAY=<weekday>      / Graph weekly, daysOfWeek
// - monthly: RRULE:FREQ=MONTHLY;BYDAY=<k><weekday> (k-th, or -1 for the last of the month when
//            the meeting falls in a fifth week) / Graph relativeMonthly with that index. A weekday
//            rule, not a day number, so no month is skipped (the 31st does not exist in every month).
import { z } from 'zod';
import { isValidTimeZone, toLocal } from '../engine/timezone';

export const repeats = ['none', 'weekly', 'biweekly', 'triweekly', 'monthly'] as const;
export const repeatSchema = z.enum(repeats);
export type Repeat = (typeof repeats)[number];

const ICAL_DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
const GRAPH_DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
const GRAPH_INDEX = ['first', 'second', 'third', 'fourth'] as const;

export const REPEAT_LABELS: Record<Repeat, string> = {
  none: 'Does not repeat',
  weekly: 'Weekly',
  biweekly: 'Every 2 weeks',
  triweekly: 'Every 3 weeks',
  monthly: 'Monthly',
};

const intervalOf = (r: Repeat): number => (r === 'biweekly' ? 2 : r === 'triweekly' ? 3 : 1);

/** The start's local date, weekday (Monday = 0) and week of the month (1–5) in `timeZone`. */
export function localStart(startMs: number, timeZone: string) {
  if (!isValidTimeZone(timeZone)) throw new Error(`Unknown time zone: ${timeZone}`);
  const l = toLocal({ kind: 'iana', name: timeZone }, startMs);
  const weekday = (new Date(Date.UTC(l.year, l.month - 1, l.day)).getUTCDay() + 6) % 7;
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return {
    date: `${pad(l.year, 4)}-${pad(l.month)}-${pad(l.day)}`,
    /** Wall-clock time without offset, as Graph writes `dateTime` with a `timeZone` beside it. */
    wall: `${pad(l.year, 4)}-${pad(l.month)}-${pad(l.day)}T${pad(l.hour)}:${pad(l.minute)}:${pad(l.second)}`,
    weekday,
    weekOfMonth: Math.ceil(l.day / 7),
  };
}

/** Google's `recurrence` lines for a repeat starting at `startMs` ([] for none). */
export function googleRecurrence(repeat: Repeat, startMs: number, timeZone: string): string[] {
  if (repeat === 'none') return [];
  const s = localStart(startMs, timeZone);
  const day = ICAL_DAYS[s.weekday];
  if (repeat === 'monthly') {
    const k = s.weekOfMonth === 5 ? -1 : s.weekOfMonth;
    return [`RRULE:FREQ=MONTHLY;BYDAY=${k}${day}`];
  }
  const n = intervalOf(repeat);
  return [`RRULE:FREQ=WEEKLY;${n > 1 ? `INTERVAL=${n};` : ''}BYDAY=${day}`];
}

export interface GraphPatternedRecurrence {
  pattern: {
    type: 'weekly' | 'relativeMonthly';
    interval: number;
    daysOfWeek: string[];
    firstDayOfWeek: 'monday';
    index?: string;
  };
  range: { type: 'noEnd'; startDate: string; recurrenceTimeZone: string };
}

/** Graph's `recurrence` for a repeat starting at `startMs` (null for none). */
export function graphRecurrence(
  repeat: Repeat,
  startMs: number,
  timeZone: string,
): GraphPatternedRecurrence | null {
  if (repeat === 'none') return null;
  const s = localStart(startMs, timeZone);
  const day = GRAPH_DAYS[s.weekday] as string;
  const range = { type: 'noEnd' as const, startDate: s.date, recurrenceTimeZone: timeZone };
  if (repeat === 'monthly') {
    const index = s.weekOfMonth === 5 ? 'last' : (GRAPH_INDEX[s.weekOfMonth - 1] as string);
    return {
      pattern: { type: 'relativeMonthly', interval: 1, daysOfWeek: [day], firstDayOfWeek: 'monday', index },
      range,
    };
  }
  return {
    pattern: { type: 'weekly', interval: intervalOf(repeat), daysOfWeek: [day], firstDayOfWeek: 'monday' },
    range,
  };
}

/** The repeat a Google rule describes, when it is one Duet writes; undefined otherwise. */
export function repeatOfGoogleRule(lines: readonly string[] | null | undefined): Repeat | undefined {
  const rule = (lines ?? []).find((l) => /^RRULE:/i.test(l));
  if (!rule) return 'none';
  if (/FREQ=MONTHLY/i.test(rule)) return 'monthly';
  if (!/FREQ=WEEKLY/i.test(rule)) return undefined;
  const n = Number(/INTERVAL=(\d+)/i.exec(rule)?.[1] ?? 1);
  return n === 1 ? 'weekly' : n === 2 ? 'biweekly' : n === 3 ? 'triweekly' : undefined;
}
