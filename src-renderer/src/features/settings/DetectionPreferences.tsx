// Which calendar events count as 1:1s (docs/architecture.md §3), stored locally in RxDB.
import { useEffect, useState, type FormEvent } from 'react';
import { useDb } from '../../app/services';
import type { MatchMode, PreferencesDoc } from '../../db/schemas';
import { Field } from '../../ui/Field';
import { TextField } from '../../ui/TextField';
import {
  DEFAULT_KEYWORDS,
  loadPreferences,
  normalizeKeywords,
  savePreferences,
  validateDetection,
  type DetectionErrors,
  type DetectionInput,
  type Preferences,
} from './preferences-repo';
import { errorMessage } from './bridge-errors';

export function DetectionPreferences() {
  const db = useDb();
  const [initial, setInitial] = useState<PreferencesDoc | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    loadPreferences(db.preferences).then(
      (p) => live && setInitial(p),
      (err: unknown) => live && setLoadError(errorMessage(err)),
    );
    return () => {
      live = false;
    };
  }, [db]);

  return (
    <section className="card" aria-labelledby="detection-heading">
      <h2 className="card__title" id="detection-heading">
        Finding 1:1s
      </h2>
      <p className="card__intro">Stored on this computer only.</p>
      {loadError ? (
        <p className="form__error">Could not read your preferences: {loadError}</p>
      ) : initial ? (
        <DetectionForm initial={initial} collection={db.preferences} />
      ) : (
        <p className="muted">Loading…</p>
      )}
    </section>
  );
}

function DetectionForm({ initial, collection }: { initial: PreferencesDoc; collection: Preferences }) {
  const [input, setInput] = useState<DetectionInput>({
    keywords: initial.keywords,
    matchMode: initial.matchMode,
    minMinutes: String(initial.minMinutes),
    maxMinutes: String(initial.maxMinutes),
  });
  const [draftKeyword, setDraftKeyword] = useState('');
  const [errors, setErrors] = useState<DetectionErrors>({});
  const [status, setStatus] = useState<'idle' | 'saved' | 'error'>('idle');

  const edit = (patch: Partial<DetectionInput>) => {
    setInput((i) => ({ ...i, ...patch }));
    setErrors({});
    setStatus('idle');
  };
  const addKeyword = () => {
    if (!draftKeyword.trim()) return;
    edit({ keywords: normalizeKeywords([...input.keywords, draftKeyword]) });
    setDraftKeyword('');
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const checked = validateDetection(input);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    try {
      await savePreferences(collection, checked.value);
      setInput((i) => ({ ...i, keywords: checked.value.keywords }));
      setStatus('saved');
    } catch {
      setStatus('error');
    }
  };

  const minutesField = (key: 'minMinutes' | 'maxMinutes', label: string) => (
    <TextField
      label={label}
      name={key}
      error={errors[key]}
      type="number"
      inputMode="numeric"
      min={1}
      max={1440}
      value={input[key]}
      onValueChange={(value) => edit({ [key]: value })}
    />
  );

  return (
    <form className="form" aria-label="Finding 1:1s" onSubmit={(e) => void submit(e)} noValidate>
      <fieldset className="radios">
        <legend className="field__label">Which events are 1:1s</legend>
        {(
          [
            ['keywords', 'Two-person events whose title contains a keyword'],
            ['two-person', 'Any two-person event with someone on your team'],
          ] as [MatchMode, string][]
        ).map(([mode, label]) => (
          <label key={mode} className="radio">
            <input
              type="radio"
              name="matchMode"
              value={mode}
              checked={input.matchMode === mode}
              onChange={() => edit({ matchMode: mode })}
            />
            <span>{label}</span>
          </label>
        ))}
      </fieldset>

      <Field
        label="Add a keyword"
        name="keywords"
        error={errors.keywords}
        hint="Matched anywhere in the event title, ignoring case."
      >
        {(p) => (
          <div className="inline-input">
            <input
              {...p}
              type="text"
              autoComplete="off"
              value={draftKeyword}
              onChange={(e) => setDraftKeyword(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') {
                  e.preventDefault();
                  addKeyword();
                }
              }}
            />
            <button type="button" className="button" onClick={addKeyword}>
              Add
            </button>
          </div>
        )}
      </Field>
      <ul className="chips" aria-label="Keywords">
        {input.keywords.map((k) => (
          <li key={k} className="chip chip--removable">
            <span className="mono">{k}</span>
            <button
              type="button"
              className="chip__remove"
              aria-label={`Remove keyword ${k}`}
              onClick={() => edit({ keywords: input.keywords.filter((x) => x !== k) })}
            >
              <span aria-hidden="true">×</span>
            </button>
          </li>
        ))}
        {input.keywords.length === 0 ? <li className="muted">No keywords.</li> : null}
      </ul>
      <button
        type="button"
        className="button button--link"
        onClick={() => edit({ keywords: [...DEFAULT_KEYWORDS] })}
      >
        Restore default keywords
      </button>

      <div className="form__grid">
        {minutesField('minMinutes', 'Shortest 1:1 (minutes)')}
        {minutesField('maxMinutes', 'Longest 1:1 (minutes)')}
      </div>

      <div className="form__footer">
        <span className="form__status" role="status">
          {status === 'saved' ? 'Saved.' : status === 'error' ? 'Could not save. Try again.' : ''}
        </span>
        <button type="submit" className="button button--primary">
          Save preferences
        </button>
      </div>
    </form>
  );
}
