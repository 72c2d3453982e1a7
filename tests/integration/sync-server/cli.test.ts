// The command-line interface exactly as other tools use it: npm run -s sync-server -- ...
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openLevelStorage } from '../../../sync-server';
import { REPO_ROOT, call, connect, createRoom, waitFor } from './support/harness';
import { serverFlags } from './support/server-suite';
import { startTokenSource, type ClosableTokenSource } from './support/token-source';

let tokens: ClosableTokenSource;
const dataDir = mkdtempSync(join(tmpdir(), 'duet-cli-'));

beforeAll(async () => {
  tokens = await startTokenSource();
});
afterAll(async () => {
  await tokens?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm run -s sync-server', () => {
  it('prints one JSON line, serves, and flushes everything on SIGTERM', { timeout: 30_000 }, async () => {
    const args = ['run', '-s', 'sync-server', '--', ...serverFlags(tokens, dataDir)];
    if (tokens.caPath) args.push('--ca', tokens.caPath);
    const child = spawn('npm', args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: string[] = [];
    const stderr: string[] = [];
    createInterface({ input: child.stdout! }).on('line', (l) => stdout.push(l));
    createInterface({ input: child.stderr! }).on('line', (l) => stderr.push(l));
    const exited = new Promise<number | string | null>((resolve) =>
      child.once('exit', (code, signal) => resolve(code ?? signal)),
    );
    // npm may exit before the server it runs; stderr ends only when the server process is gone.
    const serverGone = new Promise<void>((resolve) => child.stderr!.once('end', resolve));
    await waitFor(() => stdout.length > 0, 'ready line', 20_000);
    const ready = JSON.parse(stdout[0]!) as { url: string; httpUrl: string };
    expect(Object.keys(ready).sort()).toEqual(['httpUrl', 'url']);
    expect(ready.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    expect(ready.httpUrl).toBe(ready.url.replace('ws://', 'http://'));

    const health = await call(ready.httpUrl, 'GET', '/healthz');
    expect(health.status).toBe(200);
    const roomId = await createRoom(
      ready.httpUrl,
      await tokens.token('alice@example.com'),
      ['alice@example.com', 'bob@example.com'],
      'cli@google.com',
    );
    const alice = connect(ready.url, roomId, await tokens.token('alice@example.com'));
    await alice.synced();
    for (let i = 0; i < 30; i++) alice.text.insert(alice.text.length, `${i},`);
    const expected = alice.text.toString();
    await new Promise((r) => setTimeout(r, 100));

    child.kill('SIGTERM');
    // npm forwards the signal, then re-raises it on itself once the script is done.
    expect([0, 'SIGTERM']).toContain(await exited);
    await serverGone;
    alice.destroy();
    expect(stdout).toHaveLength(1); // nothing but the ready line on stdout
    expect(stderr.length).toBeGreaterThan(0);
    for (const line of stderr) expect(() => JSON.parse(line)).not.toThrow(); // structured logs
    expect(stderr.some((l) => (JSON.parse(l) as { msg: string }).msg === 'sync server stopped')).toBe(true);
    // the secret that keys room ids is private to the server's user
    expect(statSync(join(dataDir, 'server-secret')).mode & 0o077).toBe(0);

    const storage = await openLevelStorage(join(dataDir, 'leveldb'));
    const doc = new Y.Doc();
    for (const u of await storage.loadRoom(roomId)) Y.applyUpdate(doc, u);
    expect(doc.getText('notes').toString()).toBe(expected);
    expect(await storage.countUpdates(roomId)).toBe(1); // compacted on the way out
    await storage.close();
  });

  it('rejects unknown flags with a usage message', async () => {
    const child = spawn('npm', ['run', '-s', 'sync-server', '--', '--bogus'], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(err).toMatch(/Usage: npm run -s sync-server/);
  });
});
