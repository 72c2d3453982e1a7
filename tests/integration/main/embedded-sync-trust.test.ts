// The embedded sync server follows the app's settings live (docs/architecture.md §7): real ID
// tokens minted by the sandbox, checked by the real server that main's services started, before
// and after a settings change, without a restart.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createNodePlatform } from '../../../src-main/platform/node';
import { createMainServices, type ServiceDeps } from '../../../src-main/services/create';
import {
  sandboxSyncTrust,
  startEmbeddedSyncServer,
  type SandboxSyncTrust,
} from '../../../src-main/services/embedded-sync';
import { SANDBOX_CLIENT_ID } from '../../../src-main/services/sandbox';
import { jsonFileStore } from '../../../src-main/storage/json-file';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { call, connect, createRoom } from '../sync-server/support/harness';

const MAYA = 'maya.chen@acme.test';
const SAM = 'sam.rivera@acme.test';
const GOOGLE_CLIENT = '1234-acme.apps.googleusercontent.com';
const MICROSOFT_CLIENT = '6f1c1c9e-8a43-4e1f-9d6b-1f0f5e0c2a77';

type Services = Awaited<ReturnType<typeof createMainServices>>;

let sb: TestSandbox;
const dirs: string[] = [];
const started: Services[] = [];

/** main's services as the web host assembles them, with the real embedded sync server. */
async function startServices(deps: Partial<ServiceDeps> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'duet-embedded-trust-'));
  dirs.push(dir);
  const services = await createMainServices({
    mode: 'web',
    platform: createNodePlatform({ userData: dir, version: '0.0.0' }),
    store: jsonFileStore(join(dir, 'settings.json')),
    env: {},
    startEmbeddedSyncServer: (trust) => startEmbeddedSyncServer(join(dir, 'sync-server'), trust),
    ...deps,
  });
  started.push(services);
  // createMainServices starts the embedded server without waiting; configure('') queues behind it.
  const info = await services.syncServer.configure('');
  expect(info).toMatchObject({ embedded: true, state: 'running' });
  const httpUrl = info.url.replace(/^ws:/, 'http:');
  return {
    services,
    wsUrl: info.url,
    httpUrl,
    /** The status the embedded server answers for this token (200 accepted, 401 refused). */
    statusFor: async (token: string) => (await call(httpUrl, 'GET', '/rooms', { token })).status,
    /** The server never restarted: it is the same one, at the same address. */
    expectSameServer: () =>
      expect(services.syncServer.info()).toMatchObject({ url: info.url, embedded: true, state: 'running' }),
  };
}

beforeAll(async () => {
  sb = await startTestSandbox();
});

