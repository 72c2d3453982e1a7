// The default demo organisation, laid out relative to "now" so it always looks alive: a
// manager (Maya) with six reports, her own manager, a room, and a calendar full of the cases
// the 1:1 detection must get right (see docs/architecture.md §3).
import { createHash } from 'node:crypto';
import type { GAttendee, GEvent, Scenario } from './model';
import { addDays, compactUtc, instantFromWall, localDate, parseDate, parseLocalDateTime, wallClock } from './tz';

const DOMAIN = 'acme.test';
const BASE32HEX = '0123456789abcdefghijklmnopqrstuv';

/** Deterministic Google-style event id from a label. */
function sid(label: string): string {
  const h = createHash('sha256').update(`duet-seed:${label}`).digest();
  let out = '';
  for (let i = 0; i < 20; i++) out += BASE32HEX[(h[i] ?? 0) & 31];
  return out;
}

// The org chart (Graph /me/manager and /me/directReports): Maya reports to Dana; her seven reports
// to her. Hire dates feed tenure-based cadence suggestions. Noor is the new hire: started last week
// (her hire date is laid out relative to "now", see `newHireDate`), and has no 1:1 with Maya yet,
// so scheduling a first series and the tenure-based suggestion can be tried on her.
export const SEED_PEOPLE = {
  maya: { email: `maya.chen@${DOMAIN}`, name: 'Maya Chen', aliases: [`maya@${DOMAIN}`], manager: `dana.whitfield@${DOMAIN}`, hireDate: '2019-03-04' },
  sam: { email: `sam.rivera@${DOMAIN}`, name: 'Sam Rivera', manager: `maya.chen@${DOMAIN}`, hireDate: '2021-06-14' },
  lee: { email: `lee.park@${DOMAIN}`, name: 'Lee Park', aliases: ['lee@acme-labs.test'], manager: `maya.chen@${DOMAIN}`, hireDate: '2022-01-10' },
  priya: { email: `priya.natarajan@${DOMAIN}`, name: 'Priya Natarajan', manager: `maya.chen@${DOMAIN}`, hireDate: '2020-09-01' },
  tom: { email: `tom.becker@${DOMAIN}`, name: 'Tom Becker', manager: `maya.chen@${DOMAIN}`, hireDate: '2023-02-20' },
  ana: { email: `ana.souza@${DOMAIN}`, name: 'Ana Souza', manager: `maya.chen@${DOMAIN}`, hireDate: '2024-11-04' },
  jonas: { email: `jonas.weber@${DOMAIN}`, name: 'Jonas Weber', manager: `maya.chen@${DOMAIN}`, hireDate: '2025-08-18' },
  noor: { email: `noor.haddad@${DOMAIN}`, name: 'Noor Haddad', manager: `maya.chen@${DOMAIN}` },
  dana: { email: `dana.whitfield@${DOMAIN}`, name: 'Dana Whitfield', hireDate: '2016-05-02' },
  room: { email: `fjord-4-12@resource.${DOMAIN}`, name: 'Fjord (4.12)', resource: true },
} as const;

type Key = keyof typeof SEED_PEOPLE;

/** The new hire's start date: the Monday of last week, in the seed's zone (YYYY-MM-DD). */
export function newHireDate(now: Date = new Date(), timeZone = localTimeZone()): string {
  const today = localDate(now.getTime(), timeZone);
  const w = parseDate(today) as NonNullable<ReturnType<typeof parseDate>>;
  const weekday = (new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay() + 6) % 7; // Monday = 0
  return addDays(today, -weekday - 7);
}

