// Opens one meeting's shared Y.Doc for the meeting page (docs/architecture.md §5): the local copy
// first (y-indexeddb, keyed by meeting id, so it opens offline and before any room exists), then
// the sync server once there is a signed-in identity and a room. A calendar meeting's room comes
// from POST /rooms and is stored on the meeting.
import { useEffect, useMemo, useReducer, useState } from 'react';
import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import type { DuetApi, Identity } from '../../../../src-shared/bridge/contract';
import type { MeetingDoc } from '../../../../src-shared/meeting/model';
import { MeetingWorkspace } from '../../../../src-shared/workspace/meeting-doc';
import {
  openMeetingConnection,
  type ConnectionState,
  type TokenFeed,
} from '../../../../src-shared/workspace/meeting-connection';
import { requestRoom } from '../../../../src-shared/workspace/rooms-client';
import type { DuetDatabase } from '../../db/database';

/** The signed-in identity, live from main's `accounts.identity` events. */
export function useIdentity(bridge: DuetApi): Identity | undefined {
  const [identity, setIdentity] = useState<Identity | undefined>(undefined);
  useEffect(() => {
    let live = true;
    const off = bridge.on('accounts.identity', (i) => setIdentity(i));
    bridge.accounts.identity().then(
      (i) => live && setIdentity((prev) => (prev === undefined ? i : prev)),
      () => live && setIdentity((prev) => (prev === undefined ? null : prev)),
    );
    return () => {
      live = false;
      off();
    };
  }, [bridge]);
  return identity;
}

export interface OpenWorkspace {
  workspace: MeetingWorkspace | null;
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

  // One doc per meeting shown (creating it has no side effects); its local copy and the page's
  // subscription are attached by the effect below and detached when the page leaves.
  const workspace = useMemo(
    () => (meetingId ? new MeetingWorkspace(new Y.Doc(), me) : null),
    [meetingId, me],
  );
  useEffect(() => {
    if (!workspace) return;
    const local =
      typeof indexedDB === 'undefined'
        ? null
        : new IndexeddbPersistence(`duet-meeting-${meetingId}`, workspace.doc);
    const off = workspace.observe(rerender);
    return () => {
      off();
      void local?.destroy();
    };
  }, [workspace, meetingId]);

  // The meeting's own facts go into the doc for the other person's app.
  useEffect(() => {
    if (!workspace || !meeting) return;
    workspace.setMeta({
      title: meeting.title,
      start: meeting.start,
      end: meeting.end,
      participants: meeting.participants,
    });
  }, [workspace, meeting]);

  const token = identity?.idToken ?? null;
  const roomId = meeting?.roomId ?? '';
  const [feed] = useState(() => makeFeed());
  useEffect(() => feed.set(token), [feed, token]);

  useEffect(() => {
    if (!workspace || !meeting || !token) return;
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
        });
        setProblem('');
        setConnection(conn.state());
        const off = conn.onState(setConnection);
        close = () => {
          off();
          conn.destroy();
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
  }, [workspace, meeting?.id, roomId, token === null, bridge, db, feed]);

  const signedIn = !!workspace && !!token;
  return {
    workspace,
    connection: signedIn ? connection : 'offline',
    problem: identity === null ? 'Sign in to share this meeting.' : signedIn ? problem : '',
  };
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
