// Provider payloads → engine events, from real-shaped Google events.list and Graph /events pages
// (fixtures/), then through the engine end to end.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalizeGoogleEvents, type GoogleEvent } from '../../../src-shared/calendar/google';
import { graphRecurrenceToRRule, normalizeGraphEvents, type GraphEvent } from '../../../src-shared/calendar/graph';
import { zonedIso } from '../../../src-shared/calendar/zoned-time';
import type { CalendarEvent, Decisions, Scenario } from '../../../src-shared/engine/model';
import { scan } from '../../../src-shared/engine/scan';
import { validateScenario } from '../../../src-shared/engine/validate';
import { LEE, MAYA, NOW, PEOPLE, RUTH, SAM } from './helpers';

const fixture = <T>(name: string): T => JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8')) as T;
const google = normalizeGoogleEvents(fixture<{ items: GoogleEvent[] }>('google-events-list.json'), { calendarId: MAYA, primary: true });
const graph = normalizeGraphEvents(fixture<{ value: GraphEvent[] }>('graph-events.json'), { calendarId: 'AAMkAGI2-calendar', primary: true, ownerEmail: MAYA });
const byId = (events: CalendarEvent[], id: string) => events.find((e) => e.id === id);
const scanOf = (events: CalendarEvent[]): Decisions => {
  const s: Scenario = { now: NOW, self: MAYA, people: PEOPLE, events };
  // What the normalizers produce is valid scan input as is.
  expect(validateScenario(JSON.parse(JSON.stringify(s)))).toMatchObject({ ok: true });
  return scan(s);
};
const createsOf = (d: Decisions, id: string) => d.actions.filter((a) => a.op === 'create' && a.eventId === id).map((a) => a.instanceStart ?? 'self');
const reasonsOf = (d: Decisions, id: string) => d.events.find((e) => e.id === id)?.reasons;

describe('Google Calendar v3 events', () => {
  const MASTER = '5v2n8pq0hcl3m1b9t7kdo4e6aa';

  it('normalizes a recurring master with its zone, rule, EXDATE and a room', () => {
    expect(byId(google, MASTER)).toEqual({
      id: MASTER,
      calendarId: MAYA,
      primary: true,
      title: 'Maya / Lee 1:1',
      start: '2024-02-05T10:00:00-05:00',
      end: '2024-02-05T10:30:00-05:00',
      status: 'confirmed',
      organizer: MAYA,
      attendees: [
        { email: MAYA, response: 'accepted' },
        { email: LEE, response: 'accepted' },
        { email: 'c_1889f3a2b4c5d6e7@resource.calendar.google.com', response: 'accepted', resource: true, name: 'NYC-5-Huddle (4)' },
      ],
      recurrence: ['RRULE:FREQ=WEEKLY;WKST=SU;BYDAY=MO', 'EXDATE;TZID=America/New_York:20240318T100000'],
      timeZone: 'America/New_York',
      provider: 'google',
      iCalUID: '5v2n8pq0hcl3m1b9t7kdo4e6aa@google.com',
      etag: '"3417820294024000"',
      location: 'NYC-5-Huddle (4)',
      webLink: 'https://www.google.com/calendar/event?eid=NXYybjhwcTBoY2wzbTFiOXQ3a2RvNGU2YWEgbWF5YQ',
      created: '2024-01-22T16:03:11.000Z',
    });
  });

  it('normalizes a moved instance with recurringEventId and originalStartTime', () => {
    expect(byId(google, `${MASTER}_20240311T140000Z`)).toMatchObject({
      recurringEventId: MASTER,
      originalStart: '2024-03-11T10:00:00-04:00',
      start: '2024-03-12T14:00:00-04:00',
      attendees: [{ email: MAYA, response: 'accepted' }, { email: LEE, response: 'tentative' }],
    });
  });

  it('keeps a cancelled instance stub (only originalStartTime) so it cancels its slot', () => {
    expect(byId(google, `${MASTER}_20240325T140000Z`)).toMatchObject({
      status: 'cancelled',
      recurringEventId: MASTER,
      start: '2024-03-25T10:00:00-04:00',
      end: '2024-03-25T10:00:00-04:00',
      title: '',
      attendees: [],
    });
  });

  it('maps self, organizer, optional, visibility, all-day dates, and skips attendees without an email', () => {
    expect(byId(google, '0aq7c1mrd8v5h3kfu2e9lj4tg1')).toMatchObject({
      visibility: 'private',
      organizer: 'sam@acme-legacy.com',
      attendees: [{ email: 'sam@acme-legacy.com', response: 'accepted' }, { email: MAYA, response: 'needsAction', optional: true }],
    });
    expect(byId(google, '7r1ooo0okc3v8lq2hfsm5b4dee')?.attendees).toEqual([
      { email: MAYA, response: 'accepted' },
      { email: RUTH, response: 'declined' },
    ]);
    expect(byId(google, '1d8kq0f2oooo5m6s7t9v0a1b2c')).toMatchObject({ allDay: true, start: '2024-03-14', end: '2024-03-16', visibility: 'private' });
  });

  it('end to end: DST-correct occurrences, EXDATE, moved and cancelled instances, reasons', () => {
    const d = scanOf(google);
    expect(createsOf(d, MASTER)).toEqual([
      '2024-02-12T15:00:00.000Z',
      '2024-02-19T15:00:00.000Z',
      '2024-02-26T15:00:00.000Z',
      '2024-03-04T15:00:00.000Z',
      '2024-04-01T14:00:00.000Z',
    ]);
    expect(createsOf(d, `${MASTER}_20240311T140000Z`)).toEqual(['self']);
    expect(reasonsOf(d, `${MASTER}_20240325T140000Z`)).toContain('CANCELLED');
    expect(d.events.find((e) => e.id === '0aq7c1mrd8v5h3kfu2e9lj4tg1')).toEqual({ id: '0aq7c1mrd8v5h3kfu2e9lj4tg1', oneOnOne: true, reasons: [], counterpart: SAM });
    expect(reasonsOf(d, '7r1ooo0okc3v8lq2hfsm5b4dee')).toEqual(['NOT_TWO_PEOPLE', 'DECLINED']);
    expect(reasonsOf(d, '1d8kq0f2oooo5m6s7t9v0a1b2c')).toEqual(['ALL_DAY', 'NOT_TWO_PEOPLE', 'NO_KEYWORD', 'DURATION_OUT_OF_RANGE']);
    expect(d.series).toEqual([{ eventId: MASTER, cadence: 'weekly', counterpart: LEE }]);
  });
});

