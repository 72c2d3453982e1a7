import { useRef, useState, type FormEvent } from 'react';
import { AddressesField } from './AddressesField';
import { TextField } from '../../ui/TextField';
import type { PersonErrors, PersonInput } from './person-validation';
import { addPerson, type People } from './team-repo';

const empty: PersonInput = { name: '', email: '', aliases: '', directReport: true };

export function AddPersonForm({ people, onAdded }: { people: People; onAdded?: (name: string) => void }) {
  const [input, setInput] = useState<PersonInput>(empty);
  const [errors, setErrors] = useState<PersonErrors>({});
  const [saving, setSaving] = useState(false);
  const nameRef = useRef<HTMLInputElement>(null);

  const update = (patch: Partial<PersonInput>) => {
    setInput((prev) => ({ ...prev, ...patch }));
    // An error stays until the field it is about changes.
    setErrors((prev) => {
      const next = { ...prev };
      for (const key of Object.keys(patch)) delete next[key as keyof PersonErrors];
      return next;
    });
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaving(true);
    try {
      const result = await addPerson(people, input);
      if (!result.ok) {
        setErrors(result.errors);
        return;
      }
      setInput(empty);
      setErrors({});
      onAdded?.(result.value.name);
      nameRef.current?.focus();
    } finally {
      setSaving(false);
    }
  };

  return (
    <form className="card form" aria-label="Add a person" onSubmit={(e) => void submit(e)} noValidate>
      <h2 className="card__title">Add a person</h2>
      <div className="form__grid">
        <TextField
          label="Name"
          error={errors.name}
          name="name"
          ref={nameRef}
          type="text"
          autoComplete="off"
          value={input.name}
          onValueChange={(name) => update({ name })}
        />
        <AddressesField
          label="Primary email"
          error={errors.email}
          name="email"
          type="email"
          value={input.email}
          onValueChange={(email) => update({ email })}
        />
      </div>
      <AddressesField
        label="Aliases"
        error={errors.aliases}
        name="aliases"
        hint="Other addresses this person uses in calendar invites, separated by commas."
        placeholder="ada@personal.example, a.lovelace@company.example"
        value={input.aliases}
        onValueChange={(aliases) => update({ aliases })}
      />
      <div className="form__footer">
        <label className="checkbox">
          <input
            type="checkbox"
            checked={input.directReport}
            onChange={(e) => update({ directReport: e.target.checked })}
          />
          <span>Reports to me</span>
        </label>
        <button type="submit" className="button button--primary" disabled={saving}>
          Add person
        </button>
      </div>
    </form>
  );
}
