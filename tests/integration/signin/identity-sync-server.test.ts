// The whole chain of sandbox mode as the app assembles it (createMainServices): sign in against
// the sandbox's faces, and the embedded sync server accepts the identity that sign-in produced.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createNodePlatform } from '../../../src-main/platform/node';
import { createMainServices } from '../../../src-main/services/create';
import { startEmbeddedSyncServer } from '../../../src-main/services/embedded-sync';
import { jsonFileStore } from '../../../src-main/storage/json-file';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { LEE, MAYA } from '../../support/seed-people';
import { playBrowser } from './support/harness';

let sb: TestSandbox;
let dir: string;
let services: Awaited<ReturnType<typeof createMainServices>>;
beforeAll(async () => {
  sb = await startTestSandbox();
  dir = mkdtempSync(join(tmpdir(), 'duet-signin-chain-'));
  services = await createMainServices({
    mode: 'web',
    platform: createNodePlatform({ userData: dir, version: 'test' }),
    store: jsonFileStore(join(dir, 'settings.json')),
    startEmbeddedSyncServer: (trust) => startEmbeddedSyncServer(join(dir, 'sync-server'), trust),
    sandboxIssuer: sb.issuer,
    env: {},
  });
});
afterAll(async () => {
  await services.stop();
  await sb.close();
  rmSync(dir, { recursive: true, force: true });
});

async function roomsStatus(idToken: string): Promise<number> {
  await expect.poll(() => services.syncServer.info().state, { timeout: 10_000 }).toBe('running');
  const http = services.syncServer.info().url.replace(/^ws/, 'http');
  const res = await fetch(`${http}/rooms`, { headers: { authorization: `Bearer ${idToken}` } });
  return res.status;
}

it('the embedded sync server accepts the identity from a sandbox sign-in on either face, and nothing forged', async () => {
  const signIn = async (provider: 'google' | 'sandbox', as: string) => {
    const start = await services.accounts.connect(provider);
    const done = new Promise((resolve) => {
      const off = services.accounts.onSignIn((s) => {
        if (s.flowId === start.flowId && s.state !== 'waiting') {
          off();
          resolve(s);
        }
      });
    });
    await playBrowser(sb, start.authUrl, as);
    expect(await done).toMatchObject({ state: 'completed' });
  };

  await signIn('sandbox', LEE);
  const microsoft = services.accounts.identity()!;
  expect(microsoft.issuer).toBe(`${sb.microsoftAuthority}/v2.0`);
  expect(await roomsStatus(microsoft.idToken)).toBe(200);

  await signIn('google', MAYA);
  const accounts = services.accounts.list();
  expect(accounts.map((a) => [a.provider, a.email, a.sandbox])).toEqual([
    ['microsoft', LEE, true],
    ['google', MAYA, true],
  ]);
  // The identity is the first connected account's; the Google one is accepted as well.
  expect(services.accounts.identity()?.email).toBe(LEE);
  await services.accounts.disconnect(accounts[0]!.id);
  const google = services.accounts.identity()!;
  expect(google).toMatchObject({ email: MAYA, issuer: sb.issuer });
  expect(await roomsStatus(google.idToken)).toBe(200);

  // A token for another audience, or signed with a key the sandbox does not publish, is refused.
  expect(await roomsStatus(await sb.idToken(MAYA, { aud: 'someone-else' }))).toBe(401);
  expect(await roomsStatus(await sb.idToken(MAYA, { aud: 'duet-sandbox', unpublishedKey: true }))).toBe(401);
});
