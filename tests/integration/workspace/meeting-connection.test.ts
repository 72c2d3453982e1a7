// Two meeting connections (the renderer's code, in Node) against a real sync server that trusts the
// sandbox's ID tokens: room ids from POST /rooms agree for both participants, edits converge,
// a refused (expired) token is replaced by a refreshed one, and signing out goes offline.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import type { SyncServerHandle } from '../../../sync-server';
import { MeetingWorkspace } from '../../../src-shared/workspace/meeting-doc';
import {
  openMeetingConnection,
  type ConnectionState,
  type MeetingConnection,
  type TokenFeed,
} from '../../../src-shared/workspace/meeting-connection';
import { Presence, presenceUser } from '../../../src-shared/workspace/presence';
import { RoomRequestError, httpUrlOf, requestRoom } from '../../../src-shared/workspace/rooms-client';
import { waitFor } from '../sync-server/support/harness';
import { startServerWithTokens, stopAll } from '../sync-server/support/server-suite';
import type { ClosableTokenSource } from '../sync-server/support/token-source';

process.setMaxListeners(100);

const MANAGER = 'manager@example.com';
const REPORT = 'report@example.com';
const PARTICIPANTS = [MANAGER, REPORT];

let tokens: ClosableTokenSource;
let server: SyncServerHandle;
const open: MeetingConnection[] = [];

beforeAll(async () => {
  ({ tokens, server } = await startServerWithTokens());
});
afterAll(async () => {
  for (const c of open) c.destroy();
  await stopAll({ server, tokens });
});

/** A token feed the test drives, as main's `accounts.identity` events drive the renderer's. */
function feed(initial: string | null): TokenFeed & { set(token: string | null): void } {
  let token = initial;
  const subs = new Set<(t: string | null) => void>();
  return {
    current: () => token,
    subscribe: (cb) => (subs.add(cb), () => subs.delete(cb)),
    set(t) {
      token = t;
      for (const s of subs) s(t);
    },
  };
}

function connectAs(
  roomId: string,
  tokenFeed: TokenFeed,
  presence?: (doc: Y.Doc) => Presence,
): { ws: MeetingWorkspace; conn: MeetingConnection; states: ConnectionState[]; presence?: Presence } {
  const doc = new Y.Doc();
  const p = presence?.(doc);
  const conn = openMeetingConnection({
    doc,
    serverUrl: server.url,
    roomId,
    tokens: tokenFeed,
    ...(p ? { awareness: p.awareness } : {}),
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: 200,
  });
  open.push(conn);
  const states: ConnectionState[] = [];
  conn.onState((s) => states.push(s));
  return { ws: new MeetingWorkspace(doc, '?'), conn, states, ...(p ? { presence: p } : {}) };
}

describe('meeting rooms', () => {
  it('gives both participants the same room for one occurrence and different rooms for others', async () => {
    const [mt, rt] = await Promise.all([tokens.token(MANAGER), tokens.token(REPORT)]);
    const link = {
      provider: 'google' as const,
      accountId: 'a',
      calendarId: 'primary',
      eventId: 'e',
      iCalUID: 'series-uid@example.com',
      recurringEventId: 'm',
      originalStart: Date.UTC(2026, 11, 3, 15),
      instanceStart: 0,
      etag: '',
      managedByApp: false,
    };
    const one = await requestRoom(server.url, mt, { participants: PARTICIPANTS, calendarLink: link });
    const same = await requestRoom(server.url, rt, {
      participants: PARTICIPANTS,
      calendarLink: { ...link, eventId: 'other-side-id' },
    });
    const next = await requestRoom(server.url, mt, {
      participants: PARTICIPANTS,
      calendarLink: { ...link, originalStart: link.originalStart + 7 * 86_400_000 },
    });
    const appA = await requestRoom(server.url, mt, { participants: PARTICIPANTS });
    const appB = await requestRoom(server.url, mt, { participants: PARTICIPANTS });
    expect(same).toBe(one);
    expect(new Set([one, next, appA, appB]).size).toBe(4);
  });

  it('reports refusals clearly', async () => {
    await expect(
      requestRoom(server.url, 'not-a-token', { participants: PARTICIPANTS }),
    ).rejects.toMatchObject({ status: 401 });
    const mt = await tokens.token(MANAGER);
    await expect(
      requestRoom(server.url, mt, { participants: [REPORT, 'other@example.com'] }),
    ).rejects.toBeInstanceOf(RoomRequestError);
    await expect(requestRoom(server.url, mt, { participants: [MANAGER] })).rejects.toThrow(
      /two participants/,
    );
    expect(() => httpUrlOf('ftp://x')).toThrow(RoomRequestError);
    expect(httpUrlOf('wss://sync.example/')).toBe('https://sync.example');
  });
});

