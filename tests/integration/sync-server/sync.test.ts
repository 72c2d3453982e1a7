// Real y-websocket providers against the real server: membership, convergence, refusals,
// offline editing, awareness.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { SyncServerHandle } from '../../../sync-server';
import { connect, createRoom, waitFor, type Client } from './support/harness';
import { hs256WithIssuerKey, unsignedToken } from './support/forged-tokens';
import { startServerWithTokens, stopAll } from './support/server-suite';
import type { ClosableTokenSource } from './support/token-source';

const ALICE = 'alice@example.com';
const BOB = 'bob@example.com';
const MALLORY = 'mallory@example.com';

let tokens: ClosableTokenSource;
let server: SyncServerHandle;
const clients: Client[] = [];
const open = (...args: Parameters<typeof connect>) => {
  const client = connect(...args);
  clients.push(client);
  return client;
};

beforeAll(async () => {
  ({ tokens, server } = await startServerWithTokens());
});

afterAll(() => stopAll({ clients, server, tokens }));

describe('two-member rooms over y-websocket', () => {
  it('converges two members editing the same room', async () => {
    const roomId = await createRoom(
      server.httpUrl,
      await tokens.token(ALICE),
      [ALICE, BOB],
      'evt-converge@google.com',
    );
    const a = open(server.url, roomId, await tokens.token(ALICE));
    const b = open(server.url, roomId, await tokens.token(BOB));
    await Promise.all([a.synced(), b.synced()]);
    a.text.insert(0, 'agenda: ');
    b.text.insert(0, 'hello ');
    a.doc.getArray<string>('topics').push(['growth plan']);
    await waitFor(
      () => a.text.toString() === b.text.toString() && b.doc.getArray('topics').length === 1,
      'convergence',
    );
    expect(a.text.toString()).toContain('agenda: ');
    expect(a.text.toString()).toContain('hello ');
    expect(b.doc.getArray('topics').toJSON()).toEqual(['growth plan']);
  });

  it('refuses a third user with 4403 and the stock client stops retrying', async () => {
    const roomId = await createRoom(server.httpUrl, await tokens.token(ALICE), [ALICE, BOB]);
    const a = open(server.url, roomId, await tokens.token(ALICE));
    await a.synced();
    a.text.insert(0, 'private to alice and bob');
    const m = open(server.url, roomId, await tokens.token(MALLORY));
    const refused = await m.refused;
    expect(refused.code).toBe(4403);
    expect(m.provider.shouldConnect).toBe(false);
    await new Promise((r) => setTimeout(r, 500)); // a retrying client would have reconnected by now (200 ms backoff)
    expect(m.closeCodes).toEqual([4403]);
    expect(m.text.toString()).toBe('');
  });

  it('refuses an expired token and an unverified email with 4401', async () => {
    const roomId = await createRoom(server.httpUrl, await tokens.token(ALICE), [ALICE, BOB]);
    const expired = await tokens.tokenWith(ALICE, { expiresInSeconds: -3600 });
    const c = open(server.url, roomId, expired);
    const unverified = open(server.url, roomId, await tokens.tokenWith(ALICE, { emailVerified: false }));
    expect((await c.refused).code).toBe(4401);
    expect((await unverified.refused).code).toBe(4401);
    expect(c.text.toString()).toBe('');
  });

  it('refuses a token signed by a key the issuer never published with 4401', async () => {
    const roomId = await createRoom(server.httpUrl, await tokens.token(ALICE), [ALICE, BOB]);
    const a = open(server.url, roomId, await tokens.token(ALICE));
    await a.synced();
    a.text.insert(0, 'secret');
    const forged = open(server.url, roomId, await tokens.tokenWith(ALICE, { unpublishedKey: true }));
    expect((await forged.refused).code).toBe(4401);
    expect(forged.text.toString()).toBe('');
  });

  it('refuses alg "none" and HS256-with-the-issuer-public-key tokens', async () => {
    const roomId = await createRoom(server.httpUrl, await tokens.token(ALICE), [ALICE, BOB]);
    const none = open(server.url, roomId, unsignedToken(tokens, ALICE));
    const hs = open(server.url, roomId, await hs256WithIssuerKey(tokens, ALICE));
    expect((await none.refused).code).toBe(4401);
    expect((await hs.refused).code).toBe(4401);
  });

  it('merges offline edits from both sides after reconnecting', async () => {
    const roomId = await createRoom(
      server.httpUrl,
      await tokens.token(BOB),
      [ALICE, BOB],
      'evt-offline@google.com',
    );
    const a = open(server.url, roomId, await tokens.token(ALICE));
    const b = open(server.url, roomId, await tokens.token(BOB));
    await Promise.all([a.synced(), b.synced()]);
    a.text.insert(0, 'shared start. ');
    await waitFor(() => b.text.toString() === 'shared start. ', 'initial sync');

    a.provider.disconnect();
    b.provider.disconnect();
    a.text.insert(a.text.length, 'alice offline. ');
    b.text.insert(0, 'bob offline. ');
    b.doc.getArray<string>('actions').push(['send notes']);
    expect(a.text.toString()).not.toContain('bob offline');

    a.provider.connect();
    b.provider.connect();
    await waitFor(
      () => a.text.toString() === b.text.toString() && a.doc.getArray('actions').length === 1,
      'offline merge',
    );
    expect(a.text.toString()).toContain('alice offline. ');
    expect(a.text.toString()).toContain('bob offline. ');
    expect(a.text.toString()).toContain('shared start. ');
  });

  it('serves the stored document to a member who joins later', async () => {
    const roomId = await createRoom(server.httpUrl, await tokens.token(ALICE), [ALICE, BOB]);
    const a = open(server.url, roomId, await tokens.token(ALICE));
    await a.synced();
    a.text.insert(0, 'written before bob arrived');
    await new Promise((r) => setTimeout(r, 50));
    a.destroy();
    const b = open(server.url, roomId, await tokens.token(BOB));
    await b.synced();
    await waitFor(() => b.text.toString() === 'written before bob arrived', 'late join');
  });

  it('relays awareness between the two members and removes it when one leaves', async () => {
    const roomId = await createRoom(server.httpUrl, await tokens.token(ALICE), [ALICE, BOB]);
    const a = open(server.url, roomId, await tokens.token(ALICE));
    const b = open(server.url, roomId, await tokens.token(BOB));
    await Promise.all([a.synced(), b.synced()]);
    a.provider.awareness.setLocalStateField('user', { name: 'Alice' });
    await waitFor(
      () =>
        (b.provider.awareness.getStates().get(a.doc.clientID) as { user?: { name: string } } | undefined)
          ?.user?.name === 'Alice',
      'awareness',
    );
    a.provider.disconnect();
    await waitFor(() => !b.provider.awareness.getStates().has(a.doc.clientID), 'awareness removal');
  });

  it('gives the same calendar room id to both participants, in either order', async () => {
    const fromAlice = await createRoom(
      server.httpUrl,
      await tokens.token(ALICE),
      [ALICE, BOB],
      'same-event@google.com',
    );
    const fromBob = await createRoom(
      server.httpUrl,
      await tokens.token(BOB),
      ['Bob@Example.com', ALICE],
      'same-event@google.com',
    );
    expect(fromBob).toBe(fromAlice);
    const otherEvent = await createRoom(
      server.httpUrl,
      await tokens.token(BOB),
      [ALICE, BOB],
      'other-event@google.com',
    );
    expect(otherEvent).not.toBe(fromAlice);
  });

  it('does not let a doc created by one pair leak into another pair with the same event', async () => {
    const ours = await createRoom(
      server.httpUrl,
      await tokens.token(ALICE),
      [ALICE, BOB],
      'shared-uid@google.com',
    );
    const theirs = await createRoom(
      server.httpUrl,
      await tokens.token(MALLORY),
      [MALLORY, BOB],
      'shared-uid@google.com',
    );
    expect(theirs).not.toBe(ours);
    const doc = new Y.Doc();
    const m = open(server.url, ours, await tokens.token(MALLORY), { doc });
    expect((await m.refused).code).toBe(4403);
  });
});
