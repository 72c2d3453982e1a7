// Reconciliation (docs/architecture.md §4): update / link / create, delete or unlink for cancelled and vanished
// events, full vs incremental scans, relinking after moves and "this and following" splits. Every
// row also checks that applying the actions and scanning again yields no actions.
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src-shared/engine/analyze';
import type { Action, CalendarEvent, ScanMeeting, Scenario, ScanMode } from '../../../src-shared/engine/model';
import { scan } from '../../../src-shared/engine/scan';
import { detectSplits } from '../../../src-shared/engine/series';
import { LEE, MAYA, RUTH, SAM, meeting, oneOnOne, scenario, settle } from './helpers';

const E = (overrides: Partial<CalendarEvent> = {}) => oneOnOne({ id: 'e1', ...overrides });
// e1 starts 2024-03-07T15:00Z and ends 15:30Z.

interface Row {
  name: string;
  events: CalendarEvent[];
  meetings: ScanMeeting[];
  mode?: ScanMode;
  actions: Action[];
}

const rows: Row[] = [
  { name: 'create: a new 1:1 with no meeting', events: [E()], meetings: [], actions: [{ op: 'create', eventId: 'e1' }] },
  {
    name: 'nothing: linked and identical',
    events: [E()],
    meetings: [meeting({ id: 'm1', link: { eventId: 'e1' } })],
    actions: [],
  },
  {
    name: 'nothing: identical instants written differently',
    events: [E()],
    meetings: [meeting({ id: 'm1', start: '2024-03-07T10:00:00-05:00', end: '2024-03-07T16:30:00+01:00', link: { eventId: 'e1' } })],
    actions: [],
  },
  {
    name: 'update: the title changed',
    events: [E({ title: 'Maya / Sam (career)' })],
    meetings: [meeting({ id: 'm1', link: { eventId: 'e1' } })],
    actions: [{ op: 'update', eventId: 'e1', meetingId: 'm1' }],
  },
  {
    name: 'update: the start moved',
    events: [E({ start: '2024-03-07T09:45:00-05:00' })],
    meetings: [meeting({ id: 'm1', link: { eventId: 'e1' } })],
    actions: [{ op: 'update', eventId: 'e1', meetingId: 'm1' }],
  },
  {
    name: 'update: the end moved',
    events: [E({ end: '2024-03-07T10:45:00-05:00' })],
    meetings: [meeting({ id: 'm1', link: { eventId: 'e1' } })],
    actions: [{ op: 'update', eventId: 'e1', meetingId: 'm1' }],
  },
  {
    name: 'update: a linked event that stopped qualifying still moves its meeting',
    events: [E({ start: '2024-03-08T10:00:00-05:00', end: '2024-03-08T10:30:00-05:00', attendees: [{ email: MAYA }, { email: SAM, response: 'declined' }] })],
    meetings: [meeting({ id: 'm1', link: { eventId: 'e1' } })],
    actions: [{ op: 'update', eventId: 'e1', meetingId: 'm1' }],
  },
  {
    name: 'link: an unlinked meeting of the same two people (no update with it)',
    events: [E({ title: 'Maya / Sam (new title)' })],
    meetings: [meeting({ id: 'm1', title: 'Old title', start: '2024-03-07T18:00:00Z', end: '2024-03-07T19:00:00Z' })],
    actions: [{ op: 'link', eventId: 'e1', meetingId: 'm1' }],
  },
  {
    name: 'link: exactly 12 hours away still links',
    events: [E()],
    meetings: [meeting({ id: 'm1', start: '2024-03-07T03:00:00Z', end: '2024-03-07T03:30:00Z' })],
    actions: [{ op: 'link', eventId: 'e1', meetingId: 'm1' }],
  },
  {
    name: 'create: 12 hours and a minute away does not link',
    events: [E()],
    meetings: [meeting({ id: 'm1', start: '2024-03-08T03:01:00Z', end: '2024-03-08T03:31:00Z' })],
    actions: [{ op: 'create', eventId: 'e1' }],
  },
  {
    name: 'link: the closest of two unlinked meetings',
    events: [E()],
    meetings: [
      meeting({ id: 'a-far', start: '2024-03-07T09:00:00Z', end: '2024-03-07T09:30:00Z' }),
      meeting({ id: 'z-near', start: '2024-03-07T16:00:00Z', end: '2024-03-07T16:30:00Z' }),
    ],
    actions: [{ op: 'link', eventId: 'e1', meetingId: 'z-near' }],
  },
  {
    name: 'each meeting is linked once: two events, one meeting',
    events: [E(), oneOnOne({ id: 'e2', start: '2024-03-07T13:00:00-05:00', end: '2024-03-07T13:30:00-05:00' })],
    meetings: [meeting({ id: 'm1', start: '2024-03-07T17:00:00Z', end: '2024-03-07T17:30:00Z' })],
    actions: [
      { op: 'create', eventId: 'e1' },
      { op: 'link', eventId: 'e2', meetingId: 'm1' },
    ],
  },
  {
    name: 'create: an unlinked meeting with someone else is not taken',
    events: [E()],
    meetings: [meeting({ id: 'm1', participants: [MAYA, LEE] })],
    actions: [{ op: 'create', eventId: 'e1' }],
  },
  {
    name: 'link: meeting participants are matched through aliases and case',
    events: [E()],
    meetings: [meeting({ id: 'm1', participants: ['SAM@acme-legacy.com', 'Maya.Chen@acme.io'] })],
    actions: [{ op: 'link', eventId: 'e1', meetingId: 'm1' }],
  },
  {
    name: 'nothing: a linked meeting is never taken by another event',
    events: [E(), oneOnOne({ id: 'e2', start: '2024-03-07T11:00:00-05:00', end: '2024-03-07T11:30:00-05:00' })],
    meetings: [meeting({ id: 'm1', link: { eventId: 'e1' } })],
    actions: [{ op: 'create', eventId: 'e2' }],
  },
  {
    name: 'delete: the linked event was cancelled',
    events: [E({ status: 'cancelled' })],
    meetings: [meeting({ id: 'm1', link: { eventId: 'e1' } })],
    actions: [{ op: 'delete', eventId: 'e1', meetingId: 'm1' }],
  },
  {
    name: 'unlink: the linked event was cancelled but the meeting has content',
    events: [E({ status: 'cancelled' })],
    meetings: [meeting({ id: 'm1', link: { eventId: 'e1' }, hasContent: true })],
    actions: [{ op: 'unlink', eventId: 'e1', meetingId: 'm1' }],
  },
  {
    name: 'delete (full scan): the linked event vanished',
    events: [],
    meetings: [meeting({ id: 'm1', link: { eventId: 'e1' } })],
    actions: [{ op: 'delete', eventId: 'e1', meetingId: 'm1' }],
  },
  {
    name: 'nothing (incremental scan): an absent event is unchanged',
    events: [],
    mode: 'incremental',
    meetings: [meeting({ id: 'm1', link: { eventId: 'e1' } })],
    actions: [],
  },
  {
    name: 'delete (incremental scan): a cancelled event still counts',
    events: [E({ status: 'cancelled' })],
    mode: 'incremental',
    meetings: [meeting({ id: 'm1', link: { eventId: 'e1' } })],
    actions: [{ op: 'delete', eventId: 'e1', meetingId: 'm1' }],
  },
  {
    name: 'nothing (full scan): a vanished event of a meeting outside the window',
    events: [],
    meetings: [meeting({ id: 'old', start: '2023-11-02T15:00:00Z', end: '2023-11-02T15:30:00Z', link: { eventId: 'e1' } })],
    actions: [],
  },
  {
    name: 'link (full scan): an event deleted and re-created takes over the orphaned meeting',
    events: [oneOnOne({ id: 'e-new' })],
    meetings: [meeting({ id: 'm1', link: { eventId: 'e-old' }, hasContent: true })],
    actions: [{ op: 'link', eventId: 'e-new', meetingId: 'm1' }],
  },
  {
    name: 'a duplicate link goes even outside the window (the event is here, and taken)',
    events: [E()],
    meetings: [meeting({ id: 'm1', link: { eventId: 'e1' } }), meeting({ id: 'm2', start: '2023-06-01T15:00:00Z', end: '2023-06-01T15:30:00Z', link: { eventId: 'e1' }, hasContent: true })],
    actions: [{ op: 'unlink', eventId: 'e1', meetingId: 'm2' }],
  },
  {
    name: 'two meetings linked to one event: the smaller id keeps it, the other goes',
    events: [E()],
    meetings: [meeting({ id: 'm2', link: { eventId: 'e1' } }), meeting({ id: 'm1', link: { eventId: 'e1' } })],
    actions: [{ op: 'delete', eventId: 'e1', meetingId: 'm2' }],
  },
];

