// Meetings and their rooms on the sync server (docs/architecture.md §5), in the leading window:
// 1. every calendar meeting (and one scheduled in Duet, once linked to its event) gets its room (POST /rooms with the room key: the iCalendar UID, plus
//    the occurrence's original start for an occurrence), stored on the meeting (`roomId`), and the
//    meeting's title, time and participants are written into the room's Y.Doc;
// 2. every room the user belongs to (GET /rooms) that no local meeting has is read once, and
//    becomes a meeting "shared with you" (id `room-<room id>`), even when this app's own
//    detection did not take the event. When the detection later takes it, the calendar meeting
//    gets the same room and the shared copy goes: its content lives in the room.
import { allowRemoval } from '../../db/meeting-rules';
import type { DuetApi } from '../../../../src-shared/bridge/contract';
import type { MeetingDoc } from '../../../../src-shared/meeting/model';
import { roomKeyOf } from '../../../../src-shared/workspace/room-key';
import { listRooms, readRoomMeta, stampRoomMeta } from '../../../../src-shared/workspace/room-share';
import { requestRoom } from '../../../../src-shared/workspace/rooms-client';
import type { DuetDatabase } from '../../db/database';
import { memoryHeldRooms, storedHeldRooms, type HeldRooms } from './held-rooms';

export const SHARED_MEETING_PREFIX = 'room-';

/** A meeting this app knows only from the sync server: the other person shared it. */
export const isSharedWithYou = (m: Pick<MeetingDoc, 'id'>): boolean => m.id.startsWith(SHARED_MEETING_PREFIX);

type Slot = Pick<MeetingDoc, 'participants' | 'start'>;
const slotOf = (m: Slot): string => `${m.start}|${[...m.participants].sort().join('|')}`;

/**
 * The list without shared copies of meetings this app has itself (same two people, same start),
 * which happens between this app's detection taking the event and the meeting getting its room.
 */
export function withoutSharedDuplicates<M extends Slot & Pick<MeetingDoc, 'id'>>(
  meetings: readonly M[],
): M[] {
  const own = new Set(meetings.filter((m) => !isSharedWithYou(m)).map(slotOf));
  return meetings.filter((m) => !isSharedWithYou(m) || !own.has(slotOf(m)));
}

export type RoomSyncBridge = {
  accounts: Pick<DuetApi['accounts'], 'identity'>;
  sync: Pick<DuetApi['sync'], 'serverInfo'>;
};

export interface RoomSyncOptions {
  WebSocketPolyfill?: typeof globalThis.WebSocket;
  fetch?: typeof fetch;
  /** Rooms requested and rooms read per pass (each is a round trip; the rest waits for the next). */
  perPass?: number;
  now?: () => number;
  /** Rooms read without the meeting's facts, and when to look again (kept across passes). */
  retryAt?: Map<string, number>;
  /** The rooms this app's own meetings have had (held-rooms.ts); in memory when not given. */
  heldRooms?: HeldRooms;
}

/** The held rooms of the window's database: in localStorage where there is one. */
export function windowHeldRooms(db: Pick<DuetDatabase, 'name'>): HeldRooms {
  let storage: Storage | undefined;
  try {
    storage = typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    storage = undefined; // storage disabled for this origin
  }
  return storedHeldRooms(db.name, storage);
}

/** A room nobody has described yet is read again after this long. */
const EMPTY_ROOM_RETRY_MS = 10 * 60_000;

export interface RoomSyncResult {
  assigned: number;
  shared: number;
  errors: string[];
}

