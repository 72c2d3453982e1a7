// Malformed and hostile traffic closes the offending connection only; limits hold.
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncServerHandle } from '../../../sync-server';
import { call, closeCodeOf, connect, createRoom, rawSocket, waitFor, type Client } from './support/harness';
import { startServerWithTokens, startTrustingServer, stopAll } from './support/server-suite';
import type { ClosableTokenSource } from './support/token-source';

const ALICE = 'alice@example.com';
const BOB = 'bob@example.com';

let tokens: ClosableTokenSource;
let server: SyncServerHandle;
const clients: Client[] = [];

beforeAll(async () => {
  ({ tokens, server } = await startServerWithTokens({
    limits: {
      maxMessageBytes: 64 * 1024,
      handshakesPerIpBurst: 100_000,
      handshakesPerUserBurst: 100_000,
      maxConnectionsPerUser: 1000,
    },
  }));
});
afterAll(() => stopAll({ clients, server, tokens }));

// Deterministic pseudo-random bytes, so a failure can be replayed.
let seed = 42;
const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
const bytes = (n: number) => Uint8Array.from({ length: n }, () => Math.floor(rand() * 256));
const frame = (write: (e: encoding.Encoder) => void) => {
  const e = encoding.createEncoder();
  write(e);
  return encoding.toUint8Array(e);
};

/** An awareness message: entries of [clientID, clock, JSON state]. */
const awarenessFrame = (entries: Array<[number, number, string]>) =>
  frame((e) => {
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint8Array(
      e,
      frame((a) => {
        encoding.writeVarUint(a, entries.length);
        for (const [id, clock, state] of entries) {
          encoding.writeVarUint(a, id);
          encoding.writeVarUint(a, clock);
          encoding.writeVarString(a, state);
        }
      }),
    );
  });

/** Frames the y-websocket protocol cannot accept, each a different way to be wrong. */
const malformed: Array<() => Uint8Array | string> = [
  () => new Uint8Array(0), // empty
  () => Uint8Array.of(4 + Math.floor(rand() * 200), ...bytes(8)), // unknown message type
  () => Uint8Array.of(0), // sync without a step
  () => Uint8Array.of(0, 7, 1, 0), // unknown sync step
  () =>
    frame(
      (e) => (
        encoding.writeVarUint(e, 0),
        encoding.writeVarUint(e, 2),
        encoding.writeVarUint(e, 1_000_000),
        encoding.writeUint8Array(e, bytes(10))
      ),
    ), // truncated update
  () =>
    frame(
      (e) => (
        encoding.writeVarUint(e, 0),
        encoding.writeVarUint(e, 0),
        encoding.writeVarUint(e, 5000),
        encoding.writeUint8Array(e, bytes(3))
      ),
    ), // truncated state vector
  () => awarenessFrame([[77, 1, '{not json']]),
  () => frame((e) => (encoding.writeVarUint(e, 1), encoding.writeVarUint(e, 900))), // awareness length past the end
  () =>
    frame(
      (e) => (
        encoding.writeVarUint(e, 2),
        encoding.writeVarUint(e, 0),
        encoding.writeVarString(e, 'fake auth')
      ),
    ), // auth from a client
  () => Uint8Array.of(0, 2, 0, 0xff, 0xff), // trailing bytes after an empty update
  () => 'a text frame',
];

async function hostileConnection(url: string, payload: Uint8Array | string): Promise<number> {
  const ws = await rawSocket(url);
  ws.on('error', () => undefined);
  const closed = closeCodeOf(ws);
  ws.send(payload, { binary: typeof payload !== 'string' });
  return closed;
}

