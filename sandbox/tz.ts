// Time-zone arithmetic for the sandbox, in Google's and Graph's shapes: wall clock <-> instant.
// The zone maths itself is the engine's (src-shared/engine/timezone); this file only adapts it to
// IANA zone names and second-precision wall clocks, and adds the string formats the faces speak.
import { MINUTE_MS, type LocalDateTime } from '../src-shared/engine/time';
import { fromLocal, isValidTimeZone, offsetAt, toLocal, type Zone } from '../src-shared/engine/timezone';

export { isValidTimeZone };

/** A wall-clock time to the second (the providers' event times carry no milliseconds). */
export type Wall = Omit<LocalDateTime, 'millisecond'>;

const iana = (tz: string): Zone => ({ kind: 'iana', name: tz });
const UTC: Zone = { kind: 'fixed', offsetMinutes: 0 };

function toWall(zone: Zone, ms: number): Wall {
  const { millisecond: _ms, ...wall } = toLocal(zone, ms);
  return wall;
}

export function wallClock(ms: number, tz: string): Wall {
  return toWall(iana(tz), ms);
}

// Recurrence expansion runs on "wall clock as UTC" values (rrule computes in UTC only).
export const wallAsUtc = (w: Wall): number => fromLocal(UTC, { ...w, millisecond: 0 });
export const utcAsWall = (ms: number): Wall => toWall(UTC, ms);

/** Offset of `tz` from UTC at the instant, in milliseconds (positive east of Greenwich). */
export function offsetMs(ms: number, tz: string): number {
  return offsetAt(iana(tz), ms) * MINUTE_MS;
}

/**
 * The instant at which clocks in `tz` show `w`. A wall time that occurs twice (autumn) takes
 * its first occurrence; one skipped by a spring gap maps just past the gap, like calendar apps do.
 */
export function instantFromWall(w: Wall, tz: string): number {
  return fromLocal(iana(tz), { ...w, millisecond: 0 });
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

export function formatWallDate(w: Pick<Wall, 'year' | 'month' | 'day'>): string {
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;
}

/** RFC 3339 with the zone's offset, the way Google writes event times: 2024-05-06T10:00:00+02:00. */
export function formatOffsetDateTime(ms: number, tz: string): string {
  const w = wallClock(ms, tz);
  const off = Math.round(offsetMs(ms, tz) / 60_000);
  const sign = off < 0 ? '-' : '+';
  const abs = Math.abs(off);
  const zone = off === 0 && tz === 'UTC' ? 'Z' : `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  return `${formatWallDate(w)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}${zone}`;
}

export function localDate(ms: number, tz: string): string {
  return formatWallDate(wallClock(ms, tz));
}

/** Parses YYYY-MM-DD into a wall clock at midnight. */
export function parseDate(date: string): Wall | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return undefined;
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]), hour: 0, minute: 0, second: 0 };
}

/** Parses a local date-time without offset (2024-05-06T10:00:00[.0000000]). */
export function parseLocalDateTime(text: string): Wall | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/.exec(text);
  if (!m) return undefined;
  return {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[4]),
    minute: Number(m[5]),
    second: Number(m[6] ?? 0),
  };
}

/** Parses an RFC 3339 timestamp that carries an offset or Z; NaN otherwise. */
export function parseRfc3339(text: string): number {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(text)) return NaN;
  return Date.parse(text);
}

export function addDays(date: string, days: number): string {
  const w = parseDate(date);
  if (!w) throw new Error(`bad date ${date}`);
  const d = new Date(Date.UTC(w.year, w.month - 1, w.day + days));
  return d.toISOString().slice(0, 10);
}

/** Google's compact UTC stamp used in instance ids: 20240506T080000Z. */
export function compactUtc(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}
