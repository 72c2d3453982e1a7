// Issue 12 items 10-12 for the web host, over the raw wire: requests no browser sends must not end
// the process, upgrades to unknown paths are refused and closed at once, and a bridge client that
// never reads its replies is dropped instead of making the host buffer without bound.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startWebHost } from '../../../src-main/web/host';
import { startWebHostProcess, type WebHostProcess } from '../../e2e/support/web-host';
import {
  fakeRenderer,
  openStalledWebSocket,
  rawExchange,
  statusOf,
  tinyTextFrames,
  upgradeRequest,
} from './support';

let scratch: string;
let rendererDir: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'duet-web-hostile-'));
  rendererDir = fakeRenderer();
});
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
  rmSync(rendererDir, { recursive: true, force: true });
});

describe('the host process (npm run start:web)', () => {
  let host: WebHostProcess;
  beforeAll(async () => {
    host = await startWebHostProcess({
      dataDir: join(scratch, 'proc'),
      args: ['--renderer', rendererDir],
      timeoutMs: 30_000,
    });
  });
  afterAll(async () => {
    await host.stop();
  });

  const stillServing = async () => {
    expect(host.child.exitCode).toBeNull();
    expect((await fetch(`${host.origin}/`)).status).toBe(200);
  };

  it('answers malformed request URLs with 400 and keeps running (item 10)', async () => {
    for (const target of ['/%', '/%E0%A4%A', '/assets/%zz.js', 'http://[', 'http://[::1', '/%00']) {
      const { text } = await rawExchange(
        host.port,
        `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`,
      );
      expect(statusOf(text), `GET ${target}`).toBe(400);
      await stillServing();
    }
    // Not even a request line.
    await rawExchange(host.port, '\x00\x01garbage\r\n\r\n', 500);
    await stillServing();
  });

  it('refuses an upgrade to any path but /bridge with 404 and closes it within 2 s, though the client says nothing more (item 11)', async () => {
    for (const path of ['/', '/other', '/bridge/x', '/bridgex', `/other?token=${host.secret}`]) {
      const { text, closedAfterMs } = await rawExchange(host.port, upgradeRequest(path), 2500);
      expect(statusOf(text), path).toBe(404);
      expect(closedAfterMs, path).not.toBeNull();
      expect(closedAfterMs!, path).toBeLessThan(2000);
    }
    const malformed = await rawExchange(host.port, upgradeRequest('http://['), 2500);
    expect(statusOf(malformed.text)).toBe(400);
    expect(malformed.closedAfterMs).not.toBeNull();
    await stillServing();
  });
});

describe('slow or silent connections', () => {
  it('are answered 408 and closed once the headers timeout passes', async () => {
    const host = await startWebHost({
      port: 0,
      dataDir: join(scratch, 'slow'),
      rendererDir,
      headersTimeoutMs: 1000,
    });
    try {
      const [silent, trickle] = await Promise.all([
        rawExchange(host.port, '', 4000),
        rawExchange(host.port, 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n', 4000),
      ]);
      for (const c of [silent, trickle]) {
        expect(statusOf(c.text)).toBe(408);
        expect(c.closedAfterMs).not.toBeNull();
        expect(c.closedAfterMs!).toBeLessThan(3500);
      }
    } finally {
      await host.close();
    }
  });
});

describe('bridge backpressure (item 12)', () => {
  it('drops a client that stops reading once its unread replies pass the bound, and serves the others', async () => {
    const host = await startWebHost({
      port: 0,
      dataDir: join(scratch, 'bp'),
      rendererDir,
      maxBufferedBytes: 256 * 1024,
      log: () => undefined,
    });
    try {
      const stalled = await openStalledWebSocket(host.port, `/bridge?token=${host.secret}`, host.origin);
      expect(host.wsBridge.clientCount()).toBe(1);
      // 300,000 seven-byte frames (2 MB) that each earn a ~50-byte error reply: ~15 MB of replies,
      // far past the bound plus anything the kernel's socket buffers can hold.
      stalled.write(tinyTextFrames(300_000));
      await expect.poll(() => host.wsBridge.clientCount(), { timeout: 15_000, interval: 100 }).toBe(0);
      stalled.destroy();

      // A client that reads is unaffected.
      const ws = new WebSocket(`ws://127.0.0.1:${host.port}/bridge?token=${host.secret}`, {
        headers: { Origin: host.origin },
      });
      const reply = await new Promise<unknown>((resolve, reject) => {
        ws.once('error', reject);
        ws.once('open', () => ws.send(JSON.stringify({ t: 'call', id: 1, ns: 'app', method: 'info' })));
        ws.once('message', (d) => resolve(JSON.parse(d.toString())));
      });
      expect(reply).toMatchObject({ t: 'result', id: 1, result: { ok: true } });
      ws.close();
    } finally {
      await host.close();
    }
  });
});
