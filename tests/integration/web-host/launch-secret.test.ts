// Issue 12 item 13: another account or program on this machine can reach 127.0.0.1 and forge any
// header, but without this launch's secret (printed in the URL, never served) it learns nothing.
// Driven over raw HTTP and WebSocket against the real host.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startWebHost } from '../../../src-main/web/host';
import { fakeRenderer, rawExchange, statusOf, upgradeRequest } from './support';

let dataDir: string;
let rendererDir: string;
let host: Awaited<ReturnType<typeof startWebHost>>;

beforeAll(async () => {
  dataDir = join(mkdtempSync(join(tmpdir(), 'duet-web-secret-')), 'data');
  // A data folder left readable by everyone, as an older version or a careless umask made it.
  mkdirSync(join(dataDir, 'sync-server'), { recursive: true, mode: 0o755 });
  chmodSync(dataDir, 0o755);
  writeFileSync(join(dataDir, 'settings.json'), '{}', { mode: 0o644 });
  writeFileSync(join(dataDir, 'sync-server', 'LOG'), 'x', { mode: 0o644 });
  rendererDir = fakeRenderer();
  host = await startWebHost({ port: 0, dataDir, rendererDir });
});
afterAll(async () => {
  await host.close();
  rmSync(join(dataDir, '..'), { recursive: true, force: true });
  rmSync(rendererDir, { recursive: true, force: true });
});

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${host.origin}${path}`, { headers, redirect: 'manual' });

describe('the launch secret', () => {
  it('is long, random per launch, and carried in the URL the host gives out', async () => {
    expect(host.secret).toMatch(/^[A-Za-z0-9_-]{32,}$/);
    expect(host.url).toBe(`${host.origin}/?token=${host.secret}`);
    const other = await startWebHost({
      port: 0,
      dataDir: mkdtempSync(join(tmpdir(), 'duet-web-secret2-')),
      rendererDir,
    });
    expect(other.secret).not.toBe(host.secret);
    await other.close();
  });

  it('is never served: the page, its assets and the 404s hold no secret', async () => {
    for (const path of ['/', '/index.html', '/assets/app.js', '/nope', `/?token=${host.secret}`]) {
      const res = await get(path);
      const body = await res.text();
      expect(body).not.toContain(host.secret);
      res.headers.forEach((value) => expect(value).not.toContain(host.secret));
    }
    // The page learns where the bridge is, and only that.
    const page = await (await get('/')).text();
    const meta = /<meta name="duet-bridge" content="([^"]*)">/.exec(page)?.[1]?.replace(/&quot;/g, '"');
    expect(JSON.parse(meta ?? 'null')).toEqual({ url: `ws://127.0.0.1:${host.port}/bridge` });
  });

  it('refuses a page request naming another secret with 401', async () => {
    const res = await get('/?token=an-earlier-launch');
    expect(res.status).toBe(401);
    expect(await res.text()).not.toContain(host.secret);
    expect((await get(`/?token=${host.secret}`)).status).toBe(200);
  });

  it('is required by the bridge: without it 401, whatever Origin a local program forges', async () => {
    const attempts = [
      upgradeRequest('/bridge', { Origin: host.origin }),
      upgradeRequest('/bridge?token=', { Origin: host.origin }),
      upgradeRequest('/bridge?token=guess', { Origin: host.origin }),
      upgradeRequest(`/bridge?token=${host.secret.slice(0, -1)}`, { Origin: host.origin }),
      upgradeRequest('/bridge?token=guess', { Origin: 'http://evil.example' }),
      upgradeRequest('/bridge'),
    ];
    const answers = await Promise.all(attempts.map((req) => rawExchange(host.port, req)));
    for (const a of answers) {
      expect(statusOf(a.text)).toBe(401);
      // Learns nothing: the same empty refusal each time, and the socket is closed by the host.
      expect(a.text.split('\r\n\r\n')[1]).toBe('');
      expect(a.closedAfterMs).not.toBeNull();
    }
  });

  it('opens the bridge for the page that has it', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/bridge?token=${host.secret}`, {
      headers: { Origin: host.origin },
    });
    const reply = await new Promise<unknown>((resolve, reject) => {
      ws.once('error', reject);
      ws.once('open', () => ws.send(JSON.stringify({ t: 'call', id: 1, ns: 'app', method: 'info' })));
      ws.once('message', (d) => resolve(JSON.parse(d.toString())));
    });
    expect(reply).toMatchObject({
      t: 'result',
      id: 1,
      result: { ok: true, value: { name: 'Duet', mode: 'web' } },
    });
    ws.close();
  });

  it('leaves the data folder readable by its owner only', async () => {
    await host.services.settings.update({ googleClientId: 'x.apps.example' });
    const mode = (p: string) => statSync(join(dataDir, p)).mode & 0o777;
    expect(mode('.')).toBe(0o700);
    expect(mode('sync-server')).toBe(0o700);
    expect(mode('settings.json')).toBe(0o600);
    expect(mode('secret.key')).toBe(0o600);
    expect(mode('sync-server/LOG')).toBe(0o600);
    expect(readFileSync(join(dataDir, 'settings.json'), 'utf8')).toContain('x.apps.example');
  });
});
