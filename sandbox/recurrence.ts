// Event times and recurrence expansion (RRULE / EXDATE / RDATE) in the event's own time zone.
//
// rrule computes in UTC only, so expansion runs on "wall clock as UTC" values: a weekly
// 10:00 Europe/Berlin series stays at 10:00 local across daylight-saving changes, and each
// wall time is then mapped back to a real instant.
import { createRequire } from 'node:module';
import type * as RRulePackage from 'rrule';
import type { Options as RRuleOptions, RRule as RRuleClass } from 'rrule';
import type { GDateTime } from './model';
import {
  compactUtc,
  formatOffsetDateTime,
  instantFromWall,
  isValidTimeZone,
  localDate,
  parseDate,
  parseLocalDateTime,
  parseRfc3339,
  utcAsWall,
  wallAsUtc,
  wallClock,
  type Wall,
} from './tz';

// rrule ships a UMD main file that Node's ESM loader cannot take named exports from.
const rrule = createRequire(import.meta.url)('rrule') as typeof RRulePackage;

export type EventTime = { allDay: true; date: string } | { allDay: false; ms: number; tz: string };

export class TimeError extends Error {}

/** Parses a Google EventDateTime. `fallbackTz` is the calendar's zone. */
export function parseEventTime(value: GDateTime | undefined, fallbackTz: string, field: string): EventTime {
  if (!value || typeof value !== 'object') throw new TimeError(`${field} is required`);
  if (value.timeZone !== undefined && !isValidTimeZone(value.timeZone)) {
    throw new TimeError(`${field}.timeZone "${value.timeZone}" is not a known IANA time zone`);
  }
  const tz = value.timeZone ?? fallbackTz;
  if (value.date !== undefined && value.dateTime === undefined) {
    if (!parseDate(value.date)) throw new TimeError(`${field}.date must be YYYY-MM-DD`);
    return { allDay: true, date: value.date };
  }
  if (typeof value.dateTime === 'string') {
    const withOffset = parseRfc3339(value.dateTime);
    if (!Number.isNaN(withOffset)) return { allDay: false, ms: withOffset, tz };
    const wall = parseLocalDateTime(value.dateTime);
    if (wall) return { allDay: false, ms: instantFromWall(wall, tz), tz };
    throw new TimeError(`${field}.dateTime must be an RFC 3339 date-time`);
  }
  throw new TimeError(`${field} needs date or dateTime`);
}

/** Start instant of an event time; all-day dates start at midnight in `tz`. */
export function startMs(t: EventTime, tz: string): number {
  if (!t.allDay) return t.ms;
  const w = parseDate(t.date);
  if (!w) throw new TimeError(`bad date ${t.date}`);
  return instantFromWall(w, tz);
}

export function formatEventTime(t: EventTime, outputTz?: string): GDateTime {
  if (t.allDay) return { date: t.date };
  return { dateTime: formatOffsetDateTime(t.ms, outputTz ?? t.tz), timeZone: t.tz };
}

/** Key identifying an occurrence by its original start. */
export function occurrenceKey(t: EventTime): string {
  return t.allDay ? t.date : String(t.ms);
}

/** Google's instance id suffix: 20240506T080000Z for timed, 20240506 for all-day. */
export function instanceSuffix(t: EventTime): string {
  return t.allDay ? t.date.replace(/-/g, '') : compactUtc(t.ms);
}

export function shiftTime(t: EventTime, deltaMs: number, days: number): EventTime {
  if (t.allDay) {
    const w = parseDate(t.date);
    if (!w) return t;
    return { allDay: true, date: new Date(Date.UTC(w.year, w.month - 1, w.day + days)).toISOString().slice(0, 10) };
  }
  return { ...t, ms: t.ms + deltaMs };
}

interface DateList {
  values: EventTime[];
}

