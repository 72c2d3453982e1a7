// The log of every write Duet makes to a calendar (docs/architecture.md §6): kept by main in its
// key-value store (electron-store on the desktop, a JSON file in web mode), read in Settings →
// Activity. Failed attempts are logged too: the user sees what Duet tried, not only what worked.
import { randomUUID } from 'node:crypto';
import { activityEntry, type ActivityEntry } from '../../src-shared/bridge/schedule-contract';
import type { KeyValueStore } from '../storage/types';

const KEY = 'calendarActivity';
/** The newest entries kept; older ones fall off (a year of weekly 1:1s with a team is far below it). */
export const ACTIVITY_LIMIT = 1000;

export interface ActivityLog {
  /** Newest first. */
  list(): ActivityEntry[];
  record(entry: Omit<ActivityEntry, 'id' | 'at'>): ActivityEntry;
  onRecord(listener: (entry: ActivityEntry) => void): () => void;
}

export function createActivityLog(
  store: KeyValueStore,
  now: () => number = Date.now,
  limit = ACTIVITY_LIMIT,
): ActivityLog {
  const listeners = new Set<(entry: ActivityEntry) => void>();
  // A damaged or foreign value reads as entries that parse; the rest are dropped, never thrown.
  const read = (): ActivityEntry[] => {
    const raw = store.get<unknown>(KEY);
    if (!Array.isArray(raw)) return [];
    return raw.flatMap((e) => {
      const parsed = activityEntry.safeParse(e);
      return parsed.success ? [parsed.data] : [];
    });
  };
  return {
    list: read,
    record(entry) {
      const full: ActivityEntry = { ...entry, id: randomUUID(), at: now() };
      store.set(KEY, [full, ...read()].slice(0, limit));
      for (const l of listeners) l(full);
      return full;
    },
    onRecord(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
