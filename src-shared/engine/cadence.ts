// How regularly two people meet (docs/architecture.md §3): read from the rule when there is one, otherwise
// inferred from the spacing of the instances we can see.
import type { Cadence } from './model';
import type { RRule } from './rrule';
import { DAY_MS } from './time';

/** Weekly with interval 1, 2 or 3, or monthly (interval 1); any other rule is irregular. */
export function cadenceFromRule(rules: readonly RRule[]): Cadence | undefined {
  if (rules.length !== 1) return rules.length === 0 ? undefined : 'irregular';
  const r = rules[0] as RRule;
  if (r.freq === 'WEEKLY') {
    if (r.interval === 1) return 'weekly';
    if (r.interval === 2) return 'biweekly';
    if (r.interval === 3) return 'triweekly';
  }
  if (r.freq === 'MONTHLY' && r.interval === 1) return 'monthly';
  return 'irregular';
}

const PERIODS: { cadence: Cadence; days: number; tolerance: number }[] = [
  { cadence: 'weekly', days: 7, tolerance: 1 },
  { cadence: 'biweekly', days: 14, tolerance: 1.5 },
  { cadence: 'triweekly', days: 21, tolerance: 1.5 },
  // "Second Tuesday of the month" is 28 or 35 days apart.
  { cadence: 'monthly', days: 30.44, tolerance: 5 },
];

/**
 * The period whose band holds the median gap, provided at least two thirds of the gaps are a
 * whole number of those periods (a skipped week keeps a weekly series weekly). Two starts at
 * least are needed.
 */
export function inferCadence(startsMs: readonly number[]): Cadence {
  const starts = [...new Set(startsMs)].sort((a, b) => a - b);
  if (starts.length < 2) return 'irregular';
  const gaps: number[] = [];
  for (let i = 1; i < starts.length; i++) gaps.push(((starts[i] as number) - (starts[i - 1] as number)) / DAY_MS);
  const sorted = [...gaps].sort((a, b) => a - b);
  const median = sorted[Math.floor((sorted.length - 1) / 2)] as number;
  const period = PERIODS.find((p) => Math.abs(median - p.days) <= p.tolerance);
  if (!period) return 'irregular';
  const fits = gaps.filter((g) => {
    const k = Math.round(g / period.days);
    return k >= 1 && Math.abs(g - k * period.days) <= period.tolerance * k;
  }).length;
  return fits * 3 >= gaps.length * 2 ? period.cadence : 'irregular';
}
