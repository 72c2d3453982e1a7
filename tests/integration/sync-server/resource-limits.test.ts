// Issue 12, items 1-4: what one connected user can make the server hold or compute. Attackers
// speak raw y-websocket frames over a bare TCP socket (support/raw-ws.ts); the people they try
// to disturb use the real y-websocket provider.
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncServerHandle } from '../../../sync-server';
import { connect, createRoom, waitFor, type Client } from './support/harness';
import { openRawWs, stateVector, yFrames, type RawWs } from './support/raw-ws';
import { startServerWithTokens, startTrustingServer, stopAll } from './support/server-suite';
import type { ClosableTokenSource } from './support/token-source';

const ALICE = 'alice@example.com';
const BOB = 'bob@example.com';
const RELAXED = {
  handshakesPerIpBurst: 100_000,
  handshakesPerUserBurst: 100_000,
  maxConnectionsPerUser: 1000,
};

let tokens: ClosableTokenSource;
let server: SyncServerHandle;
const clients: Client[] = [];
const raws: RawWs[] = [];

beforeAll(async () => {
  ({ tokens, server } = await startServerWithTokens({ limits: RELAXED }));
});
afterAll(async () => {
  for (const r of raws) r.destroy();
  await stopAll({ clients, server, tokens });
});

async function room(s: SyncServerHandle = server, a = ALICE, b = BOB): Promise<string> {
  return createRoom(s.httpUrl, await tokens.token(a), [a, b]);
}
async function client(roomId: string, who: string, s: SyncServerHandle = server): Promise<Client> {
  const c = connect(s.url, roomId, await tokens.token(who));
  clients.push(c);
  await c.synced();
  return c;
}
async function raw(roomId: string, who: string, s: SyncServerHandle = server): Promise<RawWs> {
  const r = await openRawWs(s.url, `/${roomId}?token=${await tokens.token(who)}`);
  raws.push(r);
  return r;
}
const closed = (r: RawWs) => waitFor(() => r.closeCode, 'the server to close the attacker');
const stateOf = (bytes: number) => JSON.stringify({ user: { name: 'x'.repeat(bytes - 21) } });
/** Distinct awareness client ids per test, so no two tests touch the same one. */
let nextId = 1_000_000;

