// The "Schedule 1:1" form (docs/architecture.md §6, "Scheduling"): who (fixed on a person's page),
// date, time, length (30 or 60 minutes, or any other), repeat, the calendar to put it on and its
// video link (Teams for a Microsoft account, Meet for Google). Every control has a visible label.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { AccountInfo } from '../../../../src-shared/bridge/contract';
import { REPEAT_LABELS, repeats, type Repeat } from '../../../../src-shared/calendar/repeat';
import { useBridge, useDb } from '../../app/services';
import type { PersonDoc } from '../../db/schemas';
import { useToasts } from '../../state/toasts';
import { Field } from '../../ui/Field';
import { useSchedulePreferences } from './use-schedule-preferences';
import { isPast, scheduleMeeting, startFromForm, type ScheduleOutcome } from './schedule-meeting';

interface ScheduleFormProps {
  /** The person, when opened from their page; otherwise the form asks. */
  person?: PersonDoc;
  people: readonly PersonDoc[];
  accounts: readonly AccountInfo[];
  onDone: (outcome: ScheduleOutcome) => void;
  onCancel: () => void;
}

const pad = (n: number) => String(n).padStart(2, '0');
const localDate = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
/** Tomorrow, as the date field's first value. */
const defaultDate = () => localDate(new Date(Date.now() + 86_400_000));

export const videoLabel = (account: Pick<AccountInfo, 'provider'> | undefined): string =>
  account?.provider === 'google' ? 'Add a Google Meet link' : 'Add a Microsoft Teams link';

export function ScheduleForm({ person, people, accounts, onDone, onCancel }: ScheduleFormProps) {
  const db = useDb();
  const bridge = useBridge();
  const showToast = useToasts((s) => s.show);
  const headingId = useId();
  const first = useRef<HTMLSelectElement & HTMLInputElement>(null);
  const [personId, setPersonId] = useState(person?.id ?? '');
  const [date, setDate] = useState(defaultDate);
  const [time, setTime] = useState('10:00');
  const { lengths } = useSchedulePreferences();
  // null: the first length Settings offers.
  const [chosenLength, setLength] = useState<string | null>(null);
  const length = chosenLength ?? String(lengths[0] ?? 30);
  const [otherMinutes, setOtherMinutes] = useState('45');
  const [repeat, setRepeat] = useState<Repeat>('weekly');
  // null: the first connected calendar (also one connected while the form is open); '': Duet only.
  const [chosenAccount, setAccountId] = useState<string | null>(null);
  const accountId = chosenAccount ?? accounts[0]?.id ?? '';
  const [video, setVideo] = useState(true);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  useEffect(() => first.current?.focus(), []);

  const who = person ?? people.find((p) => p.id === personId);
  const account = accounts.find((a) => a.id === accountId);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const problems: Record<string, string> = {};
    if (!who) problems.person = 'Choose who the 1:1 is with.';
    const start = startFromForm(date, time);
    if (start === undefined) problems.date = 'Enter a date and a time that exist.';
    else if (isPast(start)) problems.date = 'Choose a time that is still to come.';
    const minutes = length === 'other' ? Number(otherMinutes) : Number(length);
    if (!Number.isInteger(minutes) || minutes < 5 || minutes > 480)
      problems.length = 'A meeting is between 5 minutes and 8 hours, in whole minutes.';
    setErrors(problems);
    if (Object.keys(problems).length > 0 || !who || start === undefined) return;
    setBusy(true);
    try {
      const outcome = await scheduleMeeting(db, bridge, {
        person: who,
        start,
        minutes,
        repeat,
        video: Boolean(account) && video,
        account: account ?? null,
      });
      const what = `${outcome.meeting.title}, ${REPEAT_LABELS[repeat].toLowerCase()}`;
      if (outcome.calendarError) {
        showToast({
          tone: 'error',
          message: `Saved ${what} in Duet, but the calendar did not take it: ${outcome.calendarError}. You can put it on the calendar from ${who.name}'s page.`,
        });
      } else {
        showToast({
          message: outcome.event
            ? `Scheduled ${what}, on your calendar${outcome.event.joinUrl ? ' with a video link' : ''}.`
            : `Scheduled ${what} in Duet only. Connect a calendar to put it there.`,
        });
      }
      onDone(outcome);
    } catch (err) {
      setErrors({ form: err instanceof Error ? err.message : String(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div
      className="card schedule-form"
      role="dialog"
      aria-modal="false"
      aria-labelledby={headingId}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onCancel();
      }}
    >
      <h2 className="card__title" id={headingId}>
        {who && person ? `Schedule a 1:1 with ${who.name}` : 'Schedule a 1:1'}
      </h2>
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        <div className="form__grid">
          {person ? null : (
            <Field label="With" name="person" error={errors.person}>
              {(control) => (
                <select
                  {...control}
                  ref={first}
                  value={personId}
                  onChange={(e) => setPersonId(e.target.value)}
                >
                  <option value="">Choose a person…</option>
                  {[...people]
                    .sort((a, b) => a.name.localeCompare(b.name))
                    .map((p) => (
                      <option key={p.id} value={p.id}>
                        {p.name}
                      </option>
                    ))}
                </select>
              )}
            </Field>
          )}
          <Field label="Date" name="date" error={errors.date}>
            {(control) => (
              <input
                {...control}
                ref={person ? first : undefined}
                type="date"
                value={date}
                onChange={(e) => setDate(e.target.value)}
              />
            )}
          </Field>
          <Field label="Time" name="time">
            {(control) => (
              <input {...control} type="time" value={time} onChange={(e) => setTime(e.target.value)} />
            )}
          </Field>
          <Field label="Length" name="length" error={length === 'other' ? undefined : errors.length}>
            {(control) => (
              <select {...control} value={length} onChange={(e) => setLength(e.target.value)}>
                {lengths.map((m) => (
                  <option key={m} value={String(m)}>
                    {m} minutes
                  </option>
                ))}
                <option value="other">Other length…</option>
              </select>
            )}
          </Field>
          {length === 'other' ? (
            <Field label="Length in minutes" name="other-length" error={errors.length}>
              {(control) => (
                <input
                  {...control}
                  type="number"
                  min={5}
                  max={480}
                  step={5}
                  value={otherMinutes}
                  onChange={(e) => setOtherMinutes(e.target.value)}
                />
              )}
            </Field>
          ) : null}
          <Field label="Repeat" name="repeat">
            {(control) => (
              <select {...control} value={repeat} onChange={(e) => setRepeat(e.target.value as Repeat)}>
                {repeats.map((r) => (
                  <option key={r} value={r}>
                    {REPEAT_LABELS[r]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field
            label="Calendar"
            name="calendar"
            hint={
              accounts.length === 0
                ? 'No calendar is connected: the 1:1 is kept in Duet and can go on a calendar later.'
                : undefined
            }
          >
            {(control) => (
              <select {...control} value={accountId} onChange={(e) => setAccountId(e.target.value)}>
                {accounts.map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.email} ({a.provider === 'google' ? 'Google' : 'Microsoft'}
                    {a.sandbox ? ', sandbox' : ''})
                  </option>
                ))}
                <option value="">Only in Duet</option>
              </select>
            )}
          </Field>
        </div>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={Boolean(account) && video}
            disabled={!account}
            onChange={(e) => setVideo(e.target.checked)}
          />{' '}
          {videoLabel(account)}
        </label>
        {errors.form ? (
          <p className="form__error" role="alert">
            {errors.form}
          </p>
        ) : null}
        <div className="form__footer">
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? 'Scheduling…' : 'Schedule'}
          </button>
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </div>
  );
}
