// The one persistence interface the sync server talks to. Rooms, the relay and the room
// directory never see LevelDB or a Map: every backend implements this and passes the same
// contract suite (tests/integration/sync-server/storage-contract.test.ts).

/** One Yjs update destined for one room's log. */
export interface AppendEntry {
  readonly roomId: string;
  readonly update: Uint8Array;
}

/** A small string record (JSON by convention); `value: null` deletes the key. */
export interface RecordWrite {
  readonly key: string;
  readonly value: string | null;
}

export interface SyncStorage {
  /** Every update stored for the room, oldest first; an empty array for an unknown room. */
  loadRoom(roomId: string): Promise<Uint8Array[]>;
  /**
   * Stores the entries (possibly for many rooms) as one atomic group, in order. Resolves only
   * once they are stored: callers broadcast an update only after this resolves.
   */
  appendUpdates(entries: readonly AppendEntry[]): Promise<void>;
  /**
   * Replaces everything stored so far for the room by `state`, which must already contain all
   * of it (Y.encodeStateAsUpdate of the loaded doc). Never leaves the room empty on a crash:
   * the new state is written before the old updates are removed.
   */
  compact(roomId: string, state: Uint8Array): Promise<void>;
  /** How many updates are stored for the room (compaction policy and tests use it). */
  countUpdates(roomId: string): Promise<number>;
  /** The room left memory: drop any per-room cache. Storage stays intact. */
  releaseRoom(roomId: string): void;

  getRecord(key: string): Promise<string | undefined>;
  /** Atomic: either every write lands or none does. */
  writeRecords(writes: readonly RecordWrite[]): Promise<void>;
  /** Every record whose key starts with `prefix`, ordered by key. */
  listRecords(prefix: string): Promise<Array<{ key: string; value: string }>>;

  /** Waits for in-flight writes, then releases the backend. Idempotent. */
  close(): Promise<void>;
}
