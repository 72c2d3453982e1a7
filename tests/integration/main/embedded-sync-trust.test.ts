// The embedded sync server follows the app's settings live (docs/architecture.md §7): real ID
// tokens minted by the sandbox, checked by the real server that main's services started, before
// and after a settings change, without a restart.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createNodePlatform } from '../../../src-main/platform/node';
import { createMainServices } from '../../../src-main/services/create';
import {
  SANDBOX_CLIENT_ID,
  sandboxTrustOf,
  startEmbeddedSyncServer,
  type SandboxTrust,
} from '../../../src-main/services/embedded-sync';
import { jsonFileStore } from '../../../src-main/storage/json-file';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { call, connect, createRoom } from '../sync-server/support/harness';

const MAYA = 'maya.chen@acme.test';
const SAM = 'sam.rivera@acme.test';
const GOOGLE_CLIENT = '1234-acme.apps.googleusercontent.com';
const MICROSOFT_CLIENT = '6f1c1c9e-8a43-4e1f-9d6b-1f0f5e0c2a77';

let sb: TestSandbox;
let dir: string;
let services: Awaited<ReturnType<typeof createMainServices>>;
/** What the injected sandbox callback answers: the running sandbox, or null (not running). */
let sandbox: SandboxTrust | null;
let httpUrl: string;
let wsUrl: string;

beforeAll(async () => {
  sb = await startTestSandbox();
  dir = mkdtempSync(join(tmpdir(), 'duet-embedded-trust-'));
  services = await createMainServices({
    mode: 'web',
    platform: createNodePlatform({ userData: dir, version: '0.0.0' }),
    store: jsonFileStore(join(dir, 'settings.json')),
    env: {},
    startEmbeddedSyncServer: (trust) => startEmbeddedSyncServer(join(dir, 'sync-server'), trust),
    sandboxTrust: () => sandbox,
  });
  // createMainServices starts the embedded server without waiting; configure('') queues behind it.
  const info = await services.syncServer.configure('');
  expect(info).toMatchObject({ embedded: true, state: 'running' });
  wsUrl = info.url;
  httpUrl = info.url.replace(/^ws:/, 'http:');
});

afterAll(async () => {
  await services?.stop();
  await sb?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  sandbox = sandboxTrustOf(sb, readFileSync(sb.caCertPath, 'utf8'));
  services.settings.update({ calendarMode: 'sandbox', googleClientId: '', microsoftClientId: '' });
});

/** The status the embedded server answers for this token (200 accepted, 401 refused). */
async function statusFor(token: string): Promise<number> {
  return (await call(httpUrl, 'GET', '/rooms', { token })).status;
}

/** The server never restarted: it is the same one, at the same address. */
function expectSameServer() {
  expect(services.syncServer.info()).toMatchObject({ url: wsUrl, embedded: true, state: 'running' });
}

describe('embedded sync server trust', () => {
  it('accepts tokens from both sandbox faces for the sandbox client id, in sandbox mode', async () => {
    const google = await sb.idToken(MAYA, { aud: SANDBOX_CLIENT_ID });
    const microsoft = await sb.idToken(MAYA, { aud: SANDBOX_CLIENT_ID, issuer: 'microsoft' });
    expect(await statusFor(google)).toBe(200);
    expect(await statusFor(microsoft)).toBe(200);
    // The same token for another audience is still refused: the sandbox is trusted for its own.
    expect(await statusFor(await sb.idToken(MAYA, { aud: 'someone-else' }))).toBe(401);
  });

  it('accepts a client id saved in Settings at once, and stops when it is cleared', async () => {
    const google = await sb.idToken(MAYA, { aud: GOOGLE_CLIENT });
    const microsoft = await sb.idToken(MAYA, { aud: MICROSOFT_CLIENT, issuer: 'microsoft' });
    expect(await statusFor(google)).toBe(401);
    expect(await statusFor(microsoft)).toBe(401);

    services.settings.update({ googleClientId: ` ${GOOGLE_CLIENT} ` });
    expect(await statusFor(google)).toBe(200);
    expect(await statusFor(microsoft)).toBe(401);
    services.settings.update({ microsoftClientId: MICROSOFT_CLIENT });
    expect(await statusFor(microsoft)).toBe(200);

    services.settings.update({ googleClientId: '' });
    expect(await statusFor(google)).toBe(401);
    expectSameServer();
  });

  it('never trusts the sandbox in real mode, and trusts it again back in sandbox mode', async () => {
    const token = await sb.idToken(MAYA, { aud: SANDBOX_CLIENT_ID });
    services.settings.update({ calendarMode: 'real' });
    expect(await statusFor(token)).toBe(401);
    // Not even for a client id the user configured: in real mode only real issuers count.
    services.settings.update({ googleClientId: GOOGLE_CLIENT });
    expect(await statusFor(await sb.idToken(MAYA, { aud: GOOGLE_CLIENT }))).toBe(401);
    services.settings.update({ calendarMode: 'sandbox' });
    expect(await statusFor(token)).toBe(200);
    expectSameServer();
  });

  it('follows the sandbox starting and stopping (the callback answers null)', async () => {
    const token = await sb.idToken(MAYA, { aud: SANDBOX_CLIENT_ID });
    sandbox = null;
    expect(await statusFor(token)).toBe(401);
    sandbox = sandboxTrustOf(sb, readFileSync(sb.caCertPath, 'utf8'));
    expect(await statusFor(token)).toBe(200);
  });

  it("fetches the sandbox's keys with the CA the callback gives", async () => {
    // Fresh sandboxes (new issuers, never discovered). A given CA replaces the process's extra
    // CAs for these fetches, so: behind a CA the callback does not name, the server cannot check
    // the keys, which is "unavailable" (503), not the caller's fault (401); with its own, it can.
    const [unnamed, named] = await Promise.all([startTestSandbox(), startTestSandbox()]);
    try {
      sandbox = sandboxTrustOf(unnamed, rootCertificates[0]);
      expect(await statusFor(await unnamed.idToken(MAYA, { aud: SANDBOX_CLIENT_ID }))).toBe(503);
      sandbox = sandboxTrustOf(named, readFileSync(named.caCertPath, 'utf8'));
      expect(await statusFor(await named.idToken(MAYA, { aud: SANDBOX_CLIENT_ID }))).toBe(200);
    } finally {
      await Promise.all([unnamed.close(), named.close()]);
    }
  });

  it('lets two sandbox users share a room over y-websocket once trusted', async () => {
    const maya = await sb.idToken(MAYA, { aud: SANDBOX_CLIENT_ID });
    const sam = await sb.idToken(SAM, { aud: SANDBOX_CLIENT_ID, issuer: 'microsoft' });
    const roomId = await createRoom(httpUrl, maya, [MAYA, SAM]);
    const a = connect(wsUrl, roomId, maya);
    const b = connect(wsUrl, roomId, sam);
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
