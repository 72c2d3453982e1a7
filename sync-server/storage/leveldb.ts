// LevelDB backend (classic-level through `level`). Documents use y-leveldb's on-disk layout
// (its key encoding, ['v1', room, 'update', clock] update keys and the ['v1_sv', room] state
// vector key), so y-leveldb's own LeveldbPersistence can open a Duet data dir and read every
// room. The write path is our own: y-leveldb serialises every write behind a per-update
// "read the last clock" iteration, which cannot keep up with group commit, so we cache each
// loaded room's last clock and write many rooms' updates in one LevelDB batch.
// Without --fsync an append is stored once it is in the write-ahead file next to the database
// (leveldb-wal.ts): one write() on the main thread instead of a round trip to LevelDB's worker
// thread, which on a busy machine waits for a CPU and was most of the relay latency (issue 13).
// LevelDB receives the same keys in the background; reads of documents wait for it.
import { mkdirSync } from 'node:fs';
import { Level } from 'level';
import { keyEncoding } from 'y-leveldb';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import type { AppendEntry, RecordWrite, SyncStorage } from './types';
import { WriteAheadFile, type WalOp } from './leveldb-wal';

type DocKey = Array<string | number>;
type DocPut = { type: 'put'; key: DocKey; value: Uint8Array };

/** Past this size the write-ahead file takes no more appends until LevelDB has caught up. */
const MAX_WAL_BYTES = 64 * 1024 * 1024;

const toPut = (op: WalOp): DocPut =>
  op.kind === 'update'
    ? { type: 'put', key: updateKey(op.roomId, op.clock), value: op.value }
    : { type: 'put', key: stateVectorKey(op.roomId), value: op.value };

const MAX_CLOCK = 0xffffffff;
const updateKey = (roomId: string, clock: number): DocKey => ['v1', roomId, 'update', clock];
const stateVectorKey = (roomId: string): DocKey => ['v1_sv', roomId];

function encodeStateVectorRecord(clock: number, sv: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, clock);
  encoding.writeVarUint8Array(encoder, sv);
  return encoding.toUint8Array(encoder);
}

export interface LevelStorageOptions {
  /** fsync every batch: survives power loss, not only a process crash (slower). */
  readonly fsync?: boolean;
}

