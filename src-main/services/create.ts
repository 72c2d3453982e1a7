// Assembles main's services the same way for the desktop app and the web-mode host; only the
// platform and the key-value store differ between them.
import type { MainServices } from '../bridge/handlers';
import { createPresentingState } from '../bridge/handlers';
import type { Platform } from '../platform/types';
import type { KeyValueStore } from '../storage/types';
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
  /** A running sandbox's issuer URL given at launch (web host `--sandbox`); absent = embedded sandbox. */
  sandboxIssuer?: string;
}

export async function createMainServices(deps: ServiceDeps): Promise<MainServices & { stop(): Promise<void> }> {
  const settings = createSettingsService(deps.store, deps.env);
  const syncServer = createSyncServerService(deps.startEmbeddedSyncServer(() => settings.get()));
  // Not awaited: the window must not wait on the sync server; its state reaches Settings as events.
  void syncServer.configure(settings.get().syncServerUrl);
  return {
    mode: deps.mode,
    platform: deps.platform,
    settings,
    syncServer,
    presenting: createPresentingState(),
    ...(deps.sandboxIssuer !== undefined ? { sandboxIssuer: deps.sandboxIssuer } : {}),
    stop: () => syncServer.stop(),
  };
}
