// `--sync-server URL` on the web host's command line: for this launch the sync server is that URL,
// exactly as if it were the value in Settings (the UI shows it, the sync-server service uses it),
// but it is not written into settings.json, so a later launch without the flag is back to what the
// user saved. If the user picks another server in Settings during the launch, their choice wins
// and is saved as usual.
import type { KeyValueStore } from '../storage/types';

/** The key under which the settings service keeps main's settings (src-main/services/settings.ts). */
const SETTINGS_KEY = 'settings';

type Stored = Record<string, unknown> & { syncServerUrl?: unknown };

export function withLaunchSyncServer(store: KeyValueStore, syncServerUrl: string): KeyValueStore {
  let active = true;
  return {
    get<T>(key: string) {
      const value = store.get<T>(key);
      if (key !== SETTINGS_KEY || !active) return value;
      return { ...((value as Stored | undefined) ?? {}), syncServerUrl } as T;
    },
    set(key, value) {
      if (key !== SETTINGS_KEY || !active || !value || typeof value !== 'object')
        return store.set(key, value);
      const next = { ...(value as Stored) };
      if (next.syncServerUrl !== syncServerUrl) {
        active = false; // the user chose another server in Settings: theirs from now on
        return store.set(key, next);
      }
      // Keep what was saved before this launch rather than the flag's value.
      const saved = store.get<Stored>(key)?.syncServerUrl;
      if (saved === undefined) delete next.syncServerUrl;
      else next.syncServerUrl = saved;
      store.set(key, next);
    },
    delete: (key) => store.delete(key),
  };
}
