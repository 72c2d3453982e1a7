// A SyncStorage wrapper for tests: counts calls, can hold writes or loads back, or fail them.
import type { AppendEntry, SyncStorage } from '../../../../sync-server';

export interface InstrumentedStorage extends SyncStorage {
  loads: number;
  appended: number;
  /** While set, appendUpdates waits for it. */
  writeGate: Promise<void> | undefined;
  /** Added before every loadRoom resolves. */
  loadDelayMs: number;
  /** While true, appendUpdates rejects. */
  failWrites: boolean;
}

export function instrument(inner: SyncStorage): InstrumentedStorage {
  const wrapper: InstrumentedStorage = {
    loads: 0,
    appended: 0,
    writeGate: undefined,
    loadDelayMs: 0,
    failWrites: false,
    async loadRoom(roomId) {
      wrapper.loads++;
      if (wrapper.loadDelayMs > 0) await new Promise((r) => setTimeout(r, wrapper.loadDelayMs));
      return inner.loadRoom(roomId);
    },
    async appendUpdates(entries: readonly AppendEntry[]) {
      await wrapper.writeGate;
      if (wrapper.failWrites) throw new Error('disk on fire');
      await inner.appendUpdates(entries);
      wrapper.appended += entries.length;
    },
    compact: (roomId, state) => inner.compact(roomId, state),
    countUpdates: (roomId) => inner.countUpdates(roomId),
    releaseRoom: (roomId) => inner.releaseRoom(roomId),
    getRecord: (key) => inner.getRecord(key),
    writeRecords: (writes) => inner.writeRecords(writes),
    listRecords: (prefix) => inner.listRecords(prefix),
    close: () => inner.close(),
  };
  return wrapper;
}

export function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}
