// Background sync of meeting docs (docs/architecture.md §5 "Background sync"): in the leading
// window, while signed in and the sync server runs, the shared Y.Docs of the meetings around now
// (with a room, not cancelled, upcoming within 14 days or ended within 14 days, at most 50, soonest
// first) are brought up to date with their rooms, a few at a time, into their local copies
// (y-indexeddb, the name the page uses) and into the content projection, so Up next, the prep
// reminder's open items, Action items and search show what the other person wrote without this app
// opening the meeting, and keep it offline.
//
// It never announces the user: the connection is silent (no awareness sent, answered or echoed),
// so the other person never sees this app "here". A meeting a page holds open (meeting-doc-cache.ts)
// is left to the page, which syncs it live and keeps its projection.
import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import type { DuetApi } from '../../../../src-shared/bridge/contract';
import type { MeetingDoc } from '../../../../src-shared/meeting/model';
import { MeetingWorkspace } from '../../../../src-shared/workspace/meeting-doc';
import { openMeetingConnection, type TokenFeed } from '../../../../src-shared/workspace/meeting-connection';
import type { DuetDatabase } from '../../db/database';
import { saveProjection } from './content-projection';
import { meetingDocs, type MeetingDocCache } from './meeting-doc-cache';
import { docHasContent, localMeetingDocName } from './shared-content';

const DAY_MS = 86_400_000;
/** Meetings starting within this long from now, or ended within this long before it. */
export const BACKGROUND_WINDOW_MS = 14 * DAY_MS;
/** At most this many meetings per pass. */
export const BACKGROUND_LIMIT = 50;

export type BackgroundSyncBridge = {
  accounts: Pick<DuetApi['accounts'], 'identity'>;
  sync: Pick<DuetApi['sync'], 'serverInfo'>;
  on: DuetApi['on'];
};

export interface BackgroundSyncOptions {
  now?: () => number;
  /** Between passes (the app: 3 minutes). */
  intervalMs?: number;
  /** After the meetings or the identity change. */
  debounceMs?: number;
  /** How long one meeting may take to be live before it is given up for this pass. */
  timeoutMs?: number;
  /** Meetings synced at the same time. */
  concurrency?: number;
  limit?: number;
  windowMs?: number;
  /** After a failure: this long (the app: 1 minute), doubled per further failure, at most `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Pages' docs: a meeting held open there is skipped. */
  cache?: Pick<MeetingDocCache, 'isHeld'>;
  /** Where the first failure of each kind per meeting is told (the app: console.warn). */
  log?: (message: string) => void;
  /** Node before 22 has no global WebSocket: tests pass `ws`. */
  WebSocketPolyfill?: typeof globalThis.WebSocket;
}

export interface BackgroundSyncResult {
  /** Meetings whose doc is now what the server holds. */
  synced: string[];
  /** Meetings not tried: held open by a page, or waiting after a failure. */
  skipped: string[];
  /** Meetings that failed this pass, with why. */
  failed: Array<{ meetingId: string; reason: string }>;
}

/**
 * The meetings a pass visits: with a room, scheduled (not cancelled or archived), from those ended
 * `windowMs` ago to those starting `windowMs` ahead; the ones not yet over first (soonest start
 * first), then the past ones (latest end first); at most `limit`.
 */
export function meetingsToSync(
  meetings: readonly MeetingDoc[],
  now: number,
  limit = BACKGROUND_LIMIT,
  windowMs = BACKGROUND_WINDOW_MS,
): MeetingDoc[] {
  const near = meetings.filter(
    (m) => m.roomId !== '' && m.state === 'scheduled' && m.end >= now - windowMs && m.start <= now + windowMs,
  );
  const ahead = near.filter((m) => m.end >= now).sort((a, b) => a.start - b.start);
  const past = near.filter((m) => m.end < now).sort((a, b) => b.end - a.end);
  return [...ahead, ...past].slice(0, Math.max(0, limit));
}

/** Why one meeting's sync ended without being live. */
class VisitFailure extends Error {
  constructor(
    message: string,
    /** The server refused this room for good (4400-4499): back this meeting off, go on with others. */
    readonly refused: boolean,
  ) {
    super(message);
  }
}