describe('two meeting connections', () => {
  it('converge through the server, and say live', async () => {
    const [mt, rt] = await Promise.all([tokens.token(MANAGER), tokens.token(REPORT)]);
    const roomId = await requestRoom(server.url, mt, { participants: PARTICIPANTS });
    const m = connectAs(roomId, feed(mt));
    const r = connectAs(roomId, feed(rt));
    const manager = new MeetingWorkspace(m.ws.doc, MANAGER);
    const report = new MeetingWorkspace(r.ws.doc, REPORT);
    manager.setMeta({ title: 'Weekly', start: 1, end: 2, participants: PARTICIPANTS });
    const topic = manager.add('topics', 'Promotion case');
    // The report's app knows the participants only once the meta has arrived.
    await waitFor(() => report.meta().participants.length === 2, 'meta');
    report.add('items', 'Draft the doc', { assignee: REPORT });
    report.notes.insert(0, 'typed by report');
    await waitFor(
      () =>
        report.topics().length === 1 &&
        manager.items().length === 1 &&
        manager.notes.toString() === 'typed by report',
      'convergence',
    );
    expect(report.meta().title).toBe('Weekly');
    expect(report.canDelete('topics', topic)).toBe(false);
    await waitFor(() => m.conn.state() === 'live' && r.conn.state() === 'live', 'live');
    expect(m.states).toContain('live');
  });

  it('goes offline on sign-out, and reconnects with a refreshed token after a refusal', async () => {
    const mt = await tokens.token(MANAGER);
    const roomId = await requestRoom(server.url, mt, { participants: PARTICIPANTS });
    const expired = await tokens.tokenWith(MANAGER, { expiresInSeconds: -3600 });
    const mine = feed(expired);
    const m = connectAs(roomId, mine);
    const refused = await new Promise<{ code: number }>((resolve) => m.conn.provider.on('closed', resolve));
    expect(refused.code).toBe(4401);
    expect(m.conn.state()).toBe('offline');
    const manager = new MeetingWorkspace(m.ws.doc, MANAGER);
    manager.add('topics', 'Written while refused');

    mine.set(await tokens.token(MANAGER));
    await waitFor(() => m.conn.state() === 'live', 'live after refresh');

    const rt = await tokens.token(REPORT);
    const r = connectAs(roomId, feed(rt));
    const report = new MeetingWorkspace(r.ws.doc, REPORT);
    await waitFor(() => report.topics().length === 1, 'the edit made while refused');

    mine.set(null);
    await waitFor(() => m.conn.state() === 'offline', 'offline after sign-out');
    manager.add('topics', 'Written signed out');
    await new Promise((res) => setTimeout(res, 300));
    expect(report.topics()).toHaveLength(1);
  });

  it('carry presence: who is here and where they type, gone when the other goes offline', async () => {
    const [mt, rt] = await Promise.all([tokens.token(MANAGER), tokens.token(REPORT)]);
    const roomId = await requestRoom(server.url, mt, { participants: PARTICIPANTS });
    const m = connectAs(roomId, feed(mt), (doc) => new Presence(doc, presenceUser(MANAGER, 'Maya')));
    const reportFeed = feed(rt);
    const r = connectAs(roomId, reportFeed, (doc) => new Presence(doc, presenceUser(REPORT, 'Rae')));
    await waitFor(() => m.presence!.peers().length === 1 && r.presence!.peers().length === 1, 'both present');
    expect(m.presence!.peers()[0]).toMatchObject({ name: 'Rae', email: REPORT, where: null });
    r.presence!.setWhere('Shared notes');
    await waitFor(() => m.presence!.peers()[0]?.where === 'Shared notes', 'where the report types');
    reportFeed.set(null);
    await waitFor(() => m.presence!.peers().length === 0, 'the report left');
    m.presence!.destroy();
    r.presence!.destroy();
  });
});

describe('a destroyed connection', () => {
  it('leaves nothing running: the process exits by itself', () => {
    const script = fileURLToPath(new URL('./fixtures/open-and-destroy.ts', import.meta.url));
    const run = spawnSync(process.execPath, ['--import', 'tsx', script], { timeout: 10_000 });
    expect(run.error).toBeUndefined();
    expect(run.status).toBe(0);
  });
});
