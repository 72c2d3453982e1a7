// Sharing meetings through the sync server (docs/architecture.md §5): the rooms a user belongs to
// (`GET /rooms`), and a short visit to a room's Y.Doc to write or read the meeting's own facts
// (`meta`: title, start, end, participants), so the other person's app can list a meeting it
// learned of only from the server ("shared with you"). Free of DOM and bridge imports: the same
// code runs in the renderer and against a real sync server in Node tests.
import * as encoding from 'lib0/encoding';
import { Awareness } from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { MeetingWorkspace, type MeetingMeta } from './meeting-doc';
import { RoomRequestError, httpUrlOf } from './rooms-client';

export interface RoomView {
  roomId: string;
  participants: [string, string];
  kind: 'calendar' | 'random';
}

/** The rooms the token's user belongs to. */
export async function listRooms(
  serverUrl: string,
  token: string,
  fetchImpl: typeof fetch = fetch,
): Promise<RoomView[]> {
  const res = await fetchImpl(`${httpUrlOf(serverUrl)}/rooms`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const text = await res.text();
  if (res.status !== 200)
    throw new RoomRequestError(
      `The sync server refused the room list (${res.status}): ${text.slice(0, 200)}`,
      res.status,
    );
  let rooms: unknown;
  try {
    rooms = (JSON.parse(text) as { rooms?: unknown }).rooms;
  } catch {
    rooms = undefined;
  }
  if (!Array.isArray(rooms))
    throw new RoomRequestError('The sync server answered without a room list.', res.status);
  const out: RoomView[] = [];
  for (const r of rooms as unknown[]) {
    const v = r as Partial<Record<keyof RoomView, unknown>>;
    const p = v.participants;
    if (typeof v.roomId !== 'string' || !Array.isArray(p) || p.length !== 2) continue;
    const [a, b] = p as unknown[];
    if (typeof a !== 'string' || typeof b !== 'string') continue;
    out.push({ roomId: v.roomId, participants: [a, b], kind: v.kind === 'calendar' ? 'calendar' : 'random' });
  }
  return out;
}

export interface VisitOptions {
  serverUrl: string;
  roomId: string;
  token: string;
  /** Node before 22 has no global WebSocket: tests pass `ws`. */
  WebSocketPolyfill?: typeof globalThis.WebSocket;
  timeoutMs?: number;
  /**
   * The doc to sync with the room (a meeting's local copy, so an edit made away from the meeting
   * page reaches the server); a fresh one when absent. The caller owns and destroys it.
   */
  doc?: Y.Doc;
}

/** A doc joined to its room: synced once, kept open until `close`. */
export interface RoomSession {
  /** Waits until the server has stored every update this doc sent so far (one more sync round trip). */
  confirmStored(): Promise<void>;
  close(): void;
}

/**
 * Connects `doc` to its room and resolves once the first sync is done (everything the server had
 * is in `doc`). The server answers a sync request only once every update it received before it is
 * stored (sync-server README "Inside"), so `confirmStored`'s second round trip is the
 * acknowledgement of what was written in between.
 */
export async function joinRoom(options: VisitOptions, doc: Y.Doc): Promise<RoomSession> {
  // A visit is not presence: nobody is "here". No awareness state is sent (y-websocket sends the
  // local one on open unless it is null), and the room's are neither asked for nor answered, so
  // the other person never sees a nameless visitor (docs/architecture.md §5, "Background sync").
  const awareness = new Awareness(doc);
  awareness.setLocalState(null);
  const provider = new WebsocketProvider(options.serverUrl, options.roomId, doc, {
    params: { token: options.token },
    disableBc: true,
    connect: false,
    awareness,
    ...(options.WebSocketPolyfill ? { WebSocketPolyfill: options.WebSocketPolyfill } : {}),
  });
  const ignore = () => undefined;
  provider.messageHandlers[1] = ignore; // awareness
  provider.messageHandlers[3] = ignore; // query awareness
  let closeReason: RoomRequestError | null = null;
  const failures = new Set<(error: RoomRequestError) => void>();
  // y-websocket stops on its own after a terminal refusal (4400-4499) and says so with 'closed'.
  provider.on('closed', (event: { code: number; reason: string }) => {
    closeReason = new RoomRequestError(`The sync server closed the room (${event.code} ${event.reason})`, event.code);
    for (const f of failures) f(closeReason);
  });
  const timeoutMs = options.timeoutMs ?? 10_000;
  const synced = () =>
    new Promise<void>((resolve, reject) => {
      if (closeReason) return reject(closeReason);
      const timer = setTimeout(() => done(new RoomRequestError('The sync server did not answer in time.', 0)), timeoutMs);
      const onSync = (state: boolean) => state && done(null);
      const done = (error: RoomRequestError | null) => {
        clearTimeout(timer);
        provider.off('sync', onSync);
        failures.delete(done);
        if (error) reject(error);
        else resolve();
      };
      failures.add(done);
      provider.on('sync', onSync);
    });
  const close = () => {
    provider.destroy();
    awareness.destroy();
  };
  try {
    const first = synced();
    provider.connect();
    await first;
  } catch (error) {
    close();
    throw error;
  }
  // The server answers a request it already answered only when something changed since, so only
  // writes made after joining can be confirmed this way; a local copy's content reached the
  // server in the first sync (sent before the socket closes, stored in the order received).
  let confirmed = Y.encodeStateVector(doc);
  return {
    async confirmStored() {
      const now = Y.encodeStateVector(doc);
      if (equalBytes(confirmed, now)) return;
      // Ask again: the answer comes only once the server stored the updates sent before.
      provider.synced = false;
      const second = synced();
      provider.ws?.send(syncStep1(doc));
      await second;
      confirmed = now;
    },
    close,
  };
}

/**
 * Connects, syncs, runs `work` on the room's doc (`options.doc`, else a fresh one), and closes.
 * With `confirm`, waits before closing until the server has stored what `work` wrote.
 */
export async function visitRoom<T>(
  options: VisitOptions,
  work: (doc: Y.Doc) => T,
  confirm: boolean,
): Promise<T> {
  const doc = options.doc ?? new Y.Doc();
  try {
    const session = await joinRoom(options, doc);
    try {
      const before = Y.encodeStateVector(doc);
      const result = work(doc);
      if (confirm && !equalBytes(before, Y.encodeStateVector(doc))) await session.confirmStored();
      return result;
    } finally {
      session.close();
    }
  } finally {
    if (!options.doc) doc.destroy();
  }
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function syncStep1(doc: Y.Doc): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0); // y-websocket's sync message
  syncProtocol.writeSyncStep1(encoder, doc);
  return encoding.toUint8Array(encoder);
}

/** Writes the meeting's facts into its room (only what differs) and waits until they are stored. */
export function stampRoomMeta(options: VisitOptions, meta: MeetingMeta): Promise<void> {
  return visitRoom(options, (doc) => new MeetingWorkspace(doc, '').setMeta(meta), true);
}

/** The meeting's facts as its room holds them (empty fields when nobody wrote them yet). */
export function readRoomMeta(options: VisitOptions): Promise<MeetingMeta> {
  return visitRoom(options, (doc) => new MeetingWorkspace(doc, '').meta(), false);
}
