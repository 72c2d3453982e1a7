// The default demo organisation has every case the 1:1 detection must handle, relative to now.
import type { calendar_v3 } from '@googleapis/calendar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { viewsForCalendar } from '../../../sandbox/calendar/views';
import { loadScenario } from '../../../sandbox/scenario';
import { defaultScenario, SEED_PEOPLE } from '../../../sandbox/seed';
import { Store } from '../../../sandbox/store';
import { googleCalendar } from '../../support/sandbox-clients';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { MAYA, ROOM, days, iso } from './helpers';

let sb: TestSandbox;
let masters: calendar_v3.Schema$Event[];
let upcoming: calendar_v3.Schema$Event[];

const humans = (e: calendar_v3.Schema$Event): string[] => [
  ...new Set([e.organizer?.email, ...(e.attendees ?? []).filter((a) => !a.resource).map((a) => a.email)].filter((x): x is string => !!x)),
];

beforeAll(async () => {
  sb = await startTestSandbox();
  const cal = googleCalendar(sb, await sb.accessToken(MAYA, 'google'));
  masters = (await cal.events.list({ calendarId: 'primary', maxResults: 2500, showDeleted: true })).data.items ?? [];
  upcoming = (await cal.events.list({ calendarId: 'primary', singleEvents: true, showDeleted: true, timeMin: iso(Date.now() - days(7)), timeMax: iso(Date.now() + days(28)), maxResults: 2500 })).data.items ?? [];
});
afterAll(() => sb.close());

describe('default seed', () => {
  it('has a manager with six reports, each with a recurring 1:1', () => {
    const reports = ['sam', 'lee', 'priya', 'tom', 'ana', 'jonas'] as const;
    for (const key of reports) {
      const person = SEED_PEOPLE[key];
      const addresses: string[] = [person.email, ...('aliases' in person ? person.aliases : [])];
      const oneOnOnes = masters.filter((e) => e.recurrence && humans(e).length === 2 && humans(e).some((h) => addresses.includes(h)));
      expect(oneOnOnes.length, person.name).toBeGreaterThanOrEqual(1);
    }
  });

  it('has a new hire who started last week, with no 1:1 yet and nothing on the calendar', () => {
    const noor = SEED_PEOPLE.noor;
    expect(noor.manager).toBe(MAYA);
    const scenario = defaultScenario();
    const hire = scenario.people.find((p) => p.email === noor.email)?.hireDate;
    expect(hire).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const ago = (Date.now() - Date.parse(`${hire}T12:00:00Z`)) / days(1);
    // The Monday of last week: between 7 and 14 days ago (one day of slack for the zone).
    expect(ago).toBeGreaterThan(6);
    expect(ago).toBeLessThan(15);
    expect(masters.some((e) => humans(e).includes(noor.email))).toBe(false);
  });

  it('has weekly, biweekly and monthly series', () => {
    const rules = masters.flatMap((e) => e.recurrence ?? []);
    expect(rules.some((r) => /FREQ=WEEKLY;BYDAY=/.test(r) && !/INTERVAL=/.test(r))).toBe(true);
    expect(rules.some((r) => /FREQ=WEEKLY;INTERVAL=2/.test(r))).toBe(true);
    expect(rules.some((r) => /FREQ=MONTHLY/.test(r))).toBe(true);
  });

  it('has a room as a resource attendee, an alias invite, a decline and a cancelled instance', () => {
    expect(masters.some((e) => e.attendees?.some((a) => a.email === ROOM && a.resource))).toBe(true);
    expect(masters.some((e) => e.attendees?.some((a) => a.email === 'lee@acme-labs.test'))).toBe(true);
    expect(masters.some((e) => humans(e).length === 2 && e.attendees?.some((a) => a.responseStatus === 'declined'))).toBe(true);
    expect(upcoming.some((e) => e.recurringEventId && e.status === 'cancelled')).toBe(true);
  });

  it('has events that must not become 1:1s: team meetings, all-day events, focus blocks', () => {
    expect(masters.some((e) => humans(e).length > 3 && e.recurrence)).toBe(true);
    expect(masters.filter((e) => e.start?.date).length).toBeGreaterThanOrEqual(2);
    expect(masters.some((e) => e.eventType === 'focusTime')).toBe(true);
  });

  it('has a series split by "this and following"', () => {
    const split = masters.find((e) => e.id?.includes('_R'));
    const old = masters.find((e) => e.id === split?.id?.split('_R')[0]);
    expect(old?.recurrence?.[0]).toMatch(/UNTIL=/);
    expect(humans(split as calendar_v3.Schema$Event).sort()).toEqual(humans(old as calendar_v3.Schema$Event).sort());
  });

  it('looks alive: 1:1s in the past week and the coming week', () => {
    const now = Date.now();
    const oneOnOnes = upcoming.filter((e) => e.status !== 'cancelled' && humans(e).length === 2 && e.start?.dateTime);
    expect(oneOnOnes.some((e) => Date.parse(e.start?.dateTime as string) < now)).toBe(true);
    expect(oneOnOnes.filter((e) => Date.parse(e.start?.dateTime as string) > now && Date.parse(e.start?.dateTime as string) < now + days(7)).length).toBeGreaterThanOrEqual(4);
  });

  it('loads for any "now" and time zone', () => {
    for (const [when, tz] of [
      ['2030-03-31T00:30:00Z', 'Europe/Berlin'],
      ['2031-11-02T06:00:00Z', 'America/St_Johns'],
      ['2032-02-29T12:00:00Z', 'Pacific/Kiritimati'],
    ] as const) {
      const store = new Store();
      loadScenario(store, defaultScenario(new Date(when), tz), () => 365);
      const views = viewsForCalendar(store, MAYA, { singleEvents: true, fromMs: Date.parse(when) - days(7), toMs: Date.parse(when) + days(7), includeCancelled: false, horizonMs: Date.parse(when) + days(365) });
      expect(views.filter((v) => v.data.summary === 'Maya / Sam')).toHaveLength(2);
    }
  });
});
