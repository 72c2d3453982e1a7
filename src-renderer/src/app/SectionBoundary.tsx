// Catches a render error inside one section so the rest of the app (navigation, header, toasts)
// keeps working: without it React unmounts the whole window on any thrown render and the user is
// left with a blank page and no way out but a reload. The message says what happened and what to
// do next; "Try again" renders the section afresh (the data lives in RxDB and the Y.Docs, so
// nothing typed is lost by it).
import { Component, type ErrorInfo, type ReactNode } from 'react';

interface Props {
  /** Changing it (another section or page) clears a shown error. */
  resetKey: string;
  children: ReactNode;
}

interface State {
  error: Error | null;
  resetKey: string;
}

export class SectionBoundary extends Component<Props, State> {
  override state: State = { error: null, resetKey: this.props.resetKey };

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    return props.resetKey === state.resetKey ? null : { error: null, resetKey: props.resetKey };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    // Kept in the console with the component stack for a bug report.
    console.error('A screen stopped working:', error, info.componentStack);
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <div className="section" role="alert" data-testid="section-error">
        <h1 className="section__title">This screen stopped working</h1>
        <p>{error.message || 'An unexpected error.'}</p>
        <p className="muted">
          Your meetings and notes are kept. Try again, or go to another section; if it happens again,
          reload the app.
        </p>
        <p>
          <button type="button" className="button button--primary" onClick={() => this.setState({ error: null })}>
            Try again
          </button>{' '}
          <button type="button" className="button" onClick={() => window.location.reload()}>
            Reload the app
          </button>
        </p>
      </div>
    );
  }
}
