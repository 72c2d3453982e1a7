// Time-zone arithmetic for the sandbox, in Google's and Graph's shapes: wall clock <-> instant.
// Deliberately its own implementation, straight on Intl.DateTimeFormat, sharing no code with the
// engine's zone maths (src-shared/engine/timezone.ts): a stand-in that ran the code under test
// could not catch its bugs. It also works differently: offsets come from Intl's `longOffset` zone
// name at the exact instant (the engine derives them from formatted parts, per quarter hour), and
// a wall time is placed by checking each candidate instant's own wall clock.
// tests/integration/sandbox/tz-agreement.test.ts compares the two on DST edges.

/** A wall-clock time to the second (the providers' event times carry no milliseconds). */
export interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const DAY = 86_400_000;

const wallFormats = new Map<string, Intl.DateTimeFormat>();
const offsetFormats = new Map<string, Intl.DateTimeFormat>();

function cached(map: Map<string, Intl.DateTimeFormat>, tz: string, options: Intl.DateTimeFormatOptions) {
  let f = map.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, ...options });
    map.set(tz, f);
  }
  return f;
}

const wallFormat = (tz: string) =>
  cached(wallFormats, tz, {
    hourCycle: 'h23',
    era: 'short',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
const offsetFormat = (tz: string) => cached(offsetFormats, tz, { timeZoneName: 'longOffset' });

export function isValidTimeZone(tz: string): boolean {
  try {
    wallFormat(tz);
    return true;
  } catch {
    return false;
  }
}

export function wallClock(ms: number, tz: string): Wall {
  const w: Wall = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  let bc = false;
  for (const part of wallFormat(tz).formatToParts(ms)) {
    if (part.type === 'era') bc = part.value === 'BC';
    else if (part.type in w) w[part.type as keyof Wall] = Number(part.value);
  }
  if (bc) w.year = 1 - w.year;
  return w;
}

// Recurrence expansion runs on "wall clock as UTC" values (rrule computes in UTC only).
export function wallAsUtc(w: Wall): number {
  const d = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not read years 0-99 as 1900-1999.
  d.setUTCFullYear(w.year, w.month - 1, w.day);
  d.setUTCHours(w.hour, w.minute, w.second, 0);
  return d.getTime();
}
export function utcAsWall(ms: number): Wall {
  const d = new Date(ms);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}

/** Offset of `tz` from UTC at the instant, in milliseconds (positive east of Greenwich). */
export function offsetMs(ms: number, tz: string): number {
  const name = offsetFormat(tz)
    .formatToParts(ms)
    .find((p) => p.type === 'timeZoneName')?.value;
  // "GMT" at zero, else "GMT+05:30" (seconds for historical local mean time: "GMT-04:56:02").
  const m = /^GMT(?:([+-])(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?)?$/.exec(name ?? '');
  if (!m) throw new Error(`cannot read the UTC offset of ${tz} from "${name}"`);
  if (!m[1]) return 0;
  const abs = ((Number(m[2]) * 60 + Number(m[3] ?? 0)) * 60 + Number(m[4] ?? 0)) * 1000;
  return m[1] === '-' ? -abs : abs;
}

const sameWall = (a: Wall, b: Wall) =>
  a.year === b.year &&
  a.month === b.month &&
  a.day === b.day &&
  a.hour === b.hour &&
  a.minute === b.minute &&
  a.second === b.second;

/**
 * The instant at which clocks in `tz` show `w`. A wall time that occurs twice (autumn) takes
 * its first occurrence; one skipped by a spring gap keeps the offset from before the gap, so it
 * lands just past the gap (02:30 becomes 03:30), like calendar apps and RFC 5545 do.
 */
export function instantFromWall(w: Wall, tz: string): number {
  const asUtc = wallAsUtc(w);
  // Zones change offset at most once in a day: the offsets a day either side cover every case.
  const offsets = new Set([offsetMs(asUtc - DAY, tz), offsetMs(asUtc, tz), offsetMs(asUtc + DAY, tz)]);
  const showing = [...offsets].map((o) => asUtc - o).filter((t) => sameWall(wallClock(t, tz), w));
  if (showing.length > 0) return Math.min(...showing);
  return asUtc - offsetMs(asUtc - DAY, tz);
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
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}
