// Property test over the web host's request targets (issue 12 item 10): whatever a local program
// puts in the request line or an upgrade, the host answers with a deliberate status, never a crash
// or a 500, and keeps serving. Bounded runs so it stays fast in CI.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startWebHost } from '../../../src-main/web/host';
import { fakeRenderer, rawExchange, statusOf, upgradeRequest } from './support';

let scratch: string;
let rendererDir: string;
let host: Awaited<ReturnType<typeof startWebHost>>;
const logged: string[] = [];

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'duet-web-fuzz-'));
  rendererDir = fakeRenderer();
  host = await startWebHost({ port: 0, dataDir: scratch, rendererDir, log: (m) => logged.push(m) });
});
afterAll(async () => {
  await host.close();
  rmSync(scratch, { recursive: true, force: true });
  rmSync(rendererDir, { recursive: true, force: true });
});

// Characters that break URL parsing and path handling, plus ordinary ones.
const piece = fc.oneof(
  fc.constantFrom(
    '%',
    '%2',
    '%zz',
    '%00',
    '%2e%2e',
    '%2F',
    '..',
    '/',
    '//',
    '\\',
    '[',
    ']',
    ':',
    '@',
    '?',
    '#',
    '&',
    'token=',
    '~',
    ';',
  ),
  fc.stringMatching(/^[A-Za-z0-9._-]{1,8}$/),
  fc.constantFrom('http://[', 'http://', 'https://a@b', '*', 'index.html', 'assets', '\u00e9', '\u{1F600}'),
);
const target = fc.array(piece, { minLength: 1, maxLength: 8 }).map((parts) => parts.join(''));

it('answers any request target with a deliberate status and stays up', async () => {
  await fc.assert(
    fc.asyncProperty(target, fc.boolean(), async (t, slashFirst) => {
      const path = slashFirst && !t.startsWith('/') ? `/${t}` : t;
      const { text } = await rawExchange(
        host.port,
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`,
        2000,
        'end',
      );
      expect([200, 400, 401, 403, 404]).toContain(statusOf(text));
    }),
    { numRuns: 120 },
  );
  expect((await fetch(`${host.origin}/`)).status).toBe(200);
  expect(logged).toEqual([]);
});

it('answers any upgrade target with a refusal and a closed socket, unless it is the bridge with the secret', async () => {
  await fc.assert(
    fc.asyncProperty(target, async (t) => {
      const { text, closedAfterMs } = await rawExchange(
        host.port,
        upgradeRequest(t.startsWith('/') ? t : `/${t}`),
        2500,
      );
      expect([400, 401, 404]).toContain(statusOf(text));
      expect(closedAfterMs).not.toBeNull();
      expect(closedAfterMs!).toBeLessThan(2000);
    }),
    { numRuns: 40 },
  );
  expect(host.wsBridge.clientCount()).toBe(0);
});
