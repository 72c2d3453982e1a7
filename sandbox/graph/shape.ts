// Microsoft Graph v1.0 shapes: events rendered from the store's Google-shaped data for one
// mailbox, Graph input translated to Google's shape, and Graph's error body.
import { randomUUID } from 'node:crypto';
import { ianaFromWindows } from '../../src-shared/calendar/windows-zones';
import { CalendarOps } from '../calendar/ops';
import type { EventView } from '../calendar/views';
import { ConflictError, ForbiddenError, GoneError, NotFoundError, ValidationError } from '../errors';
import { HttpError } from '../http';
import type { Calendar, GAttendee, GEvent, Person } from '../model';
import { instanceSuffix, startMs, type EventTime } from '../recurrence';
import { changeKey } from '../push';
import type { Store } from '../store';
import { instantFromWall, isValidTimeZone, parseLocalDateTime, parseRfc3339, wallClock } from '../tz';
import { toGraphRecurrence, fromGraphRecurrence } from './recurrence';

/** Graph's words when an `If-Match` change key is no longer the item's (412). */
export const CHANGE_KEY_CONFLICT =
  'The send or update operation could not be performed because the change key passed in the request does not match the current change key for the item.';

export function graphError(status: number, code: string, message: string): HttpError {
  return new HttpError(status, {
    error: {
      code,
      message,
      innerError: { date: new Date().toISOString().slice(0, 19), 'request-id': randomUUID(), 'client-request-id': randomUUID() },
    },
  });
}

export function toGraphError(error: unknown): unknown {
  if (error instanceof ValidationError) return graphError(400, 'ErrorInvalidRequest', error.message);
  if (error instanceof NotFoundError) return graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
  if (error instanceof GoneError) return graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
  if (error instanceof ForbiddenError) return graphError(403, 'ErrorAccessDenied', error.message);
  if (error instanceof ConflictError) return graphError(409, 'ErrorIrresolvableConflict', error.message);
  return error;
}

/** Graph calendar ids are opaque; these wrap the store's calendar id. */
export const graphCalendarId = (calendarId: string): string => `AAMkAGsandbox${Buffer.from(calendarId).toString('base64url')}`;
export function storeCalendarId(graphId: string): string | undefined {
  if (!graphId.startsWith('AAMkAGsandbox')) return undefined;
  return Buffer.from(graphId.slice('AAMkAGsandbox'.length), 'base64url').toString('utf8');
}

