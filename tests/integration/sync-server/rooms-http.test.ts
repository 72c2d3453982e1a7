// The HTTP API for rooms: derivation, listing, membership, validation, auth errors, limits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncServerHandle } from '../../../sync-server';
import { call } from './support/harness';
import { hs256WithIssuerKey, unsignedToken } from './support/forged-tokens';
import { startServerWithTokens, stopAll } from './support/server-suite';
import type { ClosableTokenSource } from './support/token-source';

const ALICE = 'alice@example.com';
const BOB = 'bob@example.com';
const CAROL = 'carol@example.com';

let tokens: ClosableTokenSource;
let server: SyncServerHandle;

beforeAll(async () => {
  ({ tokens, server } = await startServerWithTokens({ limits: { maxRoomsPerUser: 3 } }));
});
afterAll(() => stopAll({ server, tokens }));

describe('POST /rooms and GET /rooms', () => {
  it('derives one calendar room id per event and pair, for either participant', async () => {
    const a = await call(server.httpUrl, 'POST', '/rooms', {
      token: await tokens.token(ALICE),
      body: { iCalUID: 'abc123@google.com', participants: [ALICE, BOB] },
    });
    expect(a.status).toBe(201);
    const roomId = (a.body as { roomId: string }).roomId;
    expect(roomId).toMatch(/^[0-9a-f]{32}$/);
    const b = await call(server.httpUrl, 'POST', '/rooms', {
      token: await tokens.token(BOB),
      body: { iCalUID: 'abc123@google.com', participants: [BOB, 'ALICE@example.com'] },
    });
    expect(b.status).toBe(200);
    expect((b.body as { roomId: string }).roomId).toBe(roomId);
    expect((b.body as { participants: string[] }).participants).toEqual([ALICE, BOB]);
  });

  it('makes a fresh random room for each request without iCalUID', async () => {
    const t = await tokens.token(CAROL);
    const one = await call(server.httpUrl, 'POST', '/rooms', {
      token: t,
      body: { participants: [CAROL, BOB] },
    });
    const two = await call(server.httpUrl, 'POST', '/rooms', {
      token: t,
      body: { participants: [CAROL, BOB] },
    });
    expect(one.status).toBe(201);
    expect(two.status).toBe(201);
    expect((one.body as { roomId: string }).roomId).not.toBe((two.body as { roomId: string }).roomId);
    expect((one.body as { kind: string }).kind).toBe('random');
  });

  it('lists exactly the rooms the caller belongs to', async () => {
    const dave = 'dave@example.com';
    const erin = 'erin@example.com';
    const t = await tokens.token(dave);
    const r1 = (
      await call(server.httpUrl, 'POST', '/rooms', {
        token: t,
        body: { iCalUID: 'list-1', participants: [dave, erin] },
      })
    ).body as { roomId: string };
    const r2 = (
      await call(server.httpUrl, 'POST', '/rooms', { token: t, body: { participants: [erin, dave] } })
    ).body as { roomId: string };
    await call(server.httpUrl, 'POST', '/rooms', {
      token: await tokens.token(ALICE),
      body: { participants: [ALICE, erin] },
    });
    const mine = await call(server.httpUrl, 'GET', '/rooms', { token: t });
    expect(mine.status).toBe(200);
    const ids = (mine.body as { rooms: Array<{ roomId: string }> }).rooms.map((r) => r.roomId).sort();
    expect(ids).toEqual([r1.roomId, r2.roomId].sort());
    const erins = (await call(server.httpUrl, 'GET', '/rooms', { token: await tokens.token(erin) })).body as {
      rooms: unknown[];
    };
    expect(erins.rooms).toHaveLength(3);
  });

  it('answers 403 when the caller is not one of the participants', async () => {
    const res = await call(server.httpUrl, 'POST', '/rooms', {
      token: await tokens.token(CAROL),
      body: { iCalUID: 'squat@google.com', participants: [ALICE, BOB] },
    });
    expect(res.status).toBe(403);
  });

  it.each([
    ['no participants', { iCalUID: 'x' }],
    ['one participant', { participants: [ALICE] }],
    ['three participants', { participants: [ALICE, BOB, CAROL] }],
    ['the same person twice', { participants: [ALICE, 'Alice@Example.com'] }],
    ['a non-email', { participants: [ALICE, 'bob'] }],
    ['an empty iCalUID', { iCalUID: '', participants: [ALICE, BOB] }],
    ['a non-string iCalUID', { iCalUID: 42, participants: [ALICE, BOB] }],
  ])('answers 400 for %s', async (_name, body) => {
    const res = await call(server.httpUrl, 'POST', '/rooms', { token: await tokens.token(ALICE), body });
    expect(res.status).toBe(400);
    expect((res.body as { error: string }).error).toBeTruthy();
  });

  it('answers 400 for a body that is not JSON', async () => {
    const res = await call(server.httpUrl, 'POST', '/rooms', {
      token: await tokens.token(ALICE),
      body: '{nope',
    });
    expect(res.status).toBe(400);
  });

  it.each([
    ['no token', async () => undefined],
    ['an expired token', async () => tokens.tokenWith(ALICE, { expiresInSeconds: -3600 })],
    ['a token signed with an unpublished key', async () => tokens.tokenWith(ALICE, { unpublishedKey: true })],
    ['an alg none token', async () => unsignedToken(tokens, ALICE)],
    ['an HS256 token keyed with the issuer public key', async () => hs256WithIssuerKey(tokens, ALICE)],
    ['a token for another audience', async () => tokens.tokenWith(ALICE, { aud: 'not-duet' })],
    ['a token with an unverified email', async () => tokens.tokenWith(ALICE, { emailVerified: false })],
  ])('answers 401 with %s', async (_name, make) => {
    const token = await make();
    const post = await call(server.httpUrl, 'POST', '/rooms', {
      token,
      body: { participants: [ALICE, BOB] },
    });
    const get = await call(server.httpUrl, 'GET', '/rooms', { token });
    expect(post.status).toBe(401);
    expect(get.status).toBe(401);
    expect(post.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('caps the rooms one user can create', async () => {
    const frank = 'frank@example.com';
    const t = await tokens.token(frank);
    const calendar = { iCalUID: 'frank-weekly@google.com', participants: [frank, BOB] };
    const statuses = [(await call(server.httpUrl, 'POST', '/rooms', { token: t, body: calendar })).status];
    for (let i = 0; i < 3; i++)
      statuses.push(
        (await call(server.httpUrl, 'POST', '/rooms', { token: t, body: { participants: [frank, BOB] } }))
          .status,
      );
    statuses.push(
      (
        await call(server.httpUrl, 'POST', '/rooms', {
          token: t,
          body: { iCalUID: 'frank-new@google.com', participants: [frank, BOB] },
        })
      ).status,
    );
    expect(statuses).toEqual([201, 201, 201, 429, 429]);
    // opening a calendar room that already exists is not creating one
    expect((await call(server.httpUrl, 'POST', '/rooms', { token: t, body: calendar })).status).toBe(200);
  });

  it('serves /healthz and 404 for unknown paths', async () => {
    const health = await call(server.httpUrl, 'GET', '/healthz');
    expect(health.status).toBe(200);
    expect((health.body as { status: string }).status).toBe('ok');
    expect((await call(server.httpUrl, 'GET', '/nope')).status).toBe(404);
  });

  it('answers CORS preflights for the API', async () => {
    const res = await call(server.httpUrl, 'OPTIONS', '/rooms', {
      headers: { origin: 'http://127.0.0.1:5173', 'access-control-request-method': 'POST' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-headers')).toMatch(/authorization/);
  });
});