describe('item 1: awareness memory', () => {
  it('closes a connection that publishes a state over 8 KB with 1009; the other member sees nothing', async () => {
    const roomId = await room();
    const alice = await client(roomId, ALICE);
    const bob = await raw(roomId, BOB);
    const id = nextId++;
    bob.sendAll([yFrames.awareness([[id, 1, stateOf(9 * 1024)]])]);
    expect(await closed(bob)).toBe(1009);
    expect(bob.closeReason).toMatch(/awareness state too large/);
    // a normal state from a new connection still goes through, and Alice was never disturbed
    const bob2 = await raw(roomId, BOB);
    bob2.sendAll([yFrames.awareness([[id + 1, 1, stateOf(300)]])]);
    await waitFor(() => alice.provider.awareness.getStates().has(id + 1), 'a normal state');
    expect(alice.provider.awareness.getStates().has(id)).toBe(false);
    expect(alice.closeCodes).toEqual([]);
  });

  it('closes a connection over its awareness byte budget with 1008', async () => {
    const roomId = await room();
    const bob = await raw(roomId, BOB);
    const base = nextId;
    nextId += 20;
    // ten 7 KB states: each under the cap, together over the 64 KB per connection
    bob.sendAll(Array.from({ length: 10 }, (_, i) => yFrames.awareness([[base + i, 1, stateOf(7 * 1024)]])));
    expect(await closed(bob)).toBe(1008);
    expect(bob.closeReason).toMatch(/awareness budget exceeded \(connection\)/);
  });

  describe('per user and per process', () => {
    let strict: SyncServerHandle;
    beforeAll(async () => {
      strict = await startTrustingServer(tokens, {
        limits: { ...RELAXED, awarenessBytesPerUser: 150 * 1024, awarenessBytesPerProcess: 200 * 1024 },
      });
    });
    afterAll(() => strict?.close());

    /** Opens a room with a made-up second participant and fills it with ~60 KB of awareness. */
    async function fill(user: string, n: number): Promise<RawWs> {
      const roomId = await room(strict, user, `made-up-${n}-${user}`);
      const r = await raw(roomId, user, strict);
      const base = nextId;
      nextId += 8;
      r.sendAll(Array.from({ length: 8 }, (_, i) => yFrames.awareness([[base + i, 1, stateOf(7 * 1024)]])));
      return r;
    }

    it('a user spreading states over many rooms is stopped at the user budget; others are not', async () => {
      const mallory = 'mallory@example.com';
      const first = [await fill(mallory, 1), await fill(mallory, 2)];
      const third = await fill(mallory, 3);
      expect(await closed(third)).toBe(1008);
      expect(third.closeReason).toMatch(/\(user\)/);
      await new Promise((r) => setTimeout(r, 100));
      expect(first.map((r) => r.closeCode)).toEqual([undefined, undefined]);
      // Carol, another user, still publishes her presence to Dan
      const roomId = await room(strict, 'carol@example.com', 'dan@example.com');
      const dan = await client(roomId, 'dan@example.com', strict);
      const carol = await client(roomId, 'carol@example.com', strict);
      carol.provider.awareness.setLocalStateField('user', { name: 'Carol' });
      await waitFor(() => dan.provider.awareness.getStates().has(carol.doc.clientID), 'carol’s presence');
      for (const r of first) r.destroy();
    });

    it('the process as a whole has a budget too', async () => {
      await waitFor(async () => {
        const health = (await (await fetch(`${strict.httpUrl}/healthz`)).json()) as {
          usage: { awarenessBytes: { usedBytes: number } };
        };
        return health.usage.awarenessBytes.usedBytes < 100 * 1024;
      }, 'the previous test’s states to be released');
      const held: RawWs[] = [];
      for (let i = 0; i < 5; i++) held.push(await fill(`user${i}@example.com`, i));
      await waitFor(
        () => held.some((r) => r.closeCode !== undefined),
        'one connection over the process budget',
      );
      const over = held.find((r) => r.closeCode !== undefined)!;
      expect(over.closeCode).toBe(1008);
      expect(over.closeReason).toMatch(/\(process\)/);
    });
  });
});

/** A document of about `bytes` in the room, written by a real client. */
async function bigRoom(bytes: number): Promise<{ roomId: string; alice: Client }> {
  const roomId = await room();
  const alice = await client(roomId, ALICE);
  alice.text.insert(0, 'y'.repeat(bytes));
  const check = await client(roomId, BOB);
  await waitFor(() => check.text.length === bytes, 'the document to be stored');
  check.destroy();
  return { roomId, alice };
}

const isStep2 = (m: Uint8Array) => m[0] === 0 && m[1] === 1;

