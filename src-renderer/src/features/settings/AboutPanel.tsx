import { useEffect, useState } from 'react';
import { useBridge } from '../../app/services';
import { errorMessage } from './bridge-errors';

type AppInfo = Awaited<ReturnType<ReturnType<typeof useBridge>['app']['info']>>;

export function AboutPanel() {
  const bridge = useBridge();
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    bridge.app.info().then(
      (i) => live && setInfo(i),
      (err: unknown) => live && setError(errorMessage(err)),
    );
    return () => {
      live = false;
    };
  }, [bridge]);
  return (
    <section className="card" aria-labelledby="about-heading" data-testid="about">
      <h2 className="card__title" id="about-heading">
        About
      </h2>
      {error ? (
        <p className="form__error">Could not read the app version: {error}</p>
      ) : info === null ? (
        <p className="muted">Loading…</p>
      ) : (
        <dl className="facts">
          <dt>Version</dt>
          <dd>
            {info.name} {info.version}
          </dd>
          <dt>Running as</dt>
          <dd>{info.mode === 'desktop' ? 'Desktop app' : 'Web mode (browser)'}</dd>
          <dt>Platform</dt>
          <dd>{info.platform}</dd>
        </dl>
      )}
    </section>
  );
}
