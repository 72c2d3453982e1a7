// Up next's cadence block (docs/architecture.md §5 "Cadence"): each direct report (everyone, when
// nobody is marked as one), overdue first, with their figures and chart.
import { CadenceSummary } from './CadenceSummary';
import { useCadence } from './use-cadence';
import { useDb } from '../../app/services';
import { useLiveDocs } from '../../db/live-query';
import { useMemo } from 'react';
import type { PersonDoc } from '../../db/schemas';
import { personHash } from '../schedule/PersonPage';

export function CadenceOverview() {
  const db = useDb();
  const people = useLiveDocs<PersonDoc>(useMemo(() => db.people.find(), [db]));
  const cadence = useCadence();
  if (!cadence.ready || !people.ready || people.value.length === 0) return null;
  const reports = people.value.some((p) => p.directReport) ? people.value.filter((p) => p.directReport) : people.value;
  const rows = reports
    .map((p) => ({ p, s: cadence.byPerson.get(p.id) }))
    .filter((r): r is { p: PersonDoc; s: NonNullable<typeof r.s> } => Boolean(r.s))
    .sort((a, b) => Number(b.s.overdue) - Number(a.s.overdue) || (b.s.daysSinceLast ?? 1e9) - (a.s.daysSinceLast ?? 1e9));
  return (
    <section aria-labelledby="cadence-heading" className="cadence-overview">
      <h2 className="subheading" id="cadence-heading">
        How often you meet
      </h2>
      <ul className="cadence-list">
        {rows.map(({ p, s }) => (
          <li key={p.id}>
            <a href={personHash(p.id)}>{p.name}</a> <CadenceSummary name={p.name} stats={s} now={cadence.now} />
          </li>
        ))}
      </ul>
    </section>
  );
}
