// Assembles main's services the same way for the desktop app and the web-mode host; only the
// platform and the key-value store differ between them.
import { createAccountsUnavailable, createCalendarSyncUnavailable } from './calendar-unavailable';
import { createPresentingState } from './presenting';
import type { MainServices } from './types';
import type { Platform } from '../platform/types';
import type { KeyValueStore } from '../storage/types';
import { createSandboxService } from './sandbox';
import { createSettingsService } from './settings';
import { createSyncServerService, type StartEmbedded } from './sync-server';
import type { MainSettings } from '../../src-shared/bridge/contract';

export interface ServiceDeps {
  mode: 'desktop' | 'web';
  platform: Platform;
  store: KeyValueStore;
  /** Given live settings (client ids decide which tokens the embedded server accepts). */
  startEmbeddedSyncServer: (settings: () => MainSettings) => StartEmbedded;
  env?: NodeJS.ProcessEnv;
  /** The issuer URL of a running sandbox (`--sandbox URL`); absent → the sandbox runs in-process when first used. */
  sandboxIssuer?: string;
  /** Where the sandbox CA lives (tests); the sandbox's own default otherwise. */
  sandboxCaDir?: string;
}

export async function createMainServices(
  deps: ServiceDeps,
): Promise<MainServices & { stop(): Promise<void> }> {
  const settings = createSettingsService(deps.store, deps.env);
  const sandbox = createSandboxService({
    ...(deps.sandboxIssuer ? { issuer: deps.sandboxIssuer } : {}),
    ...(deps.sandboxCaDir ? { caDir: deps.sandboxCaDir } : {}),
  });
  const syncServer = createSyncServerService(deps.startEmbeddedSyncServer(() => settings.get()));
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
    sandbox,
    stop: async () => {
      await calendarSync.stop();
      await accounts.stop();
      await syncServer.stop();
      await sandbox.stop();
    },
  };
}
