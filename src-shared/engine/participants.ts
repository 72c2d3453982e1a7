// The human participants of an event: attendees that are not rooms or resources, plus the
// organizer, each resolved to a person (DESIGN §3.2). Rooms listed as a location never appear
// here at all; rooms listed as attendees are dropped by their flag or their calendar address.
import type { CalendarEvent } from './model';
import type { Directory } from './people';

// Addresses that are calendars, not people: Google rooms/resources, secondary and imported
// calendars (an event created on a team calendar has that calendar as organizer).
const SYSTEM_SUFFIXES = [
  '@resource.calendar.google.com',
  '@group.calendar.google.com',
  '@group.v.calendar.google.com',
  '@import.calendar.google.com',
];

export function isSystemAddress(lower: string): boolean {
  if (!lower.endsWith('.com')) return false;
  for (const s of SYSTEM_SUFFIXES) if (lower.endsWith(s)) return true;
  return false;
}

export interface Participation {
  /** Resolved identities (primary email, or the lower-cased address of a stranger), unique. */
  ids: string[];
  /** Addresses that match no person (never self), in order of first appearance. */
  unknown: string[];
  declined: boolean;
  selfIn: boolean;
}

const LINEAR_LIMIT = 16;

export function participation(ev: CalendarEvent, dir: Directory): Participation {
  const ids: string[] = [];
  const unknown: string[] = [];
  let seen: Set<string> | undefined;
  let declined = false;
  const add = (address: string, isDeclined: boolean) => {
    const lower = address.toLowerCase();
    if (isSystemAddress(lower)) return;
    if (isDeclined) declined = true;
    const known = dir.resolve(lower);
    const id = known ?? lower;
    if (seen ? seen.has(id) : ids.includes(id)) return;
    ids.push(id);
    if (seen) seen.add(id);
    else if (ids.length > LINEAR_LIMIT) seen = new Set(ids);
    if (known === undefined) unknown.push(lower);
  };
  for (const a of ev.attendees) {
    if (a.resource === true) continue;
    add(a.email, a.response === 'declined');
  }
  if (ev.organizer !== undefined) add(ev.organizer, false);
  return { ids, unknown, declined, selfIn: seen ? seen.has(dir.selfId) : ids.includes(dir.selfId) };
}
