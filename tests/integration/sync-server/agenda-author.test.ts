// The agenda's author rule through the real wire (docs/architecture.md §5): the manager's and the
// report's apps are real y-websocket providers driving the meeting model; a modified client is a
// raw y-protocols client holding the report's real token. The server refuses its crafted deletion
// (neither stored nor relayed, connection closed with 4422) and the topic stays for both.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createMemoryStorage, type SyncServerHandle } from '../../../sync-server';
import { MeetingWorkspace } from '../../../src-shared/workspace/meeting-doc';
import { call, connect, createRoom, waitFor, type Client } from './support/harness';
import { instrument, type InstrumentedStorage } from './support/instrumented-storage';
import { openRawWs, yFrames } from './support/raw-ws';
import { startServerWithTokens, stopAll } from './support/server-suite';
import type { ClosableTokenSource } from './support/token-source';

const MANAGER = 'manager@example.com';
const REPORT = 'report@example.com';

let tokens: ClosableTokenSource;
let server: SyncServerHandle;
let storage: InstrumentedStorage;
const clients: Client[] = [];
const open = (...args: Parameters<typeof connect>) => {
  const client = connect(...args);
  clients.push(client);
  return client;
};

beforeAll(async () => {
  storage = instrument(createMemoryStorage());
  ({ tokens, server } = await startServerWithTokens({ storage, idleEvictionMs: 50 }));
});

afterAll(() => stopAll({ clients, server, tokens }));

async function healthOf(): Promise<{ refusedUpdates: number; loadedRooms: number }> {
  return (await call(server.httpUrl, 'GET', '/healthz')).body as {
    refusedUpdates: number;
    loadedRooms: number;
  };
}

describe('only the author deletes a topic, enforced by the sync server', () => {
  it("refuses a raw client's crafted deletion of the manager's topic; the topic stays for both", async () => {
    const roomId = await createRoom(server.httpUrl, await tokens.token(MANAGER), [MANAGER, REPORT]);
    const managerApp = open(server.url, roomId, await tokens.token(MANAGER));
    const reportApp = open(server.url, roomId, await tokens.token(REPORT));
    await Promise.all([managerApp.synced(), reportApp.synced()]);
    const manager = new MeetingWorkspace(managerApp.doc, MANAGER);
    const report = new MeetingWorkspace(reportApp.doc, REPORT);
    const topic = manager.add('topics', 'Promotion case');
    await waitFor(() => report.topics().some((t) => t.id === topic), "the manager's topic at the report");

    // The modified client: the room's state, then the deletion the real app refuses to make.
    const crafted = new Y.Doc();
    Y.applyUpdate(crafted, Y.encodeStateAsUpdate(managerApp.doc));
    let deletion: Uint8Array | null = null;
    crafted.on('update', (u: Uint8Array) => (deletion = u));
    crafted.getMap('topics').delete(topic);
    expect(deletion).not.toBeNull();
    const refusedBefore = (await healthOf()).refusedUpdates;
    const appendedBefore = storage.appended;

    const raw = await openRawWs(server.url, `/${roomId}?token=${await tokens.token(REPORT)}`);
    raw.sendAll([yFrames.update(deletion!)]);
    await raw.ended;
    expect(raw.closeCode).toBe(4422);
    expect(raw.closeReason).toBe('only the author deletes a topic');
    expect((await healthOf()).refusedUpdates).toBe(refusedBefore + 1);
    expect(storage.appended).toBe(appendedBefore);

    // Still there for both, after the apps have had time to receive anything relayed.
    report.edit('topics', topic, 'Promotion case (notes)');
    await waitFor(() => manager.topics()[0]?.text === 'Promotion case (notes)', 'a later edit relayed');
    expect(manager.topics().map((t) => t.id)).toEqual([topic]);
    expect(report.topics().map((t) => t.id)).toEqual([topic]);

    // And in what the server stored: a fresh app after the room left memory.
    managerApp.destroy();
    reportApp.destroy();
    await waitFor(async () => (await healthOf()).loadedRooms === 0, 'the room unloaded');
    const later = open(server.url, roomId, await tokens.token(REPORT));
    await later.synced();
    expect(new MeetingWorkspace(later.doc, REPORT).topics().map((t) => t.text)).toEqual([
      'Promotion case (notes)',
    ]);
  });

  it('lets each person delete their own topic over the wire', async () => {
    const roomId = await createRoom(server.httpUrl, await tokens.token(MANAGER), [MANAGER, REPORT]);
    const managerApp = open(server.url, roomId, await tokens.token(MANAGER));
    const reportApp = open(server.url, roomId, await tokens.token(REPORT));
    await Promise.all([managerApp.synced(), reportApp.synced()]);
    const manager = new MeetingWorkspace(managerApp.doc, MANAGER);
    const report = new MeetingWorkspace(reportApp.doc, REPORT);
    const mine = report.add('topics', 'Time off');
    const theirs = manager.add('topics', 'Goals');
    await waitFor(
      () => manager.topics().length === 2 && report.topics().length === 2,
      'both topics everywhere',
    );
    report.delete('topics', mine);
    manager.delete('topics', theirs);
    await waitFor(
      () => manager.topics().length === 0 && report.topics().length === 0,
      'both deletions relayed',
    );
    expect(reportApp.closeCodes).toEqual([]);
    expect(managerApp.closeCodes).toEqual([]);
  });
});
