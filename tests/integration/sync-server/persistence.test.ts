// Room lifecycle against storage: store-before-broadcast, load-before-serve, storage failure,
// idle eviction, compaction, flush on close.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createMemoryStorage, createMemoryStorageState, type SyncServerHandle } from '../../../sync-server';
import { call, connect, createRoom, waitFor, type Client } from './support/harness';
import { gate, instrument, type InstrumentedStorage } from './support/instrumented-storage';
import { startTrustingServer } from './support/server-suite';
import { startTokenSource, type ClosableTokenSource } from './support/token-source';

const ALICE = 'alice@example.com';
const BOB = 'bob@example.com';

let tokens: ClosableTokenSource;
let storage: InstrumentedStorage;
let server: SyncServerHandle;
let clients: Client[] = [];
const open = (...args: Parameters<typeof connect>) => {
  const c = connect(...args);
  clients.push(c);
  return c;
};
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const loadedRooms = async () =>
  ((await call(server.httpUrl, 'GET', '/healthz')).body as { loadedRooms: number }).loadedRooms;

beforeAll(async () => {
  tokens = await startTokenSource();
  storage = instrument(createMemoryStorage());
  server = await startTrustingServer(tokens, { storage, idleEvictionMs: 150, compactAfterUpdates: 50 });
});
afterEach(() => {
  for (const c of clients) c.destroy();
  clients = [];
  storage.writeGate = undefined;
  storage.failWrites = false;
  storage.loadDelayMs = 0;
});
afterAll(async () => {
  await server?.close();
  await tokens?.close();
});

async function pair(iCalUID?: string) {
  const roomId = await createRoom(server.httpUrl, await tokens.token(ALICE), [ALICE, BOB], iCalUID);
  const alice = open(server.url, roomId, await tokens.token(ALICE));
  const bob = open(server.url, roomId, await tokens.token(BOB));
  await Promise.all([alice.synced(), bob.synced()]);
  return { roomId, alice, bob };
}

describe('persistence', () => {
  it('stores an update before any peer sees it', async () => {
    const { roomId, alice, bob } = await pair();
    const held = gate();
    storage.writeGate = held.promise;
    alice.text.insert(0, 'only once stored');
    // a device joining now must not be handed the unstored update in its initial sync either
    const bob2 = open(server.url, roomId, await tokens.token(BOB));
    await pause(300);
    expect(bob.text.toString()).toBe('');
    expect(bob2.provider.synced).toBe(false);
    expect(bob2.text.toString()).toBe('');
    held.open();
    await waitFor(() => bob.text.toString() === 'only once stored', 'delivery after store');
    await bob2.synced();
    expect(bob2.text.toString()).toBe('only once stored');
  });

  it('on a storage failure delivers nothing, closes the room, and recovers when storage does', async () => {
    const { alice, bob } = await pair();
    storage.failWrites = true;
    alice.text.insert(0, 'edit during outage');
    await waitFor(
      () => alice.closeCodes.includes(1011) && bob.closeCodes.includes(1011),
      'room closed with 1011',
    );
    expect(bob.text.toString()).toBe('');
    storage.failWrites = false;
    // 1011 is not a permanent refusal: the providers reconnect and alice resends her edit.
    await waitFor(() => bob.text.toString() === 'edit during outage', 'recovered after reconnect', 8000);
  });

  it('loads a stored room completely before serving it, once for concurrent joins', async () => {
    const { roomId, alice } = await pair();
    alice.text.insert(0, 'x'.repeat(500));
    await waitFor(async () => (await storage.countUpdates(roomId)) > 0, 'stored');
    for (const c of clients) c.destroy();
    clients = [];
    await waitFor(async () => (await loadedRooms()) === 0, 'evicted');
    storage.loadDelayMs = 300;
    const loadsBefore = storage.loads;
    const a = open(server.url, roomId, await tokens.token(ALICE));
    const b = open(server.url, roomId, await tokens.token(BOB));
    const seenAtSync: string[] = [];
    await Promise.all([a, b].map((c) => c.synced().then(() => seenAtSync.push(c.text.toString()))));
    expect(seenAtSync).toEqual(['x'.repeat(500), 'x'.repeat(500)]);
    expect(storage.loads - loadsBefore).toBe(1);
  });

  it('evicts idle rooms from memory and brings them back intact', async () => {
    const { roomId, alice, bob } = await pair();
    alice.text.insert(0, 'before eviction');
    await waitFor(() => bob.text.toString() === 'before eviction', 'sync');
    expect(await loadedRooms()).toBeGreaterThan(0);
    for (const c of clients) c.destroy();
    clients = [];
    await waitFor(async () => (await loadedRooms()) === 0, 'room left memory', 3000);
    const back = open(server.url, roomId, await tokens.token(BOB));
    await back.synced();
    expect(back.text.toString()).toBe('before eviction');
    expect(await loadedRooms()).toBe(1);
  });

  it('keeps a room in memory while someone is connected', async () => {
    const { alice } = await pair();
    await pause(400); // well past idleEvictionMs
    expect(await loadedRooms()).toBeGreaterThan(0);
    alice.text.insert(0, 'still here');
  });

  it('compacts a busy room while loaded and to one record on eviction', async () => {
    const { roomId, alice, bob } = await pair();
    for (let i = 0; i < 200; i++) alice.text.insert(alice.text.length, String(i % 10));
    for (let i = 0; i < 100; i++) alice.text.delete(0, 1);
    await waitFor(() => bob.text.length === 100, 'bob has all edits');
    await waitFor(async () => (await storage.countUpdates(roomId)) < 50, 'compacted while loaded');
    const expected = bob.text.toString();
    for (const c of clients) c.destroy();
    clients = [];
    await waitFor(async () => (await loadedRooms()) === 0, 'evicted');
    expect(await storage.countUpdates(roomId)).toBe(1);
    const doc = new Y.Doc();
    for (const u of await storage.loadRoom(roomId)) Y.applyUpdate(doc, u);
    expect(doc.getText('notes').toString()).toBe(expected);
  });
});

describe('shutdown', () => {
  it('flushes pending writes and compacts loaded rooms before close resolves', async () => {
    const state = createMemoryStorageState();
    const s = instrument(createMemoryStorage(state));
    const own = await startTrustingServer(tokens, { storage: s });
    const roomId = await createRoom(own.httpUrl, await tokens.token(ALICE), [ALICE, BOB]);
    const alice = open(own.url, roomId, await tokens.token(ALICE));
    await alice.synced();
    const held = gate();
    s.writeGate = held.promise;
    for (let i = 0; i < 20; i++) alice.text.insert(i, 'k');
    await pause(50);
    expect(s.appended).toBe(0);
    setTimeout(held.open, 100);
    await own.close();
    expect(alice.closeCodes).toContain(1012);
    // close() closed the storage too: read what it left through a second handle on its state
    const after = createMemoryStorage(state);
    expect(await after.countUpdates(roomId)).toBe(1);
    const doc = new Y.Doc();
    for (const u of await after.loadRoom(roomId)) Y.applyUpdate(doc, u);
    expect(doc.getText('notes').toString()).toBe('k'.repeat(20));
  });
});
