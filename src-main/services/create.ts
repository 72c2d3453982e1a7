// Assembles main's services the same way for the desktop app and the web-mode host; only the
// platform and the key-value store differ between them.
import { createAccountsService, type AccountsServiceOptions } from '../auth/accounts';
import { createActivityLog } from '../calendar/activity-log';
import { createAppCalendarSync, stopSyncBeforeDisconnect } from '../calendar/app-sync';
import { createSchedulePreferences } from '../calendar/schedule-preferences';
import { createScheduleService } from '../calendar/schedule-service';
import { createImportedLinks } from '../calendar/imported-links';
import { createPresentingState } from './presenting';
import { createPrivateNoteKeyService } from './private-note-key';
import type { AppWindows, MainServices } from './types';
import { createDeepLinkInbox, parseDeepLink } from '../app/deep-link';
import type { Platform } from '../platform/types';
import type { KeyValueStore } from '../storage/types';
import { createSandboxService } from './sandbox';
import { createSettingsService } from './settings';
import { createSyncServerService, type StartEmbedded } from './sync-server';
import {
  embeddedTrust,
  sandboxSyncTrust,
  type EmbeddedTrust,
  type SandboxTrustSource,
} from './embedded-sync';

export interface ServiceDeps {
  mode: 'desktop' | 'web';
  platform: Platform;
  store: KeyValueStore;
  /**
   * Starts the embedded sync server with a live trust function (read on every token
   * verification): client ids from settings, and the sandbox's issuers in sandbox mode.
   */
  startEmbeddedSyncServer: (trust: () => EmbeddedTrust) => StartEmbedded;
  /** Overrides what the embedded sync server trusts of the sandbox (default: the sandbox service's). */
  sandboxTrust?: SandboxTrustSource;
  env?: NodeJS.ProcessEnv;
  /** The issuer URL of a running sandbox (`--sandbox URL`); absent → the sandbox runs in-process when first used. */
  sandboxIssuer?: string;
  /** Where the sandbox CA lives (tests); the sandbox's own default otherwise. */
  sandboxCaDir?: string;
  /** The desktop app's extra windows; web mode and tests have none. */
  windows?: AppWindows;
  /** Sign-in timings (tests shorten them). */
  accounts?: Pick<AccountsServiceOptions, 'signInTimeoutMs' | 'identityRefreshLeadMs' | 'identityRetryMs'>;
}

export async function createMainServices(
  deps: ServiceDeps,
): Promise<MainServices & { stop(): Promise<void> }> {
  const settings = createSettingsService(deps.store, deps.env);
  const sandbox = createSandboxService({
    ...(deps.sandboxIssuer ? { issuer: deps.sandboxIssuer } : {}),
    ...(deps.sandboxCaDir ? { caDir: deps.sandboxCaDir } : {}),
  });
  // The embedded sync server trusts the sandbox once it runs (and in sandbox mode only).
  const sandboxTrust =
    deps.sandboxTrust ??
    (() => {
      const running = sandbox.current();
      return running ? sandboxSyncTrust(running) : null;
    });
  const trust = () => embeddedTrust(settings.get(), sandboxTrust());
  const syncServer = createSyncServerService(deps.startEmbeddedSyncServer(trust));
  // Not awaited: the window must not wait on the sync server; its state reaches Settings as events.
  void syncServer.configure(settings.get().syncServerUrl);
  const signIn = createAccountsService({
    mode: deps.mode,
    platform: deps.platform,
    store: deps.store,
    settings,
    sandbox,
    ...deps.accounts,
  });
  const calendarSync = createAppCalendarSync({
    accounts: signIn,
    store: deps.store,
    syncServer,
    pollMinutes: () => settings.get().pollMinutes,
    onSettingsChange: (listener) => settings.onChange(listener),
  });
  // A sandbox account's first round may run before the sandbox is up (its provider is built on
  // first use: calendar/lazy-provider.ts) and wait out a backoff: go again as soon as it is up.
  sandbox.onReady(() => {
    for (const a of signIn.list()) if (a.sandbox) calendarSync.syncNow(a.id);
  });
  // Disconnecting stops the account's push channel first: that needs the grant disconnect revokes.
  const accounts = stopSyncBeforeDisconnect(signIn, () => calendarSync);
  const activity = createActivityLog(deps.store);
  const schedule = createScheduleService({
    accounts: signIn,
    log: activity,
    syncNow: (accountId) => void calendarSync.syncNow(accountId),
  });
  return {
    mode: deps.mode,
    platform: deps.platform,
    settings,
    syncServer,
    presenting: createPresentingState(),
    privateNoteKey: createPrivateNoteKeyService(deps.store, deps.platform.secrets),
    accounts,
    calendarSync,
    schedule,
    activity,
    schedulePreferences: createSchedulePreferences(deps.store),
    importedLinks: createImportedLinks({
      store: deps.store,
      accounts: signIn,
      log: activity,
      syncNow: (accountId) => void calendarSync.syncNow(accountId),
    }),
    sandbox,
    deepLinks: createDeepLinkInbox(parseDeepLink),
    windows: deps.windows ?? { openPrivateNotes: () => Promise.resolve(false) },
    stop: async () => {
      await calendarSync.stop();
      await accounts.stop();
      await syncServer.stop();
      await sandbox.stop();
    },
  };
}