/** One pass of both steps; does nothing without a signed-in identity and a running server. */
export async function syncRoomsOnce(
  db: DuetDatabase,
  bridge: RoomSyncBridge,
  options: RoomSyncOptions = {},
): Promise<RoomSyncResult> {
  const result: RoomSyncResult = { assigned: 0, shared: 0, errors: [] };
  const [identity, server] = await Promise.all([bridge.accounts.identity(), bridge.sync.serverInfo()]);
  if (!identity || server.state !== 'running' || !server.url) return result;
  const me = identity.email.trim().toLowerCase();
  const token = identity.idToken;
  const perPass = options.perPass ?? 40;
  const now = options.now ?? Date.now;
  const visit = (roomId: string) => ({
    serverUrl: server.url,
    roomId,
    token,
    ...(options.WebSocketPolyfill ? { WebSocketPolyfill: options.WebSocketPolyfill } : {}),
  });

  const meetings = (await db.meetings.find().exec()).map((d) => d.toMutableJSON());
  const held = options.heldRooms ?? memoryHeldRooms();
  held.add(meetings.filter((m) => m.roomId && !isSharedWithYou(m)).map((m) => m.roomId));
  // A meeting scheduled in Duet counts once linked to its event: it has the same room key, and
  // the other person learns of it without waiting for its page to be opened (docs/architecture.md §5).
  const pending = meetings.filter(
    (m) =>
      (m.source === 'calendar' || m.linkState === 'linked') &&
      !m.roomId &&
      m.participants.includes(me) &&
      m.participants.length === 2 &&
      roomKeyOf(m),
  );
  for (const m of pending.slice(0, perPass)) {
    try {
      const roomId = await requestRoom(server.url, token, m, options.fetch);
      await stampRoomMeta(visit(roomId), {
        title: m.title,
        start: m.start,
        end: m.end,
        participants: m.participants,
      });
      const stored = await db.meetings.findOne(m.id).exec();
      await stored?.incrementalPatch({ roomId, updatedAt: now() });
      held.add([roomId]);
      // The copy learned from the server is this meeting: one entry in the list.
      const copy = await db.meetings.findOne(SHARED_MEETING_PREFIX + roomId).exec();
      if (copy) {
        allowRemoval(db.meetings, [copy.id]); // replaced, not deleted (docs/architecture.md §2)
        await copy.remove();
      }
      result.assigned++;
    } catch (error) {
      result.errors.push(`${m.title}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  // Rooms wait while this app still has meetings to give rooms to: one of them may be the room.
  if (pending.length > perPass) return result;
  const current = await db.meetings.find().exec();
  const known = new Set(current.map((m) => m.roomId).filter(Boolean));
  const ownSlots = new Set(current.filter((m) => !isSharedWithYou(m)).map((m) => slotOf(m)));
  const retryAt = options.retryAt;
  // A room one of this app's own meetings had, and that meeting is gone: it was removed here
  // (its event cancelled, or deleted by its owner), so it is not brought back as shared.
  const rooms = (await listRooms(server.url, token, options.fetch)).filter(
    (r) => !known.has(r.roomId) && !held.has(r.roomId) && (retryAt?.get(r.roomId) ?? 0) <= now(),
  );
  for (const room of rooms.slice(0, perPass)) {
    try {
      const meta = await readRoomMeta(visit(room.roomId));
      // Nobody wrote the meeting's facts yet: nothing to list; the next pass looks again.
      if (!meta.title || !meta.start || !(meta.end >= meta.start)) {
        retryAt?.set(room.roomId, now() + EMPTY_ROOM_RETRY_MS);
        continue;
      }
      const participants = room.participants.map((p) => p.toLowerCase()).sort();
      // This app has that meeting already (its room not asked for yet): not a shared one.
      if (ownSlots.has(slotOf({ participants, start: meta.start }))) continue;
      const other = participants.find((p) => p !== me) ?? participants[0]!;
      const at = now();
      await db.meetings.insert({
        id: SHARED_MEETING_PREFIX + room.roomId,
        seriesId: '',
        title: meta.title.slice(0, 500),
        start: meta.start,
        end: meta.end,
        participants,
        owner: other,
        source: 'app',
        linkState: 'unlinked',
        state: 'scheduled',
        roomId: room.roomId,
        createdAt: at,
        updatedAt: at,
      });
      result.shared++;
    } catch (error) {
      result.errors.push(`room ${room.roomId}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return result;
}

export interface RoomSync {
  /** Runs a pass now (leader only) and resolves when it is done. */
  syncNow(): Promise<RoomSyncResult | null>;
  stop(): void;
}

/** Passes at start, when the identity changes, after meetings change, and every five minutes. */
export function startRoomSync(
  db: DuetDatabase,
  bridge: RoomSyncBridge & { on: DuetApi['on'] },
  options: RoomSyncOptions & { intervalMs?: number; debounceMs?: number } = {},
): RoomSync {
  const passOptions = {
    ...options,
    retryAt: options.retryAt ?? new Map<string, number>(),
    heldRooms: options.heldRooms ?? windowHeldRooms(db),
  };
  let stopped = false;
  let leader = false;
  let running: Promise<RoomSyncResult | null> = Promise.resolve(null);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = (): Promise<RoomSyncResult | null> => {
    if (stopped || !leader) return Promise.resolve(null);
    running = running.then(() => (stopped ? null : syncRoomsOnce(db, bridge, passOptions).catch(() => null)));
    return running;
  };
  const soon = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void run(), options.debounceMs ?? 2000);
  };
  void db.waitForLeadership().then(() => {
    leader = true;
    void run();
  });
  const off = bridge.on('accounts.identity', soon);
  const sub = db.meetings.find().$.subscribe(soon);
  const interval = setInterval(() => void run(), options.intervalMs ?? 5 * 60_000);
  return {
    syncNow: run,
    stop() {
      stopped = true;
      clearTimeout(timer);
      clearInterval(interval);
      off();
      sub.unsubscribe();
    },
  };
}