describe('item 2: sync step-1 amplification', () => {
  it('answers repeated identical sync requests once', async () => {
    const { roomId } = await bigRoom(100_000);
    const bob = await raw(roomId, BOB);
    bob.sendAll(Array.from({ length: 50 }, () => yFrames.syncStep1(new Uint8Array([0]))));
    await waitFor(() => bob.messages.some(isStep2), 'the first answer');
    await new Promise((r) => setTimeout(r, 500));
    expect(bob.messages.filter(isStep2)).toHaveLength(1);
    expect(bob.closeCode).toBeUndefined();
  });

  it('answers requests that differ only in clients the document lacks once', async () => {
    const { roomId } = await bigRoom(100_000);
    const bob = await raw(roomId, BOB);
    // three distinct vectors (within the request burst), all asking for the whole document
    bob.sendAll([1, 2, 3].map((i) => yFrames.syncStep1(stateVector(777_000 + i, 5))));
    await waitFor(() => bob.messages.some(isStep2), 'the answer');
    await new Promise((r) => setTimeout(r, 500));
    expect(bob.messages.filter(isStep2)).toHaveLength(1);
    expect(bob.messages.find(isStep2)!.byteLength).toBeGreaterThan(100_000);
    expect(bob.closeCode).toBeUndefined();
  });

  it('a client that never reads cannot make the server queue a copy per request', async () => {
    const { roomId, alice } = await bigRoom(400_000);
    const bob = await raw(roomId, BOB);
    bob.pause();
    // a real edit first, so every answer waits for a write, then 500 distinct requests
    const other = new Y.Doc();
    other.getText('notes').insert(0, 'z');
    const frames = [yFrames.update(Y.encodeStateAsUpdate(other))];
    for (let i = 0; i < 500; i++) frames.push(yFrames.syncStep1(stateVector(999_000 + i, 1)));
    const before = process.memoryUsage().arrayBuffers;
    bob.sendAll(frames);
    await new Promise((r) => setTimeout(r, 300));
    const growth = process.memoryUsage().arrayBuffers - before;
    // 500 answers of 400 KB would be 200 MB; the request burst is 4 MB. The margin is for
    // garbage not yet collected (the test's own clients share this process).
    expect(growth).toBeLessThan(64 * 1024 * 1024);
    bob.resume();
    expect(await closed(bob)).toBe(1008);
    expect(bob.closeReason).toMatch(/too many sync requests/);
    // the room is fine for its members
    const bob2 = await client(roomId, BOB);
    expect(bob2.text.length).toBeGreaterThanOrEqual(400_000);
    alice.text.insert(0, 'still here ');
    await waitFor(() => bob2.text.toString().startsWith('still here '), 'a later edit');
  });

  it('a user past its sync-reply budget waits; another user is answered at once', async () => {
    const strict = await startTrustingServer(tokens, {
      limits: { ...RELAXED, syncReplyBytesPerUserBurst: 100_000, syncReplyBytesPerUserPerSecond: 100_000 },
    });
    try {
      const roomId = await room(strict);
      const alice = await client(roomId, ALICE, strict);
      alice.text.insert(0, 'v'.repeat(300_000));
      await new Promise((r) => setTimeout(r, 300));
      const author = alice.doc.clientID;
      // Two requests that differ (so neither is answered from the other's copy), on two
      // connections: the first puts Bob ~200 KB into debt, the second waits about two seconds.
      const bob1 = await raw(roomId, BOB, strict);
      const bob2 = await raw(roomId, BOB, strict);
      const started = Date.now();
      bob1.sendAll([yFrames.syncStep1(stateVector(author, 1))]);
      bob2.sendAll([yFrames.syncStep1(stateVector(author, 2))]);
      await waitFor(() => bob1.messages.some(isStep2), 'Bob’s first answer');
      const firstAt = Date.now() - started;
      // meanwhile Alice, another user, asks too and is answered at once
      const aliceRaw = await raw(roomId, ALICE, strict);
      const asked = Date.now();
      aliceRaw.sendAll([yFrames.syncStep1(stateVector(author, 3))]);
      await waitFor(() => aliceRaw.messages.some(isStep2), 'Alice’s answer');
      expect(Date.now() - asked).toBeLessThan(1000);
      expect(bob2.messages.some(isStep2)).toBe(false);
      await waitFor(() => bob2.messages.some(isStep2), 'Bob’s second answer');
      expect(Date.now() - started - firstAt).toBeGreaterThanOrEqual(1200);
      expect([bob1.closeCode, bob2.closeCode, aliceRaw.closeCode]).toEqual([undefined, undefined, undefined]);
      const health = (await (await fetch(`${strict.httpUrl}/healthz`)).json()) as {
        usage: { syncReplies: { deferrals: number; jobsRun: number } };
      };
      expect(health.usage.syncReplies.deferrals).toBeGreaterThan(0);
    } finally {
      await strict.close();
    }
  });

  it('closes a connection whose replies exceed its send budget with 1013', async () => {
    const strict = await startTrustingServer(tokens, {
      limits: { ...RELAXED, maxSendBufferBytes: 128 * 1024 },
    });
    try {
      const roomId = await room(strict);
      const alice = await client(roomId, ALICE, strict);
      alice.text.insert(0, 'w'.repeat(200_000));
      await new Promise((r) => setTimeout(r, 300));
      const bob = await raw(roomId, BOB, strict);
      bob.pause();
      bob.sendAll([yFrames.syncStep1(new Uint8Array([0]))]);
      await new Promise((r) => setTimeout(r, 200));
      bob.resume();
      expect(await closed(bob)).toBe(1013);
    } finally {
      await strict.close();
    }
  });
});

