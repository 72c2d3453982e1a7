// Shown instead of the app when it cannot run at all (no bridge to main, no local database).
// Deliberately free of stores and services: it must render whatever else is broken.
interface FatalScreenProps {
  title: string;
  message: string;
  hint?: string;
}

export function FatalScreen({ title, message, hint }: FatalScreenProps) {
  return (
    <main className="fatal" role="alert" data-testid="fatal-error">
      <div className="fatal__card">
        <div className="fatal__mark" aria-hidden="true">
          ◐
        </div>
        <h1>{title}</h1>
        <p className="fatal__message">{message}</p>
        {hint ? <p className="fatal__hint">{hint}</p> : null}
        <button type="button" className="button button--primary" onClick={() => window.location.reload()}>
          Try again
        </button>
      </div>
    </main>
  );
}
