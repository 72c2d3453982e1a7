// Property-based fuzz (fast-check) of the frame decoder and the HTTP API, over the real wire:
// whatever a client sends, the server answers with a close code or an HTTP status below 500,
// never crashes, and a member still syncs afterwards. Bounded in time for CI; the corpus in
// fuzz-corpus/ is replayed first. Reproduce a failure with the seed fast-check prints.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncServerHandle } from '../../../sync-server';
import { connect, createRoom, type Client } from './support/harness';
import { openRawWs } from './support/raw-ws';
import { rawHttp } from './support/raw-wire';
import { startServerWithTokens, stopAll } from './support/server-suite';
import type { ClosableTokenSource } from './support/token-source';

const corpus = (name: string) =>
  JSON.parse(readFileSync(new URL(`./fuzz-corpus/${name}`, import.meta.url), 'utf8'));
const frameCorpus = (corpus('frames.json') as { frames: string[] }).frames.map((h) =>
  Uint8Array.from(Buffer.from(h, 'hex')),
);
const httpCorpus = corpus('http.json') as { targets: string[]; bodies: string[] };

let tokens: ClosableTokenSource;
let server: SyncServerHandle;
const clients: Client[] = [];
beforeAll(async () => {
  ({ tokens, server } = await startServerWithTokens({
    limits: {
      handshakesPerIpBurst: 100_000,
      handshakesPerUserBurst: 100_000,
      maxConnectionsPerUser: 1000,
      httpPerUserBurst: 100_000,
    },
  }));
});
afterAll(() => stopAll({ clients, server, tokens }));

const ALICE = 'alice@example.com';
const BOB = 'bob@example.com';
/** A frame that starts like a y-websocket message more often than pure noise would. */
const frame = fc.oneof(
  fc.uint8Array({ maxLength: 64 }),
  fc
    .tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }), fc.uint8Array({ maxLength: 64 }))
    .map(([t, s, rest]) => Uint8Array.from([t, s, rest.length, ...rest])),
);

describe('fuzz', () => {
  it(
    'frame decoder: any frames close the sender or are ignored; a member still syncs',
    { timeout: 60_000 },
    async () => {
      const roomId = await createRoom(server.httpUrl, await tokens.token(ALICE), [ALICE, BOB]);
      const bobToken = await tokens.token(BOB);
      const run = async (frames: Uint8Array[]) => {
        const ws = await openRawWs(server.url, `/${roomId}?token=${bobToken}`);
        ws.sendAll(frames);
        await new Promise((r) => setTimeout(r, 20));
        ws.destroy();
        if (ws.closeCode !== undefined) expect([1003, 1007, 1008, 1009, 1013]).toContain(ws.closeCode);
      };
      await run(frameCorpus);
      for (const f of frameCorpus) await run([f]);
      await fc.assert(fc.asyncProperty(fc.array(frame, { minLength: 1, maxLength: 8 }), run), {
        numRuns: 300,
        interruptAfterTimeLimit: 10_000,
      });
      const alice = connect(server.url, roomId, await tokens.token(ALICE));
      clients.push(alice);
      await alice.synced();
    },
  );

  it('HTTP API: any target, method and body answers below 500', { timeout: 60_000 }, async () => {
    const token = await tokens.token(ALICE);
    const target = fc.oneof(
      fc.constantFrom(...httpCorpus.targets),
      fc
        .tuple(
          fc.constantFrom(
            '/rooms',
            '/hooks/registrations',
            '/hooks/registrations/google',
            '/hooks/google',
            '/hooks/graph',
            '/healthz',
            '/',
          ),
          fc.stringMatching(/^[A-Za-z0-9%/?=&.\-_[\]]{0,24}$/),
        )
        .map(([a, b]) => a + b),
    );
    const body = fc.oneof(
      fc.constantFrom(...httpCorpus.bodies),
      fc.json({ maxDepth: 2 }),
      fc.string({ maxLength: 64 }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'DELETE', 'PUT', 'OPTIONS'),
        target,
        body,
        fc.boolean(),
        async (method, path, b, auth) => {
          const bytes = Buffer.byteLength(b);
          const res = await rawHttp(
            server.httpUrl,
            `${method} ${path} HTTP/1.1\r\nHost: x\r\n${auth ? `Authorization: Bearer ${token}\r\n` : ''}Content-Type: application/json\r\nContent-Length: ${bytes}\r\nConnection: close\r\n\r\n${b}`,
          );
          expect(res.status).toBeGreaterThanOrEqual(200);
          expect(res.status).toBeLessThan(500);
        },
      ),
      { numRuns: 300, interruptAfterTimeLimit: 10_000 },
    );
    expect((await fetch(`${server.httpUrl}/healthz`)).status).toBe(200);
  });
});
