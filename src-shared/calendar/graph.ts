// Microsoft Graph `event` (v1.0: /me/events, /me/calendarView, delta) → the engine's event model.
// Graph sends wall-clock times plus a zone name (Windows or IANA), rooms as `resource` attendees,
// and recurrence as a structured pattern, which becomes an RRULE here.
// Descriptions and bodies (`body`, `bodyPreview`) are never read: the output is built field by field.
import type { Attendee, CalendarChange, CalendarEvent, EventTombstone, ResponseStatus } from '../engine/model';
import { isDuetMeetingIdProperty } from './duet-tag';
import type { CalendarRef } from './google';
import { videoUrl, videoUrlInText, webPageUrl } from './join-url';
import { fitEvent, LIMITS } from './limits';
import { createdIso, ianaZone, zonedIso } from './zoned-time';

export interface GraphDateTimeTimeZone {
  dateTime?: string | null;
  timeZone?: string | null;
}

export interface GraphEmailAddress {
  name?: string | null;
  address?: string | null;
}

export interface GraphAttendee {
  type?: 'required' | 'optional' | 'resource' | string | null;
  status?: { response?: string | null; time?: string | null } | null;
  emailAddress?: GraphEmailAddress | null;
}

export interface GraphRecurrence {
  pattern?: {
    type?: string | null;
    interval?: number | null;
    month?: number | null;
    dayOfMonth?: number | null;
    daysOfWeek?: string[] | null;
    firstDayOfWeek?: string | null;
    index?: string | null;
  } | null;
  range?: {
    type?: string | null;
    startDate?: string | null;
    endDate?: string | null;
    recurrenceTimeZone?: string | null;
    numberOfOccurrences?: number | null;
  } | null;
}

export interface GraphEvent {
  id?: string | null;
  subject?: string | null;
  start?: GraphDateTimeTimeZone | null;
  end?: GraphDateTimeTimeZone | null;
  isAllDay?: boolean | null;
  isCancelled?: boolean | null;
  sensitivity?: string | null;
  type?: 'singleInstance' | 'occurrence' | 'exception' | 'seriesMaster' | string | null;
  seriesMasterId?: string | null;
  /** DateTimeOffset of an occurrence's slot in its series. */
  originalStart?: string | null;
  originalStartTimeZone?: string | null;
  organizer?: { emailAddress?: GraphEmailAddress | null } | null;
  attendees?: GraphAttendee[] | null;
  recurrence?: GraphRecurrence | null;
  /** The calendar owner's own response. */
  responseStatus?: { response?: string | null } | null;
  '@removed'?: { reason?: string } | null;
  /** Per occurrence in Outlook (each occurrence has its own). */
  iCalUId?: string | null;
  /** The iCalendar UID shared by a series and its occurrences, where Graph gives it. */
  uid?: string | null;
  changeKey?: string | null;
  '@odata.etag'?: string | null;
  location?: { displayName?: string | null } | null;
  onlineMeeting?: { joinUrl?: string | null } | null;
  onlineMeetingUrl?: string | null;
  /** The event's page in Outlook on the web. */
  webLink?: string | null;
  /** Creation time (ISO 8601, UTC). */
  createdDateTime?: string | null;
  singleValueExtendedProperties?: { id?: string | null; value?: string | null }[] | null;
}

export interface GraphCalendarRef extends CalendarRef {
  /** The mailbox owner: lets the owner's own `responseStatus` mark them as declined. */
  ownerEmail?: string;
}

const RESPONSES: Record<string, ResponseStatus> = {
  accepted: 'accepted',
  organizer: 'accepted',
  declined: 'declined',
  tentativelyAccepted: 'tentative',
  none: 'needsAction',
  notResponded: 'needsAction',
};

const DAYS: Record<string, string> = {
  sunday: 'SU',
  monday: 'MO',
  tuesday: 'TU',
  wednesday: 'WE',
  thursday: 'TH',
  friday: 'FR',
  saturday: 'SA',
};

const INDEX: Record<string, number> = { first: 1, second: 2, third: 3, fourth: 4, last: -1 };

