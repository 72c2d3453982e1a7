// Main-side settings (sync server, calendar client ids), saved through `duet.settings.update`.
// Main validates; a BAD_PAYLOAD error is shown next to the field its path names.
import { useEffect, useState, type FormEvent } from 'react';
import type { MainSettings } from '../../../../src-shared/bridge/contract';
import { useBridge } from '../../app/services';
import { Field } from '../../ui/Field';
import { TextField } from '../../ui/TextField';
import { errorMessage, fieldOfError } from './bridge-errors';

export const connectionFields = [
  'syncServerUrl',
  'googleClientId',
  'microsoftClientId',
  'calendarMode',
] as const;
type ConnectionField = (typeof connectionFields)[number];
type Errors = Partial<Record<ConnectionField, string>>;
type TextSetting = Exclude<ConnectionField, 'calendarMode'>;

interface FormState {
  saved: MainSettings | null;
  form: MainSettings;
}

const blank: MainSettings = {
  syncServerUrl: '',
  googleClientId: '',
  microsoftClientId: '',
  googleClientSecret: '',
  pollMinutes: 5,
  calendarMode: 'sandbox',
};

const clean = (form: MainSettings): MainSettings => ({
  ...form,
  syncServerUrl: form.syncServerUrl.trim(),
  googleClientId: form.googleClientId.trim(),
  microsoftClientId: form.microsoftClientId.trim(),
});

function changes(form: MainSettings, saved: MainSettings | null): Partial<MainSettings> {
  const cleaned = clean(form);
  const patch: Partial<MainSettings> = {};
  for (const key of connectionFields) {
    if (!saved || cleaned[key] !== saved[key]) Object.assign(patch, { [key]: cleaned[key] });
  }
  return patch;
}

export function ConnectionForm({ onSaved }: { onSaved?: (settings: MainSettings) => void }) {
  const bridge = useBridge();
  const [state, setState] = useState<FormState>({ saved: null, form: blank });
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [status, setStatus] = useState<'idle' | 'saving' | 'saved' | 'unchanged'>('idle');

  useEffect(() => {
    let live = true;
    bridge.settings.get().then(
      (saved) => live && setState({ saved, form: saved }),
      (err: unknown) => live && setFormError(`Could not load settings: ${errorMessage(err)}`),
    );
    // Changed elsewhere (another window, main itself): take the new values unless the user is
    // in the middle of editing.
    const off = bridge.on('settings.changed', (saved) =>
      setState((s) => ({ saved, form: Object.keys(changes(s.form, s.saved)).length > 0 ? s.form : saved })),
    );
    return () => {
      live = false;
      off();
    };
  }, [bridge]);

  const edit = (key: ConnectionField, value: string) => {
    setState((s) => ({ ...s, form: { ...s.form, [key]: value } }));
    setErrors((e) => ({ ...e, [key]: undefined }));
    setStatus('idle');
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setFormError(null);
    setErrors({});
    const patch = changes(state.form, state.saved);
    if (Object.keys(patch).length === 0) {
      setStatus('unchanged');
      return;
    }
    setStatus('saving');
    try {
      const saved = await bridge.settings.update(patch);
      setState({ saved, form: saved });
      setStatus('saved');
      onSaved?.(saved);
    } catch (err) {
      setStatus('idle');
      const field = fieldOfError(err, connectionFields);
      if (field) setErrors({ [field]: errorMessage(err) });
      else setFormError(errorMessage(err));
    }
  };

  const { form } = state;
  // The three text settings are ids and URLs: no spell checking, no autofill.
  const textField = (
    key: TextSetting,
    props: { label: string; hint: string; type?: 'url'; placeholder?: string },
  ) => (
    <TextField
      {...props}
      name={key}
      error={errors[key]}
      type={props.type ?? 'text'}
      spellCheck={false}
      autoComplete="off"
      value={form[key]}
      onValueChange={(value) => edit(key, value)}
    />
  );
  return (
    <form
      className="card form"
      aria-labelledby="connection-heading"
      onSubmit={(e) => void submit(e)}
      noValidate
    >
      <h2 className="card__title" id="connection-heading">
        Connections
      </h2>
      {textField('syncServerUrl', {
        label: 'Sync server URL',
        hint: 'Where shared agendas and notes sync. Leave empty to run the embedded server on this computer; otherwise ws:// or wss://.',
        type: 'url',
        placeholder: 'wss://duet.example.com',
      })}
      <div className="form__grid">
        {textField('googleClientId', {
          label: 'Google client ID',
          hint: 'From a Google Cloud OAuth client of type “Desktop app”.',
        })}
        {textField('microsoftClientId', {
          label: 'Microsoft client ID',
          hint: 'The application (client) ID of an Entra ID app registration.',
        })}
      </div>
      <Field
        label="Calendars to offer"
        name="calendarMode"
        error={errors.calendarMode}
        hint="The sandbox calendar runs on this computer and needs no account."
      >
        {(p) => (
          <select {...p} value={form.calendarMode} onChange={(e) => edit('calendarMode', e.target.value)}>
            <option value="sandbox">Sandbox calendar</option>
            <option value="real">Google and Microsoft</option>
          </select>
        )}
      </Field>
      {formError ? (
        <p className="form__error" role="alert">
          {formError}
        </p>
      ) : null}
      <div className="form__footer">
        <span className="form__status" role="status">
          {status === 'saved' ? 'Saved.' : status === 'unchanged' ? 'Nothing changed.' : ''}
        </span>
        <button
          type="submit"
          className="button button--primary"
          disabled={status === 'saving' || state.saved === null}
        >
          Save connections
        </button>
      </div>
    </form>
  );
}
