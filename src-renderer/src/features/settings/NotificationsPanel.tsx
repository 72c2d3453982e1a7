// Settings → Notifications (docs/architecture.md §5): the prep reminder's lead time (or off),
// whether notifications show outside Duet as well as in the Inbox, the browser's permission in web
// mode, and the tenure rules behind the suggested cadence. Saved as soon as a value changes.
import { useEffect, useState } from 'react';
import { CADENCE_WORDS, DEFAULT_TENURE_RULES, type RegularCadence, type TenureRule } from '../../../../src-shared/engine/cadence-health';
import { useDb } from '../../app/services';
import type { PreferencesDoc } from '../../db/schemas';
import { loadPreferences, savePreferences } from './preferences-repo';

const LEADS: [number, string][] = [
  [0, 'Off'],
  [15, '15 minutes before'],
  [30, '30 minutes before'],
  [60, '1 hour before'],
  [120, '2 hours before'],
  [1440, '1 day before'],
];
const CADENCES: RegularCadence[] = ['weekly', 'biweekly', 'triweekly', 'monthly'];
const FOREVER = 36_500;

/** The two-step form of the rules this panel edits: a cadence while new, another after. */
function twoStep(rules: readonly TenureRule[]): { days: number; early: RegularCadence; later: RegularCadence } {
  const sorted = [...(rules.length ? rules : DEFAULT_TENURE_RULES)].sort((a, b) => a.maxTenureDays - b.maxTenureDays);
  const first = sorted[0]!;
  return { days: first.maxTenureDays, early: first.cadence, later: sorted[sorted.length - 1]!.cadence };
}

type BrowserPermission = NotificationPermission | 'unsupported';
const browserPermission = (): BrowserPermission =>
  typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;

export function NotificationsPanel() {
  const db = useDb();
  const [prefs, setPrefs] = useState<PreferencesDoc | null>(null);
  const [permission, setPermission] = useState<BrowserPermission>(browserPermission);
  const [daysText, setDaysText] = useState<string | null>(null);
  const [daysError, setDaysError] = useState<string | undefined>();
  useEffect(() => {
    let live = true;
    void loadPreferences(db.preferences).then((p) => live && setPrefs(p));
    return () => {
      live = false;
    };
  }, [db]);
  if (!prefs) return null;
  const save = (patch: Partial<PreferencesDoc>) => void savePreferences(db.preferences, patch).then(setPrefs);
  const rules = twoStep(prefs.tenureCadenceRules);
  const saveRules = (r: typeof rules) =>
    save({ tenureCadenceRules: [{ maxTenureDays: r.days, cadence: r.early }, { maxTenureDays: FOREVER, cadence: r.later }] });

  return (
    <section className="card" aria-labelledby="notifications-heading">
      <h2 className="card__title" id="notifications-heading">
        Notifications and cadence
      </h2>
      <div className="form">
        <label className="field">
          <span className="field__label">Prep reminder</span>
          <select
            value={String(prefs.prepareReminderMinutes)}
            onChange={(e) => save({ prepareReminderMinutes: Number(e.target.value) })}
          >
            {LEADS.map(([m, label]) => (
              <option key={m} value={m}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={prefs.notificationsEnabled}
            onChange={(e) => save({ notificationsEnabled: e.target.checked })}
          />{' '}
          Show notifications outside Duet too (they are always in the Inbox)
        </label>
        {permission === 'default' ? (
          <p>
            <button
              type="button"
              className="button button--small"
              onClick={() => void Notification.requestPermission().then(setPermission, () => undefined)}
            >
              Allow browser notifications
            </button>
          </p>
        ) : permission === 'denied' ? (
          <p className="muted">This browser blocks Duet&apos;s notifications; the Inbox still has them.</p>
        ) : null}
        <fieldset className="field">
          <legend className="field__label">Suggested cadence by tenure</legend>
          <label>
            New for the first{' '}
            <input
              type="number"
              min={1}
              max={3650}
              aria-label="New-hire period in days"
              aria-invalid={daysError ? true : undefined}
              value={daysText ?? String(rules.days)}
              onChange={(e) => {
                setDaysText(e.target.value);
                const n = Number(e.target.value);
                if (!Number.isInteger(n) || n < 1 || n > 3650) {
                  setDaysError('Enter whole days between 1 and 3650.');
                  return;
                }
                setDaysError(undefined);
                saveRules({ ...rules, days: n });
              }}
            />{' '}
            days:
          </label>{' '}
          <select aria-label="Cadence while new" value={rules.early} onChange={(e) => saveRules({ ...rules, early: e.target.value as RegularCadence })}>
            {CADENCES.map((c) => (
              <option key={c} value={c}>
                {CADENCE_WORDS[c]}
              </option>
            ))}
          </select>
          , then{' '}
          <select aria-label="Cadence after that" value={rules.later} onChange={(e) => saveRules({ ...rules, later: e.target.value as RegularCadence })}>
            {CADENCES.map((c) => (
              <option key={c} value={c}>
                {CADENCE_WORDS[c]}
              </option>
            ))}
          </select>
          {daysError ? (
            <p className="field__error" role="alert">
              {daysError}
            </p>
          ) : null}
        </fieldset>
      </div>
    </section>
  );
}
