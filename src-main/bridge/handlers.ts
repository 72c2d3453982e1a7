// The one handler registry behind the bridge contract. TypeScript checks it against the contract:
// a method added there and missing here does not compile.
import { contract, type DuetContract } from '../../src-shared/bridge/contract';
import type { Handlers } from '../../src-shared/bridge/define';
import type { Platform } from '../platform/types';
import { listProviders } from '../services/providers';
import type { SettingsService } from '../services/settings';
import type { SyncServerService } from '../services/sync-server';
import { createBridgeHost, type BridgeHost } from './host';

export interface MainServices {
  mode: 'desktop' | 'web';
  platform: Platform;
  settings: SettingsService;
  syncServer: SyncServerService;
  presenting: PresentingState;
  /** A running sandbox's issuer URL given at launch; absent = the app starts its own sandbox. */
  sandboxIssuer?: string;
}

/** Presenting mode lives in main so a global shortcut works whichever window has focus. */
export interface PresentingState {
  get(): boolean;
  set(on: boolean): void;
  onChange(listener: (on: boolean) => void): () => void;
}

export function createPresentingState(): PresentingState {
  let on = false;
  const listeners = new Set<(on: boolean) => void>();
  return {
    get: () => on,
    set(next) {
      if (next === on) return;
      on = next;
      for (const l of listeners) l(on);
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export function createHandlers(s: MainServices): Handlers<DuetContract> {
  return {
    app: {
      info: () => ({ name: 'Duet', version: s.platform.version, mode: s.mode, platform: process.platform }),
      getPresenting: () => ({ on: s.presenting.get() }),
      setPresenting: ({ on }) => {
        s.presenting.set(on);
        return { on: s.presenting.get() };
      },
    },
    settings: {
      get: () => s.settings.get(),
      update: async (patch) => {
        const next = s.settings.update(patch);
        if (patch.syncServerUrl !== undefined) await s.syncServer.configure(next.syncServerUrl);
        return next;
      },
    },
    shell: {
      openExternal: async ({ url }) => {
        await s.platform.openExternal(url);
        return { opened: true };
      },
    },
    sync: {
      serverInfo: () => s.syncServer.info(),
    },
    calendar: {
      providers: () => listProviders(s.settings.get()),
    },
  };
}

/** Builds the host and wires service change notifications to bridge events. */
export function createMainBridge(s: MainServices, log?: (msg: string, err?: unknown) => void): BridgeHost<DuetContract> {
  const host = createBridgeHost(contract, createHandlers(s), log);
  s.settings.onChange((next) => host.emit('settings.changed', next));
  s.syncServer.onChange((info) => host.emit('sync.serverInfo', info));
  s.presenting.onChange((on) => host.emit('app.presenting', { on }));
  return host;
}
