import { useEffect, useState } from 'react';
import type { ProviderInfo } from '../../../../src-shared/bridge/contract';
import { useBridge } from '../../app/services';
import { errorMessage } from './bridge-errors';

/** `refreshKey` changes when something that decides availability (the client ids) was saved. */
export function CalendarProviders({ refreshKey = 0 }: { refreshKey?: number }) {
  const bridge = useBridge();
  const [providers, setProviders] = useState<ProviderInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    const load = () =>
      bridge.calendar.providers().then(
        (list) => {
          if (!live) return;
          setProviders(list);
          setError(null);
        },
        (err: unknown) => live && setError(errorMessage(err)),
      );
    void load();
    const off = bridge.on('settings.changed', () => void load());
    return () => {
      live = false;
      off();
    };
  }, [bridge, refreshKey]);

  return (
    <section className="card" aria-labelledby="calendars-heading">
      <h2 className="card__title" id="calendars-heading">
        Calendars
      </h2>
      <p className="card__intro">
        Duet reads your calendar to find 1:1s. It never stores event descriptions.
      </p>
      {error ? (
        <p className="form__error" role="alert">
          Could not list calendar providers: {error}
        </p>
      ) : providers === null ? (
        <p className="muted">Loading…</p>
      ) : providers.length === 0 ? (
        <p className="muted">No calendar providers are offered.</p>
      ) : (
        <ul className="providers">
          {providers.map((p) => (
            <li key={p.provider} className="provider" data-testid={`provider-${p.provider}`}>
              <div className="provider__main">
                <span className="provider__label">{p.label}</span>
                {p.reason ? <span className="provider__reason">{p.reason}</span> : null}
              </div>
              <span className={`badge ${p.available ? 'badge--ok' : 'badge--muted'}`}>
                {p.available ? 'Available' : 'Needs setup'}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
