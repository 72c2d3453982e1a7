// "This and following" splits at the edges the first detector missed (docs/architecture.md §4): a split that moves
// the rest of the series EARLIER than the old part's end, and a split moving it LATER whose next
// occurrence lies just past the window's far end. Events are shaped as Google returns them after
// the edit: the old master gets UNTIL one second before the edited slot, the new master is named
// `${old}_R${local start of the edited slot}` and starts at the moved time. Every row also checks
// that applying the actions and scanning again gives no actions.
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src-shared/engine/analyze';
import type { Action, CalendarEvent, ScanMeeting } from '../../../src-shared/engine/model';
import { scan } from '../../../src-shared/engine/scan';
import { detectSplits } from '../../../src-shared/engine/series';
import { LEE, MAYA, meeting, oneOnOne, scenario, settle } from './helpers';

// Window: 2026-10-19T12:00Z .. 2026-12-16T12:00Z. 10:00 New York is 15:00Z all through it.
const NOW = '2026-11-18T12:00:00Z';
const TITLE = '1:1 Maya <> Lee';
// The weekly Monday series, edited "this and following" at its 30 November slot (15:00Z).
const OLD_UNTIL = 'UNTIL=20261130T145959Z';
const NEW_ID = 'wk_R20261130T100000';

const master = (id: string, start: string, rule: string): CalendarEvent =>
  oneOnOne({
    id,
    title: TITLE,
    // New York leaves daylight time on 1 November 2026.
    start: `${start}T10:00:00${start < '2026-11-01' ? '-04:00' : '-05:00'}`,
    end: `${start}T10:30:00${start < '2026-11-01' ? '-04:00' : '-05:00'}`,
    timeZone: 'America/New_York',
    recurrence: [rule],
    attendees: [
      { email: MAYA, response: 'accepted' },
      { email: LEE, response: 'accepted' },
    ],
  });
const oldMonday = (rule = `RRULE:FREQ=WEEKLY;BYDAY=MO;${OLD_UNTIL}`) => master('wk', '2026-11-02', rule);

/** A meeting the app made for an occurrence of the old Monday series (10:00 New York, 15:00Z). */
const slot = (id: string, day: string, overrides: Partial<ScanMeeting> = {}): ScanMeeting => {
  const instanceStart = `${day}T15:00:00.000Z`;
  return meeting({
    id,
    participants: [MAYA, LEE],
    title: TITLE,
    start: instanceStart,
    end: `${day}T15:30:00.000Z`,
    link: { eventId: 'wk', instanceStart },
    ...overrides,
  });
};
const history = [slot('m02', '2026-11-02'), slot('m09', '2026-11-09'), slot('m16', '2026-11-16'), slot('m23', '2026-11-23')];
const link = (meetingId: string, eventId: string, day: string): Action => ({ op: 'link', eventId, instanceStart: `${day}T15:00:00.000Z`, meetingId });
const create = (eventId: string, day: string): Action => ({ op: 'create', eventId, instanceStart: `${day}T15:00:00.000Z` });

interface Row {
  name: string;
  events: CalendarEvent[];
  meetings: ScanMeeting[];
  now?: string;
  splits: { from: string; to: string }[];
  actions: Action[];
}

describe('a split that moves the series earlier', () => {
  const rows: Row[] = [
    {
      name: 'Monday → Friday from 27 November (3 days before the old slot): every future meeting moves to its Friday',
      events: [oldMonday(), master(NEW_ID, '2026-11-27', 'RRULE:FREQ=WEEKLY;BYDAY=FR')],
      meetings: [...history, slot('m30', '2026-11-30', { hasContent: true }), slot('d07', '2026-12-07'), slot('d14', '2026-12-14', { hasContent: true })],
      splits: [{ from: 'wk', to: NEW_ID }],
      actions: [link('m30', NEW_ID, '2026-11-27'), link('d07', NEW_ID, '2026-12-04'), link('d14', NEW_ID, '2026-12-11')],
    },
    {
      name: 'Monday → previous Tuesday (6 days earlier, still within one weekly period)',
      events: [oldMonday(), master(NEW_ID, '2026-11-24', 'RRULE:FREQ=WEEKLY;BYDAY=TU')],
      meetings: [...history, slot('m30', '2026-11-30'), slot('d07', '2026-12-07'), slot('d14', '2026-12-14')],
      splits: [{ from: 'wk', to: NEW_ID }],
      actions: [link('m30', NEW_ID, '2026-11-24'), link('d07', NEW_ID, '2026-12-01'), link('d14', NEW_ID, '2026-12-08'), create(NEW_ID, '2026-12-15')],
    },
    {
      name: 'biweekly Monday → Wednesday 12 days earlier (within one biweekly period)',
      events: [
        master('wk', '2026-10-19', `RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO;${OLD_UNTIL}`),
        master(NEW_ID, '2026-11-18', 'RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=WE'),
      ],
      meetings: [slot('o19', '2026-10-19', { start: '2026-10-19T14:00:00.000Z', end: '2026-10-19T14:30:00.000Z', link: { eventId: 'wk', instanceStart: '2026-10-19T14:00:00.000Z' } }), slot('m02', '2026-11-02'), slot('m16', '2026-11-16'), slot('m30', '2026-11-30'), slot('d14', '2026-12-14')],
      splits: [{ from: 'wk', to: NEW_ID }],
      actions: [link('m30', NEW_ID, '2026-11-18'), link('d14', NEW_ID, '2026-12-02')],
    },
    {
      name: 'not a split: a Friday series that started 17 days before the Monday one ended runs alongside it',
      events: [oldMonday(), master('fri', '2026-11-13', 'RRULE:FREQ=WEEKLY;BYDAY=FR')],
      meetings: [...history, slot('m30', '2026-11-30'), slot('d07', '2026-12-07', { hasContent: true })],
      splits: [],
      actions: [
        create('fri', '2026-11-13'),
        create('fri', '2026-11-20'),
        create('fri', '2026-11-27'),
        { op: 'delete', eventId: 'wk', instanceStart: '2026-11-30T15:00:00.000Z', meetingId: 'm30' },
        create('fri', '2026-12-04'),
        { op: 'unlink', eventId: 'wk', instanceStart: '2026-12-07T15:00:00.000Z', meetingId: 'd07' },
        create('fri', '2026-12-11'),
      ],
    },
  ];

  it.each(rows)('$name', (row) => {
    const s = scenario(row.events, { now: row.now ?? NOW, meetings: row.meetings });
    expect(detectSplits(analyze(s))).toEqual({ splits: row.splits, ambiguous: [] });
    const { first, second } = settle(s);
    expect(first.actions).toEqual(row.actions);
    expect(second.actions).toEqual([]);
  });
});

