// Background sync of meeting docs (features/meeting/background-sync.ts, docs/architecture.md §5)
// against the real sync server, with y-indexeddb on fake-indexeddb: Maya writes topics and an
// action item into a meeting's room from a page-like client (with presence); Sam's app, without
// opening the meeting, brings them into its local copy and its content projection, so its Up next
// prep and its prep reminder's open items read them, also once the server is gone. The background
// client never shows up in the room's awareness. A refused room, a server that went away and a
// page holding the doc are handled as docs/architecture.md §5 says.
import 'fake-indexeddb/auto';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterAll, beforeAll, expect, it } from 'vitest';
import * as decoding from 'lib0/decoding';
import WebSocket from 'ws';
import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import {
  createMemoryStorage,
  createMemoryStorageState,
  type SyncServerHandle,
} from '../../../sync-server';
import type { MeetingDoc } from '../../../src-shared/meeting/model';
import { MeetingWorkspace } from '../../../src-shared/workspace/meeting-doc';
import { openMeetingConnection, type MeetingConnection } from '../../../src-shared/workspace/meeting-connection';
import { Presence, presenceUser } from '../../../src-shared/workspace/presence';
import { openDuetDatabase, type DuetDatabase } from '../../../src-renderer/src/db/database';
import {
  meetingsToSync,
  newBackgroundSyncState,
  syncMeetingDocsOnce,
  type BackgroundSyncOptions,
} from '../../../src-renderer/src/features/meeting/background-sync';
import { createMeetingDocCache } from '../../../src-renderer/src/features/meeting/meeting-doc-cache';
import { localOpenItems } from '../../../src-renderer/src/features/inbox/open-items';
import { prepFor } from '../../../src-renderer/src/features/up-next/prep';
import { createRoom, waitFor } from '../sync-server/support/harness';
import { startTrustingServer } from '../sync-server/support/server-suite';
import { startTokenSource, type ClosableTokenSource } from '../sync-server/support/token-source';
import { uniqueDbName } from '../../unit/web/support/fake-idb';
import { createTestBridge } from '../../unit/web/support/test-bridge';

const MAYA = 'maya@example.com';
const SAM = 'sam@example.com';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.parse('2026-12-03T09:00:00Z');
const WS = WebSocket as unknown as typeof globalThis.WebSocket;

/** Awareness states (JSON) in every frame Sam's background client sent (y-websocket message 1). */
const sentAwareness: string[] = [];
class RecordingSocket extends WebSocket {
  override send(data: unknown, ...rest: unknown[]): void {
    const bytes = data instanceof Uint8Array ? data : new Uint8Array(data as ArrayBuffer);
    const decoder = decoding.createDecoder(bytes);
    if (decoding.readVarUint(decoder) === 1) {
      const update = decoding.createDecoder(decoding.readVarUint8Array(decoder));
      for (let n = decoding.readVarUint(update); n > 0; n--) {
        decoding.readVarUint(update); // client id
        decoding.readVarUint(update); // clock
        sentAwareness.push(decoding.readVarString(update));
      }
    }
    (super.send as (...args: unknown[]) => void)(data, ...rest);
  }
}

let tokens: ClosableTokenSource;
const storageState = createMemoryStorageState();
let server: SyncServerHandle;
let db: DuetDatabase;
const open: Array<{ destroy(): void }> = [];

beforeAll(async () => {
  tokens = await startTokenSource();
  server = await startTrustingServer(tokens, { storage: createMemoryStorage(storageState) });
});
afterAll(async () => {
  for (const o of open) o.destroy();
  if (db && !db.closed) await db.close();
  await server?.close();
  await tokens?.close();
});

const meeting = (id: string, start: number, roomId: string, extra: Partial<MeetingDoc> = {}): MeetingDoc => ({
  id,
  seriesId: '',
  title: '1:1 Maya / Sam',
  start,
  end: start + HOUR / 2,
  participants: [MAYA, SAM],
  owner: MAYA,
  source: 'app',
  linkState: 'unlinked',
  state: 'scheduled',
  roomId,
  createdAt: 1,
  updatedAt: 1,
  ...extra,
});

/** Maya's meeting page, as far as the wire goes: the doc, her presence, the connection. */
function mayaPage(roomId: string, token: string) {
  const doc = new Y.Doc();
  const presence = new Presence(doc, presenceUser(MAYA, 'Maya'));
  const conn: MeetingConnection = openMeetingConnection({
    doc,
    serverUrl: server.url,
    roomId,
    tokens: { current: () => token, subscribe: () => () => undefined },
    awareness: presence.awareness,
    WebSocketPolyfill: WS,
    disableBc: true,
  });
  // Every client id whose state ever reached Maya's awareness, hers aside.
  const seen = new Set<number>();
  presence.awareness.on('change', ({ added, updated }: { added: number[]; updated: number[] }) => {
    for (const id of [...added, ...updated]) if (id !== doc.clientID) seen.add(id);
  });
  const page = {
    doc,
    ws: new MeetingWorkspace(doc, MAYA),
    presence,
    seen,
    live: () => waitFor(() => conn.state() === 'live', 'Maya live'),
    destroy: () => {
      conn.destroy();
      presence.destroy();
      doc.destroy();
    },
  };
  open.push(page);
  return page;
}

