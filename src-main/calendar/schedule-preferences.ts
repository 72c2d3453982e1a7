// The scheduling form's preferences (the meeting lengths it offers), kept by main beside the
// activity log so every window and both modes read the same ones (docs/architecture.md §6).
import {
  DEFAULT_SCHEDULE_PREFERENCES,
  schedulePreferences,
  type SchedulePreferences,
} from '../../src-shared/bridge/schedule-contract';
import type { KeyValueStore } from '../storage/types';

const KEY = 'schedulePreferences';

export interface SchedulePreferencesStore {
  get(): SchedulePreferences;
  set(next: SchedulePreferences): SchedulePreferences;
  onChange(listener: (p: SchedulePreferences) => void): () => void;
}

export function createSchedulePreferences(store: KeyValueStore): SchedulePreferencesStore {
  const listeners = new Set<(p: SchedulePreferences) => void>();
  // A damaged value falls back to the defaults rather than breaking the form.
  const get = (): SchedulePreferences => {
    const parsed = schedulePreferences.safeParse(store.get(KEY));
    return parsed.success ? parsed.data : DEFAULT_SCHEDULE_PREFERENCES;
  };
  return {
    get,
    set(next) {
      const clean = schedulePreferences.parse({ lengths: [...next.lengths].sort((a, b) => a - b) });
      store.set(KEY, clean);
      for (const l of listeners) l(clean);
      return clean;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