/** A meeting the server refused: when it may be tried again. */
interface Backoff {
  failures: number;
  retryAt: number;
}

/** What passes remember: refused meetings, and whether the server was found away. */
export interface BackgroundSyncState {
  refused: Map<string, Backoff>;
  away: (Backoff & { url: string }) | null;
}

export const newBackgroundSyncState = (): BackgroundSyncState => ({ refused: new Map(), away: null });

/**
 * One pass. Does nothing without a signed-in identity and a running sync server, or while waiting
 * after the server was found away. A meeting that cannot be reached because the server is away
 * (no answer in time, a dropped connection, an expired token) ends the pass: the rest would only
 * wait for the same timeout; passes then wait, doubling the wait each time (`backoffMs` up to
 * `maxBackoffMs`). A room the server refuses (not a member, unknown) waits alone, the same way.
 * Each is logged once: when the server goes away, when a meeting is first refused.
 */
export async function syncMeetingDocsOnce(
  db: DuetDatabase,
  bridge: Omit<BackgroundSyncBridge, 'on'>,
  options: BackgroundSyncOptions = {},
  state: BackgroundSyncState = newBackgroundSyncState(),
): Promise<BackgroundSyncResult> {
  const result: BackgroundSyncResult = { synced: [], skipped: [], failed: [] };
  const now = (options.now ?? Date.now)();
  const [identity, server] = await Promise.all([
    bridge.accounts.identity().catch(() => null),
    bridge.sync.serverInfo().catch(() => null),
  ]);
  if (!identity?.idToken || server?.state !== 'running' || !server.url) return result;
  // A server started again elsewhere (another port) is not the one found away.
  if (state.away && state.away.url === server.url && state.away.retryAt > now) return result;
  const cache = options.cache ?? meetingDocs;
  const log = options.log ?? ((message: string) => console.warn(message));
  const backoffMs = options.backoffMs ?? 60_000;
  const maxBackoffMs = options.maxBackoffMs ?? 15 * 60_000;
  const wait = (failures: number) => now + Math.min(maxBackoffMs, backoffMs * 2 ** (failures - 1));

  const meetings = (await db.meetings.find().exec()).map((d) => d.toMutableJSON());
  const queue = meetingsToSync(meetings, now, options.limit, options.windowMs).filter((m) => {
    const go = (state.refused.get(m.id)?.retryAt ?? 0) <= now && !cache.isHeld(m.id);
    if (!go) result.skipped.push(m.id);
    return go;
  });

  const tokens = staticFeed(identity.idToken);
  let away: string | null = null;
  const worker = async () => {
    for (let m = queue.shift(); m && away === null; m = queue.shift()) {
      try {
        await syncOne(db, m, {
          serverUrl: server.url,
          tokens,
          timeoutMs: options.timeoutMs ?? 10_000,
          cache,
          ...(options.WebSocketPolyfill ? { WebSocketPolyfill: options.WebSocketPolyfill } : {}),
        });
        result.synced.push(m.id);
        state.refused.delete(m.id);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        result.failed.push({ meetingId: m.id, reason });
        if (error instanceof VisitFailure && error.refused) {
          const prev = state.refused.get(m.id);
          if (!prev) log(`Background sync: meeting ${m.id} is not synced: ${reason}`);
          const failures = (prev?.failures ?? 0) + 1;
          state.refused.set(m.id, { failures, retryAt: wait(failures) });
        } else {
          away ??= reason;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 2) }, worker));
  if (away !== null) {
    if (!state.away) log(`Background sync paused: ${away as string}`);
    const failures = (state.away?.failures ?? 0) + 1;
    state.away = { failures, retryAt: wait(failures), url: server.url };
  } else if (result.synced.length > 0) {
    state.away = null;
  }
  return result;
}

interface VisitContext {
  serverUrl: string;
  tokens: TokenFeed;
  timeoutMs: number;
  cache: Pick<MeetingDocCache, 'isHeld'>;
  WebSocketPolyfill?: typeof globalThis.WebSocket;
}

