// One contract, every backend: what the rooms and the directory rely on from SyncStorage.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { LeveldbPersistence } from 'y-leveldb';
import {
  createMemoryStorage,
  createMemoryStorageState,
  openLevelStorage,
  type SyncStorage,
} from '../../../sync-server';
import { openPostgresStorage } from '../../../sync-server/storage/postgres';
import { startPostgres, type Postgres } from '../../../scripts/cluster/services';

interface Backend {
  name: string;
  /** A fresh, empty store. */
  create(): Promise<Fixture>;
}
interface Fixture {
  storage: SyncStorage;
  /** Closes the store and opens it again on the same data (a restart). */
  reopen(): Promise<SyncStorage>;
  cleanup(): Promise<void>;
}

const dirs: string[] = [];
// One throw-away PostgreSQL for the file (initdb in a temporary folder); a database per fixture.
let postgres: Postgres;
beforeAll(async () => {
  postgres = await startPostgres();
}, 60_000);
afterAll(async () => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  await postgres?.stop();
});

const backends: Backend[] = [
  {
    name: 'memory',
    async create() {
      const state = createMemoryStorageState();
      let storage = createMemoryStorage(state);
      return {
        storage,
        async reopen() {
          await storage.close();
          storage = createMemoryStorage(state);
          return storage;
        },
        cleanup: () => storage.close(),
      };
    },
  },
  {
    name: 'leveldb',
    async create() {
      const dir = mkdtempSync(join(tmpdir(), 'duet-level-'));
      dirs.push(dir);
      let storage = await openLevelStorage(dir);
      return {
        storage,
        async reopen() {
          await storage.close();
          storage = await openLevelStorage(dir);
          return storage;
        },
        cleanup: () => storage.close(),
      };
    },
  },
  {
    name: 'postgres',
    async create() {
      const url = await postgres.createDatabase('contract');
      let storage = await openPostgresStorage(url);
      return {
        storage,
        async reopen() {
          await storage.close();
          storage = await openPostgresStorage(url);
          return storage;
        },
        cleanup: () => storage.close(),
      };
    },
  },
];

function edit(doc: Y.Doc, text: string): Uint8Array {
  let captured: Uint8Array | undefined;
  const grab = (u: Uint8Array) => (captured = u);
  doc.on('update', grab);
  doc.getText('t').insert(doc.getText('t').length, text);
  doc.off('update', grab);
  return captured!;
}

function replay(updates: Uint8Array[]): string {
  const doc = new Y.Doc();
  for (const u of updates) Y.applyUpdate(doc, u);
  return doc.getText('t').toString();
}

