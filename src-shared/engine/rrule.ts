// RRULE (RFC 5545 §3.3.10) for the rules calendars actually produce: FREQ DAILY/WEEKLY/MONTHLY/
// YEARLY with INTERVAL, COUNT, UNTIL, BYDAY (with ordinals), BYMONTHDAY, BYMONTH, BYSETPOS, WKST.
// Sub-daily frequencies and BYHOUR/BYMINUTE/BYSECOND/BYWEEKNO/BYYEARDAY are refused by the parser,
// so a scan never silently expands a rule it does not understand.
import {
  dayNumber,
  daysInMonth,
  fromDayNumber,
  parseICalValue,
  weekdayOf,
  type ICalValue,
} from './time';

export type Freq = 'DAILY' | 'WEEKLY' | 'MONTHLY' | 'YEARLY';

export interface ByDay {
  weekday: number; // 0 = SU
  ordinal?: number; // ±1..53
}

export interface RRule {
  freq: Freq;
  interval: number;
  count?: number;
  until?: ICalValue;
  byDay: ByDay[];
  byMonthDay: number[];
  byMonth: number[];
  bySetPos: number[];
  wkst: number;
}

export class RuleError extends Error {}

const WEEKDAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];
const FREQS: readonly string[] = ['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'];

function intList(value: string, name: string, min: number, max: number, allowNegative: boolean): number[] {
  return value.split(',').map((part) => {
    const n = Number(part);
    const abs = Math.abs(n);
    if (!/^[+-]?\d+$/.test(part) || abs < min || abs > max || (!allowNegative && n < 0)) {
      throw new RuleError(`${name} value "${part}" is out of range`);
    }
    return n;
  });
}

/** Parses the value after `RRULE:` (e.g. `FREQ=WEEKLY;BYDAY=MO`). Throws RuleError. */
export function parseRRule(value: string): RRule {
  const rule: RRule = { freq: 'WEEKLY', interval: 1, byDay: [], byMonthDay: [], byMonth: [], bySetPos: [], wkst: 1 };
  let freq: string | undefined;
  const seen = new Set<string>();
  for (const part of value.split(';')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    if (eq <= 0) throw new RuleError(`malformed rule part "${part}"`);
    const key = part.slice(0, eq).trim().toUpperCase();
    const val = part.slice(eq + 1).trim().toUpperCase();
    if (seen.has(key)) throw new RuleError(`${key} appears twice`);
    seen.add(key);
    switch (key) {
      case 'FREQ':
        if (!FREQS.includes(val)) throw new RuleError(`unsupported FREQ "${val}"`);
        freq = val;
        break;
      case 'INTERVAL':
        rule.interval = intList(val, 'INTERVAL', 1, 10_000, false)[0] ?? 1;
        break;
      case 'COUNT':
        rule.count = intList(val, 'COUNT', 1, 1_000_000, false)[0];
        break;
      case 'UNTIL': {
        const until = parseICalValue(val);
        if (!until) throw new RuleError(`UNTIL "${val}" is not an iCalendar date or date-time`);
        rule.until = until;
        break;
      }
      case 'BYDAY':
        rule.byDay = val.split(',').map((d) => {
          const m = /^([+-]?\d{1,2})?(SU|MO|TU|WE|TH|FR|SA)$/.exec(d);
          if (!m) throw new RuleError(`BYDAY value "${d}" is not a weekday`);
          const ordinal = m[1] === undefined ? undefined : Number(m[1]);
          if (ordinal !== undefined && (ordinal === 0 || Math.abs(ordinal) > 53)) {
            throw new RuleError(`BYDAY ordinal in "${d}" is out of range`);
          }
          return { weekday: WEEKDAYS.indexOf(m[2] ?? ''), ordinal };
        });
        break;
      case 'BYMONTHDAY':
        rule.byMonthDay = intList(val, 'BYMONTHDAY', 1, 31, true);
        break;
      case 'BYMONTH':
        rule.byMonth = intList(val, 'BYMONTH', 1, 12, false);
        break;
      case 'BYSETPOS':
        rule.bySetPos = intList(val, 'BYSETPOS', 1, 366, true);
        break;
      case 'WKST': {
        const w = WEEKDAYS.indexOf(val);
        if (w < 0) throw new RuleError(`WKST "${val}" is not a weekday`);
        rule.wkst = w;
        break;
      }
      default:
        throw new RuleError(`unsupported rule part ${key}`);
    }
  }
  if (freq === undefined) throw new RuleError('FREQ is missing');
  rule.freq = freq as Freq;
  if (rule.count !== undefined && rule.until !== undefined) throw new RuleError('COUNT and UNTIL are exclusive');
  return rule;
}