describe('reconciliation (docs/architecture.md §4)', () => {
  it.each(rows)('$name', (row) => {
    const s = scenario(row.events, { meetings: row.meetings, mode: row.mode });
    const { first, second } = settle(s);
    expect(first.actions).toEqual(row.actions);
    expect(second.actions).toEqual([]);
  });
});

describe('recurring series and reconciliation', () => {
  const weekly = (overrides: Partial<CalendarEvent> = {}) =>
    oneOnOne({
      id: 'wk',
      title: '1:1 Maya <> Lee',
      start: '2024-03-04T10:00:00-05:00',
      end: '2024-03-04T10:30:00-05:00',
      timeZone: 'America/New_York',
      recurrence: ['RRULE:FREQ=WEEKLY'],
      attendees: [{ email: MAYA }, { email: LEE }],
      ...overrides,
    });
  const occMeeting = (id: string, instanceStart: string, overrides: Partial<ScanMeeting> = {}) =>
    meeting({
      id,
      participants: [MAYA, LEE],
      title: '1:1 Maya <> Lee',
      start: instanceStart,
      end: new Date(Date.parse(instanceStart) + 30 * 60_000).toISOString(),
      link: { eventId: 'wk', instanceStart },
      ...overrides,
    });
  const creates = (actions: Action[]) => actions.filter((a) => a.op === 'create').length;

  it('occurrences already linked need nothing; the rest are created', () => {
    const s = scenario([weekly()], { meetings: [occMeeting('a', '2024-03-04T15:00:00.000Z'), occMeeting('b', '2024-03-11T14:00:00.000Z')] });
    const { first, second } = settle(s);
    expect(first.actions).toEqual([
      { op: 'create', eventId: 'wk', instanceStart: '2024-03-18T14:00:00.000Z' },
      { op: 'create', eventId: 'wk', instanceStart: '2024-03-25T14:00:00.000Z' },
      { op: 'create', eventId: 'wk', instanceStart: '2024-04-01T14:00:00.000Z' },
    ]);
    expect(second.actions).toEqual([]);
  });

  it('an occurrence removed by a new EXDATE deletes its meeting (or unlinks it when it has content)', () => {
    const ev = weekly({ recurrence: ['RRULE:FREQ=WEEKLY;COUNT=3', 'EXDATE;TZID=America/New_York:20240311T100000,20240318T100000'] });
    const s = scenario([ev], {
      meetings: [occMeeting('a', '2024-03-04T15:00:00.000Z'), occMeeting('b', '2024-03-11T14:00:00.000Z'), occMeeting('c', '2024-03-18T14:00:00.000Z', { hasContent: true })],
    });
    const { first, second } = settle(s);
    expect(first.actions).toEqual([
      { op: 'delete', eventId: 'wk', instanceStart: '2024-03-11T14:00:00.000Z', meetingId: 'b' },
      { op: 'unlink', eventId: 'wk', instanceStart: '2024-03-18T14:00:00.000Z', meetingId: 'c' },
    ]);
    expect(second.actions).toEqual([]);
  });

  it('a moved exception takes over the meeting linked to its original slot', () => {
    const moved = oneOnOne({
      id: 'wk_20240311',
      recurringEventId: 'wk',
      originalStart: '2024-03-11T10:00:00-04:00',
      title: '1:1 Maya <> Lee',
      start: '2024-03-13T15:00:00-04:00',
      end: '2024-03-13T15:30:00-04:00',
      attendees: [{ email: MAYA }, { email: LEE }],
    });
    const s = scenario([weekly({ recurrence: ['RRULE:FREQ=WEEKLY;COUNT=2'] }), moved], {
      meetings: [occMeeting('a', '2024-03-04T15:00:00.000Z'), occMeeting('b', '2024-03-11T14:00:00.000Z', { hasContent: true })],
    });
    const { first, meetings, second } = settle(s);
    // The link stays canonical (master, original slot): the meeting only follows the new times.
    expect(first.actions).toEqual([{ op: 'update', eventId: 'wk_20240311', meetingId: 'b' }]);
    expect(meetings.find((m) => m.id === 'b')).toMatchObject({ start: '2024-03-13T19:00:00.000Z', link: { eventId: 'wk', instanceStart: '2024-03-11T14:00:00.000Z' } });
    expect(second.actions).toEqual([]);
  });

  it('a cancelled exception deletes the meeting of its slot', () => {
    const cancelled = oneOnOne({ id: 'wk_x', status: 'cancelled', recurringEventId: 'wk', originalStart: '2024-03-11T14:00:00Z', start: '2024-03-11T14:00:00Z', end: '2024-03-11T14:00:00Z', title: '', attendees: [] });
    const s = scenario([weekly({ recurrence: ['RRULE:FREQ=WEEKLY;COUNT=2'] }), cancelled], {
      meetings: [occMeeting('a', '2024-03-04T15:00:00.000Z'), occMeeting('b', '2024-03-11T14:00:00.000Z')],
    });
    const { first, second } = settle(s);
    expect(first.actions).toEqual([{ op: 'delete', eventId: 'wk', instanceStart: '2024-03-11T14:00:00.000Z', meetingId: 'b' }]);
    expect(second.actions).toEqual([]);
  });

  it('a cancelled master deletes or unlinks every meeting of the series in the window', () => {
    const s = scenario([weekly({ status: 'cancelled' })], {
      meetings: [occMeeting('a', '2024-03-04T15:00:00.000Z', { hasContent: true }), occMeeting('b', '2024-03-11T14:00:00.000Z')],
    });
    const { first, second } = settle(s);
    expect(first.actions).toEqual([
      { op: 'unlink', eventId: 'wk', instanceStart: '2024-03-04T15:00:00.000Z', meetingId: 'a' },
      { op: 'delete', eventId: 'wk', instanceStart: '2024-03-11T14:00:00.000Z', meetingId: 'b' },
    ]);
    expect(second.actions).toEqual([]);
  });

  it('"this and following": the new master relinks the meetings of the old one, nothing is lost or duplicated', () => {
    // Maya moved the series from Monday 10:00 to Tuesday 10:00 starting 19 March.
    const old = weekly({ recurrence: ['RRULE:FREQ=WEEKLY;UNTIL=20240318T035959Z'] });
    const next = weekly({
      id: 'wk_R20240319T140000',
      start: '2024-03-19T10:00:00-04:00',
      end: '2024-03-19T10:30:00-04:00',
      recurrence: ['RRULE:FREQ=WEEKLY;BYDAY=TU'],
    });
    const meetings = [
      occMeeting('a', '2024-03-04T15:00:00.000Z'),
      occMeeting('b', '2024-03-11T14:00:00.000Z'),
      occMeeting('c', '2024-03-18T14:00:00.000Z', { hasContent: true }),
      occMeeting('d', '2024-03-25T14:00:00.000Z', { hasContent: true }),
    ];
    const s = scenario([old, next], { meetings });
    const { first, meetings: after, second } = settle(s);
    expect(first.actions).toEqual([
      { op: 'link', eventId: 'wk_R20240319T140000', instanceStart: '2024-03-19T14:00:00.000Z', meetingId: 'c' },
      { op: 'link', eventId: 'wk_R20240319T140000', instanceStart: '2024-03-26T14:00:00.000Z', meetingId: 'd' },
      { op: 'create', eventId: 'wk_R20240319T140000', instanceStart: '2024-04-02T14:00:00.000Z' },
    ]);
    expect(creates(first.actions)).toBe(1);
    expect(after.filter((m) => m.link?.eventId === 'wk')).toHaveLength(2);
    expect(second.actions).toEqual([]);
    expect(detectSplits(analyze(s))).toEqual({ splits: [{ from: 'wk', to: 'wk_R20240319T140000' }], ambiguous: [] });
  });

  it('a split is ambiguous when two new masters could continue the old one', () => {
    const old = weekly({ recurrence: ['RRULE:FREQ=WEEKLY;UNTIL=20240318T035959Z'] });
    const a = weekly({ id: 'wk_a', start: '2024-03-19T10:00:00-04:00', end: '2024-03-19T10:30:00-04:00' });
    const b = weekly({ id: 'wk_b', start: '2024-03-21T10:00:00-04:00', end: '2024-03-21T10:30:00-04:00' });
    const other = weekly({ id: 'wk_ruth', attendees: [{ email: MAYA }, { email: RUTH }], start: '2024-03-19T10:00:00-04:00', end: '2024-03-19T10:30:00-04:00' });
    expect(detectSplits(analyze(scenario([old, a, b, other])))).toEqual({ splits: [], ambiguous: ['wk'] });
  });
});

describe('output order', () => {
  it('is chronological and independent of input order', () => {
    const events = ['2024-03-09', '2024-03-07', '2024-03-08'].map((day, k) =>
      oneOnOne({ id: `x${k}`, start: `${day}T15:00:00Z`, end: `${day}T15:30:00Z` }),
    );
    const s: Scenario = scenario(events);
    const d = scan(s);
    expect(d.events.map((e) => e.id)).toEqual(['x1', 'x2', 'x0']);
    expect(d.actions.map((a) => a.eventId)).toEqual(['x1', 'x2', 'x0']);
    expect(scan(scenario([...events].reverse()))).toEqual(d);
  });

  it('breaks ties in start time by id', () => {
    const events = ['b', 'c', 'a'].map((id) => oneOnOne({ id }));
    expect(scan(scenario(events)).events.map((e) => e.id)).toEqual(['a', 'b', 'c']);
  });
});
