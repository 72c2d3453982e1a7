// Keeps the `meetingContent` projection (db/schemas/meeting-content.ts) in step with each meeting's
// shared Y.Doc as this device holds it (docs/architecture.md §5), so screens over many meetings
// (Up next, the person and series pages, Action items, search) read RxDB instead of opening a
// Y.Doc or a websocket per meeting. Written from three places: the meeting page while a doc is
// open (every change, local or remote, debounced), an edit made away from the page
// (`editMeetingDoc`, e.g. completing an item on the Action items screen), and once at start for
// local copies that have no projection yet (`backfillProjections`).
import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import { MeetingWorkspace } from '../../../../src-shared/workspace/meeting-doc';
import { visitRoom } from '../../../../src-shared/workspace/room-share';
import { RoomRequestError } from '../../../../src-shared/workspace/rooms-client';
import type { DuetDatabase } from '../../db/database';
import type { MeetingContentDoc } from '../../db/schemas';
import { localMeetingDocName } from './shared-content';

/** The projection of one workspace (everything but the meeting id). */
export function projectWorkspace(ws: MeetingWorkspace, now = Date.now()): Omit<MeetingContentDoc, 'id'> {
  const entry = (e: ReturnType<MeetingWorkspace['topics']>[number]) => ({
    id: e.id,
    text: e.text,
    author: e.author,
    done: e.done,
    order: e.order,
    rolledFrom: e.rolledFrom ?? '',
    movedTo: e.movedTo ?? '',
  });
  const items = ws.items().map((i) => ({ ...entry(i), assignee: i.assignee, due: i.due }));
  // Plain notes of the first pass count until they are moved into the rich notes.
  const notesText = [ws.notes.toString(), ws.notesText()].filter((t) => t.trim() !== '').join('\n');
  return {
    topics: ws.topics().map(entry),
    items,
    notesText,
    openItems: items.filter((i) => !i.done && !i.movedTo).length,
    updatedAt: now,
  };
}

const sameContent = (a: Omit<MeetingContentDoc, 'updatedAt'>, b: Omit<MeetingContentDoc, 'updatedAt'>) =>
  JSON.stringify([a.topics, a.items, a.notesText, a.openItems]) ===
  JSON.stringify([b.topics, b.items, b.notesText, b.openItems]);

/** Writes the projection when it differs from the stored one (two windows do not churn it). */
export async function saveProjection(
  db: DuetDatabase,
  meetingId: string,
  ws: MeetingWorkspace,
): Promise<void> {
  const next: MeetingContentDoc = { id: meetingId, ...projectWorkspace(ws) };
  const stored = await db.meetingContent.findOne(meetingId).exec();
  if (stored && sameContent(stored.toMutableJSON(), next)) return;
  await db.meetingContent.upsert(next);
}

/**
 * While a meeting's doc is open: re-projects after changes (at most every `delayMs`), and once
 * more when stopped, so nothing written just before the page closes is missed. Call it only once
 * the local copy is loaded, or an empty doc would overwrite what is known. Returns the stop.
 */
export function keepProjection(
  db: DuetDatabase,
  meetingId: string,
  ws: MeetingWorkspace,
  delayMs = 400,
): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const write = () => {
    timer = undefined;
    // The database may be closing with the window: a lost projection is rebuilt on the next change.
    saveProjection(db, meetingId, ws).catch(() => undefined);
  };
  const off = ws.observe(() => {
    if (timer === undefined) timer = setTimeout(write, delayMs);
  });
  write();
  return () => {
    off();
    if (timer !== undefined) {
      clearTimeout(timer);
      write();
    }
  };
}

export interface RemoteRoom {
  serverUrl: string;
  token: string;
  roomId: string;
  timeoutMs?: number;
  /** Node before 22 has no global WebSocket: tests pass `ws`. */
  WebSocketPolyfill?: typeof globalThis.WebSocket;
}

/**
 * Edits a meeting's shared doc from outside its page: opens the local copy, and when the meeting
 * has a room and the user is signed in, syncs it with the server and makes the edit there too
 * (waiting until the server stored it), so the other person sees it without this app opening the
 * meeting. Offline, or when the server does not answer, the edit stays in the local copy and
 * reaches the server the next time the meeting connects. The projection is updated either way.
 * Returns whether the server confirmed the edit.
 */
export async function editMeetingDoc(
  db: DuetDatabase,
  meetingId: string,
  me: string,
  work: (ws: MeetingWorkspace) => void,
  remote: RemoteRoom | null,
): Promise<{ synced: boolean }> {
  const doc = new Y.Doc();
  const local =
    typeof indexedDB === 'undefined' ? null : new IndexeddbPersistence(localMeetingDocName(meetingId), doc);
  try {
    await local?.whenSynced;
    const ws = new MeetingWorkspace(doc, me);
    let ran = false;
    let synced = false;
    if (remote) {
      try {
        await visitRoom(
          {
            serverUrl: remote.serverUrl,
            roomId: remote.roomId,
            token: remote.token,
            doc,
            timeoutMs: remote.timeoutMs ?? 5_000,
            ...(remote.WebSocketPolyfill ? { WebSocketPolyfill: remote.WebSocketPolyfill } : {}),
          },
          () => {
            ran = true;
            work(ws);
          },
          true,
        );
        synced = true;
      } catch (error) {
        // The edit itself refusing (a WorkspaceError) is the caller's to show; a server that is
        // away is not an error: the local copy carries the edit.
        if (!(error instanceof RoomRequestError)) throw error;
      }
    }
    if (!ran) work(ws);
    await saveProjection(db, meetingId, ws);
    return { synced };
  } finally {
    await local?.destroy();
    doc.destroy();
  }
}

/**
 * Projects every local meeting copy that has no projection yet (copies made before the projection
 * existed, or by a window that closed mid-write). One listing of the browser's databases and one
 * query; then one read per missing meeting.
 */
export async function backfillProjections(
  db: DuetDatabase,
  idb: IDBFactory | undefined = globalThis.indexedDB,
): Promise<number> {
  if (!idb || typeof idb.databases !== 'function') return 0;
  const prefix = localMeetingDocName('');
  const local = (await idb.databases())
    .map((d) => d.name ?? '')
    .filter((n) => n.startsWith(prefix))
    .map((n) => n.slice(prefix.length));
  if (local.length === 0) return 0;
  const known = new Set((await db.meetingContent.find().exec()).map((d) => d.id));
  const meetings = new Set((await db.meetings.find().exec()).map((m) => m.id));
  let written = 0;
  for (const id of local) {
    if (known.has(id) || !meetings.has(id)) continue;
    const doc = new Y.Doc();
    const persistence = new IndexeddbPersistence(localMeetingDocName(id), doc);
    try {
      await persistence.whenSynced;
      await saveProjection(db, id, new MeetingWorkspace(doc, ''));
      written++;
    } finally {
      await persistence.destroy();
      doc.destroy();
    }
  }
  return written;
}
