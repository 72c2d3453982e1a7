// Completing an action item away from its meeting page (the Action items screen) reaches the other
// person (docs/architecture.md §5): the edit is made on the meeting's local copy synced with its
// room on the real sync server, which confirms it stored it; a second real y-websocket client
// (the other person) then sees it. With the server away, the edit stays local and says so.
import 'fake-indexeddb/auto';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterAll, beforeAll, expect, it } from 'vitest';
import * as decoding from 'lib0/decoding';
import WebSocket from 'ws';
import * as Y from 'yjs';
import type { SyncServerHandle } from '../../../sync-server';
import { openDuetDatabase } from '../../../src-renderer/src/db/database';
import { editMeetingDoc } from '../../../src-renderer/src/features/meeting/content-projection';
import { MeetingWorkspace } from '../../../src-shared/workspace/meeting-doc';
import { openMeetingConnection } from '../../../src-shared/workspace/meeting-connection';
import { Presence, presenceUser } from '../../../src-shared/workspace/presence';
import { visitRoom } from '../../../src-shared/workspace/room-share';
import { createRoom } from '../sync-server/support/harness';
import { startServerWithTokens, stopAll } from '../sync-server/support/server-suite';
import type { ClosableTokenSource } from '../sync-server/support/token-source';
import { uniqueDbName } from '../../unit/web/support/fake-idb';

const MANAGER = 'manager@example.com';
const REPORT = 'report@example.com';
const WS = WebSocket as unknown as typeof globalThis.WebSocket;

/** Every awareness state a RecordingSocket sent (y-websocket message 1), as the JSON on the wire. */
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
let server: SyncServerHandle;
beforeAll(async () => {
  ({ tokens, server } = await startServerWithTokens());
});
afterAll(async () => {
  await stopAll({ server, tokens });
});

it('an item completed from outside the meeting page is stored by the server and seen by the other person', async () => {
  const db = await openDuetDatabase({ storage: getRxStorageMemory(), name: uniqueDbName('away') });
  try {
    const managerToken = await tokens.token(MANAGER);
    const reportToken = await tokens.token(REPORT);
    const roomId = await createRoom(server.httpUrl, managerToken, [MANAGER, REPORT]);
    // The report adds an item in the room; the manager's device never opened this meeting.
    const itemId = await visitRoom(
      { serverUrl: server.url, roomId, token: reportToken, WebSocketPolyfill: WS },
      (doc) => {
        const ws = new MeetingWorkspace(doc, REPORT);
        ws.setMeta({ title: '1:1', start: 1, end: 2, participants: [MANAGER, REPORT] });
        return ws.add('items', 'Share the numbers', { assignee: REPORT });
      },
      true,
    );

    const out = await editMeetingDoc(
      db,
      'm-away',
      MANAGER,
      (ws) => ws.setDone('items', itemId, true),
      { serverUrl: server.url, roomId, token: managerToken, WebSocketPolyfill: WS },
    );
    expect(out.synced).toBe(true);
    const projected = await db.meetingContent.findOne('m-away').exec();
    expect(projected?.items.map((i) => [i.text, i.done])).toEqual([['Share the numbers', true]]);
    expect(projected?.openItems).toBe(0);

    const seen = await visitRoom(
      { serverUrl: server.url, roomId, token: reportToken, WebSocketPolyfill: WS },
      (doc) => new MeetingWorkspace(doc, REPORT).items().map((i) => i.done),
      false,
    );
    expect(seen).toEqual([true]);

    // A room the user does not belong to: the server refuses, the edit stays local, nothing lost.
    const stranger = await tokens.token('stranger@example.com');
    const away = await editMeetingDoc(
      db,
      'm-away',
      MANAGER,
      (ws) => ws.setDone('items', itemId, false),
      { serverUrl: server.url, roomId, token: stranger, WebSocketPolyfill: WS, timeoutMs: 3_000 },
    );
    expect(away.synced).toBe(false);
    expect((await db.meetingContent.findOne('m-away').exec())?.openItems).toBe(1);
  } finally {
    await db.close();
  }
});

it('a visit to the room is not presence: the other person sees no one arrive', async () => {
  const managerToken = await tokens.token(MANAGER);
  const reportToken = await tokens.token(REPORT);
  const roomId = await createRoom(server.httpUrl, managerToken, [MANAGER, REPORT]);
  // The manager's meeting page, as far as the wire goes: her doc, her presence, her connection.
  const doc = new Y.Doc();
  const presence = new Presence(doc, presenceUser(MANAGER, 'Manager'));
  const conn = openMeetingConnection({
    doc,
    serverUrl: server.url,
    roomId,
    tokens: { current: () => managerToken, subscribe: () => () => undefined },
    awareness: presence.awareness,
    WebSocketPolyfill: WS,
    disableBc: true,
  });
  const seen = new Set<number>();
  presence.awareness.on('change', ({ added, updated }: { added: number[]; updated: number[] }) => {
    for (const id of [...added, ...updated]) if (id !== doc.clientID) seen.add(id);
  });
  try {
    for (let i = 0; conn.state() !== 'live'; i++) {
      if (i > 200) throw new Error('the manager never went live');
      await new Promise((r) => setTimeout(r, 20));
    }
    // The report's app adds a topic from outside the page (as the roll-over does).
    await visitRoom(
      { serverUrl: server.url, roomId, token: reportToken, WebSocketPolyfill: RecordingSocket as unknown as typeof globalThis.WebSocket },
      (d) => new MeetingWorkspace(d, REPORT).add('topics', 'Added from away'),
      true,
    );
    for (let i = 0; new MeetingWorkspace(doc, MANAGER).topics().length === 0; i++) {
      if (i > 200) throw new Error('the topic never reached the manager');
      await new Promise((r) => setTimeout(r, 20));
    }
    // Nothing but a 'gone' (naming nobody) left the visitor, and nobody reached the manager.
    expect(sentAwareness.filter((state) => state !== 'null')).toEqual([]);
    expect([...seen]).toEqual([]);
    expect([...presence.awareness.getStates().keys()]).toEqual([doc.clientID]);

    // The check can fail: a client with presence does show up.
    const other = new Y.Doc();
    const otherPresence = new Presence(other, presenceUser(REPORT, 'Report'));
    const otherConn = openMeetingConnection({
      doc: other,
      serverUrl: server.url,
      roomId,
      tokens: { current: () => reportToken, subscribe: () => () => undefined },
      awareness: otherPresence.awareness,
      WebSocketPolyfill: WS,
      disableBc: true,
    });
    try {
      for (let i = 0; seen.size === 0; i++) {
        if (i > 200) throw new Error('the report with presence never showed');
        await new Promise((r) => setTimeout(r, 20));
      }
      expect([...seen]).toEqual([other.clientID]);
    } finally {
      otherConn.destroy();
      otherPresence.destroy();
      other.destroy();
    }
  } finally {
    conn.destroy();
    presence.destroy();
    doc.destroy();
  }
});