describe('item 3: updates that can never apply', () => {
  it('closes the sender past the pending limit; the room stays usable and fast for the others', async () => {
    const roomId = await room();
    const alice = await client(roomId, ALICE);
    const bob = await client(roomId, BOB);
    // A document whose first update is withheld: every later one waits for it forever.
    const source = new Y.Doc();
    const updates: Uint8Array[] = [];
    source.on('update', (u: Uint8Array) => updates.push(u));
    for (let i = 0; i < 400; i++) source.getText('notes').insert(0, `${i}`.padEnd(1000, '.'));
    const attacker = await raw(roomId, BOB);
    attacker.sendAll(updates.slice(1).map((u) => yFrames.update(u)));
    expect(await closed(attacker)).toBe(1008);
    expect(attacker.closeReason).toMatch(/missing dependencies/);
    const started = Date.now();
    alice.text.insert(0, 'after the attack');
    await waitFor(() => bob.text.toString() === 'after the attack', 'alice’s edit reaching bob');
    expect(Date.now() - started).toBeLessThan(1000);
    // and nothing of the attacker's leaked into a newcomer's copy
    const late = await client(roomId, BOB);
    expect(late.text.toString()).toBe('after the attack');
  });
});

describe('item 4: awareness lock-out', () => {
  it('one member filling every slot is closed at its share; the other’s presence goes through', async () => {
    const roomId = await room();
    const aliceDevice = await client(roomId, ALICE);
    const mallory = await raw(roomId, ALICE); // Alice's account, misbehaving
    const base = nextId;
    nextId += 64;
    mallory.sendAll(
      Array.from({ length: 4 }, (_, f) =>
        yFrames.awareness(Array.from({ length: 16 }, (_, i) => [base + f * 16 + i, 1, '{}'] as const)),
      ),
    );
    expect(await closed(mallory)).toBe(1008);
    expect(mallory.closeReason).toMatch(/slots of this member/);
    const bob = await client(roomId, BOB);
    bob.provider.awareness.setLocalStateField('user', { name: 'Bob' });
    await waitFor(() => aliceDevice.provider.awareness.getStates().has(bob.doc.clientID), 'bob’s presence');
    expect(bob.closeCodes).toEqual([]);
  });

  it('a member cannot take over the other’s client id while it reconnects', async () => {
    const roomId = await room();
    const watcher = await client(roomId, ALICE);
    const bob = await client(roomId, BOB);
    bob.provider.awareness.setLocalStateField('user', { name: 'Bob' });
    const nameOf = () =>
      (
        watcher.provider.awareness.getStates().get(bob.doc.clientID) as
          { user?: { name?: string } } | undefined
      )?.user?.name;
    await waitFor(() => nameOf() === 'Bob', 'bob’s presence');
    bob.provider.disconnect();
    await waitFor(() => nameOf() === undefined, 'bob gone');
    const mallory = await raw(roomId, ALICE);
    const own = nextId++;
    mallory.sendAll([
      yFrames.awareness([[bob.doc.clientID, 1_000_000, '{"user":{"name":"Mallory"}}']]),
      yFrames.awareness([[own, 1, '{"user":{"name":"Alice"}}']]),
    ]);
    // her own state arrives, proof the squat before it was handled
    await waitFor(() => watcher.provider.awareness.getStates().has(own), 'mallory’s own state');
    bob.provider.connect();
    // Bob's clock must pass the removal the watcher saw when he left (y-protocols' rule), so he
    // renews his state until it shows; the squatter's clock of a million would win every time.
    let n = 0;
    await waitFor(
      () => {
        bob.provider.awareness.setLocalStateField('user', { name: `Bob ${++n}` });
        return nameOf()?.startsWith('Bob');
      },
      'bob’s presence after reconnecting',
      3000,
    );
  });
});
