import { useEffect, useState } from 'react';
import type { SyncServerInfo } from '../../../../src-shared/bridge/contract';
import { useBridge } from '../../app/services';
import { errorMessage } from './bridge-errors';

const stateLabel: Record<SyncServerInfo['state'], string> = {
  starting: 'Starting',
  running: 'Running',
  stopped: 'Stopped',
  error: 'Error',
};

const stateTone: Record<SyncServerInfo['state'], string> = {
  starting: 'badge--muted',
  running: 'badge--ok',
  stopped: 'badge--muted',
  error: 'badge--danger',
};

export function SyncServerPanel() {
  const bridge = useBridge();
  const [info, setInfo] = useState<SyncServerInfo | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    bridge.sync.serverInfo().then(
      (i) => live && setInfo(i),
      (err: unknown) => live && setError(errorMessage(err)),
    );
    // Main pushes every state change (starting → running, a crash, a new URL).
    const off = bridge.on('sync.serverInfo', (i) => {
      setInfo(i);
      setError(null);
    });
    return () => {
      live = false;
      off();
    };
  }, [bridge]);

  return (
    <section className="card" aria-labelledby="sync-heading" data-testid="sync-server">
      <div className="card__title-row">
        <h2 className="card__title" id="sync-heading">
          Sync server
        </h2>
        {info ? <span className={`badge ${stateTone[info.state]}`}>{stateLabel[info.state]}</span> : null}
      </div>
      {error ? (
        <p className="form__error" role="alert">
          Could not read the sync server state: {error}
        </p>
      ) : info === null ? (
        <p className="muted">Loading…</p>
      ) : (
        <dl className="facts">
          <dt>Server</dt>
          <dd>{info.embedded ? 'Embedded — runs inside Duet on this computer' : 'Your own server'}</dd>
          <dt>Address</dt>
          <dd className="mono">{info.url || '—'}</dd>
          {info.error ? (
            <>
              <dt>Problem</dt>
              <dd className="danger-text">{info.error}</dd>
            </>
          ) : null}
        </dl>
      )}
    </section>
  );
}
