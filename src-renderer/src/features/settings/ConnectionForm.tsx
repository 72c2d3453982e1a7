// Main-side settings (sync server, calendar client ids and Google's client secret, how often
// calendars are checked), saved through `duet.settings.update`. Main validates; a BAD_PAYLOAD
// error is shown next to the field its path names. Values that come from environment variables
// show here but are sent only when the user changes them (main keeps them out of settings.json).
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
  'googleClientSecret',
  'pollMinutes',
  'calendarMode',
] as const;
type ConnectionField = (typeof connectionFields)[number];
type Errors = Partial<Record<ConnectionField, string>>;
type TextSetting = Exclude<ConnectionField, 'calendarMode' | 'pollMinutes'>;

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
  googleClientSecret: form.googleClientSecret.trim(),
});

/** The poll interval as typed: a whole number of minutes from 1 to 1440 (a day), else null. */
export function parsePollMinutes(text: string): number | null {
  const t = text.trim();
  if (!/^\d{1,4}$/.test(t)) return null;
  const n = Number(t);
  return n >= 1 && n <= 1440 ? n : null;
}

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
  // Typed text, so "1" on the way to "15" is not refused keystroke by keystroke.
  const [pollText, setPollText] = useState(String(blank.pollMinutes));

  useEffect(() => {
    let live = true;
    bridge.settings.get().then(
      (saved) => {
        if (!live) return;
        setState({ saved, form: saved });
        setPollText(String(saved.pollMinutes));
      },
      (err: unknown) => live && setFormError(`Could not load settings: ${errorMessage(err)}`),
    );
    // Changed elsewhere (another window, main itself): take the new values unless the user is
    // in the middle of editing.
    const off = bridge.on('settings.changed', (saved) =>
      setState((s) => {
        if (Object.keys(changes(s.form, s.saved)).length > 0) return { saved, form: s.form };
        setPollText(String(saved.pollMinutes));
        return { saved, form: saved };
      }),
    );
    return () => {
      live = false;
      off();
    };
  }, [bridge]);

  const edit = (key: Exclude<ConnectionField, 'pollMinutes'>, value: string) => {
    setState((s) => ({ ...s, form: { ...s.form, [key]: value } }));
    setErrors((e) => ({ ...e, [key]: undefined }));
    setStatus('idle');
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setFormError(null);
    setErrors({});
    const poll = parsePollMinutes(pollText);
    if (poll === null) {
      setErrors({ pollMinutes: 'Enter a whole number of minutes from 1 to 1440.' });
      setStatus('idle');
      return;
    }
    const patch = changes({ ...state.form, pollMinutes: poll }, state.saved);
    if (Object.keys(patch).length === 0) {
      setStatus('unchanged');
      return;
    }
    setStatus('saving');
    try {
      const saved = await bridge.settings.update(patch);
      setState({ saved, form: saved });
      setPollText(String(saved.pollMinutes));
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
        {textField('googleClientSecret', {
          label: 'Google client secret',
          hint: 'The same OAuth client’s secret: Google asks for it at sign-in even for desktop apps (it is not kept secret from users). DUET_GOOGLE_CLIENT_SECRET works too.',
        })}
        <TextField
          label="Check calendars every (minutes)"
          name="pollMinutes"
          error={errors.pollMinutes}
          hint="Between checks, changes arrive at once where push works; otherwise this is how long a change can take."
          type="text"
          inputMode="numeric"
          autoComplete="off"
          value={pollText}
          onValueChange={(value) => {
            setPollText(value);
            setErrors((e) => ({ ...e, pollMinutes: undefined }));
            setStatus('idle');
          }}
        />
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