/** A Graph patternedRecurrence as RFC 5545 lines, or undefined when the pattern is unusable. */
export function graphRecurrenceToRRule(r: GraphRecurrence): string[] | undefined {
  const p = r.pattern;
  if (!p?.type) return undefined;
  const parts: string[] = [];
  const interval = Math.max(1, p.interval ?? 1);
  const days = (p.daysOfWeek ?? []).map((d) => DAYS[d.toLowerCase()]).filter((d): d is string => d !== undefined);
  const setPos = INDEX[p.index ?? 'first'] ?? 1;
  switch (p.type) {
    case 'daily':
      parts.push('FREQ=DAILY');
      break;
    case 'weekly':
      parts.push('FREQ=WEEKLY');
      if (days.length > 0) parts.push(`BYDAY=${days.join(',')}`);
      if (p.firstDayOfWeek && DAYS[p.firstDayOfWeek.toLowerCase()]) parts.push(`WKST=${DAYS[p.firstDayOfWeek.toLowerCase()]}`);
      break;
    case 'absoluteMonthly':
      parts.push('FREQ=MONTHLY', `BYMONTHDAY=${p.dayOfMonth ?? 1}`);
      break;
    case 'relativeMonthly':
      // "The last weekday of the month": one of the listed days, picked by position.
      if (days.length === 0) return undefined;
      parts.push('FREQ=MONTHLY', `BYDAY=${days.join(',')}`, `BYSETPOS=${setPos}`);
      break;
    case 'absoluteYearly':
      parts.push('FREQ=YEARLY', `BYMONTH=${p.month ?? 1}`, `BYMONTHDAY=${p.dayOfMonth ?? 1}`);
      break;
    case 'relativeYearly':
      if (days.length === 0) return undefined;
      parts.push('FREQ=YEARLY', `BYMONTH=${p.month ?? 1}`, `BYDAY=${days.join(',')}`, `BYSETPOS=${setPos}`);
      break;
    default:
      return undefined;
  }
  if (interval !== 1) parts.splice(1, 0, `INTERVAL=${interval}`);
  const range = r.range;
  if (range?.type === 'endDate' && range.endDate && /^\d{4}-\d{2}-\d{2}$/.test(range.endDate)) {
    // A date UNTIL includes that whole local day, as Graph's endDate does.
    parts.push(`UNTIL=${range.endDate.replace(/-/g, '')}`);
  } else if (range?.type === 'numbered' && (range.numberOfOccurrences ?? 0) > 0) {
    parts.push(`COUNT=${range.numberOfOccurrences}`);
  }
  return [`RRULE:${parts.join(';')}`];
}

