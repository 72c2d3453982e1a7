// How regularly the user actually meets each report, against how often they should
// (docs/architecture.md §5 "Cadence"): meetings held in the last 90 days, their average interval,
// days since the last one, overdue when that is beyond the expected interval; the expected
// interval comes from tenure rules (weekly in the first 90 days, every two weeks after, by
// default). Pure: the UI, the weekly summary and the tests share it.
import type { Cadence } from './model';
import { DAY_MS, dayNumber } from './time';
import { toLocal, type Zone } from './timezone';

export type RegularCadence = Exclude<Cadence, 'irregular'>;

export interface TenureRule {
  /** Applies while the person has been here fewer than this many days. */
  maxTenureDays: number;
  cadence: RegularCadence;
}

/** Weekly while new (first 90 days), every two weeks after. */
export const DEFAULT_TENURE_RULES: readonly TenureRule[] = [
  { maxTenureDays: 90, cadence: 'weekly' },
  { maxTenureDays: 36_500, cadence: 'biweekly' },
];

/** Whole days each regular cadence expects between two meetings. */
export const CADENCE_DAYS: Record<RegularCadence, number> = {
  weekly: 7,
  biweekly: 14,
  triweekly: 21,
  monthly: 30,
};

export const CADENCE_WORDS: Record<RegularCadence, string> = {
  weekly: 'weekly',
  biweekly: 'every 2 weeks',
  triweekly: 'every 3 weeks',
  monthly: 'monthly',
};

export const HISTORY_DAYS = 90;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A YYYY-MM-DD start date as the instant of its (UTC) midnight, or undefined when not a date. */
export function parseStartDate(text: string | undefined): number | undefined {
  const m = DATE_RE.exec(text ?? '');
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const d = new Date(ms);
  // 2024-02-30 rolls over in Date.UTC: refuse it rather than invent a date.
  return d.getUTCDate() === Number(m[3]) && d.getUTCMonth() === Number(m[2]) - 1 ? ms : undefined;
}

const UTC: Zone = { kind: 'fixed', offsetMinutes: 0 };

/** The local calendar day of an instant, as a day number. */
function localDay(zone: Zone, ms: number): number {
  const l = toLocal(zone, ms);
  return dayNumber(l.year, l.month, l.day);
}

/**
 * Calendar days from one instant to a later one in the user's zone (yesterday is 1, as people
 * count them, across DST changes too). The one definition of "days since" for every screen:
 * Team's cadence, the person page and Up next's prep summary.
 */
export function calendarDaysBetween(zone: Zone, from: number, to: number): number {
  return localDay(zone, to) - localDay(zone, from);
}

/** Days from the start date to today (both calendar dates in the user's zone). */
export function tenureDays(startDate: string | undefined, now: number, zone: Zone = UTC): number | undefined {
  const start = parseStartDate(startDate);
  return start === undefined ? undefined : localDay(zone, now) - Math.round(start / DAY_MS);
}

/**
 * The cadence the rules suggest for a tenure: the first rule (by maxTenureDays) the tenure is
 * under; past every rule, the last one's. No rules means the defaults. Unknown tenure takes the
 * last (settled) rule: most people on a team are not new.
 */
export function suggestedCadence(tenure: number | undefined, rules: readonly TenureRule[] = DEFAULT_TENURE_RULES): RegularCadence {
  const sorted = [...(rules.length > 0 ? rules : DEFAULT_TENURE_RULES)].sort((a, b) => a.maxTenureDays - b.maxTenureDays);
  const last = sorted[sorted.length - 1] as TenureRule;
  if (tenure === undefined) return last.cadence;
  return (sorted.find((r) => tenure < r.maxTenureDays) ?? last).cadence;
}

export interface CadenceStats {
  /** Meetings that started in the last 90 days (not cancelled), up to now. */
  held: number;
  /** Their starts, oldest first (the chart's points). */
  heldStarts: number[];
  /** Mean days between consecutive held meetings; null with fewer than two. */
  averageIntervalDays: number | null;
  /** Calendar days since the last held meeting (any age); null when never met. */
  daysSinceLast: number | null;
  expected: RegularCadence;
  expectedDays: number;
  /** Beyond the expected interval since the last meeting (or, never met, since they started). */
  overdue: boolean;
  /** The next scheduled meeting's start, if any. */
  nextStart: number | null;
}

export interface MeetingTimes {
  start: number;
  state: 'scheduled' | 'cancelled' | 'archived';
}

/**
 * Cadence figures for one person at `now`. `meetings` are every meeting with them (any age);
 * cancelled ones never count. Days are calendar days in the user's zone (yesterday is 1, as
 * people count them), so a weekly 1:1 is overdue from the eighth day.
 */
export function cadenceStats(
  meetings: readonly MeetingTimes[],
  now: number,
  opts: { startDate?: string; rules?: readonly TenureRule[]; zone?: Zone } = {},
): CadenceStats {
  const zone = opts.zone ?? UTC;
  const kept = meetings.filter((m) => m.state !== 'cancelled' && Number.isFinite(m.start));
  const past = [...new Set(kept.filter((m) => m.start <= now).map((m) => m.start))].sort((a, b) => a - b);
  const heldStarts = past.filter((s) => s > now - HISTORY_DAYS * DAY_MS);
  const future = kept.filter((m) => m.start > now).map((m) => m.start);
  const tenure = tenureDays(opts.startDate, now, zone);
  const expected = suggestedCadence(tenure, opts.rules);
  const expectedDays = CADENCE_DAYS[expected];
  const last = past[past.length - 1];
  const daysSinceLast = last === undefined ? null : calendarDaysBetween(zone, last, now);
  let averageIntervalDays: number | null = null;
  if (heldStarts.length >= 2) {
    const span = (heldStarts[heldStarts.length - 1] as number) - (heldStarts[0] as number);
    averageIntervalDays = Math.round((span / DAY_MS / (heldStarts.length - 1)) * 10) / 10;
  }
  const overdue =
    daysSinceLast !== null ? daysSinceLast > expectedDays : tenure !== undefined && tenure > expectedDays;
  return {
    held: heldStarts.length,
    heldStarts,
    averageIntervalDays,
    daysSinceLast,
    expected,
    expectedDays,
    overdue,
    nextStart: future.length > 0 ? Math.min(...future) : null,
  };
}

/** One line for lists and the summary: "3 in 90 days · every 7 days · last 2 days ago". */
export function cadenceLine(s: CadenceStats): string {
  const parts = [`${s.held} in ${HISTORY_DAYS} days`];
  if (s.averageIntervalDays !== null) parts.push(`every ${s.averageIntervalDays} days on average`);
  parts.push(
    s.daysSinceLast === null ? 'never met' : s.daysSinceLast === 0 ? 'last today' : `last ${s.daysSinceLast} ${s.daysSinceLast === 1 ? 'day' : 'days'} ago`,
  );
  return parts.join(' · ');
}