describe('hostile traffic', () => {
  it('survives a thousand malformed frames while two members keep syncing', { timeout: 60_000 }, async () => {
    const roomId = await createRoom(
      server.httpUrl,
      await tokens.token(ALICE),
      [ALICE, BOB],
      'hostile@google.com',
    );
    const alice = connect(server.url, roomId, await tokens.token(ALICE));
    const bob = connect(server.url, roomId, await tokens.token(BOB));
    clients.push(alice, bob);
    await Promise.all([alice.synced(), bob.synced()]);
    alice.text.insert(0, '|'); // bob writes before it, alice after it
    await waitFor(() => bob.text.toString() === '|', 'separator');
    // The attacker is a member (a stolen session): the frames reach the room logic itself.
    const hostileUrl = `${server.url}/${roomId}?token=${await tokens.token(BOB)}`;

    const codes: number[] = [];
    let round = 0;
    for (let sent = 0; sent < 1000; sent += 50) {
      const batch = Array.from({ length: 50 }, (_, i) =>
        hostileConnection(hostileUrl, malformed[(sent + i) % malformed.length]!()),
      );
      codes.push(...(await Promise.all(batch)));
      // the members edit between waves and must keep converging
      alice.text.insert(alice.text.length, `a${round}.`);
      bob.text.insert(0, `b${round}.`);
      round++;
    }
    expect(codes).toHaveLength(1000);
    expect(new Set(codes)).toEqual(new Set([1007, 1003]));
    await waitFor(
      () =>
        alice.text.toString() === bob.text.toString() &&
        alice.text.toString().includes(`a${round - 1}.`) &&
        alice.text.toString().includes(`b${round - 1}.`),
      'members converged',
    );
    const health = await call(server.httpUrl, 'GET', '/healthz');
    expect((health.body as { malformedFrames: number }).malformedFrames).toBeGreaterThanOrEqual(
      1000 - Math.ceil(1000 / malformed.length),
    );
    // and the document holds nothing but the members' edits
    expect(alice.text.toString()).toMatch(/^(b\d+\.)+\|(a\d+\.)+$/);
  });

  it('closes a frame larger than the limit with 1009 and keeps serving', async () => {
    const roomId = await createRoom(server.httpUrl, await tokens.token(ALICE), [ALICE, BOB]);
    const code = await hostileConnection(
      `${server.url}/${roomId}?token=${await tokens.token(ALICE)}`,
      Uint8Array.of(0, 2, ...bytes(70 * 1024)),
    );
    expect(code).toBe(1009);
    const c = connect(server.url, roomId, await tokens.token(ALICE));
    clients.push(c);
    await c.synced();
  });

  it('garbage Yjs updates never reach the other member as garbage', async () => {
    const roomId = await createRoom(server.httpUrl, await tokens.token(ALICE), [ALICE, BOB]);
    const alice = connect(server.url, roomId, await tokens.token(ALICE));
    clients.push(alice);
    await alice.synced();
    let aliceErrors = 0;
    // y-websocket throws inside onmessage on a bad update; count them instead of crashing.
    const origin = alice.provider.messageHandlers[0]!;
    alice.provider.messageHandlers[0] = (...args) => {
      try {
        origin(...args);
      } catch {
        aliceErrors++;
      }
    };
    for (let i = 0; i < 100; i++) {
      const ws = await rawSocket(`${server.url}/${roomId}?token=${await tokens.token(BOB)}`);
      ws.on('error', () => undefined);
      ws.send(
        frame(
          (e) => (
            encoding.writeVarUint(e, 0),
            encoding.writeVarUint(e, 2),
            encoding.writeVarUint8Array(e, bytes(1 + Math.floor(rand() * 60)))
          ),
        ),
      );
      ws.close();
      await closeCodeOf(ws);
    }
    alice.text.insert(0, 'still fine');
    const bob = connect(server.url, roomId, await tokens.token(BOB));
    clients.push(bob);
    await bob.synced();
    await waitFor(() => bob.text.toString() === 'still fine', 'bob sees a clean doc');
    expect(aliceErrors).toBe(0);
  });

  it("does not let one member overwrite the other member's awareness", async () => {
    const roomId = await createRoom(server.httpUrl, await tokens.token(ALICE), [ALICE, BOB]);
    const alice = connect(server.url, roomId, await tokens.token(ALICE));
    const watcher = connect(server.url, roomId, await tokens.token(ALICE)); // Alice's second device
    clients.push(alice, watcher);
    await Promise.all([alice.synced(), watcher.synced()]);
    alice.provider.awareness.setLocalStateField('user', { name: 'Alice' });
    const aliceName = () =>
      (
        watcher.provider.awareness.getStates().get(alice.doc.clientID) as
          { user?: { name: string } } | undefined
      )?.user?.name;
    await waitFor(() => aliceName() === 'Alice', 'watcher sees alice');
    const bob = await rawSocket(`${server.url}/${roomId}?token=${await tokens.token(BOB)}`);
    bob.on('error', () => undefined);
    bob.send(awarenessFrame([[alice.doc.clientID, 10_000, '{"user":{"name":"Mallory"}}']]));
    // Bob's own, legitimate awareness does go through: proof the spoof had its chance.
    bob.send(awarenessFrame([[4242, 1, '{"user":{"name":"Bob"}}']]));
    await waitFor(() => watcher.provider.awareness.getStates().has(4242), "bob's awareness");
    expect(aliceName()).toBe('Alice');
    bob.close();
  });
});

describe('limits', () => {
  let strict: SyncServerHandle;
  beforeAll(async () => {
    strict = await startTrustingServer(tokens, {
      limits: {
        maxConnectionsPerUser: 2,
        handshakesPerUserBurst: 4,
        handshakesPerUserPerSecond: 0.01,
        handshakesPerIpBurst: 12,
        handshakesPerIpPerSecond: 0.01,
      },
    });
  });
  afterAll(() => strict?.close());

  it('caps connections per user, then handshakes per user, then handshakes per IP', async () => {
    const roomId = await createRoom(strict.httpUrl, await tokens.token(ALICE), [ALICE, BOB]);
    const url = async (who: string) => `${strict.url}/${roomId}?token=${await tokens.token(who)}`;
    const open = [await rawSocket(await url(ALICE)), await rawSocket(await url(ALICE))];
    // third concurrent connection: over maxConnectionsPerUser
    expect(await closeCodeOf(await rawSocket(await url(ALICE)))).toBe(1013);
    for (const ws of open) ws.close();
    await Promise.all(open.map(closeCodeOf));
    // 4th handshake of the burst is allowed, the 5th is over the per-user rate
    const fourth = await rawSocket(await url(ALICE));
    fourth.close();
    expect(await closeCodeOf(await rawSocket(await url(ALICE)))).toBe(1013);
    // Bob is unaffected by Alice's limits...
    const bobSocket = await rawSocket(await url(BOB));
    bobSocket.close();
    // ...until the IP runs out of handshakes: then the upgrade itself is answered 429.
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      statuses.push(
        await new Promise<number>((resolve) => {
          const ws = new WebSocket(`${strict.url}/${roomId}?token=x`);
          ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
          ws.on('close', (code) => resolve(code));
          ws.on('error', () => undefined);
        }),
      );
    }
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(statuses.slice(statuses.indexOf(429)).every((s) => s === 429)).toBe(true);
  });
});