afterAll(async () => {
  for (const s of started) await s.stop();
  await sb?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('embedded sync server trust, with the app’s sandbox service', () => {
  let app: Awaited<ReturnType<typeof startServices>>;
  beforeAll(async () => {
    // The sandbox service reads the running test sandbox (`--sandbox URL`), as the web host does.
    app = await startServices({ sandboxIssuer: sb.issuer, sandboxCaDir: dirname(sb.caCertPath) });
  });
  beforeEach(() => {
    app.services.settings.update({ calendarMode: 'sandbox', googleClientId: '', microsoftClientId: '' });
  });

  it('trusts the sandbox once the app has reached it, for both faces and its client id only', async () => {
    const google = await sb.idToken(MAYA, { aud: SANDBOX_CLIENT_ID });
    const microsoft = await sb.idToken(MAYA, { aud: SANDBOX_CLIENT_ID, issuer: 'microsoft' });
    // Not yet reached: nothing of the sandbox is trusted.
    expect(await app.statusFor(google)).toBe(401);
    await app.services.sandbox.ready();
    expect(await app.statusFor(google)).toBe(200);
    expect(await app.statusFor(microsoft)).toBe(200);
    // The sandbox is trusted for its own audience, not for any.
    expect(await app.statusFor(await sb.idToken(MAYA, { aud: 'someone-else' }))).toBe(401);
    app.expectSameServer();
  });

  it('accepts a client id saved in Settings at once, and stops when it is cleared', async () => {
    await app.services.sandbox.ready();
    const google = await sb.idToken(MAYA, { aud: GOOGLE_CLIENT });
    const microsoft = await sb.idToken(MAYA, { aud: MICROSOFT_CLIENT, issuer: 'microsoft' });
    expect(await app.statusFor(google)).toBe(401);
    expect(await app.statusFor(microsoft)).toBe(401);

    app.services.settings.update({ googleClientId: ` ${GOOGLE_CLIENT} ` });
    expect(await app.statusFor(google)).toBe(200);
    expect(await app.statusFor(microsoft)).toBe(401);
    app.services.settings.update({ microsoftClientId: MICROSOFT_CLIENT });
    expect(await app.statusFor(microsoft)).toBe(200);

    app.services.settings.update({ googleClientId: '' });
    expect(await app.statusFor(google)).toBe(401);
    app.expectSameServer();
  });

  it('never trusts the sandbox in real mode, and trusts it again back in sandbox mode', async () => {
    await app.services.sandbox.ready();
    const token = await sb.idToken(MAYA, { aud: SANDBOX_CLIENT_ID });
    app.services.settings.update({ calendarMode: 'real' });
    expect(await app.statusFor(token)).toBe(401);
    // Not even for a client id the user configured: in real mode only real issuers count.
    app.services.settings.update({ googleClientId: GOOGLE_CLIENT });
    expect(await app.statusFor(await sb.idToken(MAYA, { aud: GOOGLE_CLIENT }))).toBe(401);
    app.services.settings.update({ calendarMode: 'sandbox' });
    expect(await app.statusFor(token)).toBe(200);
    app.expectSameServer();
  });

  it('lets two sandbox users share a room over y-websocket', async () => {
    await app.services.sandbox.ready();
    const maya = await sb.idToken(MAYA, { aud: SANDBOX_CLIENT_ID });
    const sam = await sb.idToken(SAM, { aud: SANDBOX_CLIENT_ID, issuer: 'microsoft' });
    const roomId = await createRoom(app.httpUrl, maya, [MAYA, SAM]);
    const a = connect(app.wsUrl, roomId, maya);
    const b = connect(app.wsUrl, roomId, sam);
    try {
      await Promise.all([a.synced(), b.synced()]);
      a.text.insert(0, 'agenda');
      await expect.poll(() => b.text.toString()).toBe('agenda');
    } finally {
      a.destroy();
      b.destroy();
    }
  });
});

describe('embedded sync server trust, through the injected sandbox callback', () => {
  let app: Awaited<ReturnType<typeof startServices>>;
  /** What the callback answers: a sandbox's trust, or null (none running). */
  let sandbox: SandboxSyncTrust | null = null;
  beforeAll(async () => {
    app = await startServices({ sandboxTrust: () => sandbox });
  });

  it('follows the callback: null trusts nothing of the sandbox, a value trusts it at once', async () => {
    const token = await sb.idToken(MAYA, { aud: SANDBOX_CLIENT_ID });
    sandbox = sandboxSyncTrust(sb.discovery());
    expect(await app.statusFor(token)).toBe(200);
    sandbox = null;
    expect(await app.statusFor(token)).toBe(401);
  });

  it('lets only the Microsoft face prove an email with tid + xms_edov', async () => {
    // The Microsoft face's tokens carry no email_verified, only Microsoft's own proof. Trusted
    // as a Microsoft authority they pass; trusted as a plain issuer, that proof counts for nothing.
    const microsoft = await sb.idToken(MAYA, { aud: SANDBOX_CLIENT_ID, issuer: 'microsoft' });
    const trust = sandboxSyncTrust(sb.discovery());
    sandbox = trust;
    expect(await app.statusFor(microsoft)).toBe(200);
    sandbox = { ...trust, issuers: [...trust.issuers, ...trust.microsoftIssuers], microsoftIssuers: [] };
    expect(await app.statusFor(microsoft)).toBe(401);
  });

  it("fetches the sandbox's keys with the CA the callback gives", async () => {
    // Fresh sandboxes (new issuers, never discovered). A given CA replaces the process's extra
    // CAs for these fetches, so: behind a CA the callback does not name, the server cannot check
    // the keys, which is "unavailable" (503), not the caller's fault (401); with its own, it can.
    const [unnamed, named] = await Promise.all([startTestSandbox(), startTestSandbox()]);
    try {
      sandbox = { ...sandboxSyncTrust(unnamed.discovery()), certificates: [rootCertificates[0]!] };
      expect(await app.statusFor(await unnamed.idToken(MAYA, { aud: SANDBOX_CLIENT_ID }))).toBe(503);
      sandbox = sandboxSyncTrust({ ...named.discovery(), caCertPem: readFileSync(named.caCertPath, 'utf8') });
      expect(await app.statusFor(await named.idToken(MAYA, { aud: SANDBOX_CLIENT_ID }))).toBe(200);
    } finally {
      await Promise.all([unnamed.close(), named.close()]);
    }
  });
});
