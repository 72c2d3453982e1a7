// In-memory backend: the default for the embedded server in tests and for `--memory`.
// "Stored" means held in the shared state object, so a second instance opened on the same
// state behaves like a process restart for the contract suite.
import type { AppendEntry, RecordWrite, SyncStorage } from './types';

export interface MemoryStorageState {
  readonly rooms: Map<string, Uint8Array[]>;
  readonly records: Map<string, string>;
}

export function createMemoryStorageState(): MemoryStorageState {
  return { rooms: new Map(), records: new Map() };
}

export function createMemoryStorage(state: MemoryStorageState = createMemoryStorageState()): SyncStorage {
  let closed = false;
  const ensureOpen = (): void => {
    if (closed) throw new Error('storage is closed');
  };
  // Copies on the way in and out, so callers can never mutate what is "on disk".
  const copy = (u: Uint8Array): Uint8Array => new Uint8Array(u);

  return {
    async loadRoom(roomId) {
      ensureOpen();
      return (state.rooms.get(roomId) ?? []).map(copy);
    },
    async appendUpdates(entries: readonly AppendEntry[]) {
      ensureOpen();
      for (const { roomId, update } of entries) {
        let log = state.rooms.get(roomId);
        if (!log) state.rooms.set(roomId, (log = []));
        log.push(copy(update));
      }
    },
    async compact(roomId, update) {
      ensureOpen();
      state.rooms.set(roomId, [copy(update)]);
    },
    async countUpdates(roomId) {
      ensureOpen();
      return state.rooms.get(roomId)?.length ?? 0;
    },
    releaseRoom() {},
    async getRecord(key) {
      ensureOpen();
      return state.records.get(key);
    },
    async writeRecords(writes: readonly RecordWrite[]) {
      ensureOpen();
      for (const { key, value } of writes) {
        if (value === null) state.records.delete(key);
        else state.records.set(key, value);
      }
    },
    async listRecords(prefix) {
      ensureOpen();
      return [...state.records.entries()]
        .filter(([key]) => key.startsWith(prefix))
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([key, value]) => ({ key, value }));
    },
    async close() {
      closed = true;
    },
  };
}
