// Which series each recurring master of one account's run belongs to, and whether a series is
// still linked to its calendar event (docs/architecture.md §4, "Series links"). Pure; used by
// runDetection (detection.ts).
//
// A series follows one recurring master (its `calendarLink`). Its id is a hash of the master it
// was first made for (seriesIdFor), so the series a master belongs to is:
//   1. a stored series whose link names a master it was not made for (the user's Relink choice)
//      claims that master, so a later pass keeps the choice;
//   2. else the master's own series (seriesIdFor).
// The continuation of a "this and following" split keeps a series of its own (reconcile.ts moves
// the old series' meetings to it): splits are seen only in a listing with masters (Google), not in
// Graph's loose instances, and a series' identity must not depend on the listing.
import type { Analysis } from '../engine/analyze';
import { indexOfEvent } from '../engine/analyze';
import type { SeriesDecision } from '../engine/model';
import type { CalendarLink, SeriesDoc } from './model';

/**
 * The series key a stored link names: the recurring master's id. A link to the master itself names
 * it by `eventId`; a link recorded from one of its instance events (a listing without masters, as
 * Graph's calendar view gives) by `recurringEventId`.
 */
export function linkedSeriesKey(link: CalendarLink): string {
  return link.recurringEventId !== '' ? link.recurringEventId : link.eventId;
}

export interface SeriesOwners {
  /** The series id a master of this account belongs to (rule 1, 2 or 3 above). */
  ownerOf(masterId: string): string;
  /** The series id rule 3 gives: the one the master would have on its own. */
  ownIdOf(masterId: string): string;
}

export function seriesOwners(
  accountId: string,
  stored: readonly SeriesDoc[],
  ownIdOf: (masterId: string) => string,
): SeriesOwners {
  const claims = new Map<string, string>();
  // Smallest id first, so two series claiming one master resolve the same way on every pass.
  for (const s of [...stored].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0))) {
    const link = s.calendarLink;
    if (!link || link.accountId !== accountId) continue;
    const key = linkedSeriesKey(link);
    if (key !== '' && s.id !== ownIdOf(key) && !claims.has(key)) claims.set(key, s.id);
  }
  return { ownerOf: (masterId) => claims.get(masterId) ?? ownIdOf(masterId), ownIdOf };
}

/**
 * The master a series follows among those that belong to it this pass (its own and the one it
 * claims): the one its stored link names (the recorded choice), else the latest to start.
 */
export function leadMaster(a: Analysis, members: readonly SeriesDecision[], storedLink: string | undefined): SeriesDecision {
  const chosen = members.find((m) => m.eventId === storedLink);
  if (chosen) return chosen;
  const startOf = (id: string): number => {
    const i = a.masterIndex.get(id);
    return i === undefined ? -Infinity : (a.starts[i] as number);
  };
  return [...members].sort((x, y) => startOf(y.eventId) - startOf(x.eventId) || (x.eventId < y.eventId ? -1 : 1))[0] as SeriesDecision;
}

/**
 * A recurring event is gone from the calendar (docs/architecture.md §4: cancelled counts wherever;
 * absence only when the cache holds the account's whole window, and then neither the master nor
 * any instance of it is listed).
 */
export function masterGone(a: Analysis, masterId: string): boolean {
  const idx = indexOfEvent(a, masterId);
  if (idx !== undefined) return a.events[idx]?.status === 'cancelled';
  if ((a.input.mode ?? 'full') !== 'full') return false;
  return !(a.instancesOf.get(masterId) ?? []).some((i) => a.events[i]?.status !== 'cancelled');
}
