// Connected calendar accounts as main reports them, kept current by `accounts.changed`.
import { useEffect, useState } from 'react';
import type { AccountInfo, ProviderInfo } from '../../../../src-shared/bridge/contract';
import { useBridge } from '../../app/services';
import { errorMessage } from '../settings/bridge-errors';

export interface AccountsState {
  accounts: AccountInfo[] | null;
  providers: ProviderInfo[] | null;
  error: string | null;
}

/** `refreshKey` changes when something that decides provider availability was saved. */
export function useCalendarAccounts(refreshKey = 0): AccountsState {
  const bridge = useBridge();
  const [state, setState] = useState<AccountsState>({ accounts: null, providers: null, error: null });
  useEffect(() => {
    let live = true;
    const fail = (err: unknown) => live && setState((s) => ({ ...s, error: errorMessage(err) }));
    const loadProviders = () =>
      bridge.calendar
        .providers()
        .then((providers) => live && setState((s) => ({ ...s, providers, error: null })), fail);
    bridge.accounts.list().then((accounts) => live && setState((s) => ({ ...s, accounts })), fail);
    void loadProviders();
    const offAccounts = bridge.on('accounts.changed', (accounts) => setState((s) => ({ ...s, accounts })));
    const offSettings = bridge.on('settings.changed', () => void loadProviders());
    return () => {
      live = false;
      offAccounts();
      offSettings();
    };
  }, [bridge, refreshKey]);
  return state;
}

/** Re-renders every `ms` so "5 min ago" stays true while the window is open. */
export function useNow(ms = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}