/** Reads a meeting's local copy on Sam's device (y-indexeddb), as the page would find it. */
async function localCopy(meetingId: string): Promise<MeetingWorkspace> {
  const doc = new Y.Doc();
  const local = new IndexeddbPersistence(`duet-meeting-${meetingId}`, doc);
  await local.whenSynced;
  const ws = new MeetingWorkspace(doc, SAM);
  await local.destroy();
  return ws;
}

it('brings what Maya wrote into Sam’s local copy and projection without opening the meeting, silently', async () => {
  const [mayaToken, samToken] = await Promise.all([tokens.token(MAYA), tokens.token(SAM)]);
  const room = await createRoom(server.httpUrl, mayaToken, [MAYA, SAM]);
  const later = await createRoom(server.httpUrl, mayaToken, [MAYA, SAM]);
  // A room Sam is not a member of, wrongly on one of his meetings: refused (4403).
  const foreign = await createRoom(server.httpUrl, mayaToken, [MAYA, 'noor@example.com']);

  const maya = mayaPage(room, mayaToken);
  await maya.live();
  maya.ws.setMeta({ title: '1:1 Maya / Sam', start: NOW + DAY, end: NOW + DAY + HOUR / 2, participants: [MAYA, SAM] });
  maya.ws.add('topics', 'Promotion case');
  maya.ws.add('topics', 'Conference budget');
  maya.ws.add('items', 'Send the review draft', { assignee: SAM });

  db = await openDuetDatabase({ storage: getRxStorageMemory(), name: uniqueDbName('bgsync') });
  const tomorrow = meeting('m-tomorrow', NOW + DAY, room);
  const earlier = meeting('m-last-week', NOW - 7 * DAY, later);
  await db.meetings.bulkInsert([
    tomorrow,
    earlier,
    meeting('m-refused', NOW + 2 * DAY, foreign),
    meeting('m-no-room', NOW + 3 * DAY, ''),
    meeting('m-cancelled', NOW + 4 * DAY, room, { state: 'cancelled' }),
    meeting('m-far', NOW + 20 * DAY, room),
  ]);

  let serverInfo = { url: server.url, embedded: false, state: 'running' as 'running' | 'stopped' };
  const bridge = createTestBridge({
    accounts: {
      identity: () => ({
        email: SAM,
        idToken: samToken,
        expiresAt: Date.now() + HOUR,
        issuer: tokens.issuer,
        accountId: SAM,
      }),
    },
    sync: { serverInfo: () => serverInfo },
  });
  const logged: string[] = [];
  let clock = NOW;
  const options: BackgroundSyncOptions = {
    now: () => clock,
    WebSocketPolyfill: RecordingSocket as unknown as typeof globalThis.WebSocket,
    timeoutMs: 3000,
    backoffMs: 60_000,
    cache: createMeetingDocCache(),
    log: (m) => logged.push(m),
  };
  const state = newBackgroundSyncState();

  const first = await syncMeetingDocsOnce(db, bridge.api, options, state);
  expect(first.synced.sort()).toEqual(['m-last-week', 'm-tomorrow']);
  expect(first.failed).toEqual([{ meetingId: 'm-refused', reason: expect.stringContaining('4403') }]);
  expect(logged).toEqual([expect.stringContaining('m-refused')]);

  // Sam's projection and local copy have Maya's topics; Up next's prep and the reminder read them.
  const projected = (await db.meetingContent.findOne('m-tomorrow').exec())?.toMutableJSON();
  expect(projected?.topics.map((t) => t.text)).toEqual(['Promotion case', 'Conference budget']);
  expect(projected?.openItems).toBe(1);
  // Nothing was written into the other, empty room's meeting: no content, no projection.
  expect(await db.meetingContent.findOne('m-last-week').exec()).toBeNull();
  const meetings = (await db.meetings.find().exec()).map((d) => d.toMutableJSON());
  const contents = new Map((await db.meetingContent.find().exec()).map((d) => [d.id, d.toMutableJSON()]));
  const prep = prepFor(tomorrow, meetings, contents, [], new Set([SAM]), NOW);
  expect(prep.open.map((o) => o.item.text)).toEqual(['Send the review draft']);
  const reminder = await localOpenItems()(['m-tomorrow']);
  expect(reminder.get('m-tomorrow')).toEqual({
    topics: ['Promotion case', 'Conference budget'],
    items: ['Send the review draft'],
  });

  // A refused room waits (skipped, not logged again); a later change of Maya's arrives next pass.
  maya.ws.add('topics', 'Offsite dates');
  clock += 30_000;
  const second = await syncMeetingDocsOnce(db, bridge.api, options, state);
  expect(second.skipped).toContain('m-refused');
  expect(second.failed).toEqual([]);
  expect(logged).toHaveLength(1);
  expect((await db.meetingContent.findOne('m-tomorrow').exec())?.topics.map((t) => t.text)).toContain(
    'Offsite dates',
  );

  // A meeting a page holds is the page's: the background leaves it alone.
  const pageCache = createMeetingDocCache();
  const held = pageCache.acquire('m-tomorrow');
  const whileHeld = await syncMeetingDocsOnce(db, bridge.api, { ...options, cache: pageCache }, state);
  expect(whileHeld.skipped).toContain('m-tomorrow');
  expect(whileHeld.synced).toEqual(['m-last-week']);
  await held.loaded;
  held.release();
  await pageCache.clear();

  // No awareness state from Sam's background client ever left it (at most a 'gone', which names
  // nobody) or reached Maya: only she is in her room.
  expect(sentAwareness.filter((state) => state !== 'null')).toEqual([]);
  expect([...maya.seen]).toEqual([]);
  expect([...maya.presence.awareness.getStates().keys()]).toEqual([maya.doc.clientID]);
  // The check can fail: a page-like client with presence does show up.
  const samPage = (() => {
    const doc = new Y.Doc();
    const presence = new Presence(doc, presenceUser(SAM, 'Sam'));
    const conn = openMeetingConnection({
      doc,
      serverUrl: server.url,
      roomId: room,
      tokens: { current: () => samToken, subscribe: () => () => undefined },
      awareness: presence.awareness,
      WebSocketPolyfill: WS,
      disableBc: true,
    });
    return { doc, destroy: () => (conn.destroy(), presence.destroy(), doc.destroy()) };
  })();
  await waitFor(() => maya.seen.has(samPage.doc.clientID), 'Sam’s page presence at Maya');
  samPage.destroy();

  // The server goes away: Sam still has everything, and a pass says so once and waits.
  maya.destroy();
  await server.close();
  clock += 30_000;
  const away = await syncMeetingDocsOnce(db, bridge.api, { ...options, timeoutMs: 1000 }, state);
  expect(away.synced).toEqual([]);
  expect(away.failed.length).toBeGreaterThan(0);
  expect(logged.filter((l) => l.includes('paused'))).toHaveLength(1);
  expect((await localCopy('m-tomorrow')).topics().map((t) => t.text)).toEqual([
    'Promotion case',
    'Conference budget',
    'Offsite dates',
  ]);
  expect((await localOpenItems()(['m-tomorrow'])).get('m-tomorrow')?.items).toEqual(['Send the review draft']);
  expect((await db.meetingContent.findOne('m-tomorrow').exec())?.topics).toHaveLength(3);
  clock += 1000;
  expect(await syncMeetingDocsOnce(db, bridge.api, options, state)).toEqual({ synced: [], skipped: [], failed: [] });

  // Offline, Sam adds a topic in his local copy (as the page would); the server comes back with
  // its data (a restart, here on a new port): the next pass carries the edit to the room.
  const doc = new Y.Doc();
  const local = new IndexeddbPersistence('duet-meeting-m-tomorrow', doc);
  await local.whenSynced;
  new MeetingWorkspace(doc, SAM).add('topics', 'Written offline');
  await local.destroy();
  doc.destroy();
  serverInfo = { url: '', embedded: false, state: 'stopped' };
  expect((await syncMeetingDocsOnce(db, bridge.api, { ...options, now: () => clock + HOUR }, state)).synced).toEqual(
    [],
  );
  server = await startTrustingServer(tokens, { storage: createMemoryStorage(storageState) });
  serverInfo = { url: server.url, embedded: false, state: 'running' };
  clock += HOUR;
  const back = await syncMeetingDocsOnce(db, bridge.api, options, state);
  expect(back.synced).toContain('m-tomorrow');
  const check = mayaPage(room, mayaToken);
  await check.live();
  expect(check.ws.topics().map((t) => t.text)).toContain('Written offline');
  expect(check.ws.topics().map((t) => t.text)).toContain('Offsite dates');
});

it('picks meetings with a room around now, not cancelled, soonest first, bounded', () => {
  const now = NOW;
  const list = [
    meeting('past-1', now - 2 * DAY, 'r'),
    meeting('past-old', now - 15 * DAY, 'r'),
    meeting('soon', now + HOUR, 'r'),
    meeting('now', now - 10 * 60_000, 'r'),
    meeting('later', now + 13 * DAY, 'r'),
    meeting('too-far', now + 15 * DAY, 'r'),
    meeting('no-room', now + HOUR, ''),
    meeting('cancelled', now + HOUR, 'r', { state: 'cancelled' }),
    meeting('archived', now - DAY, 'r', { state: 'archived' }),
    meeting('past-2', now - 5 * DAY, 'r'),
  ];
  expect(meetingsToSync(list, now).map((m) => m.id)).toEqual(['now', 'soon', 'later', 'past-1', 'past-2']);
  expect(meetingsToSync(list, now, 2).map((m) => m.id)).toEqual(['now', 'soon']);
  const many = Array.from({ length: 80 }, (_, i) => meeting(`m${i}`, now + i * HOUR, 'r'));
  expect(meetingsToSync(many, now)).toHaveLength(50);
});