/** One Graph event, or undefined when it has no id or no usable time (e.g. a delta `@removed`). */
export function normalizeGraphEvent(item: GraphEvent, cal: GraphCalendarRef): CalendarEvent | undefined {
  if (!item.id || item.id.length > LIMITS.id || item['@removed']) return undefined;
  const allDay = item.isAllDay === true;
  const startIso = item.start?.dateTime ? zonedIso(item.start.dateTime, item.start.timeZone) : undefined;
  if (!startIso) return undefined;
  const endIso = (item.end?.dateTime ? zonedIso(item.end.dateTime, item.end.timeZone) : undefined) ?? startIso;
  const attendees: Attendee[] = [];
  const owner = cal.ownerEmail?.toLowerCase();
  const ownResponse = item.responseStatus?.response ? RESPONSES[item.responseStatus.response] : undefined;
  for (const a of item.attendees ?? []) {
    const address = a.emailAddress?.address;
    if (!address) continue;
    const out: Attendee = { email: address };
    let response = a.status?.response ? RESPONSES[a.status.response] : undefined;
    // Graph keeps the owner's answer on the event, not always on their attendee entry.
    if (owner !== undefined && address.toLowerCase() === owner && ownResponse === 'declined') response = 'declined';
    if (response) out.response = response;
    if (a.type === 'resource') out.resource = true;
    if (a.type === 'optional') out.optional = true;
    if (a.emailAddress?.name && a.emailAddress.name !== address) out.name = a.emailAddress.name;
    attendees.push(out);
  }
  const ev: CalendarEvent = {
    id: item.id,
    calendarId: cal.calendarId,
    primary: cal.primary,
    title: item.subject ?? '',
    // All-day events are midnight to midnight in the event's zone: keep the calendar dates.
    start: allDay ? item.start!.dateTime!.slice(0, 10) : startIso,
    end: allDay && item.end?.dateTime ? item.end.dateTime.slice(0, 10) : endIso,
    attendees,
  };
  if (allDay) ev.allDay = true;
  if (item.isCancelled) ev.status = 'cancelled';
  if (item.sensitivity) ev.visibility = item.sensitivity === 'normal' ? 'default' : 'private';
  const organizer = item.organizer?.emailAddress?.address;
  if (organizer) ev.organizer = organizer;
  if (item.type === 'seriesMaster' && item.recurrence) {
    const lines = graphRecurrenceToRRule(item.recurrence);
    if (lines) ev.recurrence = lines;
    const zone = ianaZone(item.recurrence.range?.recurrenceTimeZone) ?? ianaZone(item.originalStartTimeZone) ?? ianaZone(item.start?.timeZone);
    if (zone) ev.timeZone = zone;
  }
  if ((item.type === 'occurrence' || item.type === 'exception') && item.seriesMasterId) {
    ev.recurringEventId = item.seriesMasterId;
    const original = item.originalStart ? zonedIso(item.originalStart, 'UTC') : undefined;
    if (original) ev.originalStart = original;
  }
  ev.provider = 'microsoft';
  if (cal.accountId !== undefined) ev.accountId = cal.accountId;
  const uid = item.uid ?? item.iCalUId;
  if (uid) ev.iCalUID = uid;
  const etag = item.changeKey ?? item['@odata.etag'];
  if (etag) ev.etag = etag;
  const duetId = (item.singleValueExtendedProperties ?? []).find((p) => p.id && isDuetMeetingIdProperty(p.id))?.value;
  if (typeof duetId === 'string' && duetId !== '') ev.duetMeetingId = duetId;
  const location = item.location?.displayName;
  const join = videoUrl(item.onlineMeeting?.joinUrl) ?? videoUrl(item.onlineMeetingUrl) ?? videoUrlInText(location);
  if (join) ev.joinUrl = join;
  if (location) ev.location = location;
  const page = webPageUrl(item.webLink);
  if (page) ev.webLink = page;
  const created = createdIso(item.createdDateTime);
  if (created) ev.created = created;
  return fitEvent(ev);
}

/**
 * One item of a Graph page or delta round: an event, or a tombstone for an `@removed` entry
 * (which may name an event outside the window, and carries nothing but its id).
 */
export function normalizeGraphChange(item: GraphEvent, cal: GraphCalendarRef): CalendarChange | undefined {
  if (!item.id || item.id.length > LIMITS.id) return undefined;
  if (item['@removed']) {
    const stone: EventTombstone = { id: item.id, calendarId: cal.calendarId, removed: true, provider: 'microsoft' };
    if (cal.accountId !== undefined) stone.accountId = cal.accountId;
    return stone;
  }
  return normalizeGraphEvent(item, cal);
}

/** A Graph page or delta round → changes, tombstones included, skipping unusable items. */
export function normalizeGraphChanges(page: { value?: GraphEvent[] | null } | GraphEvent[], cal: GraphCalendarRef): CalendarChange[] {
  const items = Array.isArray(page) ? page : (page.value ?? []);
  const out: CalendarChange[] = [];
  for (const item of items) {
    const change = normalizeGraphChange(item, cal);
    if (change) out.push(change);
  }
  return out;
}

/** A Graph collection page (`{ value: [...] }`) or array → events. */
export function normalizeGraphEvents(page: { value?: GraphEvent[] | null } | GraphEvent[], cal: GraphCalendarRef): CalendarEvent[] {
  const items = Array.isArray(page) ? page : (page.value ?? []);
  const out: CalendarEvent[] = [];
  for (const item of items) {
    const ev = normalizeGraphEvent(item, cal);
    if (ev) out.push(ev);
  }
  return out;
}
