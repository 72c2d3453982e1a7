// Main-side settings (what main needs before the renderer exists: sync server, client ids).
// Environment variables fill client ids for developers who keep them out of the UI.
import type { MainSettings } from '../../src-shared/bridge/contract';
import type { KeyValueStore } from '../storage/types';

const KEY = 'settings';

export const defaultSettings = (env: NodeJS.ProcessEnv = process.env): MainSettings => ({
  syncServerUrl: env.DUET_SYNC_SERVER_URL ?? '',
  googleClientId: env.DUET_GOOGLE_CLIENT_ID ?? '',
  microsoftClientId: env.DUET_MICROSOFT_CLIENT_ID ?? '',
  googleClientSecret: env.DUET_GOOGLE_CLIENT_SECRET ?? '',
  pollMinutes: 5,
  calendarMode: 'sandbox',
});

export interface SettingsService {
  get(): MainSettings;
  update(patch: Partial<MainSettings>): MainSettings;
  onChange(listener: (s: MainSettings) => void): () => void;
}

export function createSettingsService(
  store: KeyValueStore,
  env: NodeJS.ProcessEnv = process.env,
): SettingsService {
  const listeners = new Set<(s: MainSettings) => void>();
  const get = (): MainSettings => ({
    ...defaultSettings(env),
    ...(store.get<Partial<MainSettings>>(KEY) ?? {}),
  });
  return {
    get,
    update(patch) {
      const next = { ...get(), ...patch };
      // Trim so a pasted client id with a stray space still works.
      for (const k of ['syncServerUrl', 'googleClientId', 'microsoftClientId', 'googleClientSecret'] as const)
        next[k] = next[k].trim();
      store.set(KEY, next);
      for (const l of listeners) l(next);
      return next;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
