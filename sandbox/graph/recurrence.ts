// Graph's patternedRecurrence <-> iCalendar RRULE (what the store keeps).
import { ValidationError } from '../errors';
import { expandOccurrences, parseRule, startMs, type EventTime } from '../recurrence';
import { compactUtc, instantFromWall, localDate, parseDate } from '../tz';

const DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const ICAL_DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
const INDEX = ['first', 'second', 'third', 'fourth'];

export interface GraphRecurrence {
  pattern: {
    type: string;
    interval: number;
    month: number;
    dayOfMonth: number;
    daysOfWeek?: string[];
    firstDayOfWeek: string;
    index: string;
  };
  range: {
    type: string;
    startDate: string;
    endDate: string;
    recurrenceTimeZone: string;
    numberOfOccurrences: number;
  };
}

interface WeekdayLike {
  weekday: number;
  n?: number | null;
}

function weekdays(value: unknown): WeekdayLike[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((v) => (typeof v === 'number' ? { weekday: v } : (v as WeekdayLike)));
}

function indexName(n: number): string {
  if (n === -1) return 'last';
  return INDEX[n - 1] ?? 'first';
}

/** The first RRULE of a master as Graph's patternedRecurrence. */
export function toGraphRecurrence(recurrence: string[] | undefined, start: EventTime, zone: string): GraphRecurrence | null {
  const line = recurrence?.find((l) => /^RRULE:/i.test(l));
  if (!line) return null;
  const { options, untilIsDate } = parseRule(line);
  const tz = start.allDay ? zone : start.tz;
  const first = start.allDay ? start.date : localDate(start.ms, tz);
  const firstWall = parseDate(first);
  const firstWeekday = firstWall ? (new Date(Date.UTC(firstWall.year, firstWall.month - 1, firstWall.day)).getUTCDay() + 6) % 7 : 0;
  const interval = options.interval ?? 1;
  const byDay = weekdays(options.byweekday);
  const setPos = Array.isArray(options.bysetpos) ? options.bysetpos[0] : options.bysetpos;
  const monthDay = Array.isArray(options.bymonthday) ? options.bymonthday[0] : options.bymonthday;
  const month = Array.isArray(options.bymonth) ? options.bymonth[0] : options.bymonth;
  // The week start the sandbox expands with: the rule's WKST, else RFC 5545's default Monday.
  // Saying 'sunday' here would make a Graph reader apply WKST=SU to a rule expanded with MO.
  const wkst = weekdays(options.wkst)[0]?.weekday ?? 0;
  const pattern: GraphRecurrence['pattern'] = { type: 'daily', interval, month: 0, dayOfMonth: 0, firstDayOfWeek: DAYS[wkst] as string, index: 'first' };
  // rrule numbers frequencies YEARLY=0, MONTHLY=1, WEEKLY=2, DAILY=3.
  switch (options.freq) {
    case 3:
      pattern.type = 'daily';
      break;
    case 2:
      pattern.type = 'weekly';
      pattern.daysOfWeek = (byDay.length ? byDay.map((d) => d.weekday) : [firstWeekday]).map((d) => DAYS[d] as string);
      break;
    case 1: {
      const nth = byDay.find((d) => d.n);
      if (nth || (byDay.length && setPos)) {
        pattern.type = 'relativeMonthly';
        pattern.daysOfWeek = byDay.map((d) => DAYS[d.weekday] as string);
        pattern.index = indexName(nth?.n ?? setPos ?? 1);
      } else {
        pattern.type = 'absoluteMonthly';
        pattern.dayOfMonth = monthDay ?? firstWall?.day ?? 1;
      }
      break;
    }
    case 0: {
      const nth = byDay.find((d) => d.n);
      pattern.month = month ?? firstWall?.month ?? 1;
      if (nth) {
        pattern.type = 'relativeYearly';
        pattern.daysOfWeek = byDay.map((d) => DAYS[d.weekday] as string);
        pattern.index = indexName(nth.n ?? 1);
      } else {
        pattern.type = 'absoluteYearly';
        pattern.dayOfMonth = monthDay ?? firstWall?.day ?? 1;
      }
      break;
    }
    default:
      pattern.type = 'daily';
  }
  if (!pattern.daysOfWeek) pattern.daysOfWeek = [];
  const range: GraphRecurrence['range'] = { type: 'noEnd', startDate: first, endDate: '0001-01-01', recurrenceTimeZone: tz, numberOfOccurrences: 0 };
  if (options.until) {
    range.type = 'endDate';
    range.endDate = untilIsDate ? options.until.toISOString().slice(0, 10) : lastOccurrenceDate(line, start, options.until.getTime(), zone, tz);
  } else if (options.count) {
    range.type = 'numbered';
    range.numberOfOccurrences = options.count;
  }
  return { pattern, range };
}

