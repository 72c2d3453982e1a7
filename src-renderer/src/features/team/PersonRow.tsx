import { useState, type FormEvent } from 'react';
import type { CadenceStats } from '../../../../src-shared/engine/cadence-health';
import type { PersonDoc } from '../../db/schemas';
import { CadenceSummary } from '../cadence/CadenceSummary';
import { AddressesField } from './AddressesField';
import { updateAliases, updateStartDate, type People } from './team-repo';

interface PersonRowProps {
  person: PersonDoc;
  people: People;
  onDelete: (person: PersonDoc) => void;
  /** How regularly you meet (docs/architecture.md §5 "Cadence"); absent while it is computed. */
  cadence?: { stats: CadenceStats; now: number };
}

/** The person's start date (tenure drives the suggested cadence): saved as soon as it changes. */
function StartDateField({ person, people }: { person: PersonDoc; people: People }) {
  const [error, setError] = useState<string | undefined>();
  const id = `start-${person.id}`;
  return (
    <div className="person__start">
      <label htmlFor={id}>Start date</label>{' '}
      <input
        id={id}
        type="date"
        aria-label={`Start date of ${person.name}`}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        defaultValue={person.startDate}
        key={person.startDate}
        onChange={(e) => {
          // A date input reports '' while a date is half typed: save only whole dates or a clear.
          const value = e.currentTarget.value;
          void updateStartDate(people, person.id, value).then((r) => setError(r.ok ? undefined : r.errors.startDate));
        }}
      />
      {error ? (
        <span className="field__error" id={`${id}-error`} role="alert">
          {error}
        </span>
      ) : null}
    </div>
  );
}

function initials(name: string): string {
  const parts = name.split(' ').filter(Boolean);
  return (
    (parts[0]?.[0] ?? '') + (parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? '') : '')
  ).toUpperCase();
}

export function PersonRow({ person, people, onDelete, cadence }: PersonRowProps) {
  const [editing, setEditing] = useState(false);
  const [aliasesText, setAliasesText] = useState('');
  const [error, setError] = useState<string | undefined>();

  const startEditing = () => {
    setAliasesText(person.aliases.join(', '));
    setError(undefined);
    setEditing(true);
  };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    const result = await updateAliases(people, person.id, aliasesText);
    if (!result.ok) {
      setError(result.errors.aliases);
      return;
    }
    setEditing(false);
  };

  return (
    <li className="person" data-testid="person">
      <div className="person__avatar" aria-hidden="true">
        {initials(person.name)}
      </div>
      <div className="person__main">
        <div className="person__name">
          <a href={`#/team/${encodeURIComponent(person.id)}`}>{person.name}</a>
          {person.directReport ? <span className="badge">Direct report</span> : null}
        </div>
        <div className="person__email">{person.email}</div>
        {cadence ? <CadenceSummary name={person.name} stats={cadence.stats} now={cadence.now} /> : null}
        <StartDateField person={person} people={people} />
        {editing ? (
          <form className="person__edit" onSubmit={(e) => void save(e)} noValidate>
            <AddressesField
              label={`Aliases for ${person.name}`}
              error={error}
              name="aliases"
              hint="Separate addresses with commas. Leave empty for none."
              // The user just asked to edit this field.
              autoFocus
              value={aliasesText}
              onValueChange={(text) => {
                setAliasesText(text);
                setError(undefined);
              }}
              onKeyDown={(e) => {
                if (e.key === 'Escape') setEditing(false);
              }}
            />
            <div className="person__edit-actions">
              <button type="submit" className="button button--primary button--small">
                Save aliases
              </button>
              <button type="button" className="button button--small" onClick={() => setEditing(false)}>
                Cancel
              </button>
            </div>
          </form>
        ) : person.aliases.length > 0 ? (
          <ul className="chips" aria-label={`Aliases of ${person.name}`}>
            {person.aliases.map((a) => (
              <li key={a} className="chip">
                {a}
              </li>
            ))}
          </ul>
        ) : null}
      </div>
      {editing ? null : (
        <div className="person__actions">
          <button
            type="button"
            className="button button--small"
            aria-label={`Edit aliases for ${person.name}`}
            onClick={startEditing}
          >
            Edit aliases
          </button>
          <button
            type="button"
            className="button button--small button--danger"
            aria-label={`Delete ${person.name}`}
            onClick={() => onDelete(person)}
          >
            Delete
          </button>
        </div>
      )}
    </li>
  );
}
