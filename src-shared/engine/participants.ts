// The human participants of an event: attendees that are not rooms or resources, plus the
// organizer, each resolved to a person (docs/architecture.md §3.2). Rooms listed as a location never appear
// here at all; rooms listed as attendees are dropped by their flag or their calendar address.
import type { CalendarEvent } from './model';
import type { Directory } from './people';

/**
 * Reusable buffers: the engine judges a million events and this runs for each, so it allocates
 * nothing unless an address is unknown. Not re-entrant (the engine is synchronous).
 */
export interface ParticipationScratch {
  ids: string[];
  count: number;
  seen: Set<string>;
  useSet: boolean;
  unknown: string[] | undefined;
  declined: boolean;
}

export function newScratch(): ParticipationScratch {
  return { ids: [], count: 0, seen: new Set(), useSet: false, unknown: undefined, declined: false };
}

const LINEAR_LIMIT = 16;

function add(out: ParticipationScratch, dir: Directory, address: string, isDeclined: boolean): void {
  const info = dir.classify(address);
  if (info.system) return;
  if (isDeclined) out.declined = true;
  const id = info.id;
  if (out.useSet) {
    if (out.seen.has(id)) return;
    out.seen.add(id);
  } else {
    for (let k = 0; k < out.count; k++) if (out.ids[k] === id) return;
  }
  out.ids[out.count++] = id;
  if (!out.useSet && out.count > LINEAR_LIMIT) {
    out.useSet = true;
    out.seen.clear();
    for (let k = 0; k < out.count; k++) out.seen.add(out.ids[k] as string);
  }
  if (!info.known) (out.unknown ??= []).push(info.lower);
}

/** Fills `out` with the event's participants (ids[0..count)). */
export function collectParticipants(ev: CalendarEvent, dir: Directory, out: ParticipationScratch): void {
  out.count = 0;
  out.useSet = false;
  out.unknown = undefined;
  out.declined = false;
  const attendees = ev.attendees;
  for (let k = 0; k < attendees.length; k++) {
    const a = attendees[k]!;
    if (a.resource === true) continue;
    add(out, dir, a.email, a.response === 'declined');
  }
  if (ev.organizer !== undefined) add(out, dir, ev.organizer, false);
}
