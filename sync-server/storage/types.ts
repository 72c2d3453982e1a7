// The one persistence interface the sync server talks to. Rooms, the relay and the room
// directory never see LevelDB or a Map: every backend implements this and passes the same
// contract suite (tests/integration/sync-server/storage-contract.test.ts).

/** One Yjs update destined for one room's log. */
export interface AppendEntry {
  readonly roomId: string;
  readonly update: Uint8Array;
}

/** One stored update and its place in the room's log (backends that number updates). */
export interface SequencedUpdate {
  readonly seq: number;
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
   * once they are stored: callers broadcast an update only after this resolves. Backends that
   * number each room's updates (PostgreSQL) resolve with each entry's sequence number, in the
   * order of `entries`; the others resolve with nothing.
   */
  appendUpdates(entries: readonly AppendEntry[]): Promise<readonly number[] | void>;
  /**
   * Replaces everything stored so far for the room by `state`, which must already contain all
   * of it (Y.encodeStateAsUpdate of the loaded doc). Never leaves the room empty on a crash:
   * the new state is written before the old updates are removed.
   * Backends shared by several writers replace only the updates up to `upToSeq` (the highest
   * sequence number whose whole prefix `state` holds; default: what this instance loaded and
   * appended without a gap), so a concurrent append from another process is never deleted.
   */
  compact(roomId: string, state: Uint8Array, upToSeq?: number): Promise<void>;
  /** How many updates are stored for the room (compaction policy and tests use it). */
  countUpdates(roomId: string): Promise<number>;
  /** The room left memory: drop any per-room cache. Storage stays intact. */
  releaseRoom(roomId: string): void;

  getRecord(key: string): Promise<string | undefined>;
  /** Atomic: either every write lands or none does. */
  writeRecords(writes: readonly RecordWrite[]): Promise<void>;
  /** Every record whose key starts with `prefix`, ordered by key. */
  listRecords(prefix: string): Promise<Array<{ key: string; value: string }>>;
  /**
   * Backends shared by several processes: writes `writes` atomically only if fewer than
   * `cap.max` records start with `cap.prefix`, counting and writing as one step however many
   * processes ask at once (the per-user room cap). False, and nothing written, when at the cap.
   */
  writeRecordsUnderCap?(
    writes: readonly RecordWrite[],
    cap: { readonly prefix: string; readonly max: number },
  ): Promise<boolean>;

  /**
   * Numbered backends only: the updates stored after `afterSeq`, oldest first, with their
   * numbers. A compacted state appears under the number of the last update it replaced, so
   * reading from any point returns everything after it (and possibly some before: harmless).
   */
  loadSince?(roomId: string, afterSeq: number): Promise<SequencedUpdate[]>;
  /** Numbered backends only: the highest sequence number stored for each given room (0: none). */
  headSeqs?(roomIds: readonly string[]): Promise<Map<string, number>>;
  /**
   * Backends shared by several processes keep the room-id secret themselves, so every process
   * derives the same room ids (docs/architecture.md §7). Created once, on first use.
   */
  loadSharedSecret?(): Promise<Uint8Array>;

  /** Waits for in-flight writes, then releases the backend. Idempotent. */
  close(): Promise<void>;
}
