// The calendar webhook relay: Graph handshake and clientState, Google channel tokens,
// lifecycle notifications, forwarding to the owner's apps only, registration ownership.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncServerHandle } from '../../../sync-server';
import { call, closeCodeOf, waitFor } from './support/harness';
import { startTrustingServer } from './support/server-suite';
import { startTokenSource, type ClosableTokenSource } from './support/token-source';

const ALICE = 'alice@example.com';
const BOB = 'bob@example.com';

let tokens: ClosableTokenSource;
let server: SyncServerHandle;
const sockets: WebSocket[] = [];
const dataDir = mkdtempSync(join(tmpdir(), 'duet-relay-'));

const start = () => startTrustingServer(tokens, { dataDir });

beforeAll(async () => {
  tokens = await startTokenSource();
  server = await start();
});
afterAll(async () => {
  for (const ws of sockets) ws.terminate();
  await server?.close();
  await tokens?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

interface Stream {
  events: Array<Record<string, unknown>>;
  ws: WebSocket;
}

async function listen(email: string): Promise<Stream> {
  const ws = new WebSocket(`${server.url}/_events?token=${await tokens.token(email)}`);
  sockets.push(ws);
  const events: Array<Record<string, unknown>> = [];
  ws.on('message', (data) => events.push(JSON.parse(String(data)) as Record<string, unknown>));
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return { events, ws };
}

async function register(email: string, body: Record<string, unknown>) {
  return call(server.httpUrl, 'POST', '/hooks/registrations', { token: await tokens.token(email), body });
}

function googlePush(headers: Record<string, string>) {
  return call(server.httpUrl, 'POST', '/hooks/google', {
    headers: {
      'x-goog-resource-state': 'exists',
      'x-goog-message-number': '2',
      'x-goog-resource-id': 'res-1',
      ...headers,
    },
  });
}

function graphPush(items: Array<Record<string, unknown>>) {
  return call(server.httpUrl, 'POST', '/hooks/graph', { body: { value: items } });
}

/** Lets any in-flight WebSocket message arrive before asserting that none did. */
const settle = () => new Promise((r) => setTimeout(r, 150));

describe('Microsoft Graph webhook', () => {
  it('answers the validation handshake with the token as text/plain, fast', async () => {
    const started = Date.now();
    const res = await call(
      server.httpUrl,
      'POST',
      `/hooks/graph?validationToken=${encodeURIComponent('Validation: token <42> & more')}`,
      {
        headers: { 'content-type': 'text/plain' },
      },
    );
    expect(Date.now() - started).toBeLessThan(1000);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(res.text).toBe('Validation: token <42> & more');
  });

  it('forwards a change with the registered clientState to the owner only, once per request', async () => {
    const alice = await listen(ALICE);
    const bob = await listen(BOB);
    expect(
      (
        await register(ALICE, {
          provider: 'microsoft',
          clientState: 'alice-secret-state',
          account: 'alice@contoso.com',
        })
      ).status,
    ).toBe(201);
    const started = Date.now();
    const item = {
      subscriptionId: 'sub-a',
      clientState: 'alice-secret-state',
      changeType: 'updated',
      resource: 'me/events/1',
    };
    const res = await graphPush([item, { ...item, resource: 'me/events/2' }]);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(res.status).toBe(202);
    await waitFor(() => alice.events.length > 0, 'alice event');
    await settle();
    expect(alice.events).toEqual([
      {
        type: 'calendar.changed',
        provider: 'microsoft',
        account: 'alice@contoso.com',
        subscriptionId: 'sub-a',
      },
    ]);
    expect(bob.events).toEqual([]);
  });

  it('drops notifications whose clientState does not match', async () => {
    const alice = await listen(ALICE);
    await register(ALICE, {
      provider: 'microsoft',
      clientState: 'alice-state-2',
      account: 'alice@contoso.com',
    });
    const res = await graphPush([
      { subscriptionId: 'sub-x', clientState: 'guessed-state', changeType: 'updated' },
    ]);
    expect(res.status).toBe(403);
    const missing = await graphPush([{ subscriptionId: 'sub-x', changeType: 'updated' }]);
    expect(missing.status).toBe(403);
    await settle();
    expect(alice.events).toEqual([]);
  });

  it('checks the subscription id when one was registered', async () => {
    const alice = await listen(ALICE);
    await register(ALICE, {
      provider: 'microsoft',
      clientState: 'alice-state-3',
      subscriptionId: 'sub-right',
      account: 'alice@contoso.com',
    });
    expect((await graphPush([{ subscriptionId: 'sub-wrong', clientState: 'alice-state-3' }])).status).toBe(
      403,
    );
    expect((await graphPush([{ subscriptionId: 'sub-right', clientState: 'alice-state-3' }])).status).toBe(
      202,
    );
    await waitFor(() => alice.events.length === 1, 'one event');
    expect(alice.events[0]).toMatchObject({ subscriptionId: 'sub-right' });
  });

  it('forwards lifecycle notifications (reauthorizationRequired, subscriptionRemoved, missed)', async () => {
    const alice = await listen(ALICE);
    await register(ALICE, {
      provider: 'microsoft',
      clientState: 'alice-state-4',
      account: 'alice@contoso.com',
    });
    const res = await graphPush(
      ['reauthorizationRequired', 'subscriptionRemoved', 'missed'].map((lifecycleEvent) => ({
        subscriptionId: 'sub-l',
        clientState: 'alice-state-4',
        lifecycleEvent,
      })),
    );
    expect(res.status).toBe(202);
    await waitFor(() => alice.events.length === 3, 'three lifecycle events');
    expect(alice.events.map((e) => [e.type, e.lifecycleEvent])).toEqual([
      ['calendar.subscription', 'reauthorizationRequired'],
      ['calendar.subscription', 'subscriptionRemoved'],
      ['calendar.subscription', 'missed'],
    ]);
  });

  it('answers 400 to a body that is not a notification batch', async () => {
    expect((await call(server.httpUrl, 'POST', '/hooks/graph', { body: '{"value": 3}' })).status).toBe(400);
    expect((await call(server.httpUrl, 'POST', '/hooks/graph', { body: 'nope' })).status).toBe(400);
  });
});

describe('Google Calendar webhook', () => {
  it('forwards a notification carrying the registered channel token, to the owner only', async () => {
    const alice = await listen(ALICE);
    const bob = await listen(BOB);
    expect(
      (
        await register(ALICE, {
          provider: 'google',
          channelId: 'chan-alice-1',
          token: 'tok-alice-1',
          account: 'alice@gmail.com',
          calendarId: 'primary',
        })
      ).status,
    ).toBe(201);
    const started = Date.now();
    const res = await googlePush({
      'x-goog-channel-id': 'chan-alice-1',
      'x-goog-channel-token': 'tok-alice-1',
    });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(res.status).toBe(200);
    await waitFor(() => alice.events.length === 1, 'alice event');
    await settle();
    expect(alice.events[0]).toEqual({
      type: 'calendar.changed',
      provider: 'google',
      account: 'alice@gmail.com',
      channelId: 'chan-alice-1',
      calendarId: 'primary',
    });
    expect(bob.events).toEqual([]);
  });

  it('refuses a wrong or missing channel token and unknown channels', async () => {
    const alice = await listen(ALICE);
    await register(ALICE, {
      provider: 'google',
      channelId: 'chan-alice-2',
      token: 'tok-alice-2',
      account: 'alice@gmail.com',
    });
    expect(
      (await googlePush({ 'x-goog-channel-id': 'chan-alice-2', 'x-goog-channel-token': 'tok-wrong' })).status,
    ).toBe(403);
    expect((await googlePush({ 'x-goog-channel-id': 'chan-alice-2' })).status).toBe(403);
    expect(
      (await googlePush({ 'x-goog-channel-id': 'chan-nobody', 'x-goog-channel-token': 'tok-alice-2' }))
        .status,
    ).toBe(404);
    expect((await googlePush({})).status).toBe(400);
    await settle();
    expect(alice.events).toEqual([]);
  });

  it('acknowledges the initial "sync" message without forwarding it', async () => {
    const alice = await listen(ALICE);
    await register(ALICE, {
      provider: 'google',
      channelId: 'chan-alice-3',
      token: 'tok-alice-3',
      account: 'alice@gmail.com',
    });
    const res = await googlePush({
      'x-goog-channel-id': 'chan-alice-3',
      'x-goog-channel-token': 'tok-alice-3',
      'x-goog-resource-state': 'sync',
    });
    expect(res.status).toBe(200);
    await settle();
    expect(alice.events).toEqual([]);
  });

  it('reaches every app of the owner, and holds the event for an app that connects later', async () => {
    const dana = 'dana@example.com'; // nobody has an app connected for her yet
    await register(dana, {
      provider: 'google',
      channelId: 'chan-dana-1',
      token: 'tok-dana-1',
      account: 'dana@gmail.com',
    });
    expect(
      (await googlePush({ 'x-goog-channel-id': 'chan-dana-1', 'x-goog-channel-token': 'tok-dana-1' })).status,
    ).toBe(200);
    const late = await listen(dana);
    await waitFor(() => late.events.length === 1, 'held event');
    const second = await listen(dana);
    await googlePush({ 'x-goog-channel-id': 'chan-dana-1', 'x-goog-channel-token': 'tok-dana-1' });
    await waitFor(() => late.events.length === 2 && second.events.length === 1, 'both apps');
  });
});

describe('registrations', () => {
  it('keep a channel with its first owner: no hijack, no foreign delete', async () => {
    await register(ALICE, {
      provider: 'google',
      channelId: 'chan-owned',
      token: 'tok-a',
      account: 'alice@gmail.com',
    });
    expect(
      (
        await register(BOB, {
          provider: 'google',
          channelId: 'chan-owned',
          token: 'tok-b',
          account: 'bob@gmail.com',
        })
      ).status,
    ).toBe(409);
    expect(
      (
        await call(server.httpUrl, 'DELETE', '/hooks/registrations/google/chan-owned', {
          token: await tokens.token(BOB),
        })
      ).status,
    ).toBe(403);
    // the owner may renew (same id, new token) and remove it
    expect(
      (
        await register(ALICE, {
          provider: 'google',
          channelId: 'chan-owned',
          token: 'tok-a2',
          account: 'alice@gmail.com',
        })
      ).status,
    ).toBe(201);
    expect(
      (await googlePush({ 'x-goog-channel-id': 'chan-owned', 'x-goog-channel-token': 'tok-a' })).status,
    ).toBe(403);
    expect(
      (await googlePush({ 'x-goog-channel-id': 'chan-owned', 'x-goog-channel-token': 'tok-a2' })).status,
    ).toBe(200);
    expect(
      (
        await call(server.httpUrl, 'DELETE', '/hooks/registrations/google/chan-owned', {
          token: await tokens.token(ALICE),
        })
      ).status,
    ).toBe(200);
    expect(
      (await googlePush({ 'x-goog-channel-id': 'chan-owned', 'x-goog-channel-token': 'tok-a2' })).status,
    ).toBe(404);
  });

  it('can be removed by Graph subscription id and are listed per user', async () => {
    const carol = 'carol@example.com';
    await register(carol, {
      provider: 'microsoft',
      clientState: 'carol-state',
      subscriptionId: 'sub-carol',
      account: 'carol@contoso.com',
    });
    const listed = await call(server.httpUrl, 'GET', '/hooks/registrations', {
      token: await tokens.token(carol),
    });
    expect(
      (listed.body as { registrations: Array<{ subscriptionId?: string }> }).registrations.map(
        (r) => r.subscriptionId,
      ),
    ).toEqual(['sub-carol']);
    expect(JSON.stringify(listed.body)).not.toContain('carol-state');
    expect(
      (
        await call(server.httpUrl, 'DELETE', '/hooks/registrations/microsoft/sub-carol', {
          token: await tokens.token(carol),
        })
      ).status,
    ).toBe(200);
    expect((await graphPush([{ subscriptionId: 'sub-carol', clientState: 'carol-state' }])).status).toBe(403);
  });

  it('need a valid token and valid fields', async () => {
    expect(
      (
        await call(server.httpUrl, 'POST', '/hooks/registrations', {
          body: { provider: 'google', channelId: 'c', token: 't', account: ALICE },
        })
      ).status,
    ).toBe(401);
    expect((await register(ALICE, { provider: 'yahoo', account: ALICE })).status).toBe(400);
    expect(
      (await register(ALICE, { provider: 'google', channelId: 'bad id!', token: 't', account: ALICE }))
        .status,
    ).toBe(400);
    expect((await register(ALICE, { provider: 'google', channelId: 'c1', account: ALICE })).status).toBe(400);
    expect((await register(ALICE, { provider: 'microsoft', account: ALICE })).status).toBe(400);
    expect(
      (await register(ALICE, { provider: 'google', channelId: 'c1', token: 't', account: 'not-an-email' }))
        .status,
    ).toBe(400);
  });

  it('survive a server restart', async () => {
    await register(ALICE, {
      provider: 'google',
      channelId: 'chan-durable',
      token: 'tok-durable',
      account: 'alice@gmail.com',
    });
    await server.close();
    server = await start();
    const alice = await listen(ALICE);
    expect(
      (await googlePush({ 'x-goog-channel-id': 'chan-durable', 'x-goog-channel-token': 'tok-durable' }))
        .status,
    ).toBe(200);
    await waitFor(() => alice.events.some((e) => e.channelId === 'chan-durable'), 'event after restart');
  });
});

describe('the event stream', () => {
  it('refuses connections without a valid token with 4401', async () => {
    const ws = new WebSocket(`${server.url}/_events?token=bogus`);
    sockets.push(ws);
    expect(await closeCodeOf(ws)).toBe(4401);
  });
});
