// Issue 12, items 10 (the sync server's API) and 11 (unknown upgrades), over raw bytes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncServerHandle } from '../../../sync-server';
import { startServerWithTokens, stopAll } from './support/server-suite';
import type { ClosableTokenSource } from './support/token-source';
import { rawHttp, silentUpgrade } from './support/raw-wire';

let tokens: ClosableTokenSource;
let server: SyncServerHandle;

beforeAll(async () => {
  ({ tokens, server } = await startServerWithTokens());
});
afterAll(() => stopAll({ server, tokens }));

describe('item 10: malformed request targets are the client’s error', () => {
  it.each([
    ['a bad percent-encoding in a registration id', 'DELETE', '/hooks/registrations/google/%'],
    ['a truncated percent-encoding', 'DELETE', '/hooks/registrations/microsoft/abc%E2%82'],
    ['an authority-form target with a broken host', 'GET', '//['],
    ['an absolute-form target with a broken host', 'GET', 'http://['],
  ])('answers 400 to %s and keeps serving', async (_what, method, target) => {
    const token = await tokens.token('alice@example.com');
    const res = await rawHttp(
      server.httpUrl,
      `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nConnection: close\r\n\r\n`,
    );
    expect(res.status).toBe(400);
    expect((await fetch(`${server.httpUrl}/healthz`)).status).toBe(200);
  });
});

describe('item 11: upgrades to unknown paths', () => {
  it.each([
    ['without a token', '/no/such/path'],
    ['with a bad token', '/x?token=garbage'],
  ])('closes with 4404 within 2 s %s, though the client never answers', async (_what, path) => {
    const result = await silentUpgrade(server.url, path);
    expect(result.status).toBe(101);
    expect(result.closeCode).toBe(4404);
    expect(result.closedAfterMs).toBeLessThan(2000);
  });

  it('closes with 4404 for a valid token too', async () => {
    const token = await tokens.token('alice@example.com');
    const result = await silentUpgrade(server.url, `/not-a-room?token=${token}`);
    expect(result.closeCode).toBe(4404);
    expect(result.closedAfterMs).toBeLessThan(2000);
  });

  it('also cuts a refused room handshake within 2 s when the client stays silent', async () => {
    const result = await silentUpgrade(server.url, `/${'0'.repeat(32)}?token=garbage`);
    expect(result.closeCode).toBe(4401);
    expect(result.closedAfterMs).toBeLessThan(2000);
  });
});
