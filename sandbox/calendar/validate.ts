// Validation and normalisation of Google-shaped event input, shared by the Google face, the
// Graph face (after translation) and the admin API. Errors name the offending field.
import { ValidationError } from '../errors';
import { GOOGLE_EVENT_ID } from '../ids';
import type { GAttendee, GEvent } from '../model';
import { formatEventTime, parseEventTime, startMs, TimeError, validateRecurrence, type EventTime } from '../recurrence';

const STATUS = ['confirmed', 'tentative', 'cancelled'];
const VISIBILITY = ['default', 'public', 'private', 'confidential'];
const TRANSPARENCY = ['opaque', 'transparent'];
const RESPONSE = ['needsAction', 'declined', 'tentative', 'accepted'];
const EVENT_TYPES = ['default', 'outOfOffice', 'focusTime', 'workingLocation', 'birthday', 'fromGmail'];
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export type InputMode = 'insert' | 'patch' | 'update';

export interface NormalizeOptions {
  mode: InputMode;
  /** Admin/scenario input may set fields the public API treats as read-only. */
  trusted: boolean;
  calendarTz: string;
  /** Prefix for field names in error messages (e.g. "events[3]."). */
  fieldPrefix?: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Fields a client may write; everything else in the body is ignored, as Google does. */
const WRITABLE = [
  'summary',
  'description',
  'location',
  'colorId',
  'start',
  'end',
  'endTimeUnspecified',
  'recurrence',
  'transparency',
  'visibility',
  'attendees',
  'extendedProperties',
  'conferenceData',
  'reminders',
  'guestsCanInviteOthers',
  'guestsCanModify',
  'guestsCanSeeOtherGuests',
  'status',
  'eventType',
  'focusTimeProperties',
  'outOfOfficeProperties',
  'sequence',
  'attendeesOmitted',
] as const;

const TRUSTED_ONLY = ['id', 'iCalUID', 'organizer', 'creator', 'recurringEventId', 'originalStartTime', 'created', 'updated', 'hangoutLink'] as const;

/**
 * Checks a body and returns the subset of it the store keeps. For insert/update, start and
 * end are required; for patch only present fields are checked (the merged result is checked
 * again by `checkTimes`).
 */
export function normalizeEventInput(body: unknown, options: NormalizeOptions): GEvent & Record<string, unknown> {
  const f = (name: string): string => `${options.fieldPrefix ?? ''}${name}`;
  if (!isObject(body)) throw new ValidationError(f('body') || 'body', 'the event must be a JSON object');
  const out: Record<string, unknown> = {};
  for (const key of WRITABLE) if (key in body) out[key] = body[key];
  if (options.trusted) for (const key of TRUSTED_ONLY) if (key in body) out[key] = body[key];
  // A client may choose the id of a new event (Google allows it on insert).
  if (options.mode === 'insert' && 'id' in body) out.id = body.id;

  const str = (key: string): void => {
    if (out[key] !== undefined && out[key] !== null && typeof out[key] !== 'string') {
      throw new ValidationError(f(key), `${f(key)} must be a string`);
    }
  };
  const bool = (key: string): void => {
    if (out[key] !== undefined && out[key] !== null && typeof out[key] !== 'boolean') {
      throw new ValidationError(f(key), `${f(key)} must be a boolean`);
    }
  };
  const oneOf = (key: string, allowed: string[]): void => {
    if (out[key] !== undefined && out[key] !== null && !allowed.includes(out[key] as string)) {
      throw new ValidationError(f(key), `${f(key)} must be one of ${allowed.join(', ')}`);
    }
  };

  if (out.id !== undefined && (typeof out.id !== 'string' || !(GOOGLE_EVENT_ID.test(out.id) || (options.trusted && /^[a-v0-9]{5,}(_[A-Za-z0-9]+)*$/.test(out.id))))) {
    throw new ValidationError(f('id'), `${f('id')} must be 5-1024 characters of a-v and 0-9 (base32hex)`);
  }
  for (const key of ['summary', 'description', 'location', 'colorId', 'iCalUID', 'recurringEventId', 'hangoutLink', 'created', 'updated']) str(key);
  for (const key of ['endTimeUnspecified', 'guestsCanInviteOthers', 'guestsCanModify', 'guestsCanSeeOtherGuests', 'attendeesOmitted']) bool(key);
  oneOf('status', STATUS);
  oneOf('visibility', VISIBILITY);
  oneOf('transparency', TRANSPARENCY);
  oneOf('eventType', EVENT_TYPES);
  if (out.sequence !== undefined && (typeof out.sequence !== 'number' || !Number.isInteger(out.sequence) || out.sequence < 0)) {
    throw new ValidationError(f('sequence'), `${f('sequence')} must be a non-negative integer`);
  }

  for (const key of ['start', 'end', 'originalStartTime']) {
    if (out[key] === undefined || out[key] === null) continue;
    try {
      const t = parseEventTime(out[key] as never, options.calendarTz, f(key));
      out[key] = formatEventTime(t);
    } catch (error) {
      if (error instanceof TimeError) throw new ValidationError(f(key), error.message);
      throw error;
    }
  }
  if (options.mode !== 'patch') {
    if (out.start === undefined || out.start === null) throw new ValidationError(f('start'), `${f('start')} is required`);
    if (out.end === undefined || out.end === null) throw new ValidationError(f('end'), `${f('end')} is required`);
  }

  if (out.recurrence !== undefined && out.recurrence !== null) {
    const problem = validateRecurrence(out.recurrence, options.calendarTz);
    if (problem) throw new ValidationError(f('recurrence'), problem);
  }

  if (out.attendees !== undefined && out.attendees !== null) {
    if (!Array.isArray(out.attendees)) throw new ValidationError(f('attendees'), `${f('attendees')} must be an array`);
    out.attendees = out.attendees.map((raw: unknown, i: number) => normalizeAttendee(raw, f(`attendees[${i}]`)));
  }
  for (const key of ['organizer', 'creator']) {
    if (out[key] === undefined) continue;
    const v = out[key];
    if (!isObject(v) || typeof v.email !== 'string' || !EMAIL.test(v.email)) {
      throw new ValidationError(f(`${key}.email`), `${f(`${key}.email`)} must be an email address`);
    }
    out[key] = { email: v.email, ...(typeof v.displayName === 'string' ? { displayName: v.displayName } : {}) };
  }

  if (out.extendedProperties !== undefined && out.extendedProperties !== null) {
    const ep = out.extendedProperties;
    if (!isObject(ep)) throw new ValidationError(f('extendedProperties'), `${f('extendedProperties')} must be an object`);
    const clean: Record<string, Record<string, string | null>> = {};
    for (const bucket of ['private', 'shared']) {
      const values = ep[bucket];
      if (values === undefined) continue;
      if (!isObject(values)) throw new ValidationError(f(`extendedProperties.${bucket}`), `${f(`extendedProperties.${bucket}`)} must be an object of strings`);
      const kept: Record<string, string | null> = {};
      for (const [k, v] of Object.entries(values)) {
        // null is allowed in a patch: it removes the key.
        if (v !== null && typeof v !== 'string') {
          throw new ValidationError(f(`extendedProperties.${bucket}.${k}`), `${f(`extendedProperties.${bucket}.${k}`)} must be a string`);
        }
        kept[k] = v;
      }
      clean[bucket] = kept;
    }
    out.extendedProperties = clean;
  }

  if (out.reminders !== undefined && out.reminders !== null) {
    const r = out.reminders;
    if (!isObject(r) || typeof r.useDefault !== 'boolean') {
      throw new ValidationError(f('reminders.useDefault'), `${f('reminders.useDefault')} must be a boolean`);
    }
  }
  if (out.conferenceData !== undefined && out.conferenceData !== null && !isObject(out.conferenceData)) {
    throw new ValidationError(f('conferenceData'), `${f('conferenceData')} must be an object`);
  }
  return out as GEvent & Record<string, unknown>;
}

function normalizeAttendee(raw: unknown, field: string): GAttendee {
  if (!isObject(raw)) throw new ValidationError(field, `${field} must be an object`);
  if (typeof raw.email !== 'string' || !EMAIL.test(raw.email)) {
    throw new ValidationError(`${field}.email`, `${field}.email must be an email address`);
  }
  const attendee: GAttendee = { email: raw.email };
  if (raw.displayName !== undefined) {
    if (typeof raw.displayName !== 'string') throw new ValidationError(`${field}.displayName`, `${field}.displayName must be a string`);
    attendee.displayName = raw.displayName;
  }
  for (const key of ['optional', 'resource', 'organizer'] as const) {
    if (raw[key] === undefined) continue;
    if (typeof raw[key] !== 'boolean') throw new ValidationError(`${field}.${key}`, `${field}.${key} must be a boolean`);
    if (raw[key]) attendee[key] = true;
  }
  if (raw.responseStatus !== undefined) {
    if (!RESPONSE.includes(raw.responseStatus as string)) {
      throw new ValidationError(`${field}.responseStatus`, `${field}.responseStatus must be one of ${RESPONSE.join(', ')}`);
    }
    attendee.responseStatus = raw.responseStatus as GAttendee['responseStatus'];
  }
  if (typeof raw.comment === 'string') attendee.comment = raw.comment;
  if (typeof raw.additionalGuests === 'number') attendee.additionalGuests = raw.additionalGuests;
  return attendee;
}

/** Start and end of merged event data, checked for kind and order. */
export function checkTimes(data: GEvent, calendarTz: string, fieldPrefix = ''): { start: EventTime; end: EventTime } {
  let start: EventTime;
  let end: EventTime;
  try {
    start = parseEventTime(data.start, calendarTz, `${fieldPrefix}start`);
    end = parseEventTime(data.end, calendarTz, `${fieldPrefix}end`);
  } catch (error) {
    if (error instanceof TimeError) throw new ValidationError(`${fieldPrefix}start`, error.message);
    throw error;
  }
  if (start.allDay !== end.allDay) {
    throw new ValidationError(`${fieldPrefix}end`, 'start and end must both be dates or both be date-times');
  }
  if (startMs(end, calendarTz) <= startMs(start, calendarTz) && !(start.allDay === false && end.allDay === false && end.ms === start.ms)) {
    throw new ValidationError(`${fieldPrefix}end`, 'The specified time range is empty: end must be after start.');
  }
  return { start, end };
}
