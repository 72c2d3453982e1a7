// Wall-clock ↔ instant conversion for recurrence expansion. A series keeps its local time across
// DST changes only when it is expanded in its IANA zone; without one, the master's own UTC offset
// is used as a fixed zone (documented in scan-cli.ts).
import { DAY_MS, MINUTE_MS, utcMs, type LocalDateTime } from './time';

export type Zone = { kind: 'fixed'; offsetMinutes: number } | { kind: 'iana'; name: string };

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(name: string): Intl.DateTimeFormat {
  let f = formatters.get(name);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: name,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(name, f);
  }
  return f;
}

const validity = new Map<string, boolean>();

export function isValidTimeZone(name: string): boolean {
  let ok = validity.get(name);
  if (ok === undefined) {
    try {
      formatterFor(name);
      ok = true;
    } catch {
      ok = false;
    }
    validity.set(name, ok);
  }
  return ok;
}

// Offsets change on quarter-hour boundaries in every modern zone, so one Intl call per zone and
// quarter hour is enough; the cache is bounded because a scan only touches its window.
const BUCKET_MS = 15 * MINUTE_MS;
const offsetCache = new Map<string, Map<number, number>>();
const MAX_CACHED = 200_000;
let cachedCount = 0;

function ianaOffset(name: string, ms: number): number {
  const bucket = Math.floor(ms / BUCKET_MS);
  let perZone = offsetCache.get(name);
  if (!perZone) {
    perZone = new Map();
    offsetCache.set(name, perZone);
  }
  const hit = perZone.get(bucket);
  if (hit !== undefined) return hit;
  const at = bucket * BUCKET_MS;
  let y = 0;
  let mo = 0;
  let d = 0;
  let h = 0;
  let mi = 0;
  let s = 0;
  for (const p of formatterFor(name).formatToParts(at)) {
    switch (p.type) {
      case 'year':
        y = Number(p.value);
        break;
      case 'month':
        mo = Number(p.value);
        break;
      case 'day':
        d = Number(p.value);
        break;
      case 'hour':
        h = Number(p.value);
        break;
      case 'minute':
        mi = Number(p.value);
        break;
      case 'second':
        s = Number(p.value);
        break;
    }
  }
  const offset = Math.round((utcMs(y, mo, d, h, mi, s) - at) / MINUTE_MS);
  if (cachedCount >= MAX_CACHED) {
    offsetCache.clear();
    cachedCount = 0;
    perZone = new Map();
    offsetCache.set(name, perZone);
  }
  perZone.set(bucket, offset);
  cachedCount++;
  return offset;
}

/** The zone's UTC offset at an instant, in minutes east of UTC. */
export function offsetAt(zone: Zone, ms: number): number {
  return zone.kind === 'fixed' ? zone.offsetMinutes : ianaOffset(zone.name, ms);
}

export function toLocal(zone: Zone, ms: number): LocalDateTime {
  const d = new Date(ms + offsetAt(zone, ms) * MINUTE_MS);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    millisecond: d.getUTCMilliseconds(),
  };
}

/**
 * The instant of a wall-clock time, following RFC 5545: a time that occurs twice (autumn)
 * takes its first occurrence; a time skipped by a spring gap takes the offset from before the gap
 * (02:30 becomes 03:30 daylight time).
 */
export function fromLocalMs(zone: Zone, asUtc: number): number {
  if (zone.kind === 'fixed') return asUtc - zone.offsetMinutes * MINUTE_MS;
  const before = offsetAt(zone, asUtc - DAY_MS);
  const after = offsetAt(zone, asUtc + DAY_MS);
  const tBefore = asUtc - before * MINUTE_MS;
  if (before === after) return tBefore;
  const tAfter = asUtc - after * MINUTE_MS;
  const beforeValid = offsetAt(zone, tBefore) === before;
  const afterValid = offsetAt(zone, tAfter) === after;
  if (beforeValid && afterValid) return Math.min(tBefore, tAfter);
  if (afterValid) return tAfter;
  return tBefore;
}

export function fromLocal(zone: Zone, l: LocalDateTime): number {
  return fromLocalMs(zone, utcMs(l.year, l.month, l.day, l.hour, l.minute, l.second, l.millisecond));
}
