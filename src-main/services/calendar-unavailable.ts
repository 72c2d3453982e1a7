// Interim services for this wave's first commits: no account can be connected yet, so there is
// nothing to sync. Replaced by src-main/auth and src-main/calendar as they land; every call that
// would need them says so in words rather than failing silently.
import type { CalendarSyncService } from './types';

export function createCalendarSyncUnavailable(pollMinutes: () => number): CalendarSyncService {
  return {
    status: () => ({
      state: 'idle',
      lastSyncAt: 0,
      lastError: '',
      progress: null,
      push: false,
      pollMinutes: pollMinutes(),
    }),
    syncNow: () => false,
    nextBatch: () => null,
    ackBatch: () => {},
    directory: () => Promise.resolve([]),
    onChange: () => () => {},
    onBatchReady: () => () => {},
    stop: () => Promise.resolve(),
  };
}
