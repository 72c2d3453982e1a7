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
  const saved = () => store.get<Partial<MainSettings>>(KEY) ?? {};
  const get = (): MainSettings => ({ ...defaultSettings(env), ...saved() });
  return {
    get,
    update(patch) {
      const changed: Partial<MainSettings> = { ...patch };
      // Trim so a pasted client id with a stray space still works.
      for (const k of [
        'syncServerUrl',
        'googleClientId',
        'microsoftClientId',
        'googleClientSecret',
      ] as const) {
        const value = changed[k];
        if (value !== undefined) changed[k] = value.trim();
      }
      // Only what the user chose is written: a value equal to its default (which may come from an
      // environment variable, a client secret among them) stays out of the file, so the
      // environment keeps supplying it and settings.json never holds it.
      const defaults = defaultSettings(env);
      const next = { ...saved(), ...changed };
      for (const k of Object.keys(next) as (keyof MainSettings)[]) {
        if (next[k] === defaults[k]) delete next[k];
      }
      store.set(KEY, next);
      const merged = get();
      for (const l of listeners) l(merged);
      return merged;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
