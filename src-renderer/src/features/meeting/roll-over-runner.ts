// The roll-over runner (docs/architecture.md §5 "Roll-over"): in the leading window only (RxDB
// leader election, as the calendar ingest), a pass at start, every minute and after meetings
// change. Each due meeting's doc is opened as the meeting page opens it (its local copy,
// y-indexeddb `duet-meeting-<id>`, then its room when there is one, a signed-in identity and a
// running sync server), so the roll-over sees what the other person wrote and reaches a next
// meeting nobody has opened. Offline it works on the local copies; the deterministic ids make the
// two apps' copies one when they meet (src-shared/workspace/roll-over.ts).
import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import type { DuetApi } from '../../../../src-shared/bridge/contract';
import type { MeetingDoc } from '../../../../src-shared/meeting/model';
import { joinRoom, type RoomSession } from '../../../../src-shared/workspace/room-share';
import {
  rollOverPass,
  type OpenMeetingDoc,
  type RollOverPassResult,
} from '../../../../src-shared/workspace/roll-over-pass';
import { MeetingWorkspace } from '../../../../src-shared/workspace/meeting-doc';
import type { DuetDatabase } from '../../db/database';
import { saveProjection } from './content-projection';

export type RollOverBridge = {
  accounts: Pick<DuetApi['accounts'], 'identity'>;
  sync: Pick<DuetApi['sync'], 'serverInfo'>;
};

export interface RollOverRunnerOptions {
  /** The clock (tests move it; the app uses Date.now). */
  now?: () => number;
  intervalMs?: number;
  debounceMs?: number;
  /** How long to wait for a room before working on the local copy alone. */
  roomTimeoutMs?: number;
}

export interface RollOverRunner {
  /** Runs a pass now (leader only) and resolves with what it did (null in a follower). */
  runNow(): Promise<RollOverPassResult | null>;
  stop(): void;
}

export function startRollOver(
  db: DuetDatabase,
  bridge: RollOverBridge & { on: DuetApi['on'] },
  options: RollOverRunnerOptions = {},
): RollOverRunner {
  const now = options.now ?? Date.now;
  const settled = new Set<string>();
  let stopped = false;
  let leader = false;
  let running: Promise<RollOverPassResult | null> = Promise.resolve(null);
  let timer: ReturnType<typeof setTimeout> | undefined;

  const pass = async (): Promise<RollOverPassResult> => {
    const meetings = (await db.meetings.find().exec()).map((d) => d.toMutableJSON());
    const open = await opener(db, bridge, options.roomTimeoutMs ?? 5000);
    return rollOverPass(meetings, { now: now(), open, settled });
  };
  const run = (): Promise<RollOverPassResult | null> => {
    if (stopped || !leader) return Promise.resolve(null);
    running = running.then(() => (stopped ? null : pass().catch(() => null)));
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
  const sub = db.meetings.find().$.subscribe(soon);
  const interval = setInterval(() => void run(), options.intervalMs ?? 60_000);
  return {
    runNow: run,
    stop() {
      stopped = true;
      clearTimeout(timer);
      clearInterval(interval);
      sub.unsubscribe();
    },
  };
}

/** Opens meeting docs as the page does: local copy first, then the room when it can. */
async function opener(db: DuetDatabase, bridge: RollOverBridge, roomTimeoutMs: number): Promise<OpenMeetingDoc> {
  const [identity, server] = await Promise.all([
    bridge.accounts.identity().catch(() => null),
    bridge.sync.serverInfo().catch(() => null),
  ]);
  const online = identity && server?.state === 'running' && server.url ? { identity, url: server.url } : null;
  return async (meeting: MeetingDoc) => {
    const doc = new Y.Doc();
    const local =
      typeof indexedDB === 'undefined' ? null : new IndexeddbPersistence(`duet-meeting-${meeting.id}`, doc);
    if (local) await local.whenSynced;
    let session: RoomSession | null = null;
    const opened = Y.encodeStateVector(doc);
    if (online && meeting.roomId) {
      try {
        session = await joinRoom(
          { serverUrl: online.url, roomId: meeting.roomId, token: online.identity.idToken, timeoutMs: roomTimeoutMs },
          doc,
        );
      } catch {
        // Offline or refused: the local copy alone; the room gets the writes when the meeting
        // page (or a later pass) connects.
        session = null;
      }
    }
    return {
      doc,
      async close() {
        try {
          await session?.confirmStored();
        } finally {
          session?.close();
          // Screens over RxDB (Up next, Action items) see the copies without opening the meeting.
          if (!sameBytes(opened, Y.encodeStateVector(doc)))
            await saveProjection(db, meeting.id, new MeetingWorkspace(doc, '')).catch(() => undefined);
          // y-indexeddb stores each update as it happens; destroy closes the database after it.
          await local?.destroy();
          doc.destroy();
        }
      },
    };
  };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
