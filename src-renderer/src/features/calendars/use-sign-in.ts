// One sign-in at a time from this window: start it, open the provider's page where main did not,
// follow `accounts.signIn` for its outcome, cancel it (docs/architecture.md §6).
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ConnectableProvider, SignInState } from '../../../../src-shared/bridge/contract';
import { useBridge } from '../../app/services';
import { errorMessage } from '../settings/bridge-errors';
import { PROVIDER_NAME, signInOutcome } from './account-words';

export type SignInView =
  | { phase: 'idle' }
  | { phase: 'starting'; provider: ConnectableProvider }
  | {
      phase: 'waiting';
      provider: ConnectableProvider;
      flowId: string;
      authUrl: string;
      /** False when the page had to open the sign-in tab itself and the browser may have blocked it. */
      openedExternally: boolean;
    }
  | {
      phase: 'done';
      provider: ConnectableProvider;
      tone: 'ok' | 'error' | 'info';
      text: string;
      accountId?: string;
    };

export interface SignIn {
  view: SignInView;
  start: (provider: ConnectableProvider, accountId?: string) => Promise<void>;
  cancel: () => Promise<void>;
  dismiss: () => void;
}

/** Opens the sign-in page in a new tab (web mode: "the system browser is the browser the app runs in"). */
export type OpenTab = (url: string) => void;

const defaultOpenTab: OpenTab = (url) => {
  // noopener: the provider's page gets no handle on Duet's window.
  window.open(url, '_blank', 'noopener');
};

export function useSignIn(openTab: OpenTab = defaultOpenTab): SignIn {
  const bridge = useBridge();
  const [view, setView] = useState<SignInView>({ phase: 'idle' });
  // Events can arrive before connect() resolves; the flow id is checked against the latest start.
  const flowRef = useRef<string | null>(null);
  const early = useRef(new Map<string, SignInState>());

  const finish = useCallback((s: SignInState) => {
    const outcome = signInOutcome(s);
    if (!outcome) return;
    flowRef.current = null;
    setView({
      phase: 'done',
      provider: s.provider,
      ...outcome,
      ...(s.accountId ? { accountId: s.accountId } : {}),
    });
  }, []);

  useEffect(
    () =>
      bridge.on('accounts.signIn', (s) => {
        if (flowRef.current === s.flowId) finish(s);
        else early.current.set(s.flowId, s);
      }),
    [bridge, finish],
  );

  const start = async (provider: ConnectableProvider, accountId?: string) => {
    setView({ phase: 'starting', provider });
    early.current.clear();
    try {
      const started = await bridge.accounts.connect(accountId ? { provider, accountId } : { provider });
      flowRef.current = started.flowId;
      if (!started.openedExternally) openTab(started.authUrl);
      setView({ phase: 'waiting', provider, ...started });
      const already = early.current.get(started.flowId);
      if (already) finish(already);
    } catch (err) {
      setView({
        phase: 'done',
        provider,
        tone: 'error',
        text: `Could not start signing in to ${PROVIDER_NAME[provider]}: ${errorMessage(err)}`,
      });
    }
  };

  const cancel = async () => {
    const flowId = flowRef.current;
    if (!flowId || view.phase !== 'waiting') return;
    const provider = view.provider;
    try {
      await bridge.accounts.cancelSignIn({ flowId });
    } catch {
      // Main forgot the flow (it finished meanwhile): its outcome event says what happened.
    }
    // Main answers with a 'cancelled' event; say it at once anyway so the button does something visible.
    if (flowRef.current === flowId) finish({ flowId, provider, state: 'cancelled' });
  };

  return { view, start, cancel, dismiss: () => setView({ phase: 'idle' }) };
}
