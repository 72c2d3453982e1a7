// Untrusted JSON → Scenario. Hand-written rather than a schema library so that the first problem
// comes back as ONE line naming the field (`events[3].start: expected an ISO-8601 date-time`),
// unknown fields are dropped, and a million events validate in well under a second.
// `null` is accepted wherever a field is optional and means "absent".
import type {
  Attendee,
  CalendarEvent,
  ScanMeeting,
  MeetingLink,
  Person,
  Scenario,
  Settings,
} from './model';
import { MATCH_MODES } from './model';
import { RecurrenceError, parseRecurrence } from './recurrence';
import { parseIso } from './time';
import { isValidTimeZone } from './timezone';

export class ValidationError extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path}: ${problem}`);
  }
}

export type ParseResult = { ok: true; scenario: Scenario } | { ok: false; error: string };

type Obj = Record<string, unknown>;

const EMAIL_RE = /^[^\s@]+@[^\s@]+$/;
const MAX_WINDOW_DAYS = 3660;

function fail(path: string, problem: string): never {
  throw new ValidationError(path, problem);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)?.slice(0, 40)}`;
}

function obj(v: unknown, path: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(path, `expected an object, got ${describe(v)}`);
  return v as Obj;
}

function arr(v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) fail(path, `expected an array, got ${describe(v)}`);
  return v;
}

const absent = (v: unknown) => v === undefined || v === null;

function str(v: unknown, path: string, nonEmpty = false): string {
  if (typeof v !== 'string') fail(path, `expected a string, got ${describe(v)}`);
  if (nonEmpty && v.length === 0) fail(path, 'expected a non-empty string');
  return v;
}

function bool(v: unknown, path: string): boolean {
  if (typeof v !== 'boolean') fail(path, `expected true or false, got ${describe(v)}`);
  return v;
}

function email(v: unknown, path: string): string {
  if (typeof v !== 'string' || !EMAIL_RE.test(v)) fail(path, `expected an email address, got ${describe(v)}`);
  return v;
}

function dateTime(v: unknown, path: string): string {
  if (typeof v !== 'string' || parseIso(v) === undefined) {
    fail(path, 'expected an ISO-8601 date-time (e.g. 2024-03-11T10:00:00-05:00 or a date 2024-03-11)');
  }
  return v;
}

function oneOf<T extends string>(v: unknown, path: string, allowed: readonly T[]): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    fail(path, `expected one of ${allowed.map((a) => `"${a}"`).join(', ')}, got ${describe(v)}`);
  }
  return v as T;
}

function num(v: unknown, path: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    fail(path, `expected a number from ${min} to ${max}, got ${describe(v)}`);
  }
  return v;
}

function person(v: unknown, path: string): Person {
  const o = obj(v, path);
  const p: Person = { email: email(o.email, `${path}.email`) };
  if (!absent(o.name)) p.name = str(o.name, `${path}.name`);
  if (!absent(o.aliases)) p.aliases = arr(o.aliases, `${path}.aliases`).map((a, i) => email(a, `${path}.aliases[${i}]`));
  return p;
}

function settings(v: unknown, path: string): Settings {
  const o = obj(v, path);
  const s: Settings = {};
  if (!absent(o.keywords)) s.keywords = arr(o.keywords, `${path}.keywords`).map((k, i) => str(k, `${path}.keywords[${i}]`));
  if (!absent(o.matchMode)) s.matchMode = oneOf(o.matchMode, `${path}.matchMode`, MATCH_MODES);
  if (!absent(o.pastDays)) s.pastDays = num(o.pastDays, `${path}.pastDays`, 0, MAX_WINDOW_DAYS);
  if (!absent(o.futureDays)) s.futureDays = num(o.futureDays, `${path}.futureDays`, 0, MAX_WINDOW_DAYS);
  if (!absent(o.minMinutes)) s.minMinutes = num(o.minMinutes, `${path}.minMinutes`, 0, 1e9);
  if (!absent(o.maxMinutes)) s.maxMinutes = num(o.maxMinutes, `${path}.maxMinutes`, 0, 1e9);
  if ((s.minMinutes ?? 10) > (s.maxMinutes ?? 120)) fail(`${path}.maxMinutes`, 'must not be less than minMinutes');
  return s;
}

function attendee(v: unknown, path: string): Attendee {
  const o = obj(v, path);
  const a: Attendee = { email: email(o.email, `${path}.email`) };
  if (!absent(o.response)) {
    a.response = oneOf(o.response, `${path}.response`, ['accepted', 'declined', 'tentative', 'needsAction'] as const);
  }
  if (!absent(o.resource)) a.resource = bool(o.resource, `${path}.resource`);
  if (!absent(o.optional)) a.optional = bool(o.optional, `${path}.optional`);
  if (!absent(o.name)) a.name = str(o.name, `${path}.name`);
  return a;
}

