// One person's cadence in a line: what happened (held, average interval, days since the last 1:1),
// what the tenure rules expect, "Overdue" when beyond it, and the chart. Used on Team, the person
// page and Up next (docs/architecture.md §5 "Cadence").
import { CADENCE_WORDS, cadenceLine, type CadenceStats } from '../../../../src-shared/engine/cadence-health';
import { CadenceChart } from './CadenceChart';

export function CadenceSummary({ name, stats, now }: { name: string; stats: CadenceStats; now: number }) {
  return (
    <div className={`cadence${stats.overdue ? ' cadence--overdue' : ''}`} data-testid="cadence">
      <CadenceChart name={name} stats={stats} now={now} />
      <span className="cadence__words">
        {cadenceLine(stats)} · expected {CADENCE_WORDS[stats.expected]}
      </span>
      {stats.overdue ? <span className="badge badge--danger">Overdue</span> : null}
    </div>
  );
}
