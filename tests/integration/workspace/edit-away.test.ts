// Completing an action item away from its meeting page (the Action items screen) reaches the other
// person (docs/architecture.md §5): the edit is made on the meeting's local copy synced with its
// room on the real sync server, which confirms it stored it; a second real y-websocket client
// (the other person) then sees it. With the server away, the edit stays local and says so.
import 'fake-indexeddb/auto';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { SyncServerHandle } from '../../../sync-server';
import { openDuetDatabase } from '../../../src-renderer/src/db/database';
import { editMeetingDoc } from '../../../src-renderer/src/features/meeting/content-projection';
import { MeetingWorkspace } from '../../../src-shared/workspace/meeting-doc';
import { visitRoom } from '../../../src-shared/workspace/room-share';
import { createRoom } from '../sync-server/support/harness';
import { startServerWithTokens, stopAll } from '../sync-server/support/server-suite';
import type { ClosableTokenSource } from '../sync-server/support/token-source';
import { uniqueDbName } from '../../unit/web/support/fake-idb';

const MANAGER = 'manager@example.com';
const REPORT = 'report@example.com';
const WS = WebSocket as unknown as typeof globalThis.WebSocket;

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
