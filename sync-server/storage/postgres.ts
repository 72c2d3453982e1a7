// PostgreSQL backend, for several server processes sharing one database (docs/architecture.md
// §7). Each room's updates are append-only rows numbered per room; an append of any number of
// rooms is one SQL statement (so one transaction and one round trip); the room directory,
// relay registrations and the room-id secret live here too, so every process shares them.
//
// Several writers: numbers come from an upsert on the room's head row, which locks it until
// the statement commits, so a room's numbers are committed in order. Compaction replaces only
// rows up to a number whose whole prefix the compacted state holds, and puts the state under
// that number: a concurrent append (a higher number) is never deleted, and two processes
// compacting the same room at once each leave a state that holds everything it replaced.
//
// The database going away (restart, failover) is waited out: every statement is retried with
// backoff while the error is a connection error, up to `retryForMs`; the write queue above
// simply sees a slow write, and clients see their edits unacknowledged rather than dropped.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { AppendEntry, RecordWrite, SequencedUpdate, SyncStorage } from './types';
import { MIGRATIONS } from './postgres-migrations';

export interface PostgresStorageOptions {
  /** Pool size (default 10). */
  readonly maxConnections?: number;
  /** How long a statement keeps retrying while the database is unreachable (default 60 s). */
  readonly retryForMs?: number;
  /** Called once per retried failure (logging). */
  readonly onRetry?: (error: unknown, attempt: number) => void;
}

export interface PostgresStorage extends SyncStorage {
  appendUpdates(entries: readonly AppendEntry[]): Promise<number[]>;
  loadSince(roomId: string, afterSeq: number): Promise<SequencedUpdate[]>;
  headSeqs(roomIds: readonly string[]): Promise<Map<string, number>>;
  loadSharedSecret(): Promise<Uint8Array>;
}

// SQLSTATE classes and codes that mean "the server or the connection went away", not "your
// statement is wrong": 08 connection exception, 57P01-57P03 shutdown / cannot connect now,
// 40001/40P01 serialization failure / deadlock (safe to run again).
const RETRYABLE_CODES = new Set(['57P01', '57P02', '57P03', '40001', '40P01', '53300']);
const RETRYABLE_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

export function isTransientPgError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (code.startsWith('08') || RETRYABLE_CODES.has(code) || RETRYABLE_NODE_CODES.has(code)) return true;
  }
  const message = error instanceof Error ? error.message : String(error);
  return /Connection terminated|connection timeout|terminating connection|the database system is (starting up|shutting down)/i.test(
    message,
  );
}

const MIGRATION_LOCK = 0x6475_6574; // "duet": one migrator at a time across processes

