// Google Calendar v3 `Event` (events.list / events.get items) → the engine's event model.
// Only the fields Duet reads are declared: descriptions and bodies are never touched (and never
// copied: the output is built field by field).
import type { Attendee, CalendarChange, CalendarEvent, EventTombstone, ResponseStatus, Visibility } from '../engine/model';
import { DUET_MEETING_ID_PROPERTY } from './duet-tag';
import { videoUrl, videoUrlInText, webPageUrl } from './join-url';
import { fitEvent, LIMITS } from './limits';
import { createdIso, ianaZone, zonedIso } from './zoned-time';

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
  iCalUID?: string | null;
  etag?: string | null;
  hangoutLink?: string | null;
  /** The event's page in Google Calendar. */
  htmlLink?: string | null;
  /** Creation time (RFC 3339). */
  created?: string | null;
  conferenceData?: { entryPoints?: { entryPointType?: string | null; uri?: string | null }[] | null } | null;
  extendedProperties?: { private?: Record<string, string> | null; shared?: Record<string, string> | null } | null;
}

/** Where a provider payload was read: the calendar, and the connected account it belongs to. */
export interface CalendarRef {
  calendarId: string;
  primary: boolean;
  /** The Duet account id (docs/architecture.md §6); absent in scan files and tests of the engine alone. */
  accountId?: string;
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
  if (!item.id || item.id.length > LIMITS.id) return undefined;
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
    if (a.displayName) out.name = a.displayName;
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
  ev.provider = 'google';
  if (cal.accountId !== undefined) ev.accountId = cal.accountId;
  if (item.iCalUID) ev.iCalUID = item.iCalUID;
  if (item.etag) ev.etag = item.etag;
  // Only the private property: a shared one can be set by any attendee, so it proves nothing.
  const duetId = item.extendedProperties?.private?.[DUET_MEETING_ID_PROPERTY];
  if (typeof duetId === 'string' && duetId !== '') ev.duetMeetingId = duetId;
  const join = googleJoinUrl(item);
  if (join) ev.joinUrl = join;
  if (item.location) ev.location = item.location;
  const page = webPageUrl(item.htmlLink);
  if (page) ev.webLink = page;
  const created = createdIso(item.created);
  if (created) ev.created = created;
  return fitEvent(ev);
}

/** Meet's hangoutLink, else a video entry point of the conference, else a link in the location. */
function googleJoinUrl(item: GoogleEvent): string | undefined {
  const fromConference = (item.conferenceData?.entryPoints ?? []).find((e) => e.entryPointType === 'video')?.uri;
  return videoUrl(item.hangoutLink) ?? videoUrl(fromConference) ?? videoUrlInText(item.location);
}

/**
 * One item of an events.list page or a sync round: a (possibly cancelled) event, or a tombstone
 * for the `{id, status: 'cancelled'}` stub Google sends for something deleted (no times, so no
 * slot it could cancel: only its id survives). Undefined when the item has no id or no usable time.
 */
export function normalizeGoogleChange(item: GoogleEvent, cal: CalendarRef): CalendarChange | undefined {
  if (!item.id || item.id.length > LIMITS.id) return undefined;
  if (item.status === 'cancelled' && !item.start && !item.originalStartTime) {
    const stone: EventTombstone = { id: item.id, calendarId: cal.calendarId, removed: true, provider: 'google' };
    if (cal.accountId !== undefined) stone.accountId = cal.accountId;
    return stone;
  }
  return normalizeGoogleEvent(item, cal);
}

/** An events.list page (or its items) → changes, tombstones included, skipping unusable items. */
export function normalizeGoogleChanges(page: { items?: GoogleEvent[] | null } | GoogleEvent[], cal: CalendarRef): CalendarChange[] {
  const items = Array.isArray(page) ? page : (page.items ?? []);
  const out: CalendarChange[] = [];
  for (const item of items) {
    const change = normalizeGoogleChange(item, cal);
    if (change) out.push(change);
  }
  return out;
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
