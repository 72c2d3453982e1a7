// Recurring masters: expansion in the window, DST, EXDATE, explicit instances and moved or
// cancelled exceptions, and the rule subset. Expected instants are written out by hand.
import { describe, expect, it } from 'vitest';
import type { CalendarEvent, Decisions } from '../../../src-shared/engine/model';
import { expandRecurrence, parseRecurrence, RecurrenceError, seriesZone } from '../../../src-shared/engine/recurrence';
import { parseRRule, RuleError } from '../../../src-shared/engine/rrule';
import { scan } from '../../../src-shared/engine/scan';
import { LEE, MAYA, decisionOf, oneOnOne, scenario } from './helpers';

function master(overrides: Partial<CalendarEvent>): CalendarEvent {
  return oneOnOne({
    id: 'series-lee',
    title: '1:1 Maya <> Lee',
    start: '2024-02-05T10:00:00-05:00',
    end: '2024-02-05T10:30:00-05:00',
    attendees: [{ email: MAYA, response: 'accepted' }, { email: LEE, response: 'accepted' }],
    recurrence: ['RRULE:FREQ=WEEKLY;BYDAY=MO'],
    timeZone: 'America/New_York',
    ...overrides,
  });
}

/** The instanceStart of every `create` for `eventId`, in order. */
function creates(d: Decisions, eventId: string): string[] {
  return d.actions.filter((a) => a.op === 'create' && a.eventId === eventId).map((a) => a.instanceStart ?? '(no instanceStart)');
}

const MARCH_SERIES = [
  '2024-02-12T15:00:00.000Z',
  '2024-02-19T15:00:00.000Z',
  '2024-02-26T15:00:00.000Z',
  '2024-03-04T15:00:00.000Z',
  // 10 March 2024: New York moves to daylight time; 10:00 stays 10:00.
  '2024-03-11T14:00:00.000Z',
  '2024-03-18T14:00:00.000Z',
  '2024-03-25T14:00:00.000Z',
  '2024-04-01T14:00:00.000Z',
];

describe('DST-crossing weekly series keep their wall-clock time', () => {
  it('March change, zone from the event (Google start.timeZone)', () => {
    const d = scan(scenario([master({})]));
    expect(creates(d, 'series-lee')).toEqual(MARCH_SERIES);
    // Feb 5 itself is 2 h before the window opens (now − 30 days).
  });

  it('March change, zone from a DTSTART;TZID line (it wins over timeZone)', () => {
    const d = scan(scenario([master({ timeZone: 'Europe/London', recurrence: ['DTSTART;TZID=America/New_York:20240205T100000', 'RRULE:FREQ=WEEKLY;BYDAY=MO'] })]));
    expect(creates(d, 'series-lee')).toEqual(MARCH_SERIES);
  });

  it('without any zone the master keeps its fixed UTC offset (documented)', () => {
    const d = scan(scenario([master({ timeZone: undefined })]));
    expect(creates(d, 'series-lee')).toEqual(MARCH_SERIES.map((s) => s.replace('T14:', 'T15:')));
  });

  it('November change', () => {
    const ev = master({
      start: '2024-10-03T09:30:00-04:00',
      end: '2024-10-03T10:00:00-04:00',
      recurrence: ['RRULE:FREQ=WEEKLY;BYDAY=TH'],
    });
    const d = scan(scenario([ev], { now: '2024-10-30T12:00:00Z' }));
    expect(creates(d, 'series-lee')).toEqual([
      '2024-10-03T13:30:00.000Z',
      '2024-10-10T13:30:00.000Z',
      '2024-10-17T13:30:00.000Z',
      '2024-10-24T13:30:00.000Z',
      '2024-10-31T13:30:00.000Z',
      '2024-11-07T14:30:00.000Z',
      '2024-11-14T14:30:00.000Z',
      '2024-11-21T14:30:00.000Z',
    ]);
  });
});

