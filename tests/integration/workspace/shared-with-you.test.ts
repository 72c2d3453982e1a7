// "Shared with you" end to end (docs/architecture.md §5): two identities, two RxDB databases, the
// real sync server and real y-websocket clients. The manager's app gives its calendar meetings
// their rooms (same key rule as room-key.ts) and writes each meeting's facts into its Y.Doc; the
// report's app, whose detection took nothing, lists them from GET /rooms as shared with them; when
// its detection later takes the event, the calendar meeting gets the same room and replaces the
// shared copy.
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { SyncServerHandle } from '../../../sync-server';
import type { CalendarLink, MeetingDoc } from '../../../src-shared/meeting/model';
import { openDuetDatabase, type DuetDatabase } from '../../../src-renderer/src/db/database';
import { allowRemoval } from '../../../src-renderer/src/db/meeting-rules';
import { memoryHeldRooms } from '../../../src-renderer/src/features/meetings/held-rooms';
import {
  isSharedWithYou,
  syncRoomsOnce,
  withoutSharedDuplicates,
  type RoomSyncOptions,
} from '../../../src-renderer/src/features/meetings/room-sync';
import { createRoom } from '../sync-server/support/harness';
import { startServerWithTokens, stopAll } from '../sync-server/support/server-suite';
import type { ClosableTokenSource } from '../sync-server/support/token-source';
import { uniqueDbName } from '../../unit/web/support/fake-idb';
import { createTestBridge } from '../../unit/web/support/test-bridge';

const MANAGER = 'manager@example.com';
const REPORT = 'report@example.com';
const DAY = Date.parse('2026-12-07T15:00:00Z');

let tokens: ClosableTokenSource;
let server: SyncServerHandle;
const dbs: DuetDatabase[] = [];

beforeAll(async () => {
  ({ tokens, server } = await startServerWithTokens());
});
afterAll(async () => {
  for (const db of dbs) if (!db.closed) await db.close();
  await stopAll({ server, tokens });
});

async function appOf(email: string) {
  const db = await openDuetDatabase({ storage: getRxStorageMemory(), name: uniqueDbName('shared') });
  dbs.push(db);
  const token = await tokens.token(email);
  const bridge = createTestBridge({
    accounts: {
      identity: () => ({
        email,
        idToken: token,
        expiresAt: Date.now() + 3_600_000,
        issuer: tokens.issuer,
        accountId: email,
      }),
    },
    sync: { serverInfo: () => ({ url: server.url, embedded: false, state: 'running' as const }) },
  });
  const options: RoomSyncOptions = {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    retryAt: new Map(),
    heldRooms: memoryHeldRooms(),
  };
  return { db, token, pass: () => syncRoomsOnce(db, bridge.api, options) };
}

const link = (account: string, eventId: string, iCalUID: string, originalStart = 0): CalendarLink => ({
  provider: 'google',
  accountId: account,
  calendarId: 'primary',
  eventId,
  iCalUID,
  recurringEventId: originalStart ? 'series-1' : '',
  originalStart,
  instanceStart: 0,
  etag: '"1"',
  managedByApp: false,
});

const calendarMeeting = (
  id: string,
  title: string,
  start: number,
  calendarLink: CalendarLink,
  owner: string,
): MeetingDoc => ({
  id,
  seriesId: '',
  title,
  start,
  end: start + 30 * 60_000,
  participants: [MANAGER, REPORT],
  owner,
  source: 'calendar',
  calendarLink,
  linkState: 'linked',
  state: 'scheduled',
  roomId: '',
  createdAt: 1,
  updatedAt: 1,
});

const all = async (db: DuetDatabase) =>
  (await db.meetings.find({ sort: [{ start: 'asc' }] }).exec()).map((d) => d.toMutableJSON());

