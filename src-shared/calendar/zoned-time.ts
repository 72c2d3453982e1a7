// Providers send wall-clock times with a zone name (Graph always; Google for floating values):
// turn them into the scan format's instants.
import { parseIso, toIso } from '../engine/time';
import { fromLocal, isValidTimeZone, type Zone } from '../engine/timezone';
import { ianaFromWindows } from './windows-zones';

/** The IANA zone for a provider's zone name (IANA itself, or a Windows name), if known. */
export function ianaZone(name: string | undefined | null): string | undefined {
  if (!name) return undefined;
  const fromWindows = ianaFromWindows(name);
  if (fromWindows) return fromWindows;
  return isValidTimeZone(name) ? name : undefined;
}

const LOCAL_RE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?$/;

/**
 * A date-time that may carry its own offset (kept as is) or be floating (read in `timeZone`,
 * UTC when the zone is unknown). Returns an ISO string the engine accepts, or undefined.
 */
export function zonedIso(dateTime: string, timeZone: string | undefined | null): string | undefined {
  if (parseIso(dateTime) !== undefined && dateTime.length > 10) return dateTime;
  const m = LOCAL_RE.exec(dateTime);
  if (!m) return undefined;
  const iana = ianaZone(timeZone);
  const zone: Zone = iana ? { kind: 'iana', name: iana } : { kind: 'fixed', offsetMinutes: 0 };
  const ms = fromLocal(zone, {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[4] ?? 0),
    minute: Number(m[5] ?? 0),
    second: Number(m[6] ?? 0),
    millisecond: m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0,
  });
  return Number.isFinite(ms) ? toIso(ms) : undefined;
}

/**
 * A provider's creation timestamp as UTC ISO: Google's RFC 3339 (`2026-11-02T09:15:00.000Z`),
 * Graph's seven fractional digits, with or without a `Z` (Graph's are UTC). Anything else: none.
 */
export function createdIso(text: string | null | undefined): string | undefined {
  if (!text || text.length > 64) return undefined;
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})?$/.exec(text);
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}.${(m[2] ?? '').padEnd(3, '0').slice(0, 3)}${m[3] ?? 'Z'}`);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}
