// The calendar sync as the app assembles it (src-main/services/create.ts): the scheduler, fed by
// the accounts service, with push through the relay of the sync server in use.
//
// Push needs a provider to reach the relay. The sandbox runs on this machine, so in sandbox mode
// push works with the embedded (loopback) server; a real provider cannot call a loopback address,
// so with the embedded server and a real account push stays off and the poll does the work
// (the UI says "checking every N min"). A configured sync server is assumed reachable.
import type { KeyValueStore } from '../storage/types';
import type { SyncServerService } from '../services/sync-server';
import type { AccountsService } from '../services/types';
import { createRelayClient, type RelayClient } from './relay-client';
import { createCalendarScheduler, type CalendarSyncScheduler } from './scheduler';

export interface AppCalendarSyncDeps {
  accounts: AccountsService;
  store: KeyValueStore;
  syncServer: Pick<SyncServerService, 'info'>;
  pollMinutes: () => number;
  /** Settings changes (a new poll interval takes effect at once). */
  onSettingsChange?: (listener: () => void) => () => void;
}

export function createAppCalendarSync(deps: AppCalendarSyncDeps): CalendarSyncScheduler {
  let relay: { url: string; client: RelayClient } | null = null;
  let poll = deps.pollMinutes();
  const scheduler = createCalendarScheduler({
    accounts: deps.accounts,
    store: deps.store,
    pollMinutes: deps.pollMinutes,
    relay: () => {
      const info = deps.syncServer.info();
      if (info.state !== 'running' || !info.url) return null;
      if (relay?.url !== info.url) {
        relay = {
          url: info.url,
          client: createRelayClient({
            url: info.url,
            idToken: () => deps.accounts.identity()?.idToken ?? null,
          }),
        };
      }
      return relay.client;
    },
    pushAllowed: (account) => account.sandbox || !deps.syncServer.info().embedded,
  });
  const off = deps.onSettingsChange?.(() => {
    if (deps.pollMinutes() === poll) return;
    poll = deps.pollMinutes();
    scheduler.pollSettingChanged();
  });
  const stop = scheduler.stop.bind(scheduler);
  scheduler.stop = async () => {
    off?.();
    await stop();
  };
  return scheduler;
}

/**
 * The accounts service with one change: disconnecting first stops the account's push channel
 * (which needs the grant that disconnecting revokes), then disconnects. Meetings stay.
 */
export function stopSyncBeforeDisconnect(
  accounts: AccountsService,
  sync: () => Pick<CalendarSyncScheduler, 'forgetAccount'>,
): AccountsService {
  return {
    list: () => accounts.list(),
    connect: (provider, accountId) => accounts.connect(provider, accountId),
    cancelSignIn: (flowId) => accounts.cancelSignIn(flowId),
    async disconnect(accountId) {
      await sync().forgetAccount(accountId);
      await accounts.disconnect(accountId);
    },
    identity: () => accounts.identity(),
    getAccessToken: (accountId, options) => accounts.getAccessToken(accountId, options),
    endpoints: (accountId) => accounts.endpoints(accountId),
    onChange: (listener) => accounts.onChange(listener),
    onSignIn: (listener) => accounts.onSignIn(listener),
    onIdentity: (listener) => accounts.onIdentity(listener),
    stop: () => accounts.stop(),
  };
}