async function migrate(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS duet_schema_migrations (
      version    integer PRIMARY KEY,
      name       text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const { rows } = await client.query<{ version: number }>('SELECT version FROM duet_schema_migrations');
    const applied = new Set(rows.map((r) => r.version));
    const newest = Math.max(0, ...applied);
    const known = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
    if (newest > known)
      throw new Error(
        `the database schema is at version ${newest}, newer than this server knows (${known}): upgrade the server`,
      );
    for (const m of MIGRATIONS) {
      if (applied.has(m.version)) continue;
      await client.query(m.sql);
      await client.query('INSERT INTO duet_schema_migrations (version, name) VALUES ($1, $2)', [
        m.version,
        m.name,
      ]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

// One statement for any number of rooms: count each room's entries, bump the heads (locking
// them, in room order so two writers never deadlock), insert the rows under their numbers and
// return each entry's number in input order.
const APPEND_SQL = `
WITH batch AS (
  SELECT b.room_id, b.idx, b.data, b.ord
  FROM unnest($1::text[], $2::int[], $3::bytea[]) WITH ORDINALITY AS b(room_id, idx, data, ord)
), counts AS (
  SELECT room_id, count(*)::bigint AS n FROM batch GROUP BY room_id
), heads AS (
  INSERT INTO duet_room_heads AS h (room_id, last_seq)
  SELECT room_id, n FROM counts ORDER BY room_id
  ON CONFLICT (room_id) DO UPDATE SET last_seq = h.last_seq + EXCLUDED.last_seq
  RETURNING h.room_id, h.last_seq
), numbered AS (
  SELECT b.ord, b.room_id, heads.last_seq - c.n + b.idx AS seq, b.data
  FROM batch b JOIN heads USING (room_id) JOIN counts c USING (room_id)
), inserted AS (
  INSERT INTO duet_room_updates (room_id, seq, data) SELECT room_id, seq, data FROM numbered
)
SELECT ord, seq FROM numbered ORDER BY ord`;

export async function openPostgresStorage(
  connectionString: string,
  options: PostgresStorageOptions = {},
): Promise<PostgresStorage> {
  const pool = new pg.Pool({
    connectionString,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its connection (database restart) is reported here; without a
  // listener it would crash the process. The next query simply gets a fresh connection.
  pool.on('error', () => undefined);
  const retryForMs = options.retryForMs ?? 60_000;
  let closed = false;
  let inFlight = 0;
  let idle: (() => void) | undefined;
  const ensureOpen = (): void => {
    if (closed) throw new Error('storage is closed');
  };

  async function withRetry<T>(work: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + retryForMs;
    inFlight++;
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          return await work();
        } catch (error) {
          if (!isTransientPgError(error) || Date.now() >= deadline || (closed && attempt > 3)) throw error;
          options.onRetry?.(error, attempt);
          // Exponential from 50 ms to 2 s, with jitter so many processes do not retry in step.
          const delay = Math.min(2000, 50 * 2 ** Math.min(attempt, 6)) * (0.5 + Math.random() / 2);
          await new Promise((r) => setTimeout(r, delay));
        }
      }
    } finally {
      if (--inFlight === 0) idle?.();
    }
  }

  const query = <R extends pg.QueryResultRow>(text: string, values?: unknown[]) =>
    withRetry(() => pool.query<R>(text, values));

  async function transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return withRetry(async () => {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const result = await work(client);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch((e: unknown) => (broken = e as Error));
        if (isTransientPgError(error)) broken ??= error as Error;
        throw error;
      } finally {
        // A connection that failed is discarded, not handed to the next statement.
        client.release(broken);
      }
    });
  }

  await withRetry(() => migrate(pool));

  async function writeAll(client: pg.PoolClient, writes: readonly RecordWrite[]): Promise<void> {
    for (const { key, value } of writes) {
      if (value === null) await client.query('DELETE FROM duet_records WHERE key = $1', [key]);
      else
        await client.query(
          `INSERT INTO duet_records (key, value) VALUES ($1, $2)
           ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
          [key, value],
        );
    }
  }

  // Per loaded room, the highest number up to which this instance holds every update (what it
  // loaded, then its own appends while they follow on without a gap): the default bound of a
  // compaction, so one never replaces an update another process appended that we never read.
  const known = new Map<string, number>();
  const toBytes = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

  const storage: PostgresStorage = {
    async loadRoom(roomId) {
      ensureOpen();
      const rows = await storage.loadSince(roomId, 0);
      // A compacted state may be numbered 0 (a room compacted before any numbered append).
      const last = rows.length === 0 ? 0 : rows[rows.length - 1]!.seq;
      known.set(roomId, Math.max(last, known.get(roomId) ?? 0));
      return rows.map((r) => r.update);
    },

    async loadSince(roomId, afterSeq) {
      ensureOpen();
      const { rows } = await query<{ seq: string; data: Buffer }>(
        'SELECT seq, data FROM duet_room_updates WHERE room_id = $1 AND seq > $2 ORDER BY seq',
        [roomId, afterSeq === 0 ? -1 : afterSeq],
      );
      return rows.map((r) => ({ seq: Number(r.seq), update: toBytes(r.data) }));
    },

    async headSeqs(roomIds) {
      ensureOpen();
      const { rows } = await query<{ room_id: string; last_seq: string }>(
        'SELECT room_id, last_seq FROM duet_room_heads WHERE room_id = ANY($1::text[])',
        [roomIds],
      );
      return new Map(rows.map((r) => [r.room_id, Number(r.last_seq)]));
    },

    async appendUpdates(entries: readonly AppendEntry[]) {
      ensureOpen();
      if (entries.length === 0) return [];
      const perRoom = new Map<string, number>();
      const rooms: string[] = [];
      const idx: number[] = [];
      const data: Buffer[] = [];
      for (const { roomId, update } of entries) {
        const i = (perRoom.get(roomId) ?? 0) + 1;
        perRoom.set(roomId, i);
        rooms.push(roomId);
        idx.push(i);
        // A copy: the caller may reuse its buffer once we return.
        data.push(Buffer.from(update));
      }
      const { rows } = await query<{ ord: string; seq: string }>(APPEND_SQL, [rooms, idx, data]);
      const seqs = rows.map((r) => Number(r.seq));
      // Advance `known` only over an unbroken run of our own numbers (from nothing, for a room
      // we never loaded: our first number being 1 means nobody else wrote before us).
      const first = new Map<string, number>();
      const last = new Map<string, number>();
      entries.forEach(({ roomId }, i) => {
        if (!first.has(roomId)) first.set(roomId, seqs[i]!);
        last.set(roomId, seqs[i]!);
      });
      for (const [roomId, from] of first) {
        if (from === (known.get(roomId) ?? 0) + 1) known.set(roomId, last.get(roomId)!);
      }
      return seqs;
    },

    async compact(roomId, state, upToSeq) {
      ensureOpen();
      const upTo = upToSeq ?? known.get(roomId);
      // Nothing loaded: we cannot know what the state covers, so keep every row.
      if (upTo === undefined) {
        await storage.appendUpdates([{ roomId, update: state }]);
        return;
      }
      const bytes = Buffer.from(state);
      await transaction(async (client) => {
        // Locks the head: appends and other compactions of this room wait for us.
        await client.query(
          `INSERT INTO duet_room_heads AS h (room_id, last_seq) VALUES ($1, $2)
           ON CONFLICT (room_id) DO UPDATE SET last_seq = GREATEST(h.last_seq, EXCLUDED.last_seq)`,
          [roomId, upTo],
        );
        // The state goes in first (under a number nobody else can hold once the rows up to it
        // are gone), all in one transaction: a crash leaves either the old rows or the state.
        await client.query('DELETE FROM duet_room_updates WHERE room_id = $1 AND seq <= $2', [roomId, upTo]);
        await client.query('INSERT INTO duet_room_updates (room_id, seq, data) VALUES ($1, $2, $3)', [
          roomId,
          upTo,
          bytes,
        ]);
      });
    },

    async countUpdates(roomId) {
      ensureOpen();
      const { rows } = await query<{ n: string }>(
        'SELECT count(*) AS n FROM duet_room_updates WHERE room_id = $1',
        [roomId],
      );
      return Number(rows[0]!.n);
    },

    releaseRoom(roomId) {
      known.delete(roomId);
    },

    async getRecord(key) {
      ensureOpen();
      const { rows } = await query<{ value: string }>('SELECT value FROM duet_records WHERE key = $1', [key]);
      return rows[0]?.value;
    },

    async writeRecords(writes: readonly RecordWrite[]) {
      ensureOpen();
      if (writes.length === 0) return;
      await transaction((client) => writeAll(client, writes));
    },

    async writeRecordsUnderCap(writes, cap) {
      ensureOpen();
      return transaction(async (client) => {
        // Every process counting this prefix takes the same transaction-scoped lock first, so
        // count-then-write is one step cluster-wide (two hashes: a collision only serializes).
        await client.query('SELECT pg_advisory_xact_lock(hashtext($1), hashtext(reverse($1)))', [cap.prefix]);
        const { rows } = await client.query<{ n: string }>(
          `SELECT count(*) AS n FROM duet_records WHERE key >= $1 AND key < $2 AND starts_with(key, $1)`,
          [cap.prefix, cap.prefix + '\u{10ffff}'],
        );
        if (Number(rows[0]!.n) >= cap.max) return false;
        await writeAll(client, writes);
        return true;
      });
    },

    async listRecords(prefix) {
      ensureOpen();
      // Range scan on the primary key; starts_with settles keys past the upper bound's reach.
      const { rows } = await query<{ key: string; value: string }>(
        `SELECT key, value FROM duet_records
         WHERE key >= $1 AND key < $2 AND starts_with(key, $1) ORDER BY key`,
        [prefix, prefix + '\u{10ffff}'],
      );
      return rows;
    },

    async loadSharedSecret() {
      ensureOpen();
      // Whoever inserts first wins; everybody reads the winner.
      await query('INSERT INTO duet_server_secret (id, secret) VALUES (1, $1) ON CONFLICT (id) DO NOTHING', [
        randomBytes(32),
      ]);
      const { rows } = await query<{ secret: Buffer }>('SELECT secret FROM duet_server_secret WHERE id = 1');
      return toBytes(rows[0]!.secret);
    },

    async close() {
      if (closed) return;
      closed = true;
      if (inFlight > 0) await new Promise<void>((resolve) => (idle = resolve));
      await pool.end();
    },
  };
  return storage;
}
