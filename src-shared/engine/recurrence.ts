// A recurring master's recurrence set: its RRULEs and RDATEs, minus EXDATEs, expanded inside the
// scan window. Decision (documented in scan-cli.ts): the master's `start` is DTSTART; the series'
// wall-clock zone is the TZID of a `DTSTART;TZID=…` line if present, else the event's `timeZone`,
// else the fixed UTC offset written in the master's `start` (no DST shift is possible then).
import { expandRule, parseRRule, RuleError, type RRule } from './rrule';
import { DAY_MS, dayNumber, isoOffsetMinutes, parseICalValue, type ICalValue } from './time';
import { fromLocal, fromLocalMs, isValidTimeZone, toLocal, type Zone } from './timezone';

export interface DateList {
  tzid?: string;
  values: ICalValue[];
}

export interface RecurrenceSet {
  rules: RRule[];
  rdates: DateList[];
  exdates: DateList[];
  /** From a DTSTART line: the zone (or `UTC` for a `Z` value) the series lives in. */
  dtstartZone?: string;
}

export class RecurrenceError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

function parseParams(head: string): { name: string; params: Map<string, string> } {
  const [name = '', ...rest] = head.split(';');
  const params = new Map<string, string>();
  for (const p of rest) {
    const eq = p.indexOf('=');
    if (eq > 0) params.set(p.slice(0, eq).trim().toUpperCase(), p.slice(eq + 1).trim().replace(/^"|"$/g, ''));
  }
  return { name: name.trim().toUpperCase(), params };
}

function parseDateList(index: number, line: string, params: Map<string, string>, body: string): DateList {
  const tzid = params.get('TZID');
  if (tzid !== undefined && !isValidTimeZone(tzid)) throw new RecurrenceError(index, `unknown time zone "${tzid}"`);
  if (params.get('VALUE') === 'PERIOD') throw new RecurrenceError(index, 'PERIOD values are not supported');
  const values = body.split(',').map((v) => {
    const parsed = parseICalValue(v);
    if (!parsed) throw new RecurrenceError(index, `"${v}" is not an iCalendar date or date-time in "${line}"`);
    return parsed;
  });
  return { tzid, values };
}

/** True when the lines make the event a recurring master (an RRULE or an RDATE). */
export function hasRecurrenceRule(lines: readonly string[] | undefined): boolean {
  if (!lines) return false;
  for (const l of lines) {
    const head = l.trimStart().slice(0, 5).toUpperCase();
    if (head === 'RRULE' || head === 'RDATE') return true;
  }
  return false;
}

/** Parses recurrence lines; throws RecurrenceError naming the offending line's index. */
export function parseRecurrence(lines: readonly string[]): RecurrenceSet {
  const set: RecurrenceSet = { rules: [], rdates: [], exdates: [] };
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    const colon = line.indexOf(':');
    if (colon <= 0) throw new RecurrenceError(index, `expected NAME:VALUE, got "${line}"`);
    const { name, params } = parseParams(line.slice(0, colon));
    const body = line.slice(colon + 1).trim();
    switch (name) {
      case 'RRULE':
        try {
          set.rules.push(parseRRule(body));
        } catch (e) {
          if (e instanceof RuleError) throw new RecurrenceError(index, `invalid RRULE: ${e.message}`);
          throw e;
        }
        break;
      case 'RDATE':
        set.rdates.push(parseDateList(index, line, params, body));
        break;
      case 'EXDATE':
        set.exdates.push(parseDateList(index, line, params, body));
        break;
      case 'DTSTART': {
        const tzid = params.get('TZID');
        if (tzid !== undefined) {
          if (!isValidTimeZone(tzid)) throw new RecurrenceError(index, `unknown time zone "${tzid}"`);
          set.dtstartZone = tzid;
        } else if (/Z$/i.test(body)) {
          set.dtstartZone = 'UTC';
        }
        if (body !== '' && !parseICalValue(body)) {
          throw new RecurrenceError(index, `"${body}" is not an iCalendar date or date-time`);
        }
        break;
      }
      default:
        throw new RecurrenceError(index, `unsupported recurrence line ${name}`);
    }
  });
  return set;
}