export async function openLevelStorage(dir: string, options: LevelStorageOptions = {}): Promise<SyncStorage> {
  mkdirSync(dir, { recursive: true });
  const db = new Level<DocKey, Uint8Array>(dir, {
    // y-leveldb's legacy-style encoding object; abstract-level accepts it as a buffer encoding.
    keyEncoding: keyEncoding as never,
    valueEncoding: 'view',
    // Reads happen once per room load, so LevelDB's 8 MB block cache would mostly hold native
    // memory the server never gives back. The memtable keeps its 4 MB default: a smaller one
    // flushes (and compacts) more often, which shows up as write stalls in the tail latency.
    cacheSize: 2 * 1024 * 1024,
  });
  await db.open();
  // What a previous process stored but LevelDB never received (it died first) goes in now.
  const wal = new WriteAheadFile(`${dir}.wal`);
  if (wal.recovered.length > 0) {
    await db.batch(wal.recovered.map(toPut), { sync: options.fsync === true });
    wal.clear();
  }
  wal.recovered.length = 0;
  // Records live in a sublevel: its keys start with "!" and never meet y-leveldb's 0x00 keys.
  const records = db.sublevel<string, string>('duet', { keyEncoding: 'utf8', valueEncoding: 'utf8' });
  const writeOptions = { sync: options.fsync === true };

  // Last stored clock per room that is loaded; -1 when the room has nothing stored.
  const lastClock = new Map<string, number>();
  // Writes are applied one after another so clocks are assigned without races.
  let chain: Promise<unknown> = Promise.resolve();
  let closed = false;
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const run = chain.then(task, task);
    chain = run.catch(() => undefined);
    return run;
  };
  const ensureOpen = (): void => {
    if (closed) throw new Error('storage is closed');
  };

  // Fast appends waiting for LevelDB, and whether a background batch is taking them.
  let walBacklog: DocPut[] = [];
  let applyingWal = false;
  let walFailure: unknown;
  let slowAppends = 0;

  /** Gives LevelDB what the write-ahead file holds, then empties the file (runs in `serial`). */
  async function applyWal(): Promise<void> {
    try {
      while (walBacklog.length > 0) {
        const ops = walBacklog;
        walBacklog = [];
        await db.batch(ops, writeOptions);
      }
      wal.clear();
    } catch (error) {
      // The updates are safe in the file (replayed at the next start); no new ones are taken.
      walFailure = error;
    } finally {
      applyingWal = false;
    }
  }

  /** Reads of documents see every acknowledged append. */
  const settled = (): Promise<unknown> => (applyingWal ? chain : Promise.resolve());

  /** Clocks for `entries` from the cached last clocks (all present); the ops to store. */
  function numberEntries(entries: readonly AppendEntry[]): { ops: WalOp[]; next: Map<string, number> } {
    const ops: WalOp[] = [];
    const next = new Map<string, number>();
    for (const { roomId, update } of entries) {
      let clock = next.get(roomId) ?? lastClock.get(roomId)!;
      if (clock === -1) {
        // y-leveldb lists documents by their state-vector key; write it with the first update.
        ops.push({
          kind: 'sv',
          roomId,
          value: encodeStateVectorRecord(0, Y.encodeStateVectorFromUpdate(update)),
        });
      }
      clock += 1;
      next.set(roomId, clock);
      ops.push({ kind: 'update', roomId, clock, value: update });
    }
    return { ops, next };
  }

  async function readLastClock(roomId: string): Promise<number> {
    const cached = lastClock.get(roomId);
    if (cached !== undefined) return cached;
    // (abstract-level types all() as a one-element tuple; it is an array.)
    const keys: DocKey[] = await db
      .keys({ gte: updateKey(roomId, 0), lt: updateKey(roomId, MAX_CLOCK), reverse: true, limit: 1 })
      .all();
    const clock = keys.length === 0 ? -1 : Number(keys[0]![3]);
    lastClock.set(roomId, clock);
    return clock;
  }

  return {
    async loadRoom(roomId) {
      ensureOpen();
      await settled();
      const entries = await db
        .iterator({ gte: updateKey(roomId, 0), lt: updateKey(roomId, MAX_CLOCK) })
        .all();
      // Only cache the clock when no write is queued; otherwise the queued write will read it.
      const last = entries.length === 0 ? -1 : Number(entries[entries.length - 1]![0][3]);
      lastClock.set(roomId, Math.max(last, lastClock.get(roomId) ?? -1));
      return entries.map(([, value]) => value);
    },

    async appendUpdates(entries: readonly AppendEntry[]) {
      ensureOpen();
      if (walFailure !== undefined) throw walFailure;
      // Fast path: every room's last clock is known and no slow append is settling one.
      if (
        !options.fsync &&
        slowAppends === 0 &&
        wal.size < MAX_WAL_BYTES &&
        entries.every((e) => lastClock.has(e.roomId))
      ) {
        const { ops, next } = numberEntries(entries);
        wal.append(ops);
        for (const [roomId, clock] of next) lastClock.set(roomId, clock);
        for (const op of ops) walBacklog.push(toPut(op));
        if (!applyingWal) {
          applyingWal = true;
          void serial(applyWal);
        }
        return;
      }
      slowAppends++;
      try {
        return await serial(async () => {
          for (const { roomId } of entries) await readLastClock(roomId);
          const { ops, next } = numberEntries(entries);
          await db.batch(ops.map(toPut), writeOptions);
          for (const [roomId, clock] of next) lastClock.set(roomId, clock);
        });
      } finally {
        slowAppends--;
      }
    },

    async compact(roomId, state) {
      ensureOpen();
      return serial(async () => {
        const clock = (await readLastClock(roomId)) + 1;
        // New state first, then drop what it replaces: a crash in between leaves duplicates
        // (harmless to Yjs), never a hole.
        await db.batch(
          [
            { type: 'put', key: updateKey(roomId, clock), value: state },
            {
              type: 'put',
              key: stateVectorKey(roomId),
              value: encodeStateVectorRecord(clock, Y.encodeStateVectorFromUpdate(state)),
            },
          ],
          writeOptions,
        );
        lastClock.set(roomId, clock);
        await db.clear({ gte: updateKey(roomId, 0), lt: updateKey(roomId, clock) });
      });
    },

    async countUpdates(roomId) {
      ensureOpen();
      await settled();
      const keys: DocKey[] = await db
        .keys({ gte: updateKey(roomId, 0), lt: updateKey(roomId, MAX_CLOCK) })
        .all();
      return keys.length;
    },

    releaseRoom(roomId) {
      lastClock.delete(roomId);
    },

    async getRecord(key) {
      ensureOpen();
      try {
        return await records.get(key);
      } catch (err) {
        if ((err as { code?: string }).code === 'LEVEL_NOT_FOUND') return undefined;
        throw err;
      }
    },

    async writeRecords(writes: readonly RecordWrite[]) {
      ensureOpen();
      const ops = writes.map(
        (w): { type: 'del'; key: string } | { type: 'put'; key: string; value: string } =>
          w.value === null ? { type: 'del', key: w.key } : { type: 'put', key: w.key, value: w.value },
      );
      // Sublevels forward options (including classic-level's `sync`) to the database.
      return serial(() =>
        records.batch(ops, { ...writeOptions, keyEncoding: 'utf8', valueEncoding: 'utf8' }),
      );
    },

    async listRecords(prefix) {
      ensureOpen();
      // '\uffff' sorts after every character a key can contain.
      const entries = await records.iterator({ gte: prefix, lt: prefix + '\uffff' }).all();
      return entries.map(([key, value]) => ({ key, value }));
    },

    async close() {
      if (closed) return;
      closed = true;
      await chain;
      if (walFailure === undefined) wal.clear();
      wal.close();
      await db.close();
    },
  };
}