describe('a split that moves the series later, near the far end of the window', () => {
  // Monday → Thursday from 3 December. On 18 November the window ends 16 December 12:00Z, so the
  // Monday 14 December meeting's continuation (Thursday 17 December, 15:00Z) is not in it yet.
  const thursday = (rule = 'RRULE:FREQ=WEEKLY;BYDAY=TH') => master(NEW_ID, '2026-12-03', rule);
  const DAYS = ['2026-11-18T12:00:00Z', '2026-11-19T12:00:00Z', '2026-11-20T12:00:00Z', '2026-11-21T12:00:00Z'];

  /** Scans once a day (applying each day's actions) and returns each day's actions. */
  function daily(events: CalendarEvent[], meetings: ScanMeeting[]): { days: Action[][]; meetings: ScanMeeting[] } {
    const days: Action[][] = [];
    let current = meetings;
    for (const now of DAYS) {
      const { first, meetings: after, second } = settle(scenario(events, { now, meetings: current }));
      expect(second.actions).toEqual([]);
      days.push(first.actions);
      current = after;
    }
    return { days, meetings: current };
  }

  const rows: { name: string; events: CalendarEvent[]; meetings: ScanMeeting[]; days: Action[][] }[] = [
    {
      name: 'the last in-window Monday meeting waits (no action) until Thursday 17 December enters, then moves to it',
      events: [oldMonday(), thursday()],
      meetings: [...history, slot('m30', '2026-11-30'), slot('d07', '2026-12-07'), slot('d14', '2026-12-14')],
      days: [[link('m30', NEW_ID, '2026-12-03'), link('d07', NEW_ID, '2026-12-10')], [], [link('d14', NEW_ID, '2026-12-17')], []],
    },
    {
      name: 'the same with content: never unlinked, moved when its Thursday enters',
      events: [oldMonday(), thursday()],
      meetings: [...history, slot('m30', '2026-11-30'), slot('d07', '2026-12-07'), slot('d14', '2026-12-14', { hasContent: true })],
      days: [[link('m30', NEW_ID, '2026-12-03'), link('d07', NEW_ID, '2026-12-10')], [], [link('d14', NEW_ID, '2026-12-17')], []],
    },
    {
      name: 'a new series that ends before 17 December has no continuation for it: the meeting goes at once',
      events: [oldMonday(), thursday('RRULE:FREQ=WEEKLY;BYDAY=TH;COUNT=2')],
      meetings: [...history, slot('m30', '2026-11-30'), slot('d07', '2026-12-07'), slot('d14', '2026-12-14')],
      days: [
        [
          link('m30', NEW_ID, '2026-12-03'),
          link('d07', NEW_ID, '2026-12-10'),
          { op: 'delete', eventId: 'wk', instanceStart: '2026-12-14T15:00:00.000Z', meetingId: 'd14' },
        ],
        [],
        [],
        [],
      ],
    },
  ];

  it.each(rows)('$name', (row) => {
    const { days, meetings } = daily(row.events, row.meetings);
    expect(days).toEqual(row.days);
    // Nothing lost or duplicated: one meeting per Thursday that has entered the window.
    const thursdays = meetings.filter((m) => m.link?.eventId === NEW_ID).map((m) => m.start);
    expect(new Set(thursdays).size).toBe(thursdays.length);
  });

  it('does not depend on the order of events or meetings', () => {
    const events = [oldMonday(), thursday()];
    const meetings = [...history, slot('m30', '2026-11-30'), slot('d07', '2026-12-07'), slot('d14', '2026-12-14')];
    const s = scenario(events, { now: NOW, meetings });
    expect(scan(scenario([...events].reverse(), { now: NOW, meetings: [...meetings].reverse() }))).toEqual(scan(s));
  });
});
