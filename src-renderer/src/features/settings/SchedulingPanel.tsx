// Settings → Scheduling: the meeting lengths the "Schedule 1:1" form offers (30 and 60 minutes
// unless changed here), kept by main.
import { useState, type FormEvent } from 'react';
import { useBridge } from '../../app/services';
import { Field } from '../../ui/Field';
import { useSchedulePreferences } from '../schedule/use-schedule-preferences';
import { errorMessage } from './bridge-errors';

export function SchedulingPanel() {
  const bridge = useBridge();
  const prefs = useSchedulePreferences();
  const [text, setText] = useState<string | null>(null);
  const [error, setError] = useState<string | undefined>();
  const [saved, setSaved] = useState(false);
  const value = text ?? prefs.lengths.join(', ');

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const parts = value.split(/[,\s]+/).filter(Boolean);
    const lengths = parts.map(Number);
    if (parts.length === 0 || lengths.some((n) => !Number.isInteger(n))) {
      setError('Enter whole numbers of minutes, separated by commas.');
      return;
    }
    try {
      await bridge.schedule.setPreferences({ lengths });
      setError(undefined);
      setText(null);
      setSaved(true);
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  return (
    <section className="card" aria-labelledby="scheduling-heading">
      <h2 className="card__title" id="scheduling-heading">
        Scheduling
      </h2>
      <form className="form" onSubmit={(e) => void save(e)} noValidate>
        <Field
          label="Meeting lengths (minutes)"
          name="lengths"
          error={error}
          hint="What “Schedule 1:1” offers first, separated by commas; any other length can still be typed there."
        >
          {(control) => (
            <input
              {...control}
              value={value}
              onChange={(e) => {
                setText(e.target.value);
                setSaved(false);
              }}
            />
          )}
        </Field>
        <div className="form__footer">
          {saved ? (
            <span className="form__status" role="status">
              Saved.
            </span>
          ) : null}
          <button type="submit" className="button button--primary">
            Save lengths
          </button>
        </div>
      </form>
    </section>
  );
}
