// A connection lives as long as its ID token (plus a grace period), not forever.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncServerHandle } from '../../../sync-server';
import { connect, createRoom, waitFor } from './support/harness';
import { startServerWithTokens, stopAll } from './support/server-suite';
import type { ClosableTokenSource } from './support/token-source';

let tokens: ClosableTokenSource;
let server: SyncServerHandle;

beforeAll(async () => {
  ({ tokens, server } = await startServerWithTokens({ tokenExpiryGraceMs: 0, sweepIntervalMs: 100 }));
});
afterAll(() => stopAll({ server, tokens }));

describe('sessions', () => {
  it('closes a connection with 4001 once its token expires, and the client may come back with a fresh one', async () => {
    const alice = 'alice@example.com';
    const roomId = await createRoom(server.httpUrl, await tokens.token(alice), [alice, 'bob@example.com']);
    const c = connect(server.url, roomId, await tokens.tokenWith(alice, { expiresInSeconds: 2 }));
    await c.synced();
    await new Promise((r) => setTimeout(r, 1000));
    expect(c.closeCodes).toEqual([]); // alive while the token is
    await waitFor(() => c.closeCodes.includes(4001), 'closed on expiry', 5000);
    // 4001 is not a refusal: the provider reconnects with whatever token the app now gives it
    c.provider.params.token = await tokens.token(alice);
    c.text.insert(0, 'after refresh');
    await waitFor(() => c.provider.wsconnected && c.provider.synced, 'reconnected', 5000);
    c.destroy();
  });
});
