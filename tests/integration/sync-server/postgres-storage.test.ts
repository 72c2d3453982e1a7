// What the PostgreSQL backend adds to the storage contract: per-room numbering, reading from a
// number, several processes appending and compacting one room at once, the shared secret,
// migrations, and waiting out a database restart.
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import * as Y from 'yjs';
import { openPostgresStorage } from '../../../sync-server/storage/postgres';
import { MIGRATIONS } from '../../../sync-server/storage/postgres-migrations';
import { RoomDirectory, RoomLimitError } from '../../../sync-server/rooms/room-directory';
import { startPostgres, type Postgres } from '../../../scripts/cluster/services';
import { REPO_ROOT, connect, createRoom, waitFor } from './support/harness';
import { startServerWithTokens, startTrustingServer, stopAll } from './support/server-suite';

let postgres: Postgres;
beforeAll(async () => {
  postgres = await startPostgres();
}, 60_000);
afterAll(async () => {
  await postgres?.stop();
});

function mapUpdate(doc: Y.Doc, key: string): Uint8Array {
  let captured: Uint8Array | undefined;
  const grab = (u: Uint8Array) => (captured = u);
  doc.on('update', grab);
  doc.getMap('m').set(key, key);
  doc.off('update', grab);
  return captured!;
}

function keysOf(updates: Uint8Array[]): string[] {
  const doc = new Y.Doc();
  for (const u of updates) Y.applyUpdate(doc, u);
  return [...doc.getMap('m').keys()].sort();
}

/** Runs the writer in its own Node process. */
function writer(url: string, room: string, name: string, count: number, compactEvery: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'tests/integration/sync-server/support/pg-writer.ts',
        url,
        room,
        name,
        String(count),
        String(compactEvery),
      ],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (out += d));
    child.once('exit', (code) =>
      code === 0 && out.includes('done')
        ? resolve()
        : reject(new Error(`writer ${name} exited ${code}:\n${out}`)),
    );
  });
}

const expected = (names: string[], count: number) =>
  names.flatMap((n) => Array.from({ length: count }, (_, i) => `${n}:${i}`)).sort();

