// One row per rule and reason code (docs/architecture.md §3). Each row starts from an event that passes every
// rule and changes one thing, and asserts the exact reason list, so breaking any rule (or adding a
// spurious reason) fails its row.
import { describe, expect, it } from 'vitest';
import type { CalendarEvent, ReasonCode, Settings } from '../../../src-shared/engine/model';
import { scan } from '../../../src-shared/engine/scan';
import { EA, LEE, MAYA, NOW, ROOM, RUTH, SAM, decisionOf, oneOnOne, scenario } from './helpers';

interface Row {
  name: string;
  event: Partial<CalendarEvent>;
  settings?: Settings;
  reasons: ReasonCode[];
  counterpart?: string;
}

const DAY = 86_400_000;
const at = (offsetMs: number) => new Date(Date.parse(NOW) + offsetMs).toISOString();
const startingAt = (offsetMs: number, minutes = 30): Partial<CalendarEvent> => ({
  start: at(offsetMs),
  end: at(offsetMs + minutes * 60_000),
});

const rows: Row[] = [
  { name: 'baseline: a plain 1:1 passes every rule', event: {}, reasons: [], counterpart: SAM },
  // 1. not cancelled, not all-day
  { name: 'CANCELLED: the event is cancelled', event: { status: 'cancelled' }, reasons: ['CANCELLED'], counterpart: SAM },
  { name: 'tentative events are still candidates', event: { status: 'tentative' }, reasons: [], counterpart: SAM },
  {
    name: 'ALL_DAY: an all-day event (start.date)',
    event: { allDay: true, start: '2024-03-07', end: '2024-03-08' },
    reasons: ['ALL_DAY', 'DURATION_OUT_OF_RANGE'],
    counterpart: SAM,
  },
  { name: 'NOT_PRIMARY_CALENDAR: on a secondary calendar', event: { primary: false, calendarId: 'team@group.calendar.google.com' }, reasons: ['NOT_PRIMARY_CALENDAR'], counterpart: SAM },
  // window: exact 24-hour days from now, inclusive
  { name: 'OUTSIDE_WINDOW: 31 days ago', event: startingAt(-31 * DAY), reasons: ['OUTSIDE_WINDOW'], counterpart: SAM },
  { name: 'window start is inclusive (exactly 30 days ago)', event: startingAt(-30 * DAY), reasons: [], counterpart: SAM },
  { name: 'OUTSIDE_WINDOW: 1 ms before the window', event: startingAt(-30 * DAY - 1), reasons: ['OUTSIDE_WINDOW'], counterpart: SAM },
  { name: 'window end is inclusive (exactly 28 days ahead)', event: startingAt(28 * DAY), reasons: [], counterpart: SAM },
  { name: 'OUTSIDE_WINDOW: 1 ms after the window', event: startingAt(28 * DAY + 1), reasons: ['OUTSIDE_WINDOW'], counterpart: SAM },
  { name: 'settings.futureDays moves the window', event: startingAt(10 * DAY), settings: { futureDays: 7 }, reasons: ['OUTSIDE_WINDOW'], counterpart: SAM },
  { name: 'settings.pastDays moves the window', event: startingAt(-10 * DAY), settings: { pastDays: 7 }, reasons: ['OUTSIDE_WINDOW'], counterpart: SAM },
  // 2. exactly two human participants, one of them self
  {
    name: 'NOT_TWO_PEOPLE: a third attendee',
    event: { attendees: [{ email: MAYA }, { email: SAM }, { email: LEE }] },
    reasons: ['NOT_TWO_PEOPLE'],
  },
  {
    name: 'NOT_TWO_PEOPLE: an assistant organizes outside the attendee list',
    event: { organizer: EA, attendees: [{ email: MAYA }, { email: SAM }] },
    reasons: ['NOT_TWO_PEOPLE'],
  },
  {
    name: 'NOT_TWO_PEOPLE: a focus block with nobody else',
    event: { organizer: MAYA, attendees: [], title: '1:1 prep' },
    reasons: ['NOT_TWO_PEOPLE'],
  },
  {
    name: 'a room as a resource attendee is not a participant',
    event: { attendees: [{ email: MAYA }, { email: SAM }, { email: 'board-room@acme.io', resource: true, response: 'accepted' }] },
    reasons: [],
    counterpart: SAM,
  },
  {
    name: 'a Google room address is not a participant even without the resource flag',
    event: { attendees: [{ email: MAYA }, { email: SAM }, { email: ROOM }] },
    reasons: [],
    counterpart: SAM,
  },
  {
    name: 'a room listed only as the location is not a participant',
    event: { location: 'NYC-5-Boardroom (8)' } as Partial<CalendarEvent>,
    reasons: [],
    counterpart: SAM,
  },
  {
    name: 'an event on a team calendar has that calendar as organizer: not a person',
    event: { organizer: 'c_team9a8b@group.calendar.google.com' },
    reasons: [],
    counterpart: SAM,
  },
  {
    name: 'optional attendees count as participants',
    event: { attendees: [{ email: MAYA }, { email: SAM }, { email: LEE, optional: true }] },
    reasons: ['NOT_TWO_PEOPLE'],
  },
  {
    name: 'an optional counterpart is still the counterpart',
    event: { attendees: [{ email: MAYA }, { email: SAM, optional: true }] },
    reasons: [],
    counterpart: SAM,
  },
  {
    name: 'the organizer listed among attendees counts once',
    event: { organizer: SAM, attendees: [{ email: SAM, response: 'accepted' }, { email: MAYA, response: 'needsAction' }] },
    reasons: [],
    counterpart: SAM,
  },
  {
    name: 'SELF_NOT_PARTICIPANT: two other people',
    event: { organizer: SAM, attendees: [{ email: SAM }, { email: LEE }] },
    reasons: ['SELF_NOT_PARTICIPANT'],
  },
  {
    name: 'NOT_TWO_PEOPLE and SELF_NOT_PARTICIPANT together',
    event: { organizer: SAM, attendees: [{ email: SAM }, { email: LEE }, { email: RUTH }] },
    reasons: ['NOT_TWO_PEOPLE', 'SELF_NOT_PARTICIPANT'],
  },
  // 3. nobody declined
  {
    name: 'DECLINED: the counterpart declined',
    event: { attendees: [{ email: MAYA, response: 'accepted' }, { email: SAM, response: 'declined' }] },
    reasons: ['DECLINED'],
    counterpart: SAM,
  },
  {
    name: 'DECLINED: self declined',
    event: { organizer: SAM, attendees: [{ email: MAYA, response: 'declined' }, { email: SAM, response: 'accepted' }] },
    reasons: ['DECLINED'],
    counterpart: SAM,
  },
  {
    name: 'a declined Google room address (no resource flag) does not make the 1:1 declined',
    event: { attendees: [{ email: MAYA }, { email: SAM }, { email: ROOM, response: 'declined' }] },
    reasons: [],
    counterpart: SAM,
  },
  {
    name: 'a declined room does not make the 1:1 declined',
    event: { attendees: [{ email: MAYA }, { email: SAM }, { email: ROOM, resource: true, response: 'declined' }] },
    reasons: [],
    counterpart: SAM,
  },
  // 4. both are known people, by primary email or alias, case-insensitively
  {
    name: 'an alias resolves to the primary email',
    event: { attendees: [{ email: MAYA }, { email: 'sam@acme-legacy.com' }] },
    reasons: [],
    counterpart: SAM,
  },
  {
    name: 'addresses compare case-insensitively',
    event: { organizer: 'Maya.Chen@ACME.io', attendees: [{ email: 'MAYA.CHEN@acme.io' }, { email: 'Samuel.Ortiz@Acme.IO' }] },
    reasons: [],
    counterpart: SAM,
  },
  {
    name: 'UNKNOWN_PERSON: a stranger',
    event: { attendees: [{ email: MAYA }, { email: 'vendor@supplier.example' }] },
    reasons: ['UNKNOWN_PERSON'],
  },
  // 5. keywords
  { name: 'NO_KEYWORD: no keyword in the title', event: { title: 'Catch up with Sam' }, reasons: ['NO_KEYWORD'], counterpart: SAM },
  ...['/', '<>', 'one-on-one', '1on1', '1:1', 'one-to-one'].map(
    (k): Row => ({ name: `default keyword "${k}" matches anywhere`, event: { title: `Weekly ${k} sync` }, reasons: [], counterpart: SAM }),
  ),
  { name: 'keywords match case-insensitively', event: { title: 'Sam ONE-ON-ONE' }, reasons: [], counterpart: SAM },
  {
    name: 'settings.keywords replaces the defaults',
    event: { title: 'Maya / Sam' },
    settings: { keywords: ['check-in'] },
    reasons: ['NO_KEYWORD'],
    counterpart: SAM,
  },
  { name: 'a custom keyword matches', event: { title: 'Sam check-in' }, settings: { keywords: ['Check-In'] }, reasons: [], counterpart: SAM },
  {
    name: 'matchMode two-person takes any two-person event with a known person',
    event: { title: 'Coffee' },
    settings: { matchMode: 'two-person' },
    reasons: [],
    counterpart: SAM,
  },
  // 6. duration, bounds inclusive
  { name: 'DURATION_OUT_OF_RANGE: 9 minutes', event: startingAt(DAY, 9), reasons: ['DURATION_OUT_OF_RANGE'], counterpart: SAM },
  { name: '10 minutes is in range', event: startingAt(DAY, 10), reasons: [], counterpart: SAM },
  { name: '120 minutes is in range', event: startingAt(DAY, 120), reasons: [], counterpart: SAM },
  { name: 'DURATION_OUT_OF_RANGE: 121 minutes', event: startingAt(DAY, 121), reasons: ['DURATION_OUT_OF_RANGE'], counterpart: SAM },
  {
    name: 'custom duration bounds',
    event: startingAt(DAY, 25),
    settings: { minMinutes: 30, maxMinutes: 60 },
    reasons: ['DURATION_OUT_OF_RANGE'],
    counterpart: SAM,
  },
  // private events are scanned too
  { name: 'private events are scanned', event: { visibility: 'private' }, reasons: [], counterpart: SAM },
  {
    name: 'every applicable reason, in canonical order',
    event: {
      status: 'cancelled',
      primary: false,
      title: 'Sync',
      attendees: [{ email: MAYA, response: 'declined' }, { email: 'x@elsewhere.example' }, { email: LEE }],
      ...startingAt(40 * DAY, 240),
    },
    reasons: ['CANCELLED', 'NOT_PRIMARY_CALENDAR', 'OUTSIDE_WINDOW', 'NOT_TWO_PEOPLE', 'DECLINED', 'UNKNOWN_PERSON', 'NO_KEYWORD', 'DURATION_OUT_OF_RANGE'],
  },
];

