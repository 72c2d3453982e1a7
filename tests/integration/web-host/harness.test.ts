// The web-mode harness other suites and demos rely on (issue 9, "Harness"): the command line, the
// URL it prints, --sandbox and --sync-server, and `npm start` falling back to web mode and opening
// the browser as BROWSER says.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { parseCli, startWebHost, DEFAULT_WEB_PORT } from '../../../src-main/web/host';
import { startWebHostProcess, PRINTED_URL } from '../../e2e/support/web-host';
import { fakeRenderer } from './support';

let scratch: string;
let rendererDir: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'duet-web-harness-'));
  rendererDir = fakeRenderer();
});
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
  rmSync(rendererDir, { recursive: true, force: true });
});
let n = 0;
const freshDir = () => join(scratch, `data-${++n}`);

async function bridgeCall(url: string, origin: string, ns: string, method: string) {
  const token = new URL(url).searchParams.get('token')!;
  const ws = new WebSocket(`${origin.replace('http', 'ws')}/bridge?token=${token}`, {
    headers: { Origin: origin },
  });
  try {
    return await new Promise<{ ok: boolean; value?: unknown }>((resolve, reject) => {
      ws.once('error', reject);
      ws.once('open', () => ws.send(JSON.stringify({ t: 'call', id: 1, ns, method })));
      ws.once('message', (d) =>
        resolve((JSON.parse(d.toString()) as { result: { ok: boolean; value?: unknown } }).result),
      );
    });
  } finally {
    ws.close();
  }
}

describe('the command line', () => {
  it('reads --port, --data, --sandbox and --sync-server, with the defaults documented', () => {
    const d = parseCli([]);
    expect(d.port).toBe(DEFAULT_WEB_PORT);
    expect(d.sandboxIssuer).toBeUndefined();
    expect(d.syncServerUrl).toBeUndefined();
    const o = parseCli([
      '--port',
      '0',
      '--data',
      '/tmp/x',
      '--sandbox',
      'https://127.0.0.1:4443/',
      '--sync-server',
      'ws://127.0.0.1:1234',
    ]);
    expect(o).toMatchObject({
      port: 0,
      dataDir: '/tmp/x',
      sandboxIssuer: 'https://127.0.0.1:4443',
      syncServerUrl: 'ws://127.0.0.1:1234',
    });
  });

  it('refuses bad values with one clear sentence', () => {
    expect(() => parseCli(['--port', '70000'])).toThrow(/--port must be a number/);
    expect(() => parseCli(['--port=-1'])).toThrow(/--port must be a number/);
    expect(() => parseCli(['--sandbox', 'not a url'])).toThrow(/--sandbox must be the sandbox's issuer URL/);
    expect(() => parseCli(['--sandbox', 'file:///etc/passwd'])).toThrow(/http\(s\) URL/);
    // The rule the Settings field applies.
    expect(() => parseCli(['--sync-server', 'http://x'])).toThrow(
      /--sync-server: syncServerUrl must start with ws:\/\/ or wss:\/\//,
    );
    expect(() => parseCli(['--bogus'])).toThrow();
  });
});

describe('launch options reach main', () => {
  it('--sandbox makes main use that running sandbox instead of an embedded one', async () => {
    const host = await startWebHost({
      port: 0,
      dataDir: freshDir(),
      rendererDir,
      sandboxIssuer: 'https://127.0.0.1:4443',
    });
    expect(host.services.sandbox.source).toBe('external');
    await host.close();
    const plain = await startWebHost({ port: 0, dataDir: freshDir(), rendererDir });
    expect(plain.services.sandbox.source).toBe('embedded');
    await plain.close();
  });

  it('--sync-server acts as the Settings value for this launch without being saved', async () => {
    const dataDir = freshDir();
    const url = 'ws://127.0.0.1:1/sync';
    let host = await startWebHost({ port: 0, dataDir, rendererDir, syncServerUrl: url });
    expect(host.services.settings.get().syncServerUrl).toBe(url);
    await expect.poll(() => host.services.syncServer.info()).toMatchObject({ url, embedded: false });
    // Another setting changed during the launch is saved; the flag's value is not.
    host.services.settings.update({ googleClientId: 'g.apps.example' });
    expect(host.services.settings.get().syncServerUrl).toBe(url);
    const saved = JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8')) as {
      settings: Record<string, unknown>;
    };
    expect(saved.settings.googleClientId).toBe('g.apps.example');
    expect(saved.settings.syncServerUrl ?? '').toBe('');
    await host.close();

    // Next launch without the flag: what the user saved, not the flag.
    host = await startWebHost({ port: 0, dataDir, rendererDir });
    expect(host.services.settings.get()).toMatchObject({
      syncServerUrl: '',
      googleClientId: 'g.apps.example',
    });
    await host.close();

    // A server the user picks in Settings during a flagged launch wins, and is saved.
    host = await startWebHost({ port: 0, dataDir, rendererDir, syncServerUrl: url });
    host.services.settings.update({ syncServerUrl: 'wss://sync.example.org' });
    expect(host.services.settings.get().syncServerUrl).toBe('wss://sync.example.org');
    await host.close();
    host = await startWebHost({ port: 0, dataDir, rendererDir });
    expect(host.services.settings.get().syncServerUrl).toBe('wss://sync.example.org');
    await host.close();
  });
});