it("lists the manager's meetings as shared with the report until the report's own detection takes one", async () => {
  // One app at a time: RxDB's open-source build allows 16 open collections in a process.
  const manager = await appOf(MANAGER);
  const nextWeek = DAY + 7 * 86_400_000;
  await manager.db.meetings.bulkInsert([
    calendarMeeting(
      'cal-one-off',
      'Manager / Report kickoff',
      DAY,
      link('m-acct', 'ev1', 'kickoff@google.com'),
      MANAGER,
    ),
    calendarMeeting(
      'cal-occ',
      'Weekly 1:1',
      nextWeek,
      link('m-acct', 'ev2_x', 'weekly@google.com', nextWeek),
      MANAGER,
    ),
  ]);
  // A room nobody described: not listed, and not read again on the next pass.
  const bare = await createRoom(server.httpUrl, manager.token, [MANAGER, REPORT]);

  expect(await manager.pass()).toEqual({ assigned: 2, shared: 0, errors: [] });
  const rooms = (await all(manager.db)).map((m) => m.roomId);
  expect(rooms.every((r) => /^[0-9a-f]{32}$/.test(r))).toBe(true);
  expect(new Set(rooms).size).toBe(2); // different keys, different rooms
  await manager.db.close();

  const report = await appOf(REPORT);

  expect(await report.pass()).toEqual({ assigned: 0, shared: 2, errors: [] });
  const shared = await all(report.db);
  expect(shared.map((m) => [m.title, m.start, m.end, m.participants, m.roomId, isSharedWithYou(m)])).toEqual([
    ['Manager / Report kickoff', DAY, DAY + 30 * 60_000, [MANAGER, REPORT], rooms[0], true],
    ['Weekly 1:1', nextWeek, nextWeek + 30 * 60_000, [MANAGER, REPORT], rooms[1], true],
  ]);
  expect(shared.some((m) => m.roomId === bare)).toBe(false);
  expect(await report.pass()).toEqual({ assigned: 0, shared: 0, errors: [] });

  // The report's calendar now yields the occurrence: its own account, its own meeting id, same key.
  await report.db.meetings.insert(
    calendarMeeting(
      'cal-report-occ',
      'Weekly 1:1',
      nextWeek,
      link('r-acct', 'other-id', 'weekly@google.com', nextWeek),
      MANAGER,
    ),
  );
  expect(await report.pass()).toEqual({ assigned: 1, shared: 0, errors: [] });
  const after = await all(report.db);
  expect(after.map((m) => [m.id, m.roomId])).toEqual([
    [`room-${rooms[0]}`, rooms[0]],
    ['cal-report-occ', rooms[1]],
  ]);
  await report.db.close();
});

it('asks no room for a meeting the signed-in user is not part of', async () => {
  const stranger = await appOf('stranger@example.com');
  await stranger.db.meetings.insert(
    calendarMeeting('cal-not-mine', 'Not mine', DAY, link('s-acct', 'ev9', 'x@google.com'), MANAGER),
  );
  // Not a participant: the meeting is not even asked for.
  expect(await stranger.pass()).toEqual({ assigned: 0, shared: 0, errors: [] });
  expect((await all(stranger.db))[0]!.roomId).toBe('');
  await stranger.db.close();
});

it('does not list as shared a meeting this app already has under the same two people and start', async () => {
  const manager = await appOf(MANAGER);
  const start = DAY + 3 * 86_400_000;
  await manager.db.meetings.insert(
    calendarMeeting(
      'cal-dup',
      'Career chat',
      start,
      link('m-acct', 'ev3', `dup-${Date.now()}@google.com`),
      MANAGER,
    ),
  );
  expect((await manager.pass()).assigned).toBe(1);
  await manager.db.close();

  const report = await appOf(REPORT);
  // The report's own copy of that meeting, before it could ask for its room (no calendar key).
  const own = {
    ...calendarMeeting('app-own', 'Career chat', start, link('r', 'x', 'y'), REPORT),
    source: 'app' as const,
  };
  delete (own as Partial<MeetingDoc>).calendarLink;
  await report.db.meetings.insert(own);
  await report.pass();
  const listed = await all(report.db);
  expect(listed.filter((m) => m.start === start).map((m) => m.id)).toEqual(['app-own']);
  expect(withoutSharedDuplicates([...listed, { ...own, id: 'room-abc' }]).map((m) => m.id)).not.toContain(
    'room-abc',
  );
  await report.db.close();
});

it('does not bring back as shared a meeting removed here whose room is still on the server', async () => {
  const manager = await appOf(MANAGER);
  const start = DAY + 5 * 86_400_000;
  await manager.db.meetings.insert(
    calendarMeeting('cal-gone', 'Skip-level', start, link('m-acct', 'ev4', `gone-${Date.now()}@google.com`), MANAGER),
  );
  expect((await manager.pass()).assigned).toBe(1);
  const roomId = (await all(manager.db)).find((m) => m.id === 'cal-gone')!.roomId;
  // Its event was cancelled and it had no content: the ingest removes it (docs/architecture.md §4).
  allowRemoval(manager.db.meetings, ['cal-gone']);
  await (await manager.db.meetings.findOne('cal-gone').exec())!.remove();
  expect(await manager.pass()).toEqual({ assigned: 0, shared: 0, errors: [] });
  expect((await all(manager.db)).some((m) => m.roomId === roomId)).toBe(false);
  await manager.db.close();
});
