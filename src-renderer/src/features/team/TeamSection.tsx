import { useMemo, useRef } from 'react';
import { useDb } from '../../app/services';
import { useLiveDocs } from '../../db/live-query';
import type { PersonDoc } from '../../db/schemas';
import { EmptyState } from '../../ui/EmptyState';
import { SectionPage } from '../../ui/SectionPage';
import { PersonPlusIcon } from '../../ui/icons';
import { useToasts } from '../../state/toasts';
import { AddPersonForm } from './AddPersonForm';
import { TeamSuggestionsPanel } from '../imports/TeamSuggestionsPanel';
import { useDiagnosis } from '../imports/use-diagnosis';
import { PersonPage } from '../schedule/PersonPage';
import { useSubpage } from '../imports/use-diagnosis';
import { PersonRow } from './PersonRow';
import { useCadence } from '../cadence/use-cadence';
import { deletePerson, restorePerson } from './team-repo';

export function TeamSection() {
  // '#/team/<person id>' is that person's page.
  const subpage = useSubpage();
  if (subpage) return <PersonPage key={subpage} personId={decodeURIComponent(subpage)} />;
  return <TeamOverview />;
}

function TeamOverview() {
  const db = useDb();
  const query = useMemo(() => db.people.find(), [db]);
  const { value: docs, ready } = useLiveDocs<PersonDoc>(query);
  const people = useMemo(
    () => [...docs].sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' })),
    [docs],
  );
  const showToast = useToasts((s) => s.show);
  const listHeading = useRef<HTMLHeadingElement>(null);
  const diagnosis = useDiagnosis();
  const cadence = useCadence();

  const remove = async (person: PersonDoc) => {
    const snapshot = await deletePerson(db.people, person.id);
    // The row (and the focused Delete button) is gone: keep keyboard focus in the list.
    listHeading.current?.focus();
    if (!snapshot) return;
    showToast({
      message: `Removed ${snapshot.name}.`,
      action: {
        label: 'Undo',
        run: async () => {
          const restored = await restorePerson(db.people, snapshot);
          if (!restored.ok) {
            const why = restored.errors.email ?? restored.errors.aliases ?? restored.errors.name;
            showToast({ tone: 'error', message: `Could not restore ${snapshot.name}: ${why}` });
          }
        },
      },
    });
  };

  return (
    <SectionPage
      title="Team"
      description="The people you have 1:1s with. Duet recognizes them in calendar events by any of their email addresses."
    >
      <TeamSuggestionsPanel diagnosis={diagnosis} />
      <AddPersonForm people={db.people} />
      <section className="team-list" aria-labelledby="team-list-heading">
        <h2 id="team-list-heading" className="subheading" tabIndex={-1} ref={listHeading}>
          Your team{ready && people.length > 0 ? <span className="count"> · {people.length}</span> : null}
        </h2>
        {!ready ? null : people.length === 0 ? (
          <EmptyState title="No one on your team yet" icon={<PersonPlusIcon />}>
            <p>
              Add the people you meet 1:1 with the form above. Include every address they use: Duet takes a
              two-person event as a 1:1 when the other person on the invite is on your team.
            </p>
          </EmptyState>
        ) : (
          <ul className="people">
            {people.map((p) => (
              <PersonRow
                key={p.id}
                person={p}
                people={db.people}
                onDelete={(person) => void remove(person)}
                {...(cadence.ready && cadence.byPerson.has(p.id) ? { cadence: { stats: cadence.byPerson.get(p.id)!, now: cadence.now } } : {})}
              />
            ))}
          </ul>
        )}
      </section>
    </SectionPage>
  );
}
