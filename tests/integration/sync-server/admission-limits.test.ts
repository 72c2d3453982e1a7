// Issue 12, items 5 and 6, and the operator's view: idle connections from one address, room
// spam, and /healthz showing budgets (counts) without naming rooms or users. Everything over
// real TCP, WebSocket and HTTP. The abuse harness (tests/abuse) runs item 5 at full scale.
import { connect as tcpConnect, type Socket } from 'node:net';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, type SyncServerHandle } from '../../../sync-server';
import { call, createRoom, waitFor } from './support/harness';
import { startServerWithTokens, startTrustingServer, stopAll } from './support/server-suite';
import type { ClosableTokenSource } from './support/token-source';

const ALICE = 'alice@example.com';
const BOB = 'bob@example.com';

let tokens: ClosableTokenSource;
let server: SyncServerHandle;

beforeAll(async () => {
  ({ tokens, server } = await startServerWithTokens({
    limits: { maxConnectionsPerIp: 40, headersTimeoutMs: 1000, requestTimeoutMs: 2000 },
  }));
});
afterAll(() => stopAll({ server, tokens }));

/** A WebSocket that connects from another loopback address (another "client machine"). */
function fromAddress(localAddress: string) {
  return class extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { localAddress });
    }
  };
}

function idleSocket(url: string, send?: string): Promise<{ socket: Socket; closed: Promise<number> }> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const socket = tcpConnect({ host: u.hostname, port: Number(u.port) });
    const started = Date.now();
    const closed = new Promise<number>((r) => socket.once('close', () => r(Date.now() - started)));
    socket.on('error', () => undefined);
    socket.once('connect', () => {
      if (send) socket.write(send);
      resolve({ socket, closed });
    });
  });
}

describe('item 5: idle connections', () => {
  it('caps connections per address, serves another address at once, and closes the idle ones', async () => {
    // prepared before the flood: the flood's address is the test's own
    const roomId = await createRoom(server.httpUrl, await tokens.token(ALICE), [ALICE, BOB]);
    const bobToken = await tokens.token(BOB);
    const flood = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        idleSocket(
          server.url,
          // a third say nothing, a third start a request, a third start an upgrade
          i % 3 === 0
            ? undefined
            : i % 3 === 1
              ? 'GET /healthz HTTP/1.1\r\nHost: x\r\n'
              : 'GET /x HTTP/1.1\r\nUpgrade: websocket\r\n',
        ),
      ),
    );
    // over the cap: closed at once
    const refused = await Promise.race([
      Promise.all(flood.slice(40).map((s) => s.closed)),
      new Promise<null>((r) => setTimeout(() => r(null), 1000)),
    ]);
    expect(refused).not.toBeNull();

    // Meanwhile a user from another address connects and syncs within 2 s.
    const started = Date.now();
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(server.url, roomId, doc, {
      WebSocketPolyfill: fromAddress('127.0.0.2') as unknown as typeof globalThis.WebSocket,
      params: { token: bobToken },
      disableBc: true,
    });
    try {
      await waitFor(() => provider.synced, 'the other address to sync', 2000);
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      provider.destroy();
    }

    // and every idle or unfinished connection is closed (headersTimeoutMs = 1 s here)
    const lifetimes = await Promise.all(flood.slice(0, 40).map((s) => s.closed));
    expect(Math.max(...lifetimes)).toBeLessThan(4000);
  });
});

describe('item 6: room spam', () => {
  let strict: SyncServerHandle;
  beforeAll(async () => {
    strict = await startTrustingServer(tokens, {
      limits: { maxRoomsPerUser: 5, roomCreationsPerUserBurst: 1000 },
    });
  });
  afterAll(() => strict?.close());

  const create = async (who: string, other: string, iCalUID?: string) =>
    call(strict.httpUrl, 'POST', '/rooms', {
      token: await tokens.token(who),
      body: { participants: [who, other], ...(iCalUID ? { iCalUID } : {}) },
    });

  it('holds the per-user cap exactly under 20 concurrent creations', async () => {
    const token = await tokens.token('mallory@example.com');
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        call(strict.httpUrl, 'POST', '/rooms', {
          token,
          body: { participants: ['mallory@example.com', i % 2 ? ALICE : `victim${i}@example.com`] },
        }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(5);
    expect(results.filter((r) => r.status === 429)).toHaveLength(15);
    const listed = await call(strict.httpUrl, 'GET', '/rooms', { token });
    expect((listed.body as { rooms: unknown[] }).rooms).toHaveLength(5);
  });

  it('counts rooms against their creator only: naming Alice does not use her quota', async () => {
    // mallory's rooms above name Alice; Alice still creates her own five
    for (let i = 0; i < 5; i++) expect((await create(ALICE, `report${i}@example.com`)).status).toBe(201);
    expect((await create(ALICE, 'one-too-many@example.com')).status).toBe(429);
  });

  it('rate-limits creations per user with a burst, and never limits opening an existing room', async () => {
    const limited = await startTrustingServer(tokens, {
      limits: { roomCreationsPerUserBurst: 3, roomCreationsPerUserPerSecond: 0.01 },
    });
    try {
      const post = async (iCalUID: string) =>
        call(limited.httpUrl, 'POST', '/rooms', {
          token: await tokens.token('carol@example.com'),
          body: { participants: ['carol@example.com', 'dan@example.com'], iCalUID },
        });
      for (const uid of ['a', 'b', 'c']) expect((await post(uid)).status).toBe(201);
      const fourth = await post('d');
      expect(fourth.status).toBe(429);
      expect(Number(fourth.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await post('a')).status).toBe(200); // the room exists: no creation, no limit
    } finally {
      await limited.close();
    }
  });

  it('has a default burst that fits a first import (30 reports, three years of weekly 1:1s)', () => {
    expect(DEFAULT_LIMITS.roomCreationsPerUserBurst).toBeGreaterThanOrEqual(30 * 52 * 3);
    expect(DEFAULT_LIMITS.maxRoomsPerUser).toBeGreaterThanOrEqual(DEFAULT_LIMITS.roomCreationsPerUserBurst);
  });
});

describe('/healthz for an operator', () => {
  it('shows every budget and its use as counts, and no room id or user', async () => {
    const roomId = await createRoom(server.httpUrl, await tokens.token(ALICE), [ALICE, BOB]);
    const res = await call(server.httpUrl, 'GET', '/healthz');
    expect(res.status).toBe(200);
    const body = res.body as { limits: Record<string, number>; usage: Record<string, unknown> };
    expect(Object.keys(body.limits).sort()).toEqual(Object.keys(DEFAULT_LIMITS).sort());
    expect(body.limits.maxConnectionsPerIp).toBe(40);
    expect(body.usage).toHaveProperty('awarenessBytes.usedBytes');
    expect(body.usage).toHaveProperty('sendBufferBytes.usedBytes');
    expect(body.usage).toHaveProperty('connectionsPerIp.busiestAddressConnections');
    expect(res.text).not.toContain(roomId);
    expect(res.text).not.toMatch(/@|127\.0\.0\.1/);
  });
});