describe('Microsoft Graph events', () => {
  const MASTER = 'AAMkAGI2TG93AAA=seriesmaster-lee';

  it('normalizes a series master: UTC wall time, Windows zone, pattern → RRULE, resource attendee', () => {
    expect(byId(graph, MASTER)).toEqual({
      id: MASTER,
      calendarId: 'AAMkAGI2-calendar',
      primary: true,
      title: 'Maya / Lee 1:1',
      start: '2024-02-05T15:00:00.000Z',
      end: '2024-02-05T15:30:00.000Z',
      visibility: 'default',
      organizer: MAYA,
      attendees: [
        { email: LEE, response: 'accepted', name: 'Lee Park' },
        { email: 'nyc5huddle@acme.io', response: 'accepted', resource: true, name: 'NYC-5-Huddle' },
      ],
      recurrence: ['RRULE:FREQ=WEEKLY;BYDAY=MO;WKST=SU'],
      timeZone: 'America/New_York',
      provider: 'microsoft',
      iCalUID: '040000008200E00074C5B7101A82E00800000000D0F5A1',
      etag: 'W/"DwAAABYAAAB0sOaP0n3vRbLWb0Dn7fy2AAAE4xVf"',
      location: 'NYC-5-Huddle',
      // Graph's seven fractional digits, to the millisecond.
      created: '2024-01-22T16:03:11.021Z',
    });
  });

  it('normalizes occurrences and exceptions with seriesMasterId and originalStart', () => {
    expect(byId(graph, 'AAMkAGI2TG93AAA=occurrence-0304')).toMatchObject({ recurringEventId: MASTER, originalStart: '2024-03-04T15:00:00Z' });
    expect(byId(graph, 'AAMkAGI2TG93AAA=exception-0311')).toMatchObject({
      recurringEventId: MASTER,
      originalStart: '2024-03-11T14:00:00Z',
      start: '2024-03-12T18:00:00.000Z',
      attendees: [{ email: LEE, response: 'tentative' }],
    });
    expect(byId(graph, 'AAMkAGI2TG93AAA=exception-0325')).toMatchObject({ status: 'cancelled', recurringEventId: MASTER });
  });

  it('maps optional attendees, sensitivity, all-day dates, the owner declining, and drops @removed', () => {
    expect(byId(graph, 'AAMkAGI2TG93AAA=single-sam')).toMatchObject({
      visibility: 'private',
      start: '2024-03-07T21:00:00.000Z',
      attendees: [{ email: 'Maya.Chen@acme.io', response: 'accepted' }, { email: 'sam@acme-legacy.com', response: 'needsAction', optional: true }],
    });
    expect(byId(graph, 'AAMkAGI2TG93AAA=declined-by-owner')?.attendees).toEqual([{ email: MAYA, response: 'declined', name: 'Maya Chen' }]);
    expect(byId(graph, 'AAMkAGI2TG93AAA=allday')).toMatchObject({ allDay: true, start: '2024-03-29', end: '2024-03-30' });
    expect(byId(graph, 'AAMkAGI2TG93AAA=removed')).toBeUndefined();
    expect(byId(graph, 'AAMkAGI2TG93AAA=monthly-ruth')).toMatchObject({
      recurrence: ['RRULE:FREQ=MONTHLY;BYDAY=FR;BYSETPOS=-1;COUNT=6'],
      timeZone: 'America/Los_Angeles',
      start: '2024-01-26T19:00:00.000Z',
    });
  });

  it('end to end: explicit occurrences replace generated ones, monthly "last Friday" crosses DST', () => {
    const d = scanOf(graph);
    expect(createsOf(d, MASTER)).toEqual(['2024-02-12T15:00:00.000Z', '2024-02-19T15:00:00.000Z', '2024-02-26T15:00:00.000Z', '2024-03-18T14:00:00.000Z', '2024-04-01T14:00:00.000Z']);
    expect(createsOf(d, 'AAMkAGI2TG93AAA=occurrence-0304')).toEqual(['self']);
    expect(createsOf(d, 'AAMkAGI2TG93AAA=exception-0311')).toEqual(['self']);
    expect(createsOf(d, 'AAMkAGI2TG93AAA=monthly-ruth')).toEqual(['2024-02-23T19:00:00.000Z', '2024-03-29T18:00:00.000Z']);
    expect(reasonsOf(d, 'AAMkAGI2TG93AAA=single-sam')).toEqual([]);
    expect(reasonsOf(d, 'AAMkAGI2TG93AAA=declined-by-owner')).toEqual(['DECLINED']);
    expect(d.series).toEqual([
      { eventId: 'AAMkAGI2TG93AAA=monthly-ruth', cadence: 'monthly', counterpart: RUTH },
      { eventId: MASTER, cadence: 'weekly', counterpart: LEE },
    ]);
  });

  const patterns: [string, Parameters<typeof graphRecurrenceToRRule>[0], string[] | undefined][] = [
    ['daily every 2 days until a date', { pattern: { type: 'daily', interval: 2 }, range: { type: 'endDate', endDate: '2024-06-30' } }, ['RRULE:FREQ=DAILY;INTERVAL=2;UNTIL=20240630']],
    ['biweekly on two days', { pattern: { type: 'weekly', interval: 2, daysOfWeek: ['tuesday', 'thursday'], firstDayOfWeek: 'monday' }, range: { type: 'noEnd' } }, ['RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;WKST=MO']],
    ['absolute monthly, numbered', { pattern: { type: 'absoluteMonthly', interval: 1, dayOfMonth: 15 }, range: { type: 'numbered', numberOfOccurrences: 10 } }, ['RRULE:FREQ=MONTHLY;BYMONTHDAY=15;COUNT=10']],
    ['relative yearly', { pattern: { type: 'relativeYearly', interval: 1, month: 11, daysOfWeek: ['thursday'], index: 'fourth' } }, ['RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=TH;BYSETPOS=4']],
    ['absolute yearly', { pattern: { type: 'absoluteYearly', interval: 1, month: 3, dayOfMonth: 1 } }, ['RRULE:FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1']],
    ['unknown pattern', { pattern: { type: 'fortnightlyish' } }, undefined],
  ];
  it.each(patterns)('recurrence pattern: %s', (_name, recurrence, expected) => {
    expect(graphRecurrenceToRRule(recurrence)).toEqual(expected);
  });
});

describe('zoned times', () => {
  it.each([
    ['2024-03-04T10:00:00-05:00', 'America/New_York', '2024-03-04T10:00:00-05:00'],
    ['2024-03-11T10:00:00.0000000', 'Eastern Standard Time', '2024-03-11T14:00:00.000Z'],
    ['2024-03-11T10:00:00', 'Europe/Paris', '2024-03-11T09:00:00.000Z'],
    ['2024-03-11T10:00:00', 'Not/AZone', '2024-03-11T10:00:00.000Z'],
    ['next tuesday', 'UTC', undefined],
  ])('%s in %s', (dateTime, zone, expected) => {
    expect(zonedIso(dateTime, zone)).toBe(expected);
  });
});
