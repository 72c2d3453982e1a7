// Opens one meeting's shared Y.Doc for the meeting page (docs/architecture.md §5): the local copy
// first (y-indexeddb, keyed by meeting id, so it opens offline and before any room exists), then
// the sync server once there is a signed-in identity and a room. A calendar meeting's room comes
// from POST /rooms and is stored on the meeting.
import { useEffect, useMemo, useReducer, useState } from 'react';
import type * as Y from 'yjs';
import type { DuetApi, Identity } from '../../../../src-shared/bridge/contract';
import type { MeetingDoc } from '../../../../src-shared/meeting/model';
import { MeetingWorkspace } from '../../../../src-shared/workspace/meeting-doc';
import {
  openMeetingConnection,
  type ConnectionState,
  type TokenFeed,
} from '../../../../src-shared/workspace/meeting-connection';
import { Presence, presenceUser } from '../../../../src-shared/workspace/presence';
import { requestRoom } from '../../../../src-shared/workspace/rooms-client';
import type { DuetDatabase } from '../../db/database';
import { keepProjection } from './content-projection';
import { meetingDocs, type HeldMeetingDoc } from './meeting-doc-cache';

/**
 * The identity last known per bridge, kept current by one listener per bridge for the app's life:
 * a page opened again starts with it instead of rendering once without it (a new workspace, so
 * every row again) and once more when main answers.
 */
const knownIdentity = new WeakMap<DuetApi, Identity>();
const following = new WeakSet<DuetApi>();
function follow(bridge: DuetApi): void {
  if (following.has(bridge)) return;
  following.add(bridge);
  bridge.on('accounts.identity', (i) => knownIdentity.set(bridge, i));
}

/** The signed-in identity, live from main's `accounts.identity` events. */
export function useIdentity(bridge: DuetApi): Identity | undefined {
  const [identity, setIdentity] = useState<Identity | undefined>(() => knownIdentity.get(bridge));
  useEffect(() => {
    let live = true;
    // Once an event has come, it is newer than what the request returns.
    let heard = false;
    follow(bridge);
    const off = bridge.on('accounts.identity', (i) => {
      heard = true;
      setIdentity(i);
    });
    bridge.accounts.identity().then(
      (i) => {
        if (!live || heard) return;
        knownIdentity.set(bridge, i);
        setIdentity(i);
      },
      () => live && !heard && setIdentity((prev) => (prev === undefined ? null : prev)),
    );
    return () => {
      live = false;
      off();
    };
  }, [bridge]);
  return identity;
}

/** The key the page's presence is kept under with its doc (meeting-doc-cache.ts). */
const PRESENCE_KEY = 'presence';

export interface OpenWorkspace {
  /** The doc as taken from the cache (what the notes editor is kept with); null until taken. */
  held: HeldMeetingDoc | null;
  workspace: MeetingWorkspace | null;
  /** Who else is here and where they type; null until the doc is open. */
  presence: Presence | null;
  /** The local copy has been read into the doc (at once where there is no IndexedDB). */
  loaded: boolean;
  connection: ConnectionState;
  /** Why the meeting is not shared yet, when it is not. */
  problem: string;
}

