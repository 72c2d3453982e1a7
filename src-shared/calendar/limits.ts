// Size limits of a normalized event as it crosses the bridge (change-schema.ts checks them there).
// The normalizers fit every event to them, so one hostile or odd event (a 10 000-character title,
// an invitation with 5 000 guests) never makes a whole batch fail validation.
import type { Attendee, CalendarEvent } from '../engine/model';

export const LIMITS = {
  id: 1024,
  iso: 64,
  email: 320,
  name: 200,
  title: 2000,
  attendees: 1000,
  recurrenceLines: 100,
  recurrenceLine: 2000,
  timeZone: 100,
  accountId: 200,
  iCalUID: 1024,
  etag: 200,
  duetMeetingId: 200,
  joinUrl: 2000,
  location: 2000,
  webLink: 2000,
} as const;

/**
 * The event within LIMITS: long text is cut, oversized optional values are dropped, attendees
 * with impossible addresses are skipped. Undefined when what cannot be cut is too big (ids,
 * times, recurrence rules): such an event is skipped rather than misread.
 */
export function fitEvent(ev: CalendarEvent): CalendarEvent | undefined {
  if (ev.id.length > LIMITS.id || ev.calendarId.length > LIMITS.id) return undefined;
  if (ev.start.length > LIMITS.iso || ev.end.length > LIMITS.iso) return undefined;
  if (ev.recurringEventId !== undefined && ev.recurringEventId.length > LIMITS.id) return undefined;
  if (ev.originalStart !== undefined && ev.originalStart.length > LIMITS.iso) return undefined;
  if (ev.recurrence && (ev.recurrence.length > LIMITS.recurrenceLines || ev.recurrence.some((l) => l.length > LIMITS.recurrenceLine))) {
    return undefined;
  }
  if (ev.accountId !== undefined && ev.accountId.length > LIMITS.accountId) return undefined;
  const out: CalendarEvent = { ...ev };
  if (out.title.length > LIMITS.title) out.title = out.title.slice(0, LIMITS.title);
  const attendees: Attendee[] = ev.attendees
    .filter((a) => a.email.length <= LIMITS.email)
    .map((a) => (a.name !== undefined && a.name.length > LIMITS.name ? { ...a, name: a.name.slice(0, LIMITS.name) } : a));
  out.attendees = attendees.length > LIMITS.attendees ? attendees.slice(0, LIMITS.attendees) : attendees;
  if (out.organizer !== undefined && out.organizer.length > LIMITS.email) delete out.organizer;
  if (out.timeZone !== undefined && out.timeZone.length > LIMITS.timeZone) delete out.timeZone;
  if (out.iCalUID !== undefined && out.iCalUID.length > LIMITS.iCalUID) delete out.iCalUID;
  if (out.etag !== undefined && out.etag.length > LIMITS.etag) delete out.etag;
  if (out.duetMeetingId !== undefined && out.duetMeetingId.length > LIMITS.duetMeetingId) delete out.duetMeetingId;
  if (out.joinUrl !== undefined && out.joinUrl.length > LIMITS.joinUrl) delete out.joinUrl;
  if (out.webLink !== undefined && out.webLink.length > LIMITS.webLink) delete out.webLink;
  if (out.created !== undefined && out.created.length > LIMITS.iso) delete out.created;
  if (out.location !== undefined && out.location.length > LIMITS.location) out.location = out.location.slice(0, LIMITS.location);
  return out;
}
