// Instants are epoch milliseconds; local calendar dates are "day numbers" (days since 1970-01-01)
// so recurrence arithmetic never goes through a time zone until the very last step.

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export interface LocalDateTime {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2}))?$/;

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function fieldsValid(y: number, mo: number, d: number, h: number, mi: number, s: number): boolean {
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo) && h <= 23 && mi <= 59 && s <= 59;
}

/**
 * Strict ISO-8601 for the scan format: a date (`2024-03-10`, midnight UTC) or a date-time that
 * carries `Z` or a `±HH:MM` offset. Floating date-times are refused: without a zone the instant
 * is unknowable. Returns epoch ms, or undefined when the text is not such a value.
 */
export function parseIso(text: string): number | undefined {
  const m = ISO_RE.exec(text);
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const h = m[4] === undefined ? 0 : Number(m[4]);
  const mi = m[5] === undefined ? 0 : Number(m[5]);
  const s = m[6] === undefined ? 0 : Number(m[6]);
  if (!fieldsValid(y, mo, d, h, mi, s)) return undefined;
  const ms = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
  let offsetMin = 0;
  const zone = m[8];
  if (zone !== undefined && zone !== 'Z') {
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(4, 6));
    if (oh > 23 || om > 59) return undefined;
    offsetMin = (zone[0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  return Date.UTC(y, mo - 1, d, h, mi, s, ms) - offsetMin * MINUTE_MS;
}

/** The UTC offset written in an ISO string, in minutes (0 for `Z` and plain dates). */
export function isoOffsetMinutes(text: string): number {
  const m = /([+-])(\d{2}):(\d{2})$/.exec(text);
  if (!m || text.length <= 10) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

/** Fast instant of an ISO string already accepted by parseIso (both agree on that subset). */
export function instantOf(text: string): number {
  return Date.parse(text);
}

export function toIso(ms: number): string {
  return new Date(ms).toISOString();
}

export function dayNumber(year: number, month: number, day: number): number {
  return Math.floor(Date.UTC(year, month - 1, day) / DAY_MS);
}

export function fromDayNumber(dayNum: number): { year: number; month: number; day: number } {
  const d = new Date(dayNum * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** 0 = Sunday … 6 = Saturday, like Date#getUTCDay. */
export function weekdayOf(dayNum: number): number {
  return (((dayNum + 4) % 7) + 7) % 7;
}

/**
 * iCalendar basic forms: `20240318` (date), `20240318T100000` (floating) or `20240318T100000Z`.
 */
export type ICalValue =
  | { kind: 'date'; day: number }
  | { kind: 'floating'; local: LocalDateTime }
  | { kind: 'utc'; ms: number };

const ICAL_RE = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?$/;

export function parseICalValue(text: string): ICalValue | undefined {
  const m = ICAL_RE.exec(text.trim().toUpperCase());
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (m[4] === undefined) {
    return fieldsValid(y, mo, d, 0, 0, 0) ? { kind: 'date', day: dayNumber(y, mo, d) } : undefined;
  }
  const h = Number(m[4]);
  const mi = Number(m[5]);
  const s = Number(m[6]);
  if (!fieldsValid(y, mo, d, h, mi, s)) return undefined;
  if (m[7] === 'Z') return { kind: 'utc', ms: Date.UTC(y, mo - 1, d, h, mi, s) };
  return { kind: 'floating', local: { year: y, month: mo, day: d, hour: h, minute: mi, second: s, millisecond: 0 } };
}