/**
 * Graph's endDate is the date of the series' last occurrence in the pattern's zone, not the
 * date of the UNTIL instant: a series split "this and following" ends one second before the
 * split occurrence, and naming that day would claim an occurrence Graph never lists.
 */
function lastOccurrenceDate(line: string, start: EventTime, untilMs: number, zone: string, tz: string): string {
  const occurrences = expandOccurrences(start, [line], { fromMs: startMs(start, zone), toMs: untilMs + 1, zone });
  const last = occurrences[occurrences.length - 1] ?? start;
  return last.allDay ? last.date : localDate(last.ms, tz);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Graph's patternedRecurrence as an RRULE line for a series starting at `start`. */
export function fromGraphRecurrence(value: unknown, start: EventTime): string[] {
  if (!isObject(value) || !isObject(value.pattern) || !isObject(value.range)) {
    throw new ValidationError('recurrence', 'recurrence must have a pattern and a range');
  }
  const p = value.pattern;
  const r = value.range;
  const interval = p.interval === undefined ? 1 : Number(p.interval);
  if (!Number.isInteger(interval) || interval < 1) throw new ValidationError('recurrence.pattern.interval', 'recurrence.pattern.interval must be a positive integer');
  const days = (): string => {
    const list = p.daysOfWeek;
    if (!Array.isArray(list) || list.length === 0) throw new ValidationError('recurrence.pattern.daysOfWeek', 'recurrence.pattern.daysOfWeek is required for this pattern type');
    return list
      .map((d) => {
        const i = DAYS.indexOf(String(d).toLowerCase());
        if (i < 0) throw new ValidationError('recurrence.pattern.daysOfWeek', `unknown day of week ${String(d)}`);
        return ICAL_DAYS[i];
      })
      .join(',');
  };
  const index = (): number => {
    const name = String(p.index ?? 'first').toLowerCase();
    if (name === 'last') return -1;
    const i = INDEX.indexOf(name);
    if (i < 0) throw new ValidationError('recurrence.pattern.index', 'recurrence.pattern.index must be first, second, third, fourth or last');
    return i + 1;
  };
  const parts: string[] = [];
  switch (p.type) {
    case 'daily':
      parts.push('FREQ=DAILY');
      break;
    case 'weekly': {
      parts.push('FREQ=WEEKLY', `BYDAY=${days()}`);
      // Which weeks an INTERVAL skips depends on the week start, so keep it in the rule.
      const wkst = DAYS.indexOf(String(p.firstDayOfWeek ?? '').toLowerCase());
      if (p.firstDayOfWeek !== undefined && wkst < 0) throw new ValidationError('recurrence.pattern.firstDayOfWeek', `unknown day of week ${String(p.firstDayOfWeek)}`);
      if (wkst >= 0) parts.push(`WKST=${ICAL_DAYS[wkst] as string}`);
      break;
    }
    case 'absoluteMonthly':
      parts.push('FREQ=MONTHLY', `BYMONTHDAY=${Number(p.dayOfMonth)}`);
      break;
    case 'relativeMonthly':
      parts.push('FREQ=MONTHLY', `BYDAY=${days()}`, `BYSETPOS=${index()}`);
      break;
    case 'absoluteYearly':
      parts.push('FREQ=YEARLY', `BYMONTH=${Number(p.month)}`, `BYMONTHDAY=${Number(p.dayOfMonth)}`);
      break;
    case 'relativeYearly':
      parts.push('FREQ=YEARLY', `BYMONTH=${Number(p.month)}`, `BYDAY=${days()}`, `BYSETPOS=${index()}`);
      break;
    default:
      throw new ValidationError('recurrence.pattern.type', 'recurrence.pattern.type must be daily, weekly, absoluteMonthly, relativeMonthly, absoluteYearly or relativeYearly');
  }
  if (interval !== 1) parts.push(`INTERVAL=${interval}`);
  switch (r.type) {
    case 'noEnd':
    case undefined:
      break;
    case 'endDate': {
      const end = parseDate(String(r.endDate));
      if (!end) throw new ValidationError('recurrence.range.endDate', 'recurrence.range.endDate must be YYYY-MM-DD');
      if (start.allDay) parts.push(`UNTIL=${String(r.endDate).replace(/-/g, '')}`);
      else parts.push(`UNTIL=${compactUtc(instantFromWall({ ...end, hour: 23, minute: 59, second: 59 }, start.tz))}`);
      break;
    }
    case 'numbered': {
      const n = Number(r.numberOfOccurrences);
      if (!Number.isInteger(n) || n < 1) throw new ValidationError('recurrence.range.numberOfOccurrences', 'recurrence.range.numberOfOccurrences must be a positive integer');
      parts.push(`COUNT=${n}`);
      break;
    }
    default:
      throw new ValidationError('recurrence.range.type', 'recurrence.range.type must be endDate, noEnd or numbered');
  }
  return [`RRULE:${parts.join(';')}`];
}
