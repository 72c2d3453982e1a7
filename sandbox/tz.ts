// Time-zone arithmetic on top of Intl (full ICU ships with Node): wall clock <-> instant.

export interface Wall {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(tz, f);
  }
  return f;
}

export function isValidTimeZone(tz: string): boolean {
  try {
    formatter(tz);
    return true;
  } catch {
    return false;
  }
}

export function wallClock(ms: number, tz: string): Wall {
  if (Math.abs(ms) < 8e15) {
    const d = new Date(ms + offsetMs(ms, tz));
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
    };
  }
  return intlWallClock(ms, tz);
}

function intlWallClock(ms: number, tz: string): Wall {
  const parts: Record<string, number> = {};
  for (const p of formatter(tz).formatToParts(new Date(ms))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year ?? 1970,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

const wallAsUtc = (w: Wall): number => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);

/** Offset of `tz` from UTC at the instant, in milliseconds (positive east of Greenwich). */
export function offsetMs(ms: number, tz: string): number {
  if (tz === 'UTC' || tz === 'Etc/UTC') return 0;
  // Zone transitions fall on quarter hours, so the offset is constant within one; caching by
  // quarter hour keeps recurrence expansion from calling Intl thousands of times.
  const bucket = Math.floor(ms / 900_000);
  const key = `${tz}|${bucket}`;
  const cached = offsetCache.get(key);
  if (cached !== undefined) return cached;
  const at = bucket * 900_000;
  const offset = wallAsUtc(intlWallClock(at, tz)) - at;
  if (offsetCache.size > 50_000) offsetCache.clear();
  offsetCache.set(key, offset);
  return offset;
}

const offsetCache = new Map<string, number>();

/**
 * The instant at which clocks in `tz` show `w`. In a spring-forward gap the later offset is
 * used (the wall time that does not exist maps just past the gap), like calendar apps do.
 */
export function instantFromWall(w: Wall, tz: string): number {
  const guess = wallAsUtc(w);
  // Offsets a day either side bracket any transition near this wall time.
  const candidates = [...new Set([guess - offsetMs(guess - 86_400_000, tz), guess - offsetMs(guess + 86_400_000, tz)])];
  const valid = candidates.filter((t) => offsetMs(t, tz) === guess - t);
  if (valid.length > 0) return Math.min(...valid); // ambiguous (fall back): the first one
  return Math.max(...candidates); // gap (spring forward): just past it
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
