// Cadence figures per report (docs/architecture.md §5 "Cadence"): edge cases the issue names (no
// meetings, one meeting, irregular spacing) and the tenure rules.
import { describe, expect, it } from 'vitest';
import { cadenceLine, cadenceStats, parseStartDate, suggestedCadence } from '../../../src-shared/engine/cadence-health';

const DAY = 86_400_000;
const NOW = Date.parse('2026-03-20T12:00:00Z');
const at = (daysAgo: number, state: 'scheduled' | 'cancelled' | 'archived' = 'scheduled') => ({ start: NOW - daysAgo * DAY, state });

describe('cadenceStats', () => {
  it('no meetings: nothing held, never met; overdue only once tenure passes the expected interval', () => {
    const none = cadenceStats([], NOW);
    expect(none).toMatchObject({ held: 0, averageIntervalDays: null, daysSinceLast: null, overdue: false, expected: 'biweekly' });
    expect(cadenceLine(none)).toBe('0 in 90 days · never met');
    // Started 8 days ago: weekly expected, a first 1:1 is a day late.
    expect(cadenceStats([], NOW, { startDate: '2026-03-12' })).toMatchObject({ expected: 'weekly', overdue: true });
    expect(cadenceStats([], NOW, { startDate: '2026-03-15' })).toMatchObject({ expected: 'weekly', overdue: false });
  });

  it('one meeting: held once, no average, days since it; overdue past the interval', () => {
    expect(cadenceStats([at(10)], NOW)).toMatchObject({ held: 1, averageIntervalDays: null, daysSinceLast: 10, overdue: false });
    expect(cadenceStats([at(15)], NOW)).toMatchObject({ daysSinceLast: 15, overdue: true, expectedDays: 14 });
    // A meeting only in the future is not held; the next one is reported.
    const future = cadenceStats([{ start: NOW + 2 * DAY, state: 'scheduled' }], NOW);
    expect(future).toMatchObject({ held: 0, daysSinceLast: null, nextStart: NOW + 2 * DAY });
  });

  it('irregular spacing: the mean interval; cancelled meetings and ones past 90 days do not count as held', () => {
    const s = cadenceStats([at(60), at(45), at(44), at(20), at(3), at(30, 'cancelled'), at(120), at(2, 'archived')], NOW);
    expect(s.held).toBe(6);
    // From 60 to 2 days ago over five gaps.
    expect(s.averageIntervalDays).toBe(11.6);
    expect(s.daysSinceLast).toBe(2);
    // The 120-day-old meeting still dates "last met" when it is the only one.
    expect(cadenceStats([at(120)], NOW)).toMatchObject({ held: 0, daysSinceLast: 120, overdue: true });
  });

  it('counts calendar days in the user\'s zone: late last night is yesterday', () => {
    const berlin = { kind: 'iana', name: 'Europe/Berlin' } as const;
    const honolulu = { kind: 'iana', name: 'Pacific/Honolulu' } as const;
    const lastNight = Date.parse('2026-03-20T06:00:00Z'); // 20:00 on the 19th in Honolulu
    const morning = Date.parse('2026-03-20T18:00:00Z'); // 08:00 on the 20th there
    expect(cadenceStats([{ start: lastNight, state: 'scheduled' }], morning, { zone: honolulu }).daysSinceLast).toBe(1);
    // The same two instants fall on one day in UTC.
    expect(cadenceStats([{ start: lastNight, state: 'scheduled' }], morning).daysSinceLast).toBe(0);
    // Tenure from the start date to today's date there.
    const berlinNight = Date.parse('2026-03-19T23:30:00Z'); // 00:30 on the 20th in Berlin, the 19th in UTC
    expect(cadenceStats([], berlinNight, { zone: berlin, startDate: '2026-03-12' })).toMatchObject({ overdue: true, expected: 'weekly' });
    expect(cadenceStats([], berlinNight, { startDate: '2026-03-12' }).overdue).toBe(false);
  });

  it('a weekly report is overdue on day 8, not day 7', () => {
    const rules = [{ maxTenureDays: 100_000, cadence: 'weekly' as const }];
    expect(cadenceStats([at(7)], NOW, { rules }).overdue).toBe(false);
    expect(cadenceStats([at(8)], NOW, { rules }).overdue).toBe(true);
  });
});

describe('suggestedCadence', () => {
  it('defaults: weekly in the first 90 days, every two weeks after, biweekly when tenure is unknown', () => {
    expect(suggestedCadence(0)).toBe('weekly');
    expect(suggestedCadence(89)).toBe('weekly');
    expect(suggestedCadence(90)).toBe('biweekly');
    expect(suggestedCadence(undefined)).toBe('biweekly');
  });
  it('follows configured rules in tenure order, the last one past all of them', () => {
    const rules = [
      { maxTenureDays: 365, cadence: 'biweekly' as const },
      { maxTenureDays: 30, cadence: 'weekly' as const },
      { maxTenureDays: 730, cadence: 'monthly' as const },
    ];
    expect(suggestedCadence(10, rules)).toBe('weekly');
    expect(suggestedCadence(100, rules)).toBe('biweekly');
    expect(suggestedCadence(5000, rules)).toBe('monthly');
    expect(suggestedCadence(10, [])).toBe('weekly');
  });
  it('reads only real YYYY-MM-DD dates', () => {
    expect(parseStartDate('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
    for (const bad of ['2023-02-29', '2024-13-01', '', 'yesterday', '2024-1-1', '2024-01-01T00:00:00Z']) expect(parseStartDate(bad)).toBeUndefined();
  });
});
