// How the engine reads a stored meeting's calendar link (docs/architecture.md §4): the canonical
// form, derived from the document's own fields rather than stored twice. An occurrence of a series
// is (master id, original start), whichever event — the master's rule, or an instance event the
// provider listed on its own — the link addresses; a one-off event is its id.
import type { CalendarLink, CalendarLinkProvider } from '../meeting/model';
import type { CalendarEvent, Meeting } from './model';
import { instantOf } from './time';

export interface LinkKey {
  eventId: string;
  /** Original start (ms) of the occurrence in its series; absent for a one-off event. */
  instanceStart?: number;
}

/** The canonical link of a linked meeting; null when it follows no event (unlinked, disconnected, app-made). */
export function linkOf(m: Pick<Meeting, 'linkState' | 'calendarLink'>): LinkKey | null {
  const l = m.linkState === 'linked' ? m.calendarLink : undefined;
  if (!l) return null;
  return l.recurringEventId !== '' ? { eventId: l.recurringEventId, instanceStart: l.originalStart } : { eventId: l.eventId };
}

/** Where a link's provider and account come from when the event does not say (scan files say neither). */
export interface LinkContext {
  provider?: CalendarLinkProvider;
  accountId?: string;
}

/**
 * The stored link to `ev`: the event itself, or — with `instanceStart` — the recurring master whose
 * rule produces the occurrence at that start. Writes to the calendar address `eventId`.
 */
export function linkTo(ctx: LinkContext, ev: CalendarEvent, instanceStart: number | undefined): CalendarLink {
  const recurring = instanceStart !== undefined ? ev.id : (ev.recurringEventId ?? '');
  const original =
    instanceStart !== undefined ? instanceStart : ev.recurringEventId !== undefined ? instantOf(ev.originalStart ?? ev.start) : 0;
  return {
    // A scan file names no provider; its links only ever show their event id and original start.
    provider: ev.provider ?? ctx.provider ?? 'google',
    accountId: ctx.accountId ?? ev.accountId ?? '',
    calendarId: ev.calendarId,
    eventId: ev.id,
    iCalUID: ev.iCalUID ?? '',
    recurringEventId: recurring,
    originalStart: original,
    instanceStart: instanceStart ?? 0,
    etag: ev.etag ?? '',
    managedByApp: ev.duetMeetingId !== undefined,
  };
}