export function defaultScenario(now: Date = new Date(), timeZone = localTimeZone()): Scenario {
  const P = SEED_PEOPLE;
  const today = localDate(now.getTime(), timeZone);
  const todayWall = parseDate(today) as NonNullable<ReturnType<typeof parseDate>>;
  const weekday = (new Date(Date.UTC(todayWall.year, todayWall.month - 1, todayWall.day)).getUTCDay() + 6) % 7; // Monday = 0
  const monday = addDays(today, -weekday);
  /** Local date `weeks` weeks from this week's Monday, on weekday `day` (0 = Monday). */
  const day = (weeks: number, dayOfWeek: number): string => addDays(monday, weeks * 7 + dayOfWeek);
  const at = (date: string, time: string): { dateTime: string; timeZone: string } => ({ dateTime: `${date}T${time}:00`, timeZone });
  const plus = (date: string, time: string, minutes: number): { dateTime: string; timeZone: string } => {
    const wall = parseLocalDateTime(`${date}T${time}:00`) as NonNullable<ReturnType<typeof parseLocalDateTime>>;
    const end = wallClock(instantFromWall(wall, timeZone) + minutes * 60_000, timeZone);
    const p = (n: number): string => String(n).padStart(2, '0');
    return { dateTime: `${end.year}-${p(end.month)}-${p(end.day)}T${p(end.hour)}:${p(end.minute)}:00`, timeZone };
  };
  const person = (k: Key, extra: Partial<GAttendee> = {}): GAttendee => ({
    email: P[k].email,
    displayName: P[k].name,
    responseStatus: 'accepted',
    ...extra,
  });
  const organizer = (k: Key) => ({ email: P[k].email, displayName: P[k].name });
  /** UTC instance-id suffix of a local wall time. */
  const suffix = (date: string, time: string): string =>
    compactUtc(instantFromWall(parseLocalDateTime(`${date}T${time}:00`) as NonNullable<ReturnType<typeof parseLocalDateTime>>, timeZone));
  const events: Array<GEvent & { calendarId?: string }> = [];
  const add = (e: GEvent & { calendarId?: string }): GEvent => {
    events.push(e);
    return e;
  };
  const exception = (master: GEvent, originalDate: string, originalTime: string, duration: number, changes: Partial<GEvent>): void => {
    const start = at(originalDate, originalTime);
    const rest = { ...master };
    delete rest.recurrence;
    add({
      ...rest,
      id: `${master.id}_${suffix(originalDate, originalTime)}`,
      recurringEventId: master.id as string,
      originalStartTime: start,
      start,
      end: plus(originalDate, originalTime, duration),
      ...changes,
    });
  };

  // --- 1:1s -----------------------------------------------------------------------------
  // Weekly with Sam, Mondays 10:00, Google Meet; next week's meeting moved to Tuesday.
  const sam = add({
    id: sid('sam-weekly'),
    summary: 'Maya / Sam',
    start: at(day(-10, 0), '10:00'),
    end: plus(day(-10, 0), '10:00', 30),
    recurrence: ['RRULE:FREQ=WEEKLY;BYDAY=MO'],
    organizer: organizer('maya'),
    attendees: [person('maya', { organizer: true }), person('sam')],
    conferenceData: {
      entryPoints: [{ entryPointType: 'video', uri: 'https://meet.google.com/sam-maya-one', label: 'meet.google.com/sam-maya-one' }],
      conferenceSolution: { key: { type: 'hangoutsMeet' }, name: 'Google Meet' },
      conferenceId: 'sam-maya-one',
    },
  });
  exception(sam, day(1, 0), '10:00', 30, { start: at(day(1, 1), '11:00'), end: plus(day(1, 1), '11:00', 30) });

  // Biweekly with Lee, Tuesdays 14:00; Lee is invited under an alias address.
  add({
    id: sid('lee-biweekly'),
    summary: '1:1 Maya <> Lee',
    start: at(day(-12, 1), '14:00'),
    end: plus(day(-12, 1), '14:00', 45),
    recurrence: ['RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TU'],
    organizer: organizer('maya'),
    attendees: [person('maya', { organizer: true }), { email: 'lee@acme-labs.test', displayName: 'Lee Park', responseStatus: 'accepted' }],
  });

  // Weekly with Priya, Wednesdays 11:00, organised by Priya, in a meeting room (resource).
  add({
    id: sid('priya-weekly'),
    summary: 'Priya / Maya',
    location: 'Fjord (4.12)',
    start: at(day(-8, 2), '11:00'),
    end: plus(day(-8, 2), '11:00', 30),
    recurrence: ['RRULE:FREQ=WEEKLY;BYDAY=WE'],
    organizer: organizer('priya'),
    calendarId: P.priya.email,
    attendees: [
      person('priya', { organizer: true }),
      person('maya'),
      { email: P.room.email, displayName: P.room.name, resource: true, responseStatus: 'accepted' },
    ],
  });

  // Monthly with Tom, first Thursday 15:00, private.
  add({
    id: sid('tom-monthly'),
    summary: 'Maya <> Tom 1:1',
    visibility: 'private',
    start: at(firstWeekdayOfMonth(day(-26, 0), 3), '15:00'),
    end: plus(firstWeekdayOfMonth(day(-26, 0), 3), '15:00', 60),
    recurrence: ['RRULE:FREQ=MONTHLY;BYDAY=1TH'],
    organizer: organizer('maya'),
    attendees: [person('maya', { organizer: true }), person('tom')],
  });

  // Ana: Thursdays 09:30 until three weeks ago, then "this and following" moved to Fridays 13:00.
  const anaOld = sid('ana-weekly');
  const splitDate = day(-3, 3);
  add({
    id: anaOld,
    summary: 'one-on-one: Ana & Maya',
    start: at(day(-10, 3), '09:30'),
    end: plus(day(-10, 3), '09:30', 30),
    recurrence: [`RRULE:FREQ=WEEKLY;BYDAY=TH;UNTIL=${compactUtc(instantFromWall(parseLocalDateTime(`${splitDate}T09:30:00`) as NonNullable<ReturnType<typeof parseLocalDateTime>>, timeZone) - 1000)}`],
    organizer: organizer('maya'),
    attendees: [person('maya', { organizer: true }), person('ana')],
  });
  add({
    id: `${anaOld}_R${splitDate.replace(/-/g, '')}T093000`,
    summary: 'Maya / Ana',
    start: at(addDays(splitDate, 1), '13:00'),
    end: plus(addDays(splitDate, 1), '13:00', 30),
    recurrence: ['RRULE:FREQ=WEEKLY;BYDAY=FR'],
    organizer: organizer('maya'),
    attendees: [person('maya', { organizer: true }), person('ana')],
  });

  // Jonas: weekly Fridays 10:00 with next week's instance cancelled; plus a declined one-off.
  const jonas = add({
    id: sid('jonas-weekly'),
    summary: '1on1 Maya/Jonas',
    start: at(day(-6, 4), '10:00'),
    end: plus(day(-6, 4), '10:00', 30),
    recurrence: ['RRULE:FREQ=WEEKLY;BYDAY=FR'],
    organizer: organizer('maya'),
    attendees: [person('maya', { organizer: true }), person('jonas')],
  });
  exception(jonas, day(1, 4), '10:00', 30, { status: 'cancelled' });
  add({
    id: sid('jonas-goals'),
    summary: 'Maya / Jonas – quarterly goals',
    start: at(addDays(today, 2), '14:30'),
    end: plus(addDays(today, 2), '14:30', 45),
    organizer: organizer('maya'),
    attendees: [person('maya', { organizer: true }), person('jonas', { responseStatus: 'declined' })],
  });

  // Maya's own manager: biweekly, organised by Dana.
  add({
    id: sid('dana-biweekly'),
    summary: 'Dana / Maya 1:1',
    start: at(day(-9, 0), '16:00'),
    end: plus(day(-9, 0), '16:00', 30),
    recurrence: ['RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO'],
    organizer: organizer('dana'),
    calendarId: P.dana.email,
    attendees: [person('dana', { organizer: true }), person('maya')],
  });

  // A candidate call: a two-person "1:1" title with someone the org does not know.
  add({
    id: sid('candidate'),
    summary: 'Intro call: Maya / Jordan',
    start: at(addDays(today, 3), '12:00'),
    end: plus(addDays(today, 3), '12:00', 30),
    organizer: organizer('maya'),
    attendees: [person('maya', { organizer: true }), { email: 'jordan.lee@candidates.example', displayName: 'Jordan Lee', responseStatus: 'needsAction' }],
  });

  // --- not 1:1s -------------------------------------------------------------------------
  const everyone = (['maya', 'sam', 'lee', 'priya', 'tom', 'ana', 'jonas'] as Key[]).map((k) => person(k, k === 'maya' ? { organizer: true } : {}));
  add({
    id: sid('team-weekly'),
    summary: 'Platform team weekly',
    start: at(day(-10, 0), '09:00'),
    end: plus(day(-10, 0), '09:00', 60),
    recurrence: ['RRULE:FREQ=WEEKLY;BYDAY=MO'],
    organizer: organizer('maya'),
    attendees: everyone,
  });
  add({
    id: sid('sprint-planning'),
    summary: 'Sprint planning',
    start: at(day(-6, 2), '13:00'),
    end: plus(day(-6, 2), '13:00', 90),
    recurrence: ['RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=WE'],
    organizer: organizer('maya'),
    attendees: everyone,
  });
  add({
    id: sid('three-way'),
    summary: 'Maya / Sam / Lee: API review',
    start: at(addDays(today, 1), '15:00'),
    end: plus(addDays(today, 1), '15:00', 30),
    organizer: organizer('maya'),
    attendees: [person('maya', { organizer: true }), person('sam'), person('lee')],
  });
  add({
    id: sid('coffee-lee'),
    summary: 'Coffee with Lee',
    start: at(addDays(today, 4), '08:30'),
    end: plus(addDays(today, 4), '08:30', 20),
    organizer: organizer('maya'),
    attendees: [person('maya', { organizer: true }), person('lee')],
  });
  add({
    id: sid('focus'),
    summary: 'Focus time',
    eventType: 'focusTime',
    transparency: 'opaque',
    start: at(day(-4, 1), '08:00'),
    end: plus(day(-4, 1), '08:00', 90),
    recurrence: ['RRULE:FREQ=WEEKLY;BYDAY=TU,TH'],
    organizer: organizer('maya'),
    focusTimeProperties: { autoDeclineMode: 'declineOnlyNewConflictingInvitations', chatStatus: 'doNotDisturb' },
  });
  add({
    id: sid('offsite'),
    summary: 'Company offsite',
    start: { date: day(2, 2) },
    end: { date: day(2, 4) },
    organizer: organizer('maya'),
    transparency: 'transparent',
  });
  add({
    id: sid('holiday'),
    summary: 'Office closed',
    start: { date: day(0, 4) },
    end: { date: day(0, 5) },
    organizer: organizer('maya'),
    transparency: 'transparent',
  });
  add({
    id: sid('dentist'),
    calendarId: `maya.personal@group.calendar.${DOMAIN}`,
    summary: 'Dentist',
    start: at(addDays(today, 5), '08:00'),
    end: plus(addDays(today, 5), '08:00', 45),
    organizer: organizer('maya'),
  });

  return {
    me: P.maya.email,
    timeZone,
    people: Object.values(P).map((p) => ({
      email: p.email,
      name: p.name,
      ...('aliases' in p ? { aliases: [...p.aliases] } : {}),
      ...('resource' in p ? { resource: true } : {}),
      ...('manager' in p ? { manager: p.manager } : {}),
      ...('hireDate' in p ? { hireDate: p.hireDate } : {}),
      ...(p === P.noor ? { hireDate: newHireDate(now, timeZone) } : {}),
    })),
    calendars: [{ id: `maya.personal@group.calendar.${DOMAIN}`, owner: P.maya.email, summary: 'Maya – personal', timeZone }],
    events,
  };
}

function firstWeekdayOfMonth(anyDate: string, dayOfWeek: number): string {
  const w = parseDate(anyDate) as NonNullable<ReturnType<typeof parseDate>>;
  const first = `${w.year}-${String(w.month).padStart(2, '0')}-01`;
  const firstDay = (new Date(Date.UTC(w.year, w.month - 1, 1)).getUTCDay() + 6) % 7;
  return addDays(first, (dayOfWeek - firstDay + 7) % 7);
}

export function localTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}