// ---------------------------------------------------------------------------------------------
// Expansion over local day numbers.

function monthDays(rule: RRule, year: number, month: number, dtDayOfMonth: number): number[] {
  const dim = daysInMonth(year, month);
  const first = dayNumber(year, month, 1);
  let days: number[];
  if (rule.byMonthDay.length > 0) {
    days = [];
    for (const md of rule.byMonthDay) {
      const d = md > 0 ? md : dim + 1 + md;
      if (d >= 1 && d <= dim) days.push(first + d - 1);
    }
  } else if (rule.byDay.length === 0) {
    days = dtDayOfMonth <= dim ? [first + dtDayOfMonth - 1] : [];
  } else {
    days = [];
  }
  if (rule.byDay.length > 0) {
    const fromByDay = weekdaysIn(rule.byDay, first, first + dim - 1);
    days = rule.byMonthDay.length > 0 ? days.filter((d) => fromByDay.includes(d)) : fromByDay;
  }
  return days;
}

/** Days in [from, to] matching BYDAY; ordinals count within that span (a month or a year). */
function weekdaysIn(byDay: ByDay[], from: number, to: number): number[] {
  const out: number[] = [];
  for (const bd of byDay) {
    const firstMatch = from + ((bd.weekday - weekdayOf(from) + 7) % 7);
    if (bd.ordinal === undefined) {
      for (let d = firstMatch; d <= to; d += 7) out.push(d);
    } else if (bd.ordinal > 0) {
      const d = firstMatch + (bd.ordinal - 1) * 7;
      if (d <= to) out.push(d);
    } else {
      const lastMatch = to - ((weekdayOf(to) - bd.weekday + 7) % 7);
      const d = lastMatch + (bd.ordinal + 1) * 7;
      if (d >= from) out.push(d);
    }
  }
  return out;
}

function applySetPos(days: number[], setPos: number[]): number[] {
  if (setPos.length === 0) return days;
  const out: number[] = [];
  for (const p of setPos) {
    const d = p > 0 ? days[p - 1] : days[days.length + p];
    if (d !== undefined) out.push(d);
  }
  return out;
}

function normalize(days: number[]): number[] {
  if (days.length < 2) return days;
  days.sort((a, b) => a - b);
  return days.filter((d, i) => i === 0 || d !== days[i - 1]);
}

/** Candidate local days of one period, sorted, before DTSTART/COUNT/UNTIL are applied. */
function periodDays(rule: RRule, dtDay: number, period: number): number[] {
  const dt = fromDayNumber(dtDay);
  let days: number[];
  switch (rule.freq) {
    case 'DAILY': {
      const d = dtDay + period * rule.interval;
      days = [d];
      if (rule.byDay.length > 0 && !rule.byDay.some((b) => b.weekday === weekdayOf(d))) days = [];
      if (rule.byMonthDay.length > 0 && days.length > 0) {
        const f = fromDayNumber(d);
        const dim = daysInMonth(f.year, f.month);
        if (!rule.byMonthDay.some((md) => (md > 0 ? md : dim + 1 + md) === f.day)) days = [];
      }
      break;
    }
    case 'WEEKLY': {
      const weekStart = dtDay - ((weekdayOf(dtDay) - rule.wkst + 7) % 7) + period * rule.interval * 7;
      const wds = rule.byDay.length > 0 ? rule.byDay.map((b) => b.weekday) : [weekdayOf(dtDay)];
      days = wds.map((wd) => weekStart + ((wd - rule.wkst + 7) % 7));
      days = normalize(days);
      days = applySetPos(days, rule.bySetPos);
      break;
    }
    case 'MONTHLY': {
      const index = dt.year * 12 + (dt.month - 1) + period * rule.interval;
      const year = Math.floor(index / 12);
      const month = (index % 12) + 1;
      days = applySetPos(normalize(monthDays(rule, year, month, dt.day)), rule.bySetPos);
      break;
    }
    case 'YEARLY': {
      const year = dt.year + period * rule.interval;
      if (rule.byMonth.length > 0) {
        days = [];
        for (const month of rule.byMonth) days.push(...monthDays(rule, year, month, dt.day));
      } else if (rule.byDay.length > 0) {
        days = weekdaysIn(rule.byDay, dayNumber(year, 1, 1), dayNumber(year, 12, 31));
        if (rule.byMonthDay.length > 0) {
          const allowed = new Set<number>();
          for (let m = 1; m <= 12; m++) for (const d of monthDays({ ...rule, byDay: [] }, year, m, dt.day)) allowed.add(d);
          days = days.filter((d) => allowed.has(d));
        }
      } else if (rule.byMonthDay.length > 0) {
        days = [];
        for (let m = 1; m <= 12; m++) days.push(...monthDays(rule, year, m, dt.day));
      } else {
        days = dt.day <= daysInMonth(year, dt.month) ? [dayNumber(year, dt.month, dt.day)] : [];
      }
      days = applySetPos(normalize(days), rule.bySetPos);
      break;
    }
  }
  if (rule.byMonth.length > 0 && rule.freq !== 'YEARLY') {
    days = days.filter((d) => rule.byMonth.includes(fromDayNumber(d).month));
  }
  return days;
}

