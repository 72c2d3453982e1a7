import { useState, type FormEvent } from 'react';
import type { PersonDoc } from '../../db/schemas';
import { AddressesField } from './AddressesField';
import { updateAliases, type People } from './team-repo';

interface PersonRowProps {
  person: PersonDoc;
  people: People;
  onDelete: (person: PersonDoc) => void;
}

function initials(name: string): string {
  const parts = name.split(' ').filter(Boolean);
  return (
    (parts[0]?.[0] ?? '') + (parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? '') : '')
  ).toUpperCase();
}

export function PersonRow({ person, people, onDelete }: PersonRowProps) {
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