describe.each(backends)('SyncStorage contract: $name', (backend) => {
  it('returns nothing for an unknown room', async () => {
    const f = await backend.create();
    expect(await f.storage.loadRoom('0'.repeat(32))).toEqual([]);
    expect(await f.storage.countUpdates('0'.repeat(32))).toBe(0);
    await f.cleanup();
  });

  it('returns appended updates in order, per room, byte for byte', async () => {
    const f = await backend.create();
    const doc = new Y.Doc();
    const u1 = edit(doc, 'a');
    const u2 = edit(doc, 'b');
    const u3 = edit(doc, 'c');
    const other = edit(new Y.Doc(), 'zzz');
    await f.storage.appendUpdates([
      { roomId: 'room-a', update: u1 },
      { roomId: 'room-b', update: other },
      { roomId: 'room-a', update: u2 },
    ]);
    await f.storage.appendUpdates([{ roomId: 'room-a', update: u3 }]);
    const loaded = await f.storage.loadRoom('room-a');
    expect(loaded.map((u) => Buffer.from(u).toString('hex'))).toEqual(
      [u1, u2, u3].map((u) => Buffer.from(u).toString('hex')),
    );
    expect(replay(loaded)).toBe('abc');
    expect(replay(await f.storage.loadRoom('room-b'))).toBe('zzz');
    expect(await f.storage.countUpdates('room-a')).toBe(3);
    await f.cleanup();
  });

  it('keeps appended updates across a restart', async () => {
    const f = await backend.create();
    const doc = new Y.Doc();
    await f.storage.appendUpdates([{ roomId: 'r', update: edit(doc, 'durable') }]);
    const reopened = await f.reopen();
    expect(replay(await reopened.loadRoom('r'))).toBe('durable');
    await f.cleanup();
  });

  it('does not let callers mutate stored bytes', async () => {
    const f = await backend.create();
    const update = edit(new Y.Doc(), 'x');
    const copy = new Uint8Array(update);
    await f.storage.appendUpdates([{ roomId: 'r', update }]);
    update.fill(0);
    const [loaded] = await f.storage.loadRoom('r');
    expect(Buffer.from(loaded!).equals(Buffer.from(copy))).toBe(true);
    loaded!.fill(0);
    const [again] = await f.storage.loadRoom('r');
    expect(Buffer.from(again!).equals(Buffer.from(copy))).toBe(true);
    await f.cleanup();
  });

  it('compacts a room into one update with the same content, and appends after it', async () => {
    const f = await backend.create();
    const doc = new Y.Doc();
    const updates = Array.from({ length: 20 }, (_, i) => edit(doc, String(i % 10)));
    await f.storage.appendUpdates(updates.map((update) => ({ roomId: 'r', update })));
    await f.storage.appendUpdates([{ roomId: 'keep', update: edit(new Y.Doc(), 'other room') }]);
    await f.storage.compact('r', Y.encodeStateAsUpdate(doc));
    expect(await f.storage.countUpdates('r')).toBe(1);
    expect(replay(await f.storage.loadRoom('r'))).toBe('01234567890123456789');
    await f.storage.appendUpdates([{ roomId: 'r', update: edit(doc, '!') }]);
    const reopened = await f.reopen();
    expect(await reopened.countUpdates('r')).toBe(2);
    expect(replay(await reopened.loadRoom('r'))).toBe('01234567890123456789!');
    expect(replay(await reopened.loadRoom('keep'))).toBe('other room');
    await f.cleanup();
  });

  it('appends correctly after releaseRoom dropped its caches', async () => {
    const f = await backend.create();
    const doc = new Y.Doc();
    await f.storage.appendUpdates([{ roomId: 'r', update: edit(doc, 'a') }]);
    await f.storage.loadRoom('r');
    f.storage.releaseRoom('r');
    await f.storage.appendUpdates([{ roomId: 'r', update: edit(doc, 'b') }]);
    const reopened = await f.reopen();
    expect(replay(await reopened.loadRoom('r'))).toBe('ab');
    expect(await reopened.countUpdates('r')).toBe(2);
    await f.cleanup();
  });

  it('stores, lists by prefix in key order, and deletes records atomically', async () => {
    const f = await backend.create();
    await f.storage.writeRecords([
      { key: 'member/b%40x/2', value: '' },
      { key: 'member/b%40x/1', value: '' },
      { key: 'member/bb%40x/3', value: '' },
      { key: 'room/1', value: '{"a":1}' },
    ]);
    expect(await f.storage.getRecord('room/1')).toBe('{"a":1}');
    expect(await f.storage.getRecord('room/404')).toBeUndefined();
    expect((await f.storage.listRecords('member/b%40x/')).map((r) => r.key)).toEqual([
      'member/b%40x/1',
      'member/b%40x/2',
    ]);
    await f.storage.writeRecords([
      { key: 'room/1', value: null },
      { key: 'member/b%40x/1', value: null },
    ]);
    const reopened = await f.reopen();
    expect(await reopened.getRecord('room/1')).toBeUndefined();
    expect((await reopened.listRecords('member/')).map((r) => r.key)).toEqual([
      'member/b%40x/2',
      'member/bb%40x/3',
    ]);
    await f.cleanup();
  });

  it('refuses work after close', async () => {
    const f = await backend.create();
    await f.storage.close();
    await expect(f.storage.loadRoom('r')).rejects.toThrow(/closed/);
    await expect(f.storage.appendUpdates([{ roomId: 'r', update: new Uint8Array([0, 0]) }])).rejects.toThrow(
      /closed/,
    );
  });
});

describe('LevelDB layout', () => {
  it('is readable by y-leveldb itself', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'duet-level-'));
    dirs.push(dir);
    const storage = await openLevelStorage(dir);
    const doc = new Y.Doc();
    await storage.appendUpdates([{ roomId: 'room-x', update: edit(doc, 'hello ') }]);
    await storage.appendUpdates([{ roomId: 'room-x', update: edit(doc, 'y-leveldb') }]);
    await storage.writeRecords([{ key: 'room/room-x', value: '{}' }]);
    await storage.close();
    const persistence = new LeveldbPersistence(dir);
    const loaded = await persistence.getYDoc('room-x');
    expect(loaded.getText('t').toString()).toBe('hello y-leveldb');
    expect(await persistence.getAllDocNames()).toEqual(['room-x']);
    await persistence.destroy();
  });
});
