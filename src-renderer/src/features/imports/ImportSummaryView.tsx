// After an import: events seen, 1:1s found, what was skipped and why, and the way to the details.
import { REASON_CODES } from '../../../../src-shared/engine/model';
import { hashForSubpage } from '../../state/navigation';
import type { ImportSummary } from './ingest-port';
import { REASON_SHORT } from './reasons';

const n = (count: number, one: string, many = `${one}s`) =>
  `${count.toLocaleString()} ${count === 1 ? one : many}`;

export function ImportSummaryView({ summary }: { summary: ImportSummary }) {
  const skipped = REASON_CODES.filter((r) => (summary.skipped[r] ?? 0) > 0 && r !== 'OUTSIDE_WINDOW');
  return (
    <div className="import-summary" data-testid="import-summary">
      <p className="import-summary__head">
        Last import: <strong>{n(summary.eventsSeen, 'event')}</strong> seen,{' '}
        <strong>{n(summary.oneOnOnes, '1:1')}</strong> found.
      </p>
      {skipped.length > 0 ? (
        <ul className="import-summary__skipped" aria-label="Skipped events by reason">
          {skipped.map((r) => (
            <li key={r}>
              {(summary.skipped[r] ?? 0).toLocaleString()} {REASON_SHORT[r]}
            </li>
          ))}
        </ul>
      ) : null}
      <a className="import-summary__link" href={hashForSubpage('settings', 'diagnostics')}>
        Why isn’t my 1:1 showing?
      </a>
    </div>
  );
}
