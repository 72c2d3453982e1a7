// Instants are epoch milliseconds; local calendar dates are "day numbers" (days since 1970-01-01)
// so recurrence arithmetic never goes through a time zone until the very last step.

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Epoch ms of a UTC wall time (unlike Date.UTC, years 0-99 are not moved to the 1900s). */
export function utcMs(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number {
  return (daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s) * 1000 + ms;
}

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

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : (MONTH_DAYS[month - 1] ?? 0);
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
  return (daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s) * 1000 + ms - offsetMin * MINUTE_MS;
}

/** The UTC offset written in an ISO string, in minutes (0 for `Z` and plain dates). */
export function isoOffsetMinutes(text: string): number {
  const m = /([+-])(\d{2}):(\d{2})$/.exec(text);
  if (!m || text.length <= 10) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

function digits2(s: string, at: number): number {
  return (s.charCodeAt(at) - 48) * 10 + s.charCodeAt(at + 1) - 48;
}

/**
 * Instant of an ISO string already accepted by parseIso. The common shapes
 * (`YYYY-MM-DDTHH:MM:SS[.sss](Z|±HH:MM)`) are read digit by digit — a scan parses two per
 * event, and this is several times cheaper than Date.parse — anything else goes to Date.parse,
 * which agrees with parseIso on every string parseIso accepts.
 */
export function instantOf(text: string): number {
  const len = text.length;
  if (len >= 20 && text.charCodeAt(10) === 84 /* T */ && text.charCodeAt(16) === 58 /* : */) {
    let zoneAt = 19;
    let ms = 0;
    if (text.charCodeAt(19) === 46 /* . */) {
      zoneAt = 20;
      let scale = 100;
      for (let c = text.charCodeAt(zoneAt); c >= 48 && c <= 57; c = text.charCodeAt(++zoneAt)) {
        ms += (c - 48) * scale;
        scale /= 10;
      }
      ms = Math.floor(ms);
    }
    let offsetMin = 0;
    const z = text.charCodeAt(zoneAt);
    if (z === 90 /* Z */ && zoneAt === len - 1) offsetMin = 0;
    else if ((z === 43 || z === 45) && zoneAt === len - 6) {
      offsetMin = (digits2(text, zoneAt + 1) * 60 + digits2(text, zoneAt + 4)) * (z === 45 ? -1 : 1);
    } else return Date.parse(text);
    const y = digits2(text, 0) * 100 + digits2(text, 2);
    const days = daysFromCivil(y, digits2(text, 5), digits2(text, 8));
    const secs = digits2(text, 11) * 3600 + digits2(text, 14) * 60 + digits2(text, 17);
    return (days * 86400 + secs) * 1000 + ms - offsetMin * MINUTE_MS;
  }
  return Date.parse(text);
}

export function toIso(ms: number): string {
  return new Date(ms).toISOString();
}

export function dayNumber(year: number, month: number, day: number): number {
  return daysFromCivil(year, month, day);
}

/** The civil date of a day number (H. Hinnant's civil_from_days). */
export function fromDayNumber(dayNum: number): { year: number; month: number; day: number } {
  const z = dayNum + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
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
  if (m[7] === 'Z') return { kind: 'utc', ms: (daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s) * 1000 };
  return { kind: 'floating', local: { year: y, month: mo, day: d, hour: h, minute: mi, second: s, millisecond: 0 } };
}