export function ianaZone(name: string | undefined, field: string): string {
  if (name === undefined || name === '') return 'UTC';
  // Outlook clients send Windows zone names; the mapping is the one the engine reads Graph with.
  // Sharing it is sharing a data table, not maths: the zone arithmetic stays the sandbox's (tz.ts).
  const mapped = ianaFromWindows(name) ?? name;
  if (!isValidTimeZone(mapped)) throw new ValidationError(field, `${field}: time zone '${name}' is not supported`);
  return mapped;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** Graph's dateTimeTimeZone: local wall time with seven fractional digits, plus the zone. */
export function graphDateTime(ms: number, tz: string, label = tz): { dateTime: string; timeZone: string } {
  const w = wallClock(ms, tz);
  return { dateTime: `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}.0000000`, timeZone: label };
}

const RESPONSE: Record<string, string> = {
  needsAction: 'notResponded',
  accepted: 'accepted',
  declined: 'declined',
  tentative: 'tentativelyAccepted',
};

const PUBLIC_STRINGS = '{00020329-0000-0000-C000-000000000046}';

/** Graph ids of the event's single-value extended properties (named string properties). */
export function extendedPropertiesOf(view: EventView): Array<{ id: string; value: string }> {
  const props = view.data.extendedProperties?.private ?? {};
  return Object.entries(props).map(([name, value]) => ({
    id: view.stored.graphPropertyIds[name] ?? `String ${PUBLIC_STRINGS} Name ${name}`,
    value,
  }));
}

export interface RenderOptions {
  store: Store;
  calendar: Calendar;
  viewer: Person;
  origin: string;
  outputTz: string;
  /** How start/end name `outputTz`: Graph echoes the Prefer zone as asked (e.g. a Windows name). */
  outputTzName?: string;
  zone: string;
}

/** An event as the viewer's Outlook mailbox shows it (Graph v1.0 event resource). */
export function renderGraphEvent(view: EventView, o: RenderOptions): Record<string, unknown> {
  const d = view.data;
  const same = (email: string | undefined): boolean => !!email && o.store.person(email)?.email === o.viewer.email;
  const isOrganizer = same(d.organizer?.email);
  const self = (d.attendees ?? []).find((a) => same(a.email));
  const conference = d.conferenceData;
  const teams = conference?.conferenceSolution?.key.type === 'addOn' && /teams/i.test(conference.conferenceSolution.name);
  const joinUrl = conference?.entryPoints?.find((e) => e.entryPointType === 'video')?.uri;
  const start = view.start;
  const end = view.end;
  const startAt = startMs(start, o.zone);
  const endAt = startMs(end, o.zone);
  const tzName = o.outputTzName ?? o.outputTz;
  const eventTz = start.allDay ? o.zone : start.tz;
  const masterStart = view.kind === 'master' ? start : undefined;
  const rooms = (d.attendees ?? []).filter((a) => a.resource);
  const locations = [
    ...(d.location ? [{ displayName: d.location, locationType: 'default', uniqueId: d.location, uniqueIdType: 'private' }] : []),
    ...rooms.map((r) => ({
      displayName: r.displayName ?? r.email,
      locationType: 'conferenceRoom',
      locationEmailAddress: r.email,
      uniqueId: r.email,
      uniqueIdType: 'directory',
    })),
  ];
  const type = view.kind === 'single' ? 'singleInstance' : view.kind === 'master' ? 'seriesMaster' : view.kind;
  const description = d.description ?? '';
  const showAs =
    d.eventType === 'outOfOffice' ? 'oof' : d.transparency === 'transparent' ? 'free' : self?.responseStatus === 'tentative' ? 'tentative' : 'busy';
  const iCalUId = view.kind === 'occurrence' || view.kind === 'exception' ? occurrenceICalUid(d.iCalUID ?? view.id, view.originalStart) : (d.iCalUID ?? view.id);
  return {
    '@odata.etag': `W/"${changeKey(view.seq)}"`,
    id: view.id,
    createdDateTime: d.created ?? new Date(0).toISOString(),
    lastModifiedDateTime: d.updated ?? new Date(0).toISOString(),
    changeKey: changeKey(view.seq),
    categories: [],
    transactionId: null,
    originalStartTimeZone: eventTz,
    originalEndTimeZone: end.allDay ? o.zone : end.tz,
    iCalUId,
    reminderMinutesBeforeStart: 15,
    isReminderOn: !start.allDay,
    hasAttachments: false,
    subject: d.summary ?? '',
    bodyPreview: description.replace(/<[^>]+>/g, '').slice(0, 255),
    importance: 'normal',
    sensitivity: d.visibility === 'private' ? 'private' : d.visibility === 'confidential' ? 'confidential' : 'normal',
    isAllDay: start.allDay,
    isCancelled: d.status === 'cancelled',
    isOrganizer,
    responseRequested: true,
    seriesMasterId: view.masterId ?? null,
    showAs,
    type,
    webLink: `${o.origin}/owa/?itemid=${encodeURIComponent(view.id)}&exvsurl=1&path=/calendar/item`,
    onlineMeetingUrl: null,
    isOnlineMeeting: !!teams,
    onlineMeetingProvider: teams ? 'teamsForBusiness' : 'unknown',
    allowNewTimeProposals: true,
    isDraft: false,
    hideAttendees: false,
    responseStatus: {
      response: isOrganizer ? 'organizer' : self ? (RESPONSE[self.responseStatus ?? 'needsAction'] ?? 'none') : 'none',
      time: '0001-01-01T00:00:00Z',
    },
    body: { contentType: 'html', content: description },
    start: start.allDay ? { dateTime: `${start.date}T00:00:00.0000000`, timeZone: tzName } : graphDateTime(startAt, o.outputTz, tzName),
    end: end.allDay ? { dateTime: `${end.date}T00:00:00.0000000`, timeZone: tzName } : graphDateTime(endAt, o.outputTz, tzName),
    ...(view.originalStart ? { originalStart: new Date(startMs(view.originalStart, o.zone)).toISOString().replace('.000Z', 'Z') } : {}),
    location: locations[0] ?? { displayName: '', locationType: 'default', uniqueIdType: 'unknown', address: {}, coordinates: {} },
    locations,
    recurrence: masterStart ? toGraphRecurrence(d.recurrence, masterStart, o.zone) : null,
    attendees: (d.attendees ?? [])
      .filter((a) => !a.organizer)
      .map((a) => ({
        type: a.resource ? 'resource' : a.optional ? 'optional' : 'required',
        status: { response: RESPONSE[a.responseStatus ?? 'needsAction'] ?? 'none', time: '0001-01-01T00:00:00Z' },
        emailAddress: { name: a.displayName ?? a.email, address: a.email },
      })),
    organizer: { emailAddress: { name: d.organizer?.displayName ?? d.organizer?.email ?? '', address: d.organizer?.email ?? '' } },
    onlineMeeting: teams && joinUrl ? { joinUrl } : null,
  };
}

/** Outlook gives every occurrence its own iCalUId; derive one per original start. */
function occurrenceICalUid(iCalUID: string, original: EventTime | undefined): string {
  return original ? `${iCalUID}/${instanceSuffix(original)}` : iCalUID;
}

/** Graph event properties (v1.0); anything else in a request body is refused like Graph does. */
const GRAPH_EVENT_PROPERTIES = new Set([
  '@odata.type', '@odata.etag', 'id', 'categories', 'changeKey', 'createdDateTime', 'lastModifiedDateTime', 'allowNewTimeProposals',
  'attendees', 'body', 'bodyPreview', 'end', 'hasAttachments', 'hideAttendees', 'iCalUId', 'importance', 'isAllDay', 'isCancelled',
  'isDraft', 'isOnlineMeeting', 'isOrganizer', 'isReminderOn', 'location', 'locations', 'onlineMeeting', 'onlineMeetingProvider',
  'onlineMeetingUrl', 'organizer', 'originalEndTimeZone', 'originalStart', 'originalStartTimeZone', 'recurrence',
  'reminderMinutesBeforeStart', 'responseRequested', 'responseStatus', 'sensitivity', 'seriesMasterId', 'showAs', 'start', 'subject',
  'transactionId', 'type', 'webLink', 'attachments', 'calendar', 'extensions', 'instances', 'multiValueExtendedProperties',
  'singleValueExtendedProperties',
]);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function graphTime(value: unknown, field: string, allDay: boolean): { google: GEvent['start']; time: EventTime } {
  if (!isObject(value) || typeof value.dateTime !== 'string') throw new ValidationError(field, `${field}.dateTime is required`);
  const tz = ianaZone(value.timeZone as string | undefined, `${field}.timeZone`);
  const withOffset = parseRfc3339(value.dateTime);
  const wall = parseLocalDateTime(value.dateTime);
  if (Number.isNaN(withOffset) && !wall) throw new ValidationError(field, `${field}.dateTime must be an ISO 8601 date-time`);
  if (allDay) {
    const w = wall ?? wallClock(withOffset, tz);
    if (w.hour !== 0 || w.minute !== 0 || w.second !== 0) {
      throw new ValidationError(field, `${field}: an all-day event must start and end at midnight`);
    }
    const date = `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;
    return { google: { date }, time: { allDay: true, date } };
  }
  const ms = Number.isNaN(withOffset) ? instantFromWall(wall as NonNullable<typeof wall>, tz) : withOffset;
  return { google: { dateTime: new Date(ms).toISOString(), timeZone: tz }, time: { allDay: false, ms, tz } };
}

export interface GraphInput {
  google: Record<string, unknown>;
  /** true: add a Teams meeting; false: remove the online meeting; undefined: unchanged. */
  teams?: boolean;
  extendedProperties?: Array<{ id: string; value: string }>;
  transactionId?: string;
}

/** Translates a Graph event body (create or PATCH) to Google's shape. */
export function graphToGoogle(body: unknown, current: { allDay: boolean; start?: EventTime } | undefined): GraphInput {
  if (!isObject(body)) throw new ValidationError('body', 'the event must be a JSON object');
  for (const key of Object.keys(body)) {
    if (key.startsWith('@odata.')) continue;
    if (!GRAPH_EVENT_PROPERTIES.has(key)) {
      throw new ValidationError(key, `The property '${key}' does not exist on type 'microsoft.graph.event'. Make sure to only use property names that are defined by the type.`);
    }
  }
  const g: Record<string, unknown> = {};
  const out: GraphInput = { google: g };
  if (body.subject !== undefined) g.summary = body.subject === null ? null : String(body.subject);
  if (body.body !== undefined) g.description = isObject(body.body) && typeof body.body.content === 'string' ? body.body.content : null;
  if (body.location !== undefined) {
    const name = isObject(body.location) ? body.location.displayName : undefined;
    g.location = typeof name === 'string' && name !== '' ? name : null;
  }
  const allDay = typeof body.isAllDay === 'boolean' ? body.isAllDay : (current?.allDay ?? false);
  let start: EventTime | undefined = current?.start;
  if (body.start !== undefined) {
    const t = graphTime(body.start, 'start', allDay);
    g.start = t.google;
    start = t.time;
  }
  if (body.end !== undefined) g.end = graphTime(body.end, 'end', allDay).google;
  if (body.sensitivity !== undefined) {
    const map: Record<string, string> = { normal: 'default', personal: 'private', private: 'private', confidential: 'confidential' };
    const v = map[String(body.sensitivity)];
    if (!v) throw new ValidationError('sensitivity', 'sensitivity must be normal, personal, private or confidential');
    g.visibility = v;
  }
  if (body.showAs !== undefined) g.transparency = body.showAs === 'free' ? 'transparent' : 'opaque';
  if (body.attendees !== undefined) {
    if (!Array.isArray(body.attendees)) throw new ValidationError('attendees', 'attendees must be an array');
    g.attendees = body.attendees.map((a: unknown, i: number): GAttendee => {
      const field = `attendees[${i}]`;
      if (!isObject(a) || !isObject(a.emailAddress) || typeof a.emailAddress.address !== 'string') {
        throw new ValidationError(`${field}.emailAddress.address`, `${field}.emailAddress.address is required`);
      }
      const type = a.type ?? 'required';
      if (!['required', 'optional', 'resource'].includes(String(type))) throw new ValidationError(`${field}.type`, `${field}.type must be required, optional or resource`);
      return {
        email: a.emailAddress.address,
        ...(typeof a.emailAddress.name === 'string' ? { displayName: a.emailAddress.name } : {}),
        ...(type === 'optional' ? { optional: true } : {}),
        ...(type === 'resource' ? { resource: true } : {}),
      };
    });
  }
  if (body.recurrence !== undefined) {
    if (body.recurrence === null) g.recurrence = null;
    else {
      if (!start) throw new ValidationError('start', 'a recurring event needs start');
      g.recurrence = fromGraphRecurrence(body.recurrence, start);
    }
  }
  if (body.isOnlineMeeting !== undefined) {
    if (typeof body.isOnlineMeeting !== 'boolean') throw new ValidationError('isOnlineMeeting', 'isOnlineMeeting must be a boolean');
    const provider = body.onlineMeetingProvider ?? 'teamsForBusiness';
    if (body.isOnlineMeeting && provider !== 'teamsForBusiness') {
      throw new ValidationError('onlineMeetingProvider', 'only teamsForBusiness online meetings can be created in this tenant');
    }
    out.teams = body.isOnlineMeeting;
  }
  if (body.singleValueExtendedProperties !== undefined) {
    if (!Array.isArray(body.singleValueExtendedProperties)) throw new ValidationError('singleValueExtendedProperties', 'singleValueExtendedProperties must be an array');
    out.extendedProperties = body.singleValueExtendedProperties.map((p: unknown, i: number) => {
      const field = `singleValueExtendedProperties[${i}]`;
      if (!isObject(p) || typeof p.id !== 'string' || typeof p.value !== 'string') {
        throw new ValidationError(field, `${field} needs string id and value`);
      }
      if (!/^String \{[0-9a-fA-F-]{36}\} Name \S.*$/.test(p.id)) {
        throw new ValidationError(`${field}.id`, `${field}.id must look like "String {GUID} Name propertyName"`);
      }
      return { id: p.id, value: p.value };
    });
  }
  if (typeof body.transactionId === 'string') out.transactionId = body.transactionId;
  return out;
}

/** Applies the Graph-only parts of an input to stored data (extended properties, Teams). */
export function applyGraphExtras(data: GEvent, propertyIds: Record<string, string>, input: GraphInput): void {
  if (input.extendedProperties?.length) {
    const priv = { ...(data.extendedProperties?.private ?? {}) };
    for (const p of input.extendedProperties) {
      const name = p.id.replace(/^String \{[^}]+\} Name /, '');
      priv[name] = p.value;
      propertyIds[name] = p.id;
    }
    data.extendedProperties = { ...(data.extendedProperties ?? {}), private: priv };
  }
  if (input.teams === true && !(data.conferenceData?.conferenceSolution?.key.type === 'addOn')) {
    data.conferenceData = CalendarOps.teamsConference();
  }
  if (input.teams === false) {
    delete data.conferenceData;
    delete data.hangoutLink;
  }
}

export function userResource(person: Person, graphBaseUrl: string): Record<string, unknown> {
  const [given = person.name, ...rest] = person.name.split(' ');
  return {
    '@odata.context': `${graphBaseUrl}/$metadata#users/$entity`,
    businessPhones: [],
    displayName: person.name,
    givenName: given,
    jobTitle: null,
    mail: person.email,
    mobilePhone: null,
    officeLocation: null,
    preferredLanguage: 'en-US',
    surname: rest.join(' ') || null,
    userPrincipalName: person.email,
    id: person.objectId,
  };
}

export function calendarResource(calendar: Calendar, store: Store, seq: number): Record<string, unknown> {
  const owner = store.person(calendar.owner);
  return {
    id: graphCalendarId(calendar.id),
    name: calendar.primary ? 'Calendar' : calendar.summary,
    color: 'auto',
    hexColor: '',
    isDefaultCalendar: calendar.primary,
    changeKey: changeKey(seq),
    canShare: true,
    canViewPrivateItems: true,
    canEdit: true,
    allowedOnlineMeetingProviders: ['teamsForBusiness'],
    defaultOnlineMeetingProvider: 'teamsForBusiness',
    isTallyingResponses: true,
    isRemovable: !calendar.primary,
    owner: { name: owner?.name ?? calendar.owner, address: calendar.owner },
  };
}