describe('1:1 rules (docs/architecture.md §3)', () => {
  it.each(rows)('$name', (row) => {
    const ev = oneOnOne(row.event);
    const d = decisionOf(scan(scenario([ev], { settings: row.settings })), ev.id);
    expect(d.reasons).toEqual(row.reasons);
    expect(d.oneOnOne).toBe(row.reasons.length === 0);
    expect(d.counterpart).toBe(row.counterpart);
  });
});

describe('unmatched addresses and suggestions', () => {
  const cases: { name: string; address: string; person?: string }[] = [
    { name: 'plus-addressing', address: 'lee.park+1on1@acme.io', person: LEE },
    { name: 'dots in the local part', address: 'leepark@acme.io', person: LEE },
    { name: 'same local part on another domain', address: 'ruth.adeyemi@acme-eu.com', person: RUTH },
    { name: 'an old domain of someone with aliases', address: 'sam.ortiz@acme-legacy.com', person: SAM },
    { name: 'an address of self on another domain', address: 'maya.chen@gmail.com', person: MAYA },
    { name: 'nothing alike', address: 'vendor@supplier.example' },
  ];
  it.each(cases)('$name', ({ address, person }) => {
    const ev = oneOnOne({ attendees: [{ email: MAYA }, { email: address }] });
    const d = decisionOf(scan(scenario([ev])), ev.id);
    expect(d.reasons).toContain('UNKNOWN_PERSON');
    expect(d.unmatched).toEqual([address.toLowerCase()]);
    expect(d.suggestions).toEqual(person ? [{ address, person }] : undefined);
  });

  it('does not guess between two people sharing a local part', () => {
    const people = [
      { email: MAYA },
      { email: 'alex@acme.io' },
      { email: 'alex@acme-labs.io' },
    ];
    const ev = oneOnOne({ attendees: [{ email: MAYA }, { email: 'alex@acme-eu.com' }] });
    const d = decisionOf(scan(scenario([ev], { people })), ev.id);
    expect(d.unmatched).toEqual(['alex@acme-eu.com']);
    expect(d.suggestions).toBeUndefined();
  });

  it('prefers the same-domain variant over another domain', () => {
    const people = [{ email: MAYA }, { email: 'alex@acme.io' }, { email: 'a.lex@acme-labs.io' }];
    const ev = oneOnOne({ attendees: [{ email: MAYA }, { email: 'alex+x@acme-labs.io' }] });
    expect(decisionOf(scan(scenario([ev], { people })), ev.id).suggestions).toEqual([
      { address: 'alex+x@acme-labs.io', person: 'a.lex@acme-labs.io' },
    ]);
  });

  it('lists every unmatched participant, sorted, and never self', () => {
    const ev = oneOnOne({ attendees: [{ email: 'zed@x.example' }, { email: MAYA }, { email: 'amy@y.example' }] });
    expect(decisionOf(scan(scenario([ev])), ev.id).unmatched).toEqual(['amy@y.example', 'zed@x.example']);
  });

  it('self counts as known even when not in people', () => {
    const ev = oneOnOne();
    const d = decisionOf(scan(scenario([ev], { people: [{ email: SAM }] })), ev.id);
    expect(d.reasons).toEqual([]);
  });

  it('an alias of self is self', () => {
    const people = [{ email: MAYA, aliases: ['maya@acme-legacy.com'] }, { email: SAM }];
    const ev = oneOnOne({ organizer: 'maya@acme-legacy.com', attendees: [{ email: 'maya@acme-legacy.com' }, { email: SAM }] });
    const d = decisionOf(scan(scenario([ev], { people })), ev.id);
    expect(d.reasons).toEqual([]);
    expect(d.counterpart).toBe(SAM);
  });

  it('an alias claimed by two people resolves the same way in any order', () => {
    const a = { email: 'b.person@acme.io', aliases: ['shared@acme.io'] };
    const b = { email: 'a.person@acme.io', aliases: ['shared@acme.io'] };
    const ev = oneOnOne({ attendees: [{ email: MAYA }, { email: 'shared@acme.io' }] });
    const one = decisionOf(scan(scenario([ev], { people: [{ email: MAYA }, a, b] })), ev.id);
    const two = decisionOf(scan(scenario([ev], { people: [b, { email: MAYA }, a] })), ev.id);
    expect(one.counterpart).toBe('a.person@acme.io');
    expect(two).toEqual(one);
  });
});
