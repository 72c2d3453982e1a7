// Loads a scenario (people, calendars, Google-shaped events) into the store, all or nothing.
import { CalendarOps } from './calendar/ops';
import { ValidationError } from './errors';
import { stableNumericId, stableUuid } from './ids';
import type { Calendar, GEvent, Person, Scenario } from './model';
import { Store } from './store';
import { isValidTimeZone } from './tz';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function makePerson(email: string, name: string, aliases: string[] = [], resource = false): Person {
  const key = email.toLowerCase();
  return { email, name, aliases, resource, googleId: stableNumericId(key), objectId: stableUuid(key) };
}

/** Validates and loads `input` into a scratch store, then swaps it into `target`. */
export function loadScenario(target: Store, input: unknown, horizonDays: () => number): void {
  if (!isObject(input)) throw new ValidationError('scenario', 'the scenario must be a JSON object');
  const scenario = input as unknown as Scenario;
  const defaultTz = scenario.timeZone ?? 'UTC';
  if (typeof defaultTz !== 'string' || !isValidTimeZone(defaultTz)) throw new ValidationError('timeZone', 'timeZone must be an IANA time zone');
  if (!Array.isArray(scenario.people)) throw new ValidationError('people', 'people must be an array');

  const scratch = new Store();
  scratch.seq = target.seq;
  const seen = new Set<string>();
  scenario.people.forEach((raw, i) => {
    const f = `people[${i}]`;
    if (!isObject(raw)) throw new ValidationError(f, `${f} must be an object`);
    if (typeof raw.email !== 'string' || !EMAIL.test(raw.email)) throw new ValidationError(`${f}.email`, `${f}.email must be an email address`);
    if (raw.name !== undefined && typeof raw.name !== 'string') throw new ValidationError(`${f}.name`, `${f}.name must be a string`);
    if (raw.resource !== undefined && typeof raw.resource !== 'boolean') throw new ValidationError(`${f}.resource`, `${f}.resource must be a boolean`);
    const aliases = raw.aliases ?? [];
    if (!Array.isArray(aliases) || aliases.some((a) => typeof a !== 'string' || !EMAIL.test(a))) {
      throw new ValidationError(`${f}.aliases`, `${f}.aliases must be an array of email addresses`);
    }
    for (const address of [raw.email, ...aliases]) {
      if (seen.has(address.toLowerCase())) throw new ValidationError(`${f}.email`, `${address} appears twice among people and aliases`);
      seen.add(address.toLowerCase());
    }
    if (raw.manager !== undefined && (typeof raw.manager !== 'string' || !EMAIL.test(raw.manager))) {
      throw new ValidationError(`${f}.manager`, `${f}.manager must be an email address`);
    }
    if (raw.hireDate !== undefined && (typeof raw.hireDate !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(raw.hireDate) || Number.isNaN(Date.parse(raw.hireDate)))) {
      throw new ValidationError(`${f}.hireDate`, `${f}.hireDate must be a date (YYYY-MM-DD)`);
    }
    const name = (raw.name as string | undefined) ?? raw.email.split('@')[0] ?? raw.email;
    const person = makePerson(raw.email, name, aliases, raw.resource === true);
    if (raw.hireDate !== undefined) person.hireDate = raw.hireDate;
    scratch.addPerson(person);
  });
  // Managers are resolved once everyone is known: a manager may be listed after their reports.
  scenario.people.forEach((raw, i) => {
    if (raw.manager === undefined) return;
    const f = `people[${i}].manager`;
    const manager = scratch.person(raw.manager);
    if (!manager || manager.resource) throw new ValidationError(f, `${f} must be the email of a person in the scenario`);
    if (manager.email.toLowerCase() === raw.email.toLowerCase()) throw new ValidationError(f, `${f} cannot be the person themselves`);
    (scratch.person(raw.email) as Person).manager = manager.email;
  });

  const explicit = scenario.calendars ?? [];
  if (!Array.isArray(explicit)) throw new ValidationError('calendars', 'calendars must be an array');
  const calendars: Calendar[] = [];
  explicit.forEach((raw, i) => {
    const f = `calendars[${i}]`;
    if (!isObject(raw)) throw new ValidationError(f, `${f} must be an object`);
    if (typeof raw.id !== 'string' || raw.id === '') throw new ValidationError(`${f}.id`, `${f}.id must be a non-empty string`);
    const owner = scratch.person(raw.owner as string);
    if (!owner || owner.resource) throw new ValidationError(`${f}.owner`, `${f}.owner must be the email of a person in the scenario`);
    const tz = raw.timeZone ?? defaultTz;
    if (typeof tz !== 'string' || !isValidTimeZone(tz)) throw new ValidationError(`${f}.timeZone`, `${f}.timeZone must be an IANA time zone`);
    if (calendars.some((c) => c.id === raw.id)) throw new ValidationError(`${f}.id`, `calendar id ${raw.id} appears twice`);
    calendars.push({
      id: raw.id,
      owner: owner.email,
      summary: typeof raw.summary === 'string' ? raw.summary : raw.id,
      timeZone: tz,
      primary: raw.primary === true,
      ...(typeof raw.description === 'string' ? { description: raw.description } : {}),
    });
  });
  for (const person of scratch.people.values()) {
    if (person.resource) continue;
    if (calendars.some((c) => c.owner === person.email && c.primary)) continue;
    // Google's primary calendar id is the account's address.
    calendars.push({ id: person.email, owner: person.email, summary: person.email, timeZone: defaultTz, primary: true });
  }
  for (const c of calendars) scratch.addCalendar(c);

  const me = scenario.me ?? [...scratch.people.values()].find((p) => !p.resource)?.email;
  if (me !== undefined) {
    const person = scratch.person(me);
    if (!person || person.resource) throw new ValidationError('me', 'me must be the email of a person in the scenario');
    scratch.me = person.email;
  }

  const events = scenario.events ?? [];
  if (!Array.isArray(events)) throw new ValidationError('events', 'events must be an array');
  const ops = new CalendarOps(scratch, horizonDays);
  // Masters before their exceptions, whatever order the file lists them in.
  const order = events.map((e, i) => ({ e, i })).sort((a, b) => Number(isException(a.e)) - Number(isException(b.e)));
  for (const { e, i } of order) {
    const f = `events[${i}]`;
    if (!isObject(e)) throw new ValidationError(f, `${f} must be an object`);
    const calendarId = (e.calendarId as string | undefined) ?? scratch.primaryCalendarOf((e.organizer as GEvent['organizer'])?.email ?? scratch.me ?? '')?.id;
    if (!calendarId || !scratch.calendars.has(calendarId)) {
      throw new ValidationError(`${f}.calendarId`, `${f}.calendarId must name a calendar of the scenario`);
    }
    try {
      ops.create(calendarId, e, { trusted: true }, { conferenceDataVersion: 1 });
    } catch (error) {
      if (error instanceof ValidationError) {
        const message = error.message.startsWith(error.field) ? `${f}.${error.message}` : `${f}.${error.field}: ${error.message}`;
        throw new ValidationError(`${f}.${error.field}`, message);
      }
      throw new ValidationError(f, `${f}: ${(error as Error).message}`);
    }
  }

  target.clear();
  target.seq = scratch.seq;
  target.me = scratch.me;
  for (const p of scratch.people.values()) target.addPerson(p);
  for (const c of scratch.calendars.values()) target.addCalendar(c);
  for (const ev of scratch.events.values()) target.events.set(ev.id, ev);
}

function isException(e: unknown): boolean {
  return isObject(e) && typeof e.recurringEventId === 'string';
}