/** The first period worth visiting when nothing before `fromDay` matters (no COUNT). */
function firstUsefulPeriod(rule: RRule, dtDay: number, fromDay: number): number {
  if (rule.count !== undefined || fromDay <= dtDay) return 0;
  const span = fromDay - dtDay;
  let approxPeriodDays: number;
  switch (rule.freq) {
    case 'DAILY':
      approxPeriodDays = rule.interval;
      break;
    case 'WEEKLY':
      approxPeriodDays = 7 * rule.interval;
      break;
    case 'MONTHLY':
      approxPeriodDays = 31 * rule.interval;
      break;
    case 'YEARLY':
      approxPeriodDays = 366 * rule.interval;
      break;
  }
  // One period of slack: periods are never longer than approxPeriodDays.
  return Math.max(0, Math.floor(span / approxPeriodDays) - 1);
}

const MAX_PERIODS = 2_000_000;

/**
 * Calls `emit(dayNumber, instant)` for each occurrence of `rule` after DTSTART (DTSTART itself is
 * emitted by the caller), in order, until the local day passes `toDay`, COUNT or UNTIL.
 * `instantOfDay` turns a local day into the occurrence's instant (zone + DTSTART's time of day).
 */
export function expandRule(
  rule: RRule,
  dtDay: number,
  fromDay: number,
  toDay: number,
  instantOfDay: (day: number) => number,
  untilInstant: number | undefined,
  emit: (day: number, instant: number) => void,
): void {
  let produced = 1; // DTSTART is the first occurrence and counts toward COUNT (RFC 5545).
  const count = rule.count ?? Infinity;
  if (produced >= count) return;
  const untilDay = rule.until?.kind === 'date' ? rule.until.day : undefined;
  for (let period = firstUsefulPeriod(rule, dtDay, fromDay), n = 0; n < MAX_PERIODS; period++, n++) {
    const days = periodDays(rule, dtDay, period);
    // Periods start in increasing order; once a period's earliest possible day is past the
    // window there is nothing left to find.
    const periodStartDay = days.length > 0 ? (days[0] as number) : undefined;
    for (const day of days) {
      if (day <= dtDay) continue;
      if (untilDay !== undefined && day > untilDay) return;
      const instant = instantOfDay(day);
      if (untilInstant !== undefined && instant > untilInstant) return;
      if (day > toDay) return;
      emit(day, instant);
      produced++;
      if (produced >= count) return;
    }
    if (periodStartDay === undefined && periodLowerBound(rule, dtDay, period) > toDay) return;
  }
}

/** A local day no later than any day of `period` (used to stop on periods with no matches). */
function periodLowerBound(rule: RRule, dtDay: number, period: number): number {
  const dt = fromDayNumber(dtDay);
  switch (rule.freq) {
    case 'DAILY':
      return dtDay + period * rule.interval;
    case 'WEEKLY':
      return dtDay - 7 + period * rule.interval * 7;
    case 'MONTHLY': {
      const index = dt.year * 12 + (dt.month - 1) + period * rule.interval;
      return dayNumber(Math.floor(index / 12), (index % 12) + 1, 1);
    }
    case 'YEARLY':
      return dayNumber(dt.year + period * rule.interval, 1, 1);
  }
}