/** The zone a master's occurrences keep their wall-clock time in (see the file comment). */
export function seriesZone(set: RecurrenceSet, timeZone: string | undefined, startText: string): Zone {
  const name = set.dtstartZone ?? (timeZone !== undefined && isValidTimeZone(timeZone) ? timeZone : undefined);
  if (name !== undefined) return { kind: 'iana', name };
  return { kind: 'fixed', offsetMinutes: isoOffsetMinutes(startText) };
}

function valueInstant(v: ICalValue, listZone: Zone, timeOfDayMs: number): number {
  switch (v.kind) {
    case 'utc':
      return v.ms;
    case 'floating':
      return fromLocal(listZone, v.local);
    case 'date':
      return fromLocalMs(listZone, v.day * DAY_MS + timeOfDayMs);
  }
}

/**
 * Expands a master whose first occurrence starts at `dtstart` (ms) in `zone`, keeping the
 * occurrences whose start lies in [from, to] (inclusive): ascending, unique, EXDATEs removed.
 */
export function expandRecurrence(set: RecurrenceSet, dtstart: number, zone: Zone, from: number, to: number): number[] {
  const local = toLocal(zone, dtstart);
  const dtDay = dayNumber(local.year, local.month, local.day);
  const timeOfDayMs = localTimeOfDay(local);
  // Local days are compared with a day of slack each side: offsets never exceed ±14 h.
  const fromDay = Math.floor(from / DAY_MS) - 1;
  const toDay = Math.floor(to / DAY_MS) + 1;
  const instantOfDay = (day: number) => fromLocalMs(zone, day * DAY_MS + timeOfDayMs);
  const found: number[] = [];
  const keep = (ms: number) => {
    if (ms >= from && ms <= to) found.push(ms);
  };
  keep(dtstart);
  for (const rule of set.rules) {
    let untilInstant: number | undefined;
    if (rule.until?.kind === 'utc') untilInstant = rule.until.ms;
    else if (rule.until?.kind === 'floating') untilInstant = fromLocal(zone, rule.until.local);
    expandRule(rule, dtDay, fromDay, toDay, instantOfDay, untilInstant, (_day, ms) => keep(ms));
  }
  for (const list of set.rdates) {
    const listZone: Zone = list.tzid !== undefined ? { kind: 'iana', name: list.tzid } : zone;
    for (const v of list.values) keep(valueInstant(v, listZone, timeOfDayMs));
  }
  if (found.length === 0) return found;
  found.sort((a, b) => a - b);
  let excludedInstants: Set<number> | undefined;
  let excludedDays: Set<number> | undefined;
  for (const list of set.exdates) {
    const listZone: Zone = list.tzid !== undefined ? { kind: 'iana', name: list.tzid } : zone;
    for (const v of list.values) {
      if (v.kind === 'date') (excludedDays ??= new Set()).add(v.day);
      else (excludedInstants ??= new Set()).add(valueInstant(v, listZone, timeOfDayMs));
    }
  }
  const out: number[] = [];
  for (let i = 0; i < found.length; i++) {
    const ms = found[i] as number;
    if (i > 0 && ms === found[i - 1]) continue;
    if (excludedInstants?.has(ms)) continue;
    if (excludedDays) {
      const l = toLocal(zone, ms);
      if (excludedDays.has(dayNumber(l.year, l.month, l.day))) continue;
    }
    out.push(ms);
  }
  return out;
}

function localTimeOfDay(l: { hour: number; minute: number; second: number; millisecond: number }): number {
  return ((l.hour * 60 + l.minute) * 60 + l.second) * 1000 + l.millisecond;
}