describe('recurring masters in a scan', () => {
  it('are judged once: one entry, one series, actions carry the master id and instanceStart', () => {
    const d = scan(scenario([master({})]));
    expect(d.events).toEqual([{ id: 'series-lee', oneOnOne: true, reasons: [], counterpart: LEE }]);
    expect(d.series).toEqual([{ eventId: 'series-lee', cadence: 'weekly', counterpart: LEE }]);
    expect(d.actions.every((a) => a.eventId === 'series-lee' && a.instanceStart !== undefined)).toBe(true);
  });

  it('EXDATE in the series zone, in UTC and as a date all remove their occurrence', () => {
    const ev = master({
      recurrence: [
        'RRULE:FREQ=WEEKLY;BYDAY=MO',
        'EXDATE;TZID=America/New_York:20240318T100000',
        'EXDATE:20240325T140000Z',
        'EXDATE;VALUE=DATE:20240401',
      ],
    });
    expect(creates(scan(scenario([ev])), 'series-lee')).toEqual(MARCH_SERIES.slice(0, 5));
  });

  it('a moved exception replaces its occurrence and produces its own action', () => {
    const moved = oneOnOne({
      id: 'series-lee_20240311T140000Z',
      title: '1:1 Maya <> Lee (moved)',
      recurringEventId: 'series-lee',
      originalStart: '2024-03-11T10:00:00-04:00',
      start: '2024-03-12T11:00:00-04:00',
      end: '2024-03-12T11:30:00-04:00',
      attendees: [{ email: MAYA }, { email: LEE }],
    });
    const d = scan(scenario([master({}), moved]));
    expect(creates(d, 'series-lee')).toEqual(MARCH_SERIES.filter((s) => s !== '2024-03-11T14:00:00.000Z'));
    expect(creates(d, moved.id)).toEqual(['(no instanceStart)']);
    expect(d.series.map((s) => s.eventId)).toEqual(['series-lee']);
  });

  it('a cancelled instance removes its occurrence and is itself CANCELLED', () => {
    const cancelled = oneOnOne({
      id: 'series-lee_20240318T140000Z',
      status: 'cancelled',
      recurringEventId: 'series-lee',
      originalStart: '2024-03-18T14:00:00Z',
      start: '2024-03-18T14:00:00Z',
      end: '2024-03-18T14:00:00Z',
      title: '',
      attendees: [],
    });
    const d = scan(scenario([cancelled, master({})]));
    expect(creates(d, 'series-lee')).toEqual(MARCH_SERIES.filter((s) => s !== '2024-03-18T14:00:00.000Z'));
    expect(decisionOf(d, cancelled.id).reasons).toContain('CANCELLED');
    expect(creates(d, cancelled.id)).toEqual([]);
  });

  it('a master is OUTSIDE_WINDOW only when none of its occurrences is inside', () => {
    const ended = master({ recurrence: ['RRULE:FREQ=WEEKLY;UNTIL=20240201T000000Z'] });
    expect(decisionOf(scan(scenario([ended])), ended.id).reasons).toEqual(['OUTSIDE_WINDOW']);
    // Started two years ago and still running: inside, whatever its first start.
    const old = master({ start: '2022-02-07T10:00:00-05:00', end: '2022-02-07T10:30:00-05:00' });
    const d = scan(scenario([old]));
    expect(decisionOf(d, old.id).reasons).toEqual([]);
    expect(creates(d, old.id)).toEqual(MARCH_SERIES);
  });

  it('an occurrence that survives only as a cancelled instance leaves the master outside', () => {
    const last = master({ recurrence: ['RRULE:FREQ=WEEKLY;COUNT=2'], start: '2024-01-29T10:00:00-05:00', end: '2024-01-29T10:30:00-05:00' });
    // Occurrences: Jan 29 (outside) and Feb 5 15:00Z (outside: 2 h before the window).
    expect(decisionOf(scan(scenario([last])), last.id).reasons).toEqual(['OUTSIDE_WINDOW']);
    const inWindow = master({ recurrence: ['RRULE:FREQ=WEEKLY;COUNT=3'], start: '2024-01-29T10:00:00-05:00', end: '2024-01-29T10:30:00-05:00' });
    expect(decisionOf(scan(scenario([inWindow])), inWindow.id).reasons).toEqual([]);
    const cancelledThird = oneOnOne({ id: 'third', status: 'cancelled', recurringEventId: inWindow.id, originalStart: '2024-02-12T15:00:00Z', start: '2024-02-12T15:00:00Z', end: '2024-02-12T15:30:00Z', attendees: [] });
    expect(decisionOf(scan(scenario([inWindow, cancelledThird])), inWindow.id).reasons).toEqual(['OUTSIDE_WINDOW']);
  });

  it('window bounds are inclusive for occurrences too', () => {
    // Window: 2024-02-05T17:00Z … 2024-04-03T17:00Z.
    const first = master({ start: '2024-01-29T12:00:00-05:00', end: '2024-01-29T12:30:00-05:00' });
    expect(creates(scan(scenario([first])), first.id)[0]).toBe('2024-02-05T17:00:00.000Z');
    const last = master({ start: '2024-03-13T13:00:00-04:00', end: '2024-03-13T13:30:00-04:00', recurrence: ['RRULE:FREQ=WEEKLY'] });
    expect(creates(scan(scenario([last])), last.id).at(-1)).toBe('2024-04-03T17:00:00.000Z');
  });

  it('instances without their master are judged and acted on one by one', () => {
    const instances = ['2024-03-04', '2024-03-11'].map((day, k) =>
      oneOnOne({
        id: `inst${k}`,
        recurringEventId: 'absent-master',
        originalStart: `${day}T15:00:00Z`,
        start: `${day}T15:00:00Z`,
        end: `${day}T15:30:00Z`,
        attendees: [{ email: MAYA }, { email: LEE }],
      }),
    );
    const d = scan(scenario(instances));
    expect(d.actions).toEqual([
      { op: 'create', eventId: 'inst0' },
      { op: 'create', eventId: 'inst1' },
    ]);
    expect(d.series).toEqual([{ eventId: 'absent-master', cadence: 'weekly', counterpart: LEE }]);
  });
});