function event(v: unknown, path: string): CalendarEvent {
  const o = obj(v, path);
  const ev: CalendarEvent = {
    id: str(o.id, `${path}.id`, true),
    calendarId: str(o.calendarId, `${path}.calendarId`),
    primary: bool(o.primary, `${path}.primary`),
    title: str(o.title, `${path}.title`),
    start: dateTime(o.start, `${path}.start`),
    end: dateTime(o.end, `${path}.end`),
    attendees: arr(o.attendees, `${path}.attendees`).map((a, i) => attendee(a, `${path}.attendees[${i}]`)),
  };
  if (!absent(o.allDay)) ev.allDay = bool(o.allDay, `${path}.allDay`);
  if (!absent(o.status)) ev.status = oneOf(o.status, `${path}.status`, ['confirmed', 'tentative', 'cancelled'] as const);
  if (!absent(o.visibility)) {
    ev.visibility = oneOf(o.visibility, `${path}.visibility`, ['default', 'public', 'private'] as const);
  }
  if (!absent(o.organizer)) ev.organizer = email(o.organizer, `${path}.organizer`);
  if (!absent(o.timeZone)) {
    const tz = str(o.timeZone, `${path}.timeZone`);
    if (!isValidTimeZone(tz)) fail(`${path}.timeZone`, `unknown time zone "${tz}" (expected an IANA name)`);
    ev.timeZone = tz;
  }
  if (!absent(o.recurrence)) {
    const lines = arr(o.recurrence, `${path}.recurrence`).map((l, i) => str(l, `${path}.recurrence[${i}]`));
    try {
      parseRecurrence(lines);
    } catch (e) {
      if (e instanceof RecurrenceError) fail(`${path}.recurrence[${e.line}]`, e.message);
      throw e;
    }
    ev.recurrence = lines;
  }
  if (!absent(o.recurringEventId)) ev.recurringEventId = str(o.recurringEventId, `${path}.recurringEventId`, true);
  if (!absent(o.originalStart)) ev.originalStart = dateTime(o.originalStart, `${path}.originalStart`);
  if (!absent(o.created)) ev.created = dateTime(o.created, `${path}.created`);
  // Sync fields (docs/architecture.md §6): optional in scan files; provider, account and UID feed meeting ids.
  if (!absent(o.provider)) ev.provider = oneOf(o.provider, `${path}.provider`, ['google', 'microsoft'] as const);
  for (const key of ['accountId', 'iCalUID', 'etag', 'duetMeetingId', 'joinUrl', 'location', 'webLink'] as const) {
    if (!absent(o[key])) ev[key] = str(o[key], `${path}.${key}`);
  }
  return ev;
}

function link(v: unknown, path: string): MeetingLink {
  const o = obj(v, path);
  const l: MeetingLink = { eventId: str(o.eventId, `${path}.eventId`, true) };
  if (!absent(o.instanceStart)) l.instanceStart = dateTime(o.instanceStart, `${path}.instanceStart`);
  return l;
}

function meeting(v: unknown, path: string): ScanMeeting {
  const o = obj(v, path);
  const parts = arr(o.participants, `${path}.participants`);
  if (parts.length !== 2) fail(`${path}.participants`, `expected exactly 2 email addresses, got ${parts.length}`);
  const m: ScanMeeting = {
    id: str(o.id, `${path}.id`, true),
    participants: [email(parts[0], `${path}.participants[0]`), email(parts[1], `${path}.participants[1]`)],
    start: dateTime(o.start, `${path}.start`),
    end: dateTime(o.end, `${path}.end`),
  };
  if (!absent(o.title)) m.title = str(o.title, `${path}.title`);
  if (o.link === null) m.link = null;
  else if (o.link !== undefined) m.link = link(o.link, `${path}.link`);
  if (!absent(o.hasContent)) m.hasContent = bool(o.hasContent, `${path}.hasContent`);
  return m;
}

function unique<T extends { id: string }>(items: T[], name: string): void {
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const prev = seen.get(item.id);
    if (prev !== undefined) fail(`${name}[${i}].id`, `duplicate id "${item.id}" (also ${name}[${prev}])`);
    seen.set(item.id, i);
  });
}

/** Validates a parsed JSON value. Throws ValidationError on the first problem. */
export function toScenario(input: unknown): Scenario {
  const o = obj(input, '(root)');
  const scenario: Scenario = {
    now: dateTime(o.now, 'now'),
    self: email(o.self, 'self'),
    people: arr(o.people, 'people').map((p, i) => person(p, `people[${i}]`)),
    events: arr(o.events, 'events').map((e, i) => event(e, `events[${i}]`)),
  };
  if (!absent(o.mode)) scenario.mode = oneOf(o.mode, 'mode', ['full', 'incremental'] as const);
  if (!absent(o.settings)) scenario.settings = settings(o.settings, 'settings');
  if (!absent(o.meetings)) scenario.meetings = arr(o.meetings, 'meetings').map((m, i) => meeting(m, `meetings[${i}]`));
  unique(scenario.events, 'events');
  if (scenario.meetings) unique(scenario.meetings, 'meetings');
  return scenario;
}

/** Parses scenario JSON text. Never throws: problems come back as one line. */
export function parseScenario(text: string): ParseResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `(root): invalid JSON: ${oneLine(e instanceof Error ? e.message : String(e))}` };
  }
  return validateScenario(json);
}

export function validateScenario(json: unknown): ParseResult {
  try {
    return { ok: true, scenario: toScenario(json) };
  } catch (e) {
    if (e instanceof ValidationError) return { ok: false, error: oneLine(e.message) };
    throw e;
  }
}

function oneLine(s: string): string {
  return s.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
