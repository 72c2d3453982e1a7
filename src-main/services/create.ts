// Assembles main's services the same way for the desktop app and the web-mode host; only the
// platform and the key-value store differ between them.
import { createAccountsUnavailable, createCalendarSyncUnavailable } from './calendar-unavailable';
import { createPresentingState } from './presenting';
import type { MainServices } from './types';
import type { Platform } from '../platform/types';
import type { KeyValueStore } from '../storage/types';
import { createSettingsService } from './settings';
import { createSyncServerService, type StartEmbedded } from './sync-server';
import { embeddedTrust, type EmbeddedTrust, type SandboxTrustSource } from './embedded-sync';

export interface ServiceDeps {
  mode: 'desktop' | 'web';
  platform: Platform;
  store: KeyValueStore;
  /**
   * Starts the embedded sync server with a live trust function (read on every token
   * verification): client ids from settings, and the sandbox's issuers in sandbox mode.
   */
  startEmbeddedSyncServer: (trust: () => EmbeddedTrust) => StartEmbedded;
  /** The running sandbox's issuers, audience and CA, or null while it is not running. */
  sandboxTrust?: SandboxTrustSource;
  env?: NodeJS.ProcessEnv;
}

export async function createMainServices(
  deps: ServiceDeps,
): Promise<MainServices & { stop(): Promise<void> }> {
  const settings = createSettingsService(deps.store, deps.env);
  const trust = () => embeddedTrust(settings.get(), deps.sandboxTrust?.());
  const syncServer = createSyncServerService(deps.startEmbeddedSyncServer(trust));
  // Not awaited: the window must not wait on the sync server; its state reaches Settings as events.
  void syncServer.configure(settings.get().syncServerUrl);
  const accounts = createAccountsUnavailable();
  const calendarSync = createCalendarSyncUnavailable(() => settings.get().pollMinutes);
  return {
    mode: deps.mode,
    platform: deps.platform,
    settings,
    syncServer,
    presenting: createPresentingState(),
    accounts,
    calendarSync,
    stop: async () => {
      await calendarSync.stop();
      await accounts.stop();
      await syncServer.stop();
    },
  };
}