/** Parses one EXDATE/RDATE line: `EXDATE;TZID=Europe/Berlin:20240506T100000,20240513T100000`. */
function parseDateList(line: string, masterTz: string): DateList {
  const colon = line.indexOf(':');
  const head = line.slice(0, colon);
  const body = line.slice(colon + 1);
  const params = new Map(
    head
      .split(';')
      .slice(1)
      .map((p) => p.split('=') as [string, string]),
  );
  const tz = params.get('TZID') ?? masterTz;
  const values: EventTime[] = [];
  for (const raw of body.split(',')) {
    const v = raw.trim();
    let m = /^(\d{4})(\d{2})(\d{2})$/.exec(v);
    if (m) {
      values.push({ allDay: true, date: `${m[1]}-${m[2]}-${m[3]}` });
      continue;
    }
    m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(Z?)$/.exec(v);
    if (!m) throw new TimeError(`cannot read date "${v}" in ${head}`);
    const wall: Wall = {
      year: Number(m[1]),
      month: Number(m[2]),
      day: Number(m[3]),
      hour: Number(m[4]),
      minute: Number(m[5]),
      second: Number(m[6]),
    };
    values.push({ allDay: false, ms: m[7] ? wallAsUtc(wall) : instantFromWall(wall, tz), tz });
  }
  return { values };
}

export interface ParsedRule {
  options: Partial<RRuleOptions>;
  untilIsDate: boolean;
  text: string;
}

export function parseRule(line: string): ParsedRule {
  const text = line.replace(/^RRULE:/i, '');
  if (!/(^|;)FREQ=/i.test(text)) throw new TimeError(`recurrence rule "${line}" has no FREQ`);
  let options: Partial<RRuleOptions>;
  try {
    options = rrule.RRule.parseString(text);
  } catch (error) {
    throw new TimeError(`cannot read recurrence rule "${line}": ${(error as Error).message}`);
  }
  return { options, untilIsDate: /UNTIL=\d{8}(;|$)/i.test(text), text };
}

/** Validates recurrence lines as Google accepts them. Returns an error message or undefined. */
export function validateRecurrence(lines: unknown, masterTz: string): string | undefined {
  if (!Array.isArray(lines)) return 'recurrence must be an array of strings';
  for (const line of lines) {
    if (typeof line !== 'string') return 'recurrence must be an array of strings';
    try {
      if (/^RRULE:/i.test(line)) parseRule(line);
      else if (/^(EXDATE|RDATE)[;:]/i.test(line)) parseDateList(line, masterTz);
      else if (!/^EXRULE:/i.test(line)) return `recurrence line "${line}" must start with RRULE, EXDATE, RDATE or EXRULE`;
    } catch (error) {
      return (error as Error).message;
    }
  }
  return undefined;
}

export interface ExpandRange {
  fromMs: number;
  toMs: number;
  /** Zone used to place all-day dates on the time line. */
  zone: string;
}

const MAX_OCCURRENCES = 5000;

/**
 * Original start times of a recurring master's occurrences whose start lies in
 * [range.fromMs, range.toMs), after EXDATEs and with RDATEs added. Exceptions (moved or
 * cancelled instances) are the caller's business: they are separate stored events.
 */
