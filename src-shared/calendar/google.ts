// Google Calendar v3 `Event` (events.list / events.get items) → the engine's event model.
// Only the fields the engine reads are declared: descriptions and bodies are never touched.
import type { Attendee, CalendarEvent, ResponseStatus, Visibility } from '../engine/model';
import { ianaZone, zonedIso } from './zoned-time';

export interface GoogleDateTime {
  date?: string | null;
  dateTime?: string | null;
  timeZone?: string | null;
}

export interface GoogleAttendee {
  email?: string | null;
  displayName?: string | null;
  organizer?: boolean | null;
  self?: boolean | null;
  resource?: boolean | null;
  optional?: boolean | null;
  responseStatus?: string | null;
}

export interface GoogleEvent {
  id?: string | null;
  status?: string | null;
  summary?: string | null;
  start?: GoogleDateTime | null;
  end?: GoogleDateTime | null;
  visibility?: string | null;
  organizer?: { email?: string | null; self?: boolean | null } | null;
  attendees?: GoogleAttendee[] | null;
  recurrence?: string[] | null;
  recurringEventId?: string | null;
  originalStartTime?: GoogleDateTime | null;
  location?: string | null;
}

export interface CalendarRef {
  calendarId: string;
  primary: boolean;
}

const RESPONSES: Record<string, ResponseStatus> = {
  accepted: 'accepted',
  declined: 'declined',
  tentative: 'tentative',
  needsAction: 'needsAction',
};

function when(t: GoogleDateTime | null | undefined): { iso: string; allDay: boolean } | undefined {
  if (!t) return undefined;
  if (t.dateTime) {
    const iso = zonedIso(t.dateTime, t.timeZone);
    return iso ? { iso, allDay: false } : undefined;
  }
  if (t.date && /^\d{4}-\d{2}-\d{2}$/.test(t.date)) return { iso: t.date, allDay: true };
  return undefined;
}

function visibility(v: string | null | undefined): Visibility | undefined {
  if (v === 'private' || v === 'confidential') return 'private';
  if (v === 'public') return 'public';
  return v === 'default' ? 'default' : undefined;
}

/**
 * One Google event. Returns undefined when it has no id or no usable time. A cancelled instance
 * from an incremental sync carries only its originalStartTime: that becomes its start and end,
 * so it still cancels the occurrence it stands for.
 */
export function normalizeGoogleEvent(item: GoogleEvent, cal: CalendarRef): CalendarEvent | undefined {
  if (!item.id) return undefined;
  const start = when(item.start) ?? when(item.originalStartTime);
  if (!start) return undefined;
  const end = when(item.end) ?? start;
  const attendees: Attendee[] = [];
  for (const a of item.attendees ?? []) {
    if (!a.email) continue;
    const out: Attendee = { email: a.email };
    const response = a.responseStatus ? RESPONSES[a.responseStatus] : undefined;
    if (response) out.response = response;
    if (a.resource) out.resource = true;
    if (a.optional) out.optional = true;
    attendees.push(out);
  }
  const ev: CalendarEvent = {
    id: item.id,
    calendarId: cal.calendarId,
    primary: cal.primary,
    title: item.summary ?? '',
    start: start.iso,
    end: end.iso,
    attendees,
  };
  if (start.allDay) ev.allDay = true;
  if (item.status === 'cancelled' || item.status === 'tentative' || item.status === 'confirmed') ev.status = item.status;
  const vis = visibility(item.visibility);
  if (vis) ev.visibility = vis;
  if (item.organizer?.email) ev.organizer = item.organizer.email;
  if (item.recurrence && item.recurrence.length > 0) ev.recurrence = [...item.recurrence];
  if (item.recurringEventId) ev.recurringEventId = item.recurringEventId;
  const original = when(item.originalStartTime);
  if (original) ev.originalStart = original.iso;
  // The master's zone keeps its occurrences at the same wall-clock time across DST.
  const zone = ianaZone(item.start?.timeZone ?? item.originalStartTime?.timeZone);
  if (zone) ev.timeZone = zone;
  return ev;
}

/** An events.list page (or its items) → events, skipping items without id or time. */
export function normalizeGoogleEvents(page: { items?: GoogleEvent[] | null } | GoogleEvent[], cal: CalendarRef): CalendarEvent[] {
  const items = Array.isArray(page) ? page : (page.items ?? []);
  const out: CalendarEvent[] = [];
  for (const item of items) {
    const ev = normalizeGoogleEvent(item, cal);
    if (ev) out.push(ev);
  }
  return out;
}