export function useMeetingWorkspace(
  bridge: DuetApi,
  db: DuetDatabase,
  meeting: MeetingDoc | null,
  identity: Identity | undefined,
): OpenWorkspace {
  const me = identity?.email ?? '';
  const meetingId = meeting?.id ?? '';
  const [connection, setConnection] = useState<ConnectionState>('offline');
  const [problem, setProblem] = useState('');
  const [, rerender] = useReducer((n: number) => n + 1, 0);

  // One doc per meeting shown, from the cache that keeps the last few meetings left in memory
  // (meeting-doc-cache.ts). It is keyed by the meeting alone: the identity arriving a moment later
  // re-wraps the same doc instead of reading it from IndexedDB a second time.
  const [held, setHeld] = useState<HeldMeetingDoc | null>(null);
  // Presence lives as long as the doc, across reconnections and visits: it is kept with the doc in
  // the cache (the notes editor kept there too draws carets from its awareness). Awareness keeps a
  // timer, so it is made in an effect, never during render, and the cache destroys it. It is taken
  // with the doc, in the same render, so a doc already loaded shows its lists and notes together.
  const [presence, setPresence] = useState<Presence | null>(null);
  useEffect(() => {
    if (!meetingId) return;
    const h = meetingDocs.acquire(meetingId);
    const p = h.keep(
      PRESENCE_KEY,
      () => new Presence(h.doc, presenceUser('me')),
      (kept) => kept.destroy(),
    );
    // Taking the doc from the cache is what the effect is for (it is given back on leave).
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setHeld(h);
    setPresence(p);
    return () => {
      setHeld(null);
      setPresence(null);
      h.release();
    };
  }, [meetingId]);
  const workspace = useMemo(() => (held ? new MeetingWorkspace(held.doc, me) : null), [held, me]);
  const [loadedDoc, setLoadedDoc] = useState<Y.Doc | null>(null);
  const loaded = !!held && (loadedDoc === held.doc || held.isLoaded());
  useEffect(() => {
    if (!held) return;
    let live = true;
    void held.loaded.then(() => live && setLoadedDoc(held.doc));
    return () => {
      live = false;
    };
  }, [held]);
  useEffect(() => (workspace ? workspace.observeEntries(rerender) : undefined), [workspace]);

  // Screens over many meetings read the doc's projection in RxDB (content-projection.ts); it is
  // written only once the local copy is in, so an empty doc never overwrites what is known.
  // Its first write reads the whole doc (the notes' words among it), so it waits until the page
  // has shown the lists and the notes editor (an idle moment); a page left sooner writes it then.
  useEffect(() => {
    if (!workspace || !loaded) return;
    let stop: (() => void) | null = null;
    const start = () => {
      stop = keepProjection(db, meetingId, workspace);
    };
    const idle =
      typeof requestIdleCallback === 'function' ? requestIdleCallback(start, { timeout: 2000 }) : null;
    const timer = idle === null ? setTimeout(start, 500) : null;
    return () => {
      if (idle !== null) cancelIdleCallback(idle);
      if (timer !== null) clearTimeout(timer);
      if (stop) stop();
      else keepProjection(db, meetingId, workspace)();
    };
  }, [workspace, loaded, db, meetingId]);

  useEffect(() => {
    presence?.join(presenceUser(me || 'me', displayName(me)));
  }, [presence, me]);

  // The meeting's own facts go into the doc for the other person's app: once the local copy is
  // in, so what is already there is not written again on every open.
  useEffect(() => {
    if (!workspace || !meeting || !loaded) return;
    workspace.setMeta({
      title: meeting.title,
      start: meeting.start,
      end: meeting.end,
      participants: meeting.participants,
    });
  }, [workspace, meeting, loaded]);

  const token = identity?.idToken ?? null;
  const roomId = meeting?.roomId ?? '';
  const [feed] = useState(() => makeFeed());
  useEffect(() => feed.set(token), [feed, token]);

  useEffect(() => {
    // Only once the local copy is in: the first sync message then asks the server for what this
    // app lacks, not for the whole document again.
    if (!workspace || !presence || !meeting || !token || !loaded) return;
    let cancelled = false;
    let close: (() => void) | null = null;
    void (async () => {
      try {
        const server = await bridge.sync.serverInfo();
        if (cancelled) return;
        if (server.state !== 'running' || !server.url) {
          setProblem('The sync server is not running.');
          return;
        }
        let room = roomId;
        if (!room) {
          room = await requestRoom(server.url, token, meeting);
          if (cancelled) return;
          const stored = await db.meetings.findOne(meeting.id).exec();
          // The live query then hands the page the meeting with its room, which reruns this effect.
          await stored?.incrementalPatch({ roomId: room, updatedAt: Date.now() });
          return;
        }
        const conn = openMeetingConnection({
          doc: workspace.doc,
          serverUrl: server.url,
          roomId: room,
          tokens: feed,
          awareness: presence.awareness,
          // Each page has its own connection through the server; the cross-tab channel would
          // only encode the whole document once more on every open.
          disableBc: true,
        });
        setProblem('');
        setConnection(conn.state());
        const off = conn.onState(setConnection);
        close = () => {
          off();
          conn.destroy();
          setConnection('offline');
        };
        if (cancelled) close();
      } catch (error) {
        if (!cancelled) setProblem(error instanceof Error ? error.message : String(error));
      }
    })();
    return () => {
      cancelled = true;
      close?.();
    };
    // The token is read through `feed`, so a refresh does not reconnect; signing in/out does.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [workspace, presence, meeting?.id, roomId, token === null, loaded, bridge, db, feed]);

  // The first pass's plain notes move into the rich notes once this app has all the server has
  // (live), or at once for a meeting never shared; never while catching up, so the two apps do
  // not both import them.
  const live = connection === 'live' && !!token;
  useEffect(() => {
    if (workspace && loaded && (live || !roomId)) workspace.importPlainNotes();
  }, [workspace, loaded, live, roomId]);

  const signedIn = !!workspace && !!token;
  return {
    held,
    workspace,
    presence,
    loaded,
    connection: signedIn ? connection : 'offline',
    problem: identity === null ? 'Sign in to share this meeting.' : signedIn ? problem : '',
  };
}

/** 'maya.chen@x' → 'Maya Chen': the identity carries an email only. */
export function displayName(email: string): string {
  const local = email.split('@')[0] ?? '';
  const words = local.split(/[._-]+/).filter(Boolean);
  return words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join(' ') || email;
}

function makeFeed(): TokenFeed & { set(token: string | null): void } {
  let token: string | null = null;
  const subs = new Set<(t: string | null) => void>();
  return {
    current: () => token,
    subscribe: (cb) => {
      subs.add(cb);
      return () => subs.delete(cb);
    },
    set(t) {
      if (t === token) return;
      token = t;
      for (const s of subs) s(t);
    },
  };
}