describe('PostgreSQL storage', () => {
  it('numbers each room 1, 2, 3… across batches and reads from any number', async () => {
    const storage = await openPostgresStorage(await postgres.createDatabase('numbers'));
    // One doc per update, so each stands alone (a client's later update needs its earlier ones).
    const [a1, a2, b1, a3] = ['a1', 'a2', 'b1', 'a3'].map((k) => mapUpdate(new Y.Doc(), k));
    expect(
      await storage.appendUpdates([
        { roomId: 'a', update: a1! },
        { roomId: 'b', update: b1! },
        { roomId: 'a', update: a2! },
      ]),
    ).toEqual([1, 1, 2]);
    expect(await storage.appendUpdates([{ roomId: 'a', update: a3! }])).toEqual([3]);
    expect((await storage.loadSince('a', 1)).map((r) => r.seq)).toEqual([2, 3]);
    expect(keysOf((await storage.loadSince('a', 1)).map((r) => r.update))).toEqual(['a2', 'a3']);
    expect(await storage.headSeqs(['a', 'b', 'c'])).toEqual(
      new Map([
        ['a', 3],
        ['b', 1],
      ]),
    );
    await storage.close();
  });

  it('compacts only up to the number it is given, under that number', async () => {
    const storage = await openPostgresStorage(await postgres.createDatabase('bounded'));
    const doc = new Y.Doc();
    for (const k of ['k1', 'k2', 'k3'])
      await storage.appendUpdates([{ roomId: 'r', update: mapUpdate(doc, k) }]);
    const upToTwo = new Y.Doc();
    for (const { update } of (await storage.loadSince('r', 0)).slice(0, 2)) Y.applyUpdate(upToTwo, update);
    await storage.compact('r', Y.encodeStateAsUpdate(upToTwo), 2);
    expect((await storage.loadSince('r', 0)).map((r) => r.seq)).toEqual([2, 3]);
    expect(keysOf(await storage.loadRoom('r'))).toEqual(['k1', 'k2', 'k3']);
    // Reading from 1 still yields everything after 1 (the state numbered 2 holds 2).
    expect(keysOf((await storage.loadSince('r', 1)).map((r) => r.update))).toContain('k2');
    await storage.close();
  });

  it('keeps every update when two processes append to one room at once', async () => {
    const url = await postgres.createDatabase('two_appenders');
    await Promise.all([writer(url, 'shared', 'p1', 150, 0), writer(url, 'shared', 'p2', 150, 0)]);
    const storage = await openPostgresStorage(url);
    const rows = await storage.loadSince('shared', 0);
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    expect(keysOf(rows.map((r) => r.update))).toEqual(expected(['p1', 'p2'], 150));
    await storage.close();
  }, 60_000);

  it('loses nothing when two processes append and compact one room at once', async () => {
    const url = await postgres.createDatabase('two_compactors');
    await Promise.all([writer(url, 'shared', 'p1', 120, 7), writer(url, 'shared', 'p2', 120, 5)]);
    const storage = await openPostgresStorage(url);
    expect(keysOf(await storage.loadRoom('shared'))).toEqual(expected(['p1', 'p2'], 120));
    // Compactions did happen (otherwise this test proves nothing).
    expect(await storage.countUpdates('shared')).toBeLessThan(240);
    // Batches spanned two rooms: the writer's own room got every other update.
    expect(await storage.countUpdates('shared-p1')).toBe(60);
    await storage.close();
  }, 60_000);

  it('never deletes an append it did not load when compacting by default', async () => {
    const url = await postgres.createDatabase('default_bound');
    const mine = await openPostgresStorage(url);
    const other = await openPostgresStorage(url);
    const doc = new Y.Doc();
    await mine.appendUpdates([{ roomId: 'r', update: mapUpdate(doc, 'first') }]);
    const loaded = new Y.Doc();
    for (const u of await mine.loadRoom('r')) Y.applyUpdate(loaded, u);
    await other.appendUpdates([{ roomId: 'r', update: mapUpdate(new Y.Doc(), 'theirs') }]);
    await mine.appendUpdates([{ roomId: 'r', update: mapUpdate(doc, 'mine-after') }]);
    await mine.compact('r', Y.encodeStateAsUpdate(loaded));
    expect(keysOf(await other.loadRoom('r'))).toEqual(['first', 'mine-after', 'theirs']);
    await Promise.all([mine.close(), other.close()]);
  });

  it('shares one server secret between processes and keeps it', async () => {
    const url = await postgres.createDatabase('secret');
    const [a, b] = await Promise.all([openPostgresStorage(url), openPostgresStorage(url)]);
    const [sa, sb] = await Promise.all([a.loadSharedSecret(), b.loadSharedSecret()]);
    expect(sa.length).toBe(32);
    expect(Buffer.from(sa).equals(Buffer.from(sb))).toBe(true);
    await Promise.all([a.close(), b.close()]);
    const c = await openPostgresStorage(url);
    expect(Buffer.from(await c.loadSharedSecret()).equals(Buffer.from(sa))).toBe(true);
    await c.close();
  });

  it('migrates once when processes start together, and refuses a newer schema', async () => {
    const url = await postgres.createDatabase('migrations');
    const opened = await Promise.all([1, 2, 3].map(() => openPostgresStorage(url)));
    await Promise.all(opened.map((s) => s.close()));
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query<{ version: number }>(
      'SELECT version FROM duet_schema_migrations ORDER BY 1',
    );
    expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
    await client.query("INSERT INTO duet_schema_migrations (version, name) VALUES (999, 'from the future')");
    await client.end();
    await expect(openPostgresStorage(url)).rejects.toThrow(/version 999, newer than this server/);
  });

  it('holds the per-user room cap exactly when two processes create rooms at once', async () => {
    const url = await postgres.createDatabase('cap');
    const a = await openPostgresStorage(url);
    const b = await openPostgresStorage(url);
    try {
      const secret = await a.loadSharedSecret();
      // Two processes' directories: neither sees the other's in-process serializer.
      const directories = [new RoomDirectory(a, secret, 5), new RoomDirectory(b, secret, 5)];
      const carol = 'carol@example.com';
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) =>
          directories[i % 2]!.createRandomRoom(carol, [carol, `p${i}@example.com`]),
        ),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(RoomLimitError);
      expect(await a.listRecords(`creator/${encodeURIComponent(carol)}/`)).toHaveLength(5);
      // Someone else's quota is untouched.
      await expect(
        directories[1]!.createRandomRoom('dan@example.com', ['dan@example.com', carol]),
      ).resolves.toBeDefined();
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('waits out a database restart: a write during it completes once the database is back', async () => {
    const storage = await openPostgresStorage(await postgres.createDatabase('restart'), {
      retryForMs: 30_000,
    });
    const doc = new Y.Doc();
    await storage.appendUpdates([{ roomId: 'r', update: mapUpdate(doc, 'before') }]);
    const restarting = postgres.restart(1500);
    await new Promise((r) => setTimeout(r, 300));
    const during = storage.appendUpdates([{ roomId: 'r', update: mapUpdate(doc, 'during') }]);
    await restarting;
    expect(await during).toEqual([2]);
    expect(keysOf(await storage.loadRoom('r'))).toEqual(['before', 'during']);
    await storage.close();
  }, 60_000);
});

describe('the throw-away PostgreSQL of the tests and `npm run cluster`', () => {
  it('leaves no temporary folder behind when it cannot start, or when stopped after dying', async () => {
    const parentDir = mkdtempSync(join(tmpdir(), 'duet-pg-parent-'));
    chmodSync(parentDir, 0o755); // PostgreSQL may run as another user (we are root in CI)
    // Something that is not PostgreSQL holds the port: the server exits at once, and the folder goes.
    const squatter = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = squatter.address() as AddressInfo;
      await expect(startPostgres({ port, parentDir })).rejects.toThrow(/did not start/);
      expect(readdirSync(parentDir)).toEqual([]);
      // Killed from outside, then stopped: the folder still goes.
      const other = await startPostgres({ parentDir });
      expect(readdirSync(parentDir)).toHaveLength(1);
      await other.service.stop('SIGKILL');
      await other.stop();
      expect(readdirSync(parentDir)).toEqual([]);
    } finally {
      squatter.close();
      rmSync(parentDir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('sync server on PostgreSQL', () => {
  it('serves, keeps documents across a restart, and derives the same room ids in every process', async () => {
    const databaseUrl = await postgres.createDatabase('server');
    const { tokens, server } = await startServerWithTokens({ databaseUrl, compactAfterUpdates: 20 });
    const second = await startTrustingServer(tokens, { databaseUrl });
    const [alice, bob] = ['alice@example.com', 'bob@example.com'];
    const fromFirst = await createRoom(server.httpUrl, await tokens.token(alice), [alice, bob], 'uid-1@x');
    const fromSecond = await createRoom(second.httpUrl, await tokens.token(bob), [bob, alice], 'uid-1@x');
    expect(fromSecond).toBe(fromFirst);
    const a = connect(server.url, fromFirst, await tokens.token(alice));
    const b = connect(server.url, fromFirst, await tokens.token(bob));
    await Promise.all([a.synced(), b.synced()]);
    for (let i = 0; i < 50; i++) a.text.insert(a.text.length, `${i},`);
    await waitFor(() => b.text.toString().endsWith('49,'), 'edits relayed');
    await stopAll({ clients: [a, b], server });
    const storage = await openPostgresStorage(databaseUrl);
    // Compacted on the way (20 updates) and on shutdown: fewer rows than edits.
    expect(await storage.countUpdates(fromFirst)).toBeLessThan(50);
    await storage.close();
    const c = connect(second.url, fromFirst, await tokens.token(bob));
    await c.synced();
    expect(c.text.toString()).toBe(Array.from({ length: 50 }, (_, i) => `${i},`).join(''));
    await stopAll({ clients: [c], server: second, tokens });
  }, 60_000);
});
