// Settings → "Add the Duet link to 1:1 events I organize" (docs/architecture.md §6, "Links on
// imported events"): off by default; ticking it is the user's consent to write to those events.
// Main keeps the setting and makes the writes; this panel shows the removal's progress when it is
// turned off, and names the events left when some could not be changed, with Retry.
import { useEffect, useId, useState } from 'react';
import type { ImportedLinksState } from '../../../../src-shared/bridge/imported-links-contract';
import { useBridge } from '../../app/services';
import { errorMessage } from './bridge-errors';

export function ImportedLinksPanel() {
  const bridge = useBridge();
  const [state, setState] = useState<ImportedLinksState | null>(null);
  const [error, setError] = useState<string | null>(null);
  const hintId = useId();
  useEffect(() => {
    let live = true;
    bridge.importedLinks.state().then(
      (s) => live && setState(s),
      (err: unknown) => live && setError(errorMessage(err)),
    );
    const off = bridge.on('importedLinks.state', (s) => setState(s));
    return () => {
      live = false;
      off();
    };
  }, [bridge]);

  const act = async (run: () => Promise<ImportedLinksState>) => {
    try {
      setState(await run());
      setError(null);
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  const removing = state?.running === 'removing';
  return (
    <section className="card" aria-labelledby="imported-links-heading">
      <h2 className="card__title" id="imported-links-heading">
        Links in your calendar
      </h2>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={state?.enabled ?? false}
          disabled={state === null || removing}
          aria-describedby={hintId}
          onChange={(e) => {
            const enabled = e.target.checked;
            void act(() => bridge.importedLinks.setEnabled({ enabled }));
          }}
        />{' '}
        Add the Duet link to 1:1 events I organize
      </label>
      <p className="muted" id={hintId}>
        Duet then writes to those events in your calendar: it adds a line with the meeting’s Duet link to the
        description and marks the event as Duet’s, once per event, and lists each change under Activity. Events
        someone else organizes are never changed. Turning this off removes the line and the mark from every event
        Duet added them to.
      </p>
      {state?.running ? (
        <p role="status">
          {state.running === 'removing' ? 'Removing the Duet link' : 'Adding the Duet link'}: {state.done} of{' '}
          {state.total} events
          <progress max={Math.max(state.total, 1)} value={state.done} aria-label="Progress" />
        </p>
      ) : null}
      {state && !state.running && state.failed.length > 0 ? (
        <div role="alert">
          <p className="form__error">
            {state.enabled
              ? 'Duet could not add the link to these events (they are as they were); it tries again in a few minutes:'
              : 'Duet could not remove the link from these events; they are as they were:'}
          </p>
          <ul>
            {state.failed.map((f) => (
              <li key={`${f.accountId}:${f.eventId}`}>
                {f.title || f.eventId || 'An event'}: {f.error}
              </li>
            ))}
          </ul>
          {state.enabled ? null : (
            <button type="button" className="button" onClick={() => void act(() => bridge.importedLinks.retry())}>
              Retry removing
            </button>
          )}
        </div>
      ) : null}
      {error ? <p className="form__error">{error}</p> : null}
    </section>
  );
}