describe('rule expansion', () => {
  const NY = { kind: 'iana', name: 'America/New_York' } as const;
  const from = Date.parse('2024-02-05T17:00:00Z');
  const to = Date.parse('2024-04-03T17:00:00Z');
  const expand = (lines: string[], start: string, zone: Parameters<typeof expandRecurrence>[2] = NY, f = from, t = to) =>
    expandRecurrence(parseRecurrence(lines), Date.parse(start), zone, f, t).map((ms) => new Date(ms).toISOString());

  const cases: { name: string; lines: string[]; start: string; expected: string[] }[] = [
    {
      name: 'INTERVAL=2 (biweekly)',
      lines: ['RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO'],
      start: '2024-02-05T10:00:00-05:00',
      expected: ['2024-02-19T15:00:00.000Z', '2024-03-04T15:00:00.000Z', '2024-03-18T14:00:00.000Z', '2024-04-01T14:00:00.000Z'],
    },
    {
      name: 'COUNT counts DTSTART',
      lines: ['RRULE:FREQ=WEEKLY;COUNT=3'],
      start: '2024-02-12T10:00:00-05:00',
      expected: ['2024-02-12T15:00:00.000Z', '2024-02-19T15:00:00.000Z', '2024-02-26T15:00:00.000Z'],
    },
    {
      name: 'UNTIL is inclusive',
      lines: ['RRULE:FREQ=WEEKLY;UNTIL=20240226T150000Z'],
      start: '2024-02-12T10:00:00-05:00',
      expected: ['2024-02-12T15:00:00.000Z', '2024-02-19T15:00:00.000Z', '2024-02-26T15:00:00.000Z'],
    },
    {
      name: 'UNTIL as a date includes that day',
      lines: ['RRULE:FREQ=WEEKLY;UNTIL=20240226'],
      start: '2024-02-12T10:00:00-05:00',
      expected: ['2024-02-12T15:00:00.000Z', '2024-02-19T15:00:00.000Z', '2024-02-26T15:00:00.000Z'],
    },
    {
      name: 'monthly on the second Tuesday',
      lines: ['RRULE:FREQ=MONTHLY;BYDAY=2TU'],
      start: '2024-01-09T10:00:00-05:00',
      expected: ['2024-02-13T15:00:00.000Z', '2024-03-12T14:00:00.000Z'],
    },
    {
      name: 'monthly on the last weekday (BYSETPOS=-1, as Graph relativeMonthly "last")',
      lines: ['RRULE:FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1'],
      start: '2024-01-31T10:00:00-05:00',
      expected: ['2024-02-29T15:00:00.000Z', '2024-03-29T14:00:00.000Z'],
    },
    {
      name: 'BYMONTHDAY=31 skips shorter months',
      lines: ['RRULE:FREQ=MONTHLY;BYMONTHDAY=31'],
      start: '2024-01-31T10:00:00-05:00',
      expected: ['2024-03-31T14:00:00.000Z'],
    },
    {
      name: 'weekly on two days with WKST=SU',
      lines: ['RRULE:FREQ=WEEKLY;INTERVAL=4;BYDAY=TU,TH;WKST=SU'],
      start: '2024-02-06T09:00:00-05:00',
      expected: ['2024-02-06T14:00:00.000Z', '2024-02-08T14:00:00.000Z', '2024-03-05T14:00:00.000Z', '2024-03-07T14:00:00.000Z', '2024-04-02T13:00:00.000Z'],
    },
    {
      name: 'yearly',
      lines: ['RRULE:FREQ=YEARLY'],
      start: '2020-02-20T10:00:00-05:00',
      expected: ['2024-02-20T15:00:00.000Z'],
    },
    {
      name: 'RDATE adds an occurrence',
      lines: ['RRULE:FREQ=WEEKLY;COUNT=1', 'RDATE;TZID=America/New_York:20240301T160000'],
      start: '2024-02-12T10:00:00-05:00',
      expected: ['2024-02-12T15:00:00.000Z', '2024-03-01T21:00:00.000Z'],
    },
    {
      name: 'a time skipped by the spring gap moves forward an hour (RFC 5545)',
      lines: ['RRULE:FREQ=DAILY;COUNT=3'],
      start: '2024-03-09T02:30:00-05:00',
      expected: ['2024-03-09T07:30:00.000Z', '2024-03-10T07:30:00.000Z', '2024-03-11T06:30:00.000Z'],
    },
  ];
  it.each(cases)('$name', ({ lines, start, expected }) => {
    expect(expand(lines, start)).toEqual(expected);
  });

  it('WKST decides which weeks an INTERVAL skips (RFC 5545 example)', () => {
    const utc = { kind: 'fixed', offsetMinutes: 0 } as const;
    const window = [Date.parse('1997-08-01T00:00:00Z'), Date.parse('1997-09-30T00:00:00Z')] as const;
    const mo = expand(['RRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO'], '1997-08-05T09:00:00Z', utc, ...window);
    const su = expand(['RRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU'], '1997-08-05T09:00:00Z', utc, ...window);
    expect(mo.map((s) => s.slice(0, 10))).toEqual(['1997-08-05', '1997-08-10', '1997-08-19', '1997-08-24']);
    expect(su.map((s) => s.slice(0, 10))).toEqual(['1997-08-05', '1997-08-17', '1997-08-19', '1997-08-31']);
  });

  it('a time repeated by the autumn change takes its first occurrence', () => {
    const got = expand(['RRULE:FREQ=DAILY;COUNT=3'], '2024-11-02T01:30:00-04:00', NY, Date.parse('2024-11-01T00:00:00Z'), Date.parse('2024-11-30T00:00:00Z'));
    expect(got).toEqual(['2024-11-02T05:30:00.000Z', '2024-11-03T05:30:00.000Z', '2024-11-04T06:30:00.000Z']);
  });

  it('skipping ahead to the window gives what counting from DTSTART gives', () => {
    const start = '2019-06-03T10:00:00-04:00';
    const open = expand(['RRULE:FREQ=WEEKLY;INTERVAL=3;BYDAY=MO,WE'], start);
    const counted = expand(['RRULE:FREQ=WEEKLY;INTERVAL=3;BYDAY=MO,WE;COUNT=100000'], start);
    expect(open.length).toBeGreaterThan(0);
    expect(open).toEqual(counted);
  });

  it('skipping ahead never loses or invents an occurrence, for any rule and start', () => {
    const rules = ['FREQ=DAILY', 'FREQ=WEEKLY', 'FREQ=WEEKLY;BYDAY=MO,FR', 'FREQ=MONTHLY', 'FREQ=MONTHLY;BYDAY=-1FR', 'FREQ=YEARLY;BYMONTH=2,3'];
    let compared = 0;
    for (const rule of rules) {
      for (const interval of [1, 2, 3]) {
        for (let daysBefore = 0; daysBefore < 1200; daysBefore += 23) {
          const start = new Date(from - daysBefore * 86_400_000 + 5 * 3_600_000).toISOString();
          const open = expand([`RRULE:${rule};INTERVAL=${interval}`], start);
          expect(expand([`RRULE:${rule};INTERVAL=${interval};COUNT=100000`], start)).toEqual(open);
          compared += open.length;
        }
      }
    }
    expect(compared).toBeGreaterThan(1000);
  });

  it('the series zone: DTSTART TZID, then timeZone, then the fixed offset of start', () => {
    expect(seriesZone(parseRecurrence(['DTSTART;TZID=Europe/Paris:20240101T100000']), 'America/New_York', '2024-01-01T10:00:00+01:00')).toEqual({ kind: 'iana', name: 'Europe/Paris' });
    expect(seriesZone(parseRecurrence([]), 'America/New_York', '2024-01-01T10:00:00-05:00')).toEqual({ kind: 'iana', name: 'America/New_York' });
    expect(seriesZone(parseRecurrence([]), undefined, '2024-01-01T10:00:00+05:30')).toEqual({ kind: 'fixed', offsetMinutes: 330 });
  });

  const invalid: [string, RegExp][] = [
    ['RRULE:FREQ=HOURLY', /unsupported FREQ/],
    ['RRULE:FREQ=WEEKLY;BYHOUR=9', /unsupported rule part BYHOUR/],
    ['RRULE:BYDAY=MO', /FREQ is missing/],
    ['RRULE:FREQ=WEEKLY;BYDAY=XX', /BYDAY/],
    ['RRULE:FREQ=WEEKLY;COUNT=2;UNTIL=20240101', /exclusive/],
    ['EXDATE;TZID=Mars/Olympus:20240101T100000', /unknown time zone/],
    ['EXDATE:2024-01-01', /not an iCalendar date/],
    ['EXRULE:FREQ=WEEKLY', /unsupported recurrence line EXRULE/],
  ];
  it.each(invalid)('refuses %s', (line, message) => {
    expect(() => parseRecurrence(['RRULE:FREQ=DAILY', line])).toThrow(RecurrenceError);
    expect(() => parseRecurrence(['RRULE:FREQ=DAILY', line])).toThrow(message);
  });

  it('parses every supported part', () => {
    expect(parseRRule('FREQ=MONTHLY;INTERVAL=2;BYDAY=-1FR,2MO;BYMONTHDAY=1,-1;BYMONTH=1,6;BYSETPOS=1;WKST=SU;COUNT=4')).toEqual({
      freq: 'MONTHLY',
      interval: 2,
      count: 4,
      byDay: [{ weekday: 5, ordinal: -1 }, { weekday: 1, ordinal: 2 }],
      byMonthDay: [1, -1],
      byMonth: [1, 6],
      bySetPos: [1],
      wkst: 0,
    });
    expect(() => parseRRule('FREQ=WEEKLY;INTERVAL=0')).toThrow(RuleError);
  });
});
