// Settings → Calendars (docs/architecture.md §6): connect an account, follow its sign-in, and for
// every connected account its state, last sync, progress, Sync now, Reconnect and Disconnect.
import { useEffect, useRef, type ReactNode } from 'react';
import type { AccountInfo, ConnectableProvider, ProviderInfo } from '../../../../src-shared/bridge/contract';
import { useBridge } from '../../app/services';
import { useToasts } from '../../state/toasts';
import { errorMessage } from '../settings/bridge-errors';
import { CONNECT_BUTTON, PROVIDER_NAME } from './account-words';
import { AccountRow } from './AccountRow';
import { useCalendarAccounts, useNow } from './use-accounts';
import { useSignIn, type OpenTab } from './use-sign-in';

const ORDER: ConnectableProvider[] = ['google', 'microsoft', 'sandbox'];

interface CalendarsPanelProps {
  refreshKey?: number;
  /** For tests: how the page opens the sign-in tab when main did not. */
  openTab?: OpenTab;
  /** Rendered under each account (the import summary). */
  renderAccountExtra?: (account: AccountInfo) => ReactNode;
}

export function CalendarsPanel({ refreshKey = 0, openTab, renderAccountExtra }: CalendarsPanelProps) {
  const bridge = useBridge();
  const { accounts, providers, error } = useCalendarAccounts(refreshKey);
  const signIn = useSignIn(openTab);
  const now = useNow();
  const showToast = useToasts((s) => s.show);
  const heading = useRef<HTMLHeadingElement>(null);
  const statusRef = useRef<HTMLDivElement>(null);
  const { view } = signIn;
  const busy = view.phase === 'starting' || view.phase === 'waiting';

  useEffect(() => {
    // The buttons the user pressed are gone while signing in: keep focus on what replaced them.
    if (view.phase === 'waiting' || view.phase === 'done') statusRef.current?.focus();
  }, [view.phase]);

  const offered = ORDER.map((p) => providers?.find((x) => x.provider === p)).filter(
    (p): p is ProviderInfo => p !== undefined,
  );

  const syncNow = async (account: AccountInfo): Promise<string | null> => {
    try {
      const { started } = await bridge.calendar.syncNow({ accountId: account.id });
      return started ? 'Syncing…' : 'A sync is already running.';
    } catch (err) {
      return `Could not start a sync: ${errorMessage(err)}`;
    }
  };

  const disconnect = async (account: AccountInfo) => {
    try {
      await bridge.accounts.disconnect({ accountId: account.id });
      heading.current?.focus();
      showToast({
        message: `Disconnected ${account.email}. Your meetings stay in Duet.`,
        action: {
          label: 'Connect again',
          run: () => signIn.start(account.sandbox ? 'sandbox' : account.provider),
        },
      });
    } catch (err) {
      showToast({ tone: 'error', message: `Could not disconnect ${account.email}: ${errorMessage(err)}` });
    }
  };

  return (
    <section className="card calendars" aria-labelledby="calendars-heading" data-testid="calendars">
      <h2 className="card__title" id="calendars-heading" tabIndex={-1} ref={heading}>
        Calendars
      </h2>
      <p className="card__intro">
        Duet reads your calendar to find your 1:1s: titles, times and who is invited. It never stores event
        descriptions.
      </p>
      {error ? (
        <p className="form__error" role="alert">
          Could not read your calendar accounts: {error}
        </p>
      ) : null}

      {accounts && accounts.length > 0 ? (
        <ul className="accounts" aria-label="Connected calendars">
          {accounts.map((a) => (
            <AccountRow
              key={a.id}
              account={a}
              now={now}
              signInBusy={busy}
              onSyncNow={syncNow}
              onDisconnect={disconnect}
              onReconnect={(acc) => void signIn.start(acc.sandbox ? 'sandbox' : acc.provider, acc.id)}
            >
              {renderAccountExtra?.(a)}
            </AccountRow>
          ))}
        </ul>
      ) : accounts ? (
        <p className="muted">No calendar connected yet.</p>
      ) : null}

      <div className="sign-in" role="status" tabIndex={-1} ref={statusRef} data-testid="sign-in-status">
        {view.phase === 'starting' ? <p>Opening the {PROVIDER_NAME[view.provider]} sign-in page…</p> : null}
        {view.phase === 'waiting' ? (
          <div className="sign-in__waiting">
            <p>
              <span className="spinner" aria-hidden="true" /> Waiting for you to sign in to{' '}
              {PROVIDER_NAME[view.provider]} in your browser.
            </p>
            <p className="muted">
              {view.openedExternally
                ? 'The sign-in page opened in your browser. '
                : 'The sign-in page opened in a new tab. '}
              Not there?{' '}
              <a href={view.authUrl} target="_blank" rel="noopener noreferrer">
                Open the sign-in page
              </a>
              .
            </p>
          </div>
        ) : null}
        {view.phase === 'done' ? (
          <p className={view.tone === 'error' ? 'form__error' : view.tone === 'ok' ? 'ok-text' : 'muted'}>
            {view.text}
          </p>
        ) : null}
      </div>

      {view.phase === 'waiting' ? (
        <div className="calendars__connect">
          <button type="button" className="button" onClick={() => void signIn.cancel()}>
            Cancel
          </button>
        </div>
      ) : null}
      {offered.length > 0 ? (
        <ul className="providers" aria-label="Calendars you can connect">
          {offered.map((p) => (
            <li key={p.provider} className="provider" data-testid={`provider-${p.provider}`}>
              <div className="provider__main">
                <span className="provider__label">{p.label}</span>
                {p.reason ? <span className="provider__reason">{p.reason}</span> : null}
              </div>
              {p.available ? (
                <button
                  type="button"
                  className={`button button--small${p.provider === 'sandbox' ? ' button--primary' : ''}`}
                  disabled={busy}
                  onClick={() => void signIn.start(p.provider)}
                >
                  {CONNECT_BUTTON[p.provider]}
                </button>
              ) : (
                <span className="badge badge--muted">Needs setup</span>
              )}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
