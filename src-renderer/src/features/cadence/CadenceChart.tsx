// A small chart per person (docs/architecture.md §5 "Cadence"): meetings held over the last 90 days
// as a rising step line against the straight line the expected cadence would draw. Inline SVG with
// one accessible label that says the same in words.
import { CADENCE_WORDS, HISTORY_DAYS, type CadenceStats } from '../../../../src-shared/engine/cadence-health';
import { DAY_MS } from '../../../../src-shared/engine/time';

const W = 96;
const H = 28;
const PAD = 2;

export function cadenceChartLabel(name: string, s: CadenceStats): string {
  const expected = Math.floor(HISTORY_DAYS / s.expectedDays);
  return `Meetings with ${name} over the last ${HISTORY_DAYS} days: ${s.held} held, about ${expected} expected (${CADENCE_WORDS[s.expected]}).`;
}

export function CadenceChart({ name, stats, now }: { name: string; stats: CadenceStats; now: number }) {
  const from = now - HISTORY_DAYS * DAY_MS;
  const expectedTotal = HISTORY_DAYS / stats.expectedDays;
  const top = Math.max(expectedTotal, stats.held, 1);
  const x = (t: number) => PAD + ((t - from) / (now - from)) * (W - 2 * PAD);
  const y = (n: number) => H - PAD - (n / top) * (H - 2 * PAD);
  let d = `M${x(from).toFixed(1)},${y(0).toFixed(1)}`;
  stats.heldStarts.forEach((t, i) => {
    d += ` H${x(t).toFixed(1)} V${y(i + 1).toFixed(1)}`;
  });
  d += ` H${x(now).toFixed(1)}`;
  return (
    <svg className="cadence__chart" width={W} height={H} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={cadenceChartLabel(name, stats)}>
      <line x1={x(from)} y1={y(0)} x2={x(now)} y2={y(expectedTotal)} stroke="currentColor" strokeOpacity={0.35} strokeDasharray="3 2" />
      <path d={d} fill="none" stroke={stats.overdue ? 'var(--danger, #b42318)' : 'var(--accent, #2563eb)'} strokeWidth={1.6} />
    </svg>
  );
}
