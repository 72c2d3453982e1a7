// KeyValueStore on electron-store for the desktop app (it handles the per-user path and atomic writes).
import Store from 'electron-store';
import type { KeyValueStore } from './types';

export function electronKeyValueStore(name: string): KeyValueStore {
  const store = new Store<Record<string, unknown>>({ name });
  return {
    get: <T>(key: string) => store.get(key) as T | undefined,
    set: (key, value) => store.set(key, value),
    delete: (key) => store.delete(key),
  };
}