describe('npm run start:web', () => {
  it("prints the URL to open, with this launch's secret, and serves the bridge behind it", async () => {
    const dataDir = freshDir();
    const host = await startWebHostProcess({
      dataDir,
      args: [
        '--renderer',
        rendererDir,
        '--sync-server',
        'ws://127.0.0.1:1/sync',
        '--sandbox',
        'https://127.0.0.1:4443',
      ],
      timeoutMs: 30_000,
    });
    try {
      expect(host.url).toBe(`${host.origin}/?token=${host.secret}`);
      const settings = await bridgeCall(host.url, host.origin, 'settings', 'get');
      expect(settings).toMatchObject({ ok: true, value: { syncServerUrl: 'ws://127.0.0.1:1/sync' } });
      // Every file the process wrote (settings, key, ...) is its owner's only: the CLI sets umask 077.
      for (const f of ['.', 'secret.key']) expect(statSync(join(dataDir, f)).mode & 0o077).toBe(0);
    } finally {
      await host.stop();
    }
  });
});

// A stand-in browser: records the arguments it was started with.
const recorder = () => {
  const dir = mkdtempSync(join(scratch, 'browser-'));
  const script = join(dir, 'browser.mjs');
  writeFileSync(
    script,
    `import { writeFileSync } from 'node:fs'; writeFileSync(${JSON.stringify(join(dir, 'argv.json'))}, JSON.stringify(process.argv.slice(2)));`,
  );
  return { command: `${process.execPath} ${script}`, argv: join(dir, 'argv.json') };
};

describe('what main opens in web mode', () => {
  it('sends what main opens (shell.openExternal) to the BROWSER command too', async () => {
    const browser = recorder();
    const host = await startWebHostProcess({
      dataDir: freshDir(),
      args: ['--renderer', rendererDir],
      env: { BROWSER: browser.command },
      timeoutMs: 30_000,
    });
    try {
      const token = host.secret;
      const ws = new WebSocket(`ws://127.0.0.1:${host.port}/bridge?token=${token}`, {
        headers: { Origin: host.origin },
      });
      const reply = await new Promise<unknown>((resolve, reject) => {
        ws.once('error', reject);
        ws.once('open', () =>
          ws.send(
            JSON.stringify({
              t: 'call',
              id: 1,
              ns: 'shell',
              method: 'openExternal',
              input: { url: 'https://example.org/help' },
            }),
          ),
        );
        ws.once('message', (d) => resolve(JSON.parse(d.toString())));
      });
      ws.close();
      expect(reply).toMatchObject({ result: { ok: true } });
      await expect.poll(() => existsSync(browser.argv), { timeout: 10_000 }).toBe(true);
      expect(JSON.parse(readFileSync(browser.argv, 'utf8'))).toEqual(['https://example.org/help']);
    } finally {
      await host.stop();
    }
  });
});

describe("npm start without Electron's binary", () => {
  function npmStart(env: NodeJS.ProcessEnv) {
    const child = spawn(
      process.execPath,
      ['scripts/start.mjs', '--port', '0', '--data', freshDir(), '--renderer', rendererDir],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        // DUET_START=web makes the test the same on a machine that does have Electron.
        env: { ...process.env, DUET_START: 'web', ...env },
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const printed = new Promise<string>((resolve, reject) => {
      const t = setInterval(() => {
        const m = PRINTED_URL.exec(out);
        if (m) {
          clearInterval(t);
          resolve(m[0].slice('web mode at '.length));
        }
      }, 50);
      child.once('exit', (code) => {
        clearInterval(t);
        reject(new Error(`npm start exited with ${code}: ${err}`));
      });
    });
    const stop = () =>
      new Promise<void>((r) => {
        child.once('exit', () => r());
        child.kill('SIGTERM');
      });
    return { printed, stop, stderr: () => err };
  }

  it('starts web mode and opens the printed URL with the BROWSER command', async () => {
    const browser = recorder();
    const run = npmStart({ BROWSER: browser.command });
    try {
      const url = await run.printed;
      await expect.poll(() => existsSync(browser.argv), { timeout: 10_000 }).toBe(true);
      expect(JSON.parse(readFileSync(browser.argv, 'utf8'))).toEqual([url]);
    } finally {
      await run.stop();
    }
  });

  it('opens nothing with BROWSER=none', async () => {
    const browser = recorder();
    const run = npmStart({ BROWSER: 'none', PATH: join(browser.argv, '..') });
    try {
      await run.printed;
      await new Promise((r) => setTimeout(r, 300));
      expect(existsSync(browser.argv)).toBe(false);
      expect(run.stderr()).not.toMatch(/Could not start/);
    } finally {
      await run.stop();
    }
  });
});