/**
 * Local copy in, connect as the page does (without presence), wait until live, project, close.
 * Whatever the local copy has that the server lacks goes out in the first sync (the client's
 * answer to the server's request is sent before the server's own answer makes it live); if the
 * connection fails, the local copy keeps it for the next time.
 */
async function syncOne(db: DuetDatabase, meeting: MeetingDoc, ctx: VisitContext): Promise<void> {
  const doc = new Y.Doc();
  const local =
    typeof indexedDB === 'undefined' ? null : new IndexeddbPersistence(localMeetingDocName(meeting.id), doc);
  try {
    // Only once the local copy is in: the first sync then asks for what is missing, not everything.
    await local?.whenSynced;
    const conn = openMeetingConnection({
      doc,
      serverUrl: ctx.serverUrl,
      roomId: meeting.roomId,
      tokens: ctx.tokens,
      // No presence: the other person must not see this app "here" (meeting-connection.ts).
      silent: true,
      disableBc: true,
      ...(ctx.WebSocketPolyfill ? { WebSocketPolyfill: ctx.WebSocketPolyfill } : {}),
    });
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => finish(new VisitFailure(`the sync server did not answer within ${ctx.timeoutMs} ms`, false)),
          ctx.timeoutMs,
        );
        const off = conn.onState((s) => s === 'live' && finish(null));
        // y-websocket stops by itself after a refusal for good (4400-4499) and says so.
        // 4401 (the token) is the identity's problem, not the room's: it ends the pass.
        const onClosed = (event: { code: number; reason: string }) =>
          finish(
            new VisitFailure(
              `the sync server refused the room (${event.code} ${event.reason})`,
              event.code !== 4401,
            ),
          );
        conn.provider.on('closed', onClosed);
        function finish(error: VisitFailure | null) {
          clearTimeout(timer);
          off();
          conn.provider.off('closed', onClosed);
          if (error) reject(error);
          else resolve();
        }
        if (conn.state() === 'live') finish(null);
      });
    } finally {
      conn.destroy();
    }
    // A page that opened the meeting meanwhile keeps the projection itself, from the newer doc.
    if (ctx.cache.isHeld(meeting.id)) return;
    const known = await db.meetingContent.findOne(meeting.id).exec();
    if (known || docHasContent(doc)) await saveProjection(db, meeting.id, new MeetingWorkspace(doc, ''));
  } finally {
    // y-indexeddb stored each update as it came; destroy closes the database after them.
    await local?.destroy();
    doc.destroy();
  }
}

function staticFeed(token: string): TokenFeed {
  return { current: () => token, subscribe: () => () => undefined };
}

export interface BackgroundSync {
  /** Runs a pass now (leader only; after the one running) and resolves with it (null in a follower). */
  syncNow(): Promise<BackgroundSyncResult | null>;
  stop(): void;
}

/** Passes once leading, every `intervalMs`, and soon after the meetings or the identity change. */
export function startBackgroundSync(
  db: DuetDatabase,
  bridge: BackgroundSyncBridge,
  options: BackgroundSyncOptions = {},
): BackgroundSync {
  const state = newBackgroundSyncState();
  let stopped = false;
  let leader = false;
  let running: Promise<BackgroundSyncResult | null> = Promise.resolve(null);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = (): Promise<BackgroundSyncResult | null> => {
    if (stopped || !leader) return Promise.resolve(null);
    running = running.then(() =>
      stopped ? null : syncMeetingDocsOnce(db, bridge, options, state).catch(() => null),
    );
    return running;
  };
  const soon = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void run(), options.debounceMs ?? 5_000);
  };
  void db.waitForLeadership().then(() => {
    leader = true;
    void run();
  });
  const off = bridge.on('accounts.identity', () => {
    // A new identity (or token) may open rooms the old one was refused, and reach the server.
    state.refused.clear();
    state.away = null;
    soon();
  });
  const sub = db.meetings.find().$.subscribe(soon);
  const interval = setInterval(() => void run(), options.intervalMs ?? 3 * 60_000);
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
