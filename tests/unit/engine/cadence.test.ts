// Cadence (docs/architecture.md §3): from the rule when there is one, else from the spacing of instances; and
// which masters and instance groups become series.
import { describe, expect, it } from 'vitest';
import { cadenceFromRule, inferCadence } from '../../../src-shared/engine/cadence';
import type { Cadence, CalendarEvent } from '../../../src-shared/engine/model';
import { parseRRule } from '../../../src-shared/engine/rrule';
import { scan } from '../../../src-shared/engine/scan';
import { LEE, MAYA, SAM, oneOnOne, scenario } from './helpers';

const DAY = 86_400_000;

describe('cadence from the rule', () => {
  const rows: [string, Cadence][] = [
    ['FREQ=WEEKLY', 'weekly'],
    ['FREQ=WEEKLY;INTERVAL=1;BYDAY=TH', 'weekly'],
    ['FREQ=WEEKLY;INTERVAL=2', 'biweekly'],
    ['FREQ=WEEKLY;INTERVAL=3;BYDAY=MO', 'triweekly'],
    ['FREQ=WEEKLY;INTERVAL=4', 'irregular'],
    ['FREQ=MONTHLY;BYDAY=2TU', 'monthly'],
    ['FREQ=MONTHLY;INTERVAL=2', 'irregular'],
    ['FREQ=DAILY', 'irregular'],
    ['FREQ=YEARLY', 'irregular'],
  ];
  it.each(rows)('%s → %s', (rule, cadence) => {
    expect(cadenceFromRule([parseRRule(rule)])).toBe(cadence);
  });
  it('no rule → undefined (inferred instead)', () => {
    expect(cadenceFromRule([])).toBeUndefined();
  });
});

describe('cadence inferred from spacing', () => {
  const t0 = Date.parse('2024-01-08T15:00:00Z');
  const series = (gapsDays: number[]) => gapsDays.reduce((acc, g) => [...acc, (acc.at(-1) as number) + g * DAY], [t0]);
  const rows: [string, number[], Cadence][] = [
    ['weekly', [7, 7, 7], 'weekly'],
    ['weekly across DST (6 days 23 hours)', [7, 7 - 1 / 24, 7], 'weekly'],
    ['weekly with a skipped week', [7, 14, 7, 7], 'weekly'],
    ['biweekly', [14, 14, 14], 'biweekly'],
    ['triweekly', [21, 21], 'triweekly'],
    ['monthly by weekday (28 and 35 days)', [35, 28, 28, 35, 28], 'monthly'],
    ['monthly by date', [31, 29, 31, 30], 'monthly'],
    ['one instance', [], 'irregular'],
    ['erratic', [2, 9, 30, 4, 17], 'irregular'],
    ['a weekly median but too many odd gaps', [7, 3, 7, 2, 10, 7], 'irregular'],
    ['daily', [1, 1, 1, 1], 'irregular'],
  ];
  it.each(rows)('%s', (_name, gaps, cadence) => {
    expect(inferCadence(series(gaps))).toBe(cadence);
  });
  it('does not depend on order or duplicates', () => {
    const s = series([7, 7, 7]);
    expect(inferCadence([...s].reverse().concat(s))).toBe('weekly');
  });
});

describe('series in the scan', () => {
  const instance = (k: number, gapDays: number, overrides: Partial<CalendarEvent> = {}) => {
    const start = Date.parse('2024-02-12T15:00:00Z') + k * gapDays * DAY;
    return oneOnOne({
      id: `i${k}`,
      recurringEventId: 'rec-sam',
      originalStart: new Date(start).toISOString(),
      start: new Date(start).toISOString(),
      end: new Date(start + 30 * 60_000).toISOString(),
      ...overrides,
    });
  };

  it('a group of instances without its master is a series named by recurringEventId', () => {
    const d = scan(scenario([0, 1, 2, 3].map((k) => instance(k, 14))));
    expect(d.series).toEqual([{ eventId: 'rec-sam', cadence: 'biweekly', counterpart: SAM }]);
  });

  it('a moved instance keeps the cadence of its original slot', () => {
    const moved = instance(2, 7, { start: '2024-02-28T20:00:00Z', end: '2024-02-28T20:30:00Z' });
    const d = scan(scenario([instance(0, 7), instance(1, 7), moved, instance(3, 7)]));
    expect(d.series).toEqual([{ eventId: 'rec-sam', cadence: 'weekly', counterpart: SAM }]);
  });

  it('a group with no 1:1 instance is not a series', () => {
    const group = [0, 1, 2].map((k) => instance(k, 7, { title: 'Standup' }));
    expect(scan(scenario(group)).series).toEqual([]);
  });

  it('a master that is not a 1:1 is not a series', () => {
    const standup = oneOnOne({
      id: 'standup',
      title: 'Team standup',
      start: '2024-02-05T09:00:00-05:00',
      end: '2024-02-05T09:15:00-05:00',
      recurrence: ['RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR'],
      attendees: [{ email: MAYA }, { email: SAM }, { email: LEE }],
    });
    expect(scan(scenario([standup])).series).toEqual([]);
  });

  it('a master with only RDATEs gets its cadence from its occurrences', () => {
    const ev = oneOnOne({
      id: 'rdates',
      start: '2024-02-13T10:00:00-05:00',
      end: '2024-02-13T10:30:00-05:00',
      recurrence: ['RDATE:20240227T150000Z,20240312T140000Z,20240326T140000Z'],
    });
    expect(scan(scenario([ev])).series).toEqual([{ eventId: 'rdates', cadence: 'biweekly', counterpart: SAM }]);
  });

  it('instances of a present master belong to the master', () => {
    const m = oneOnOne({
      id: 'rec-sam',
      start: '2024-02-12T10:00:00-05:00',
      end: '2024-02-12T10:30:00-05:00',
      recurrence: ['RRULE:FREQ=WEEKLY;INTERVAL=3'],
    });
    const d = scan(scenario([m, instance(0, 21), instance(1, 21)]));
    expect(d.series).toEqual([{ eventId: 'rec-sam', cadence: 'triweekly', counterpart: SAM }]);
  });
});
