// The CLI contract: one JSON line with exactly the documented keys, HTTPS with the sandbox CA,
// and a clean exit on SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import type { TLSSocket } from 'node:tls';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { sandboxFetch } from '../../support/sandbox';

const ROOT = resolve(import.meta.dirname, '../../..');
const KEYS = ['googleRootUrl', 'googleAuthUrl', 'googleTokenUrl', 'googleRevokeUrl', 'graphBaseUrl', 'microsoftAuthority', 'issuer', 'jwksUrl', 'caCertPath', 'adminUrl'];

const TSX = resolve(ROOT, 'node_modules/.bin/tsx');

let child: ChildProcess | undefined;

async function waitUntilRefused(adminUrl: string, caCertPath: string): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const refused = await sandboxFetch(caCertPath)('GET', `${adminUrl}/people`).then(
      () => false,
      () => true,
    );
    if (refused) return;
    if (Date.now() > deadline) throw new Error('the sandbox is still answering after SIGTERM');
    await new Promise((r) => setTimeout(r, 100));
  }
}
afterEach(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
});

function firstLine(proc: ChildProcess): Promise<string> {
  return new Promise((resolveLine, reject) => {
    const rl = createInterface({ input: proc.stdout as NodeJS.ReadableStream });
    let stderr = '';
    proc.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => reject(new Error(`no JSON line in 30 s; stderr: ${stderr}`)), 30_000);
    rl.once('line', (line) => {
      clearTimeout(timer);
      resolveLine(line);
    });
    proc.once('exit', (code) => reject(new Error(`exited early with ${code}; stderr: ${stderr}`)));
  });
}

describe('npx tsx sandbox/cli.ts', () => {
  it('prints one JSON line with the documented keys, serves HTTPS, and exits on SIGTERM', async () => {
    child = spawn('npx', ['tsx', 'sandbox/cli.ts', '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } });
    const proc = child;
    let stdout = '';
    const line = await firstLine(proc);
    proc.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    const info = JSON.parse(line) as Record<string, string>;
    expect(Object.keys(info).sort()).toEqual([...KEYS].sort());
    expect(info.googleRootUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/);
    expect(info.graphBaseUrl).toMatch(/\/v1\.0$/);
    expect(info.microsoftAuthority).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/[0-9a-f-]{36}$/);
    expect(info.adminUrl).toMatch(/\/_admin$/);
    expect(info.caCertPath).toMatch(/^\//);

    // the leaf is for 127.0.0.1 and localhost, issued by the CA at caCertPath
    const ca = readFileSync(info.caCertPath as string, 'utf8');
    const port = Number(new URL(info.issuer as string).port);
    const peer = await new Promise<X509Certificate>((done, fail) => {
      const req = https.get({ host: '127.0.0.1', port, path: '/', ca }, (res) => {
        const cert = new X509Certificate((res.socket as TLSSocket).getPeerX509Certificate()?.raw as Buffer);
        res.resume();
        done(cert);
      });
      req.on('error', fail);
    });
    expect(peer.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(peer.subjectAltName).toContain('DNS:localhost');
    expect(peer.verify(new X509Certificate(ca).publicKey)).toBe(true);

    const discovery = await sandboxFetch(info.caCertPath as string)<{ issuer: string; jwks_uri: string }>('GET', `${info.issuer}/.well-known/openid-configuration`);
    expect(discovery.body.issuer).toBe(info.issuer);
    expect(discovery.body.jwks_uri).toBe(info.jwksUrl);
    const people = await sandboxFetch(info.caCertPath as string)<{ me: string }>('GET', `${info.adminUrl}/people`);
    expect(people.body.me).toBe('maya.chen@acme.test');

    const exited = new Promise<{ code: number | null; signal: string | null }>((done) => proc.once('exit', (code, signal) => done({ code, signal })));
    proc.kill('SIGTERM');
    // npx itself dies of the signal; the sandbox below it notices and shuts down cleanly.
    const { code, signal } = await exited;
    expect(code === 0 || signal === 'SIGTERM').toBe(true);
    expect(stdout).toBe(''); // exactly one line was printed
    await waitUntilRefused(info.adminUrl as string, info.caCertPath as string);
  }, 60_000);

  it('loads --seed FILE and refuses a bad one with a message', async () => {
    const seed = resolve(ROOT, 'sandbox/examples/minimal-scenario.json');
    child = spawn(TSX, ['sandbox/cli.ts', '--port', '0', '--seed', seed], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const info = JSON.parse(await firstLine(child)) as Record<string, string>;
    const people = await sandboxFetch(info.caCertPath as string)<{ me: string; people: unknown[] }>('GET', `${info.adminUrl}/people`);
    expect(people.body.me).toBe('lead@example.test');
    expect(people.body.people).toHaveLength(2);
    const exited = new Promise<number | null>((done) => child?.once('exit', (code) => done(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    await waitUntilRefused(info.adminUrl as string, info.caCertPath as string);

    const bad = spawn(TSX, ['sandbox/cli.ts', '--port', '0', '--seed', resolve(ROOT, 'package.json')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    child = bad;
    let stderr = '';
    bad.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((done) => bad.once('exit', (c) => done(c)));
    expect(code).toBe(1);
    expect(stderr).toContain('people');
  }, 60_000);
});