export function expandOccurrences(start: EventTime, recurrence: string[], range: ExpandRange): EventTime[] {
  const tz = start.allDay ? range.zone : start.tz;
  const fakeStart = start.allDay ? Date.UTC(...ymd(start.date)) : wallAsUtc(wallClock(start.ms, tz));
  const pad = 86_400_000 * 2;
  // Nothing happens before DTSTART; clamping also keeps Intl away from extreme years.
  const lowerMs = Math.max(range.fromMs, startMs(start, range.zone) - pad);
  const upperMs = Math.min(range.toMs, 8.64e15 - pad);
  if (upperMs <= lowerMs) return [];
  const fakeFrom = wallAsUtc(wallClock(lowerMs, tz)) - pad;
  const fakeTo = wallAsUtc(wallClock(upperMs, tz)) + pad;
  const found = new Map<string, EventTime>();
  const excluded = new Set<string>();
  const excludedDates = new Set<string>();

  const fromFake = (fake: number): EventTime => {
    if (start.allDay) return { allDay: true, date: new Date(fake).toISOString().slice(0, 10) };
    return { allDay: false, ms: instantFromWall(utcAsWall(fake), tz), tz };
  };

  for (const line of recurrence) {
    if (/^RRULE:/i.test(line)) {
      const parsed = parseRule(line);
      const options: Partial<RRuleOptions> = { ...parsed.options, dtstart: new Date(fakeStart), tzid: null };
      if (parsed.options.until) {
        const until = parsed.options.until.getTime();
        options.until = new Date(
          parsed.untilIsDate
            ? until + 86_399_000 // a DATE until includes that whole day
            : start.allDay
              ? until
              : wallAsUtc(wallClock(until, tz)),
        );
      }
      const rule: RRuleClass = new rrule.RRule(options);
      let count = 0;
      rule.between(new Date(fakeFrom), new Date(fakeTo), true, () => ++count <= MAX_OCCURRENCES).forEach((d) => {
        const t = fromFake(d.getTime());
        found.set(occurrenceKey(t), t);
      });
    } else if (/^EXDATE/i.test(line)) {
      for (const v of parseDateList(line, tz).values) {
        if (v.allDay) excludedDates.add(v.date);
        else excluded.add(String(v.ms));
      }
    } else if (/^RDATE/i.test(line)) {
      for (const v of parseDateList(line, tz).values) {
        const t: EventTime = start.allDay
          ? { allDay: true, date: v.allDay ? v.date : localDate(v.ms, tz) }
          : v.allDay
            ? { allDay: false, ms: instantFromWall({ ...(parseDate(v.date) as Wall), hour: wallClock(start.ms, tz).hour, minute: wallClock(start.ms, tz).minute }, tz), tz }
            : { allDay: false, ms: v.ms, tz };
        found.set(occurrenceKey(t), t);
      }
    }
  }
  // The first occurrence is always DTSTART itself (RFC 5545), even if the rule would skip it.
  if (recurrence.some((l) => /^RRULE:/i.test(l))) found.set(occurrenceKey(start), start);

  return [...found.values()]
    .filter((t) => {
      if (t.allDay) return !excludedDates.has(t.date);
      return !excluded.has(String(t.ms)) && !excludedDates.has(localDate(t.ms, tz));
    })
    .filter((t) => {
      const s = startMs(t, tz);
      return s >= range.fromMs && s < range.toMs;
    })
    .sort((a, b) => startMs(a, tz) - startMs(b, tz));
}

function ymd(date: string): [number, number, number] {
  const w = parseDate(date);
  if (!w) throw new TimeError(`bad date ${date}`);
  return [w.year, w.month - 1, w.day];
}

/** Rewrites a master's RRULEs so the series ends before `beforeMs` (for "this and following"). */
export function endRecurrenceBefore(recurrence: string[], start: EventTime, beforeMs: number, zone: string): string[] {
  const untilMs = beforeMs - 1000;
  return recurrence.map((line) => {
    if (!/^RRULE:/i.test(line)) return line;
    const parts = line
      .replace(/^RRULE:/i, '')
      .split(';')
      .filter((p) => !/^(UNTIL|COUNT)=/i.test(p));
    const until = start.allDay ? localDate(untilMs, zone).replace(/-/g, '') : compactUtc(untilMs);
    return `RRULE:${[...parts, `UNTIL=${until}`].join(';')}`;
  });
}

const ICAL_WEEKDAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];

/** iCalendar weekday code (MO..SU) of an event time, in its own zone (all-day: its date). */
function icalWeekday(t: EventTime, zone: string): string {
  const w = parseDate(t.allDay ? t.date : localDate(t.ms, t.tz || zone));
  if (!w) throw new TimeError('bad date');
  return ICAL_WEEKDAYS[new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay()] as string;
}

/**
 * When "this and following" moves the new series to another weekday, calendar UIs rewrite a
 * weekly rule's single BYDAY that named the old weekday, so the rule keeps following the
 * start instead of adding the new first date as an extra occurrence. Rules without BYDAY
 * already follow DTSTART; other rules (several days, monthly ordinals) are left alone.
 */
export function followWeekday(recurrence: string[], oldStart: EventTime, newStart: EventTime, zone: string): string[] {
  const from = icalWeekday(oldStart, zone);
  const to = icalWeekday(newStart, zone);
  if (from === to) return recurrence;
  return recurrence.map((line) => {
    if (!/^RRULE:/i.test(line) || !/(^|[:;])FREQ=WEEKLY(;|$)/i.test(line)) return line;
    return line.replace(/(^|[:;])BYDAY=([^;]*)/i, (whole, sep: string, days: string) => (days.toUpperCase() === from ? `${sep}BYDAY=${to}` : whole));
  });
}

/** The occurrences of a series before `beforeMs`, counted (to continue a COUNT rule). */
export function countBefore(start: EventTime, recurrence: string[], beforeMs: number, zone: string): number {
  return expandOccurrences(start, recurrence, { fromMs: startMs(start, zone), toMs: beforeMs, zone }).length;
}
