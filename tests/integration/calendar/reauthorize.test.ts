// A provider that refuses an access token the app still thinks valid (401) gets one forced
// refresh and the call again (src-main/calendar/reauthorizing.ts, docs/architecture.md §6); a
// grant revoked at the provider turns the account into "needs reconnect". Real sign-in, real SDKs,
// the sandbox's faces.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createProviderFor } from '../../../src-main/calendar/provider-factory';
import { ProviderHttpError } from '../../../src-main/calendar/provider';
import { ReconnectRequiredError } from '../../../src-main/services/types';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { MAYA } from '../../support/seed-people';
import { playBrowser, startApp, type App } from '../signin/support/harness';

let sb: TestSandbox;
const apps: App[] = [];
beforeAll(async () => {
  sb = await startTestSandbox();
});
afterEach(async () => {
  while (apps.length > 0) await apps.pop()?.close();
});
afterAll(() => sb.close());

const FACES = [
  { connect: 'google', face: 'google', api: '/calendar/v3/' },
  { connect: 'sandbox', face: 'microsoft', api: '/v1.0/' },
] as const;

for (const { connect, face, api } of FACES) {
  describe(`${connect} (${face} face)`, () => {
    it('a 401 on a token the app thinks valid: refreshed once, the call succeeds; a revoked grant → needs reconnect', async () => {
      const a = await startApp(sb);
      apps.push(a);
      const start = await a.accounts.connect(connect);
      await playBrowser(sb, start.authUrl, MAYA);
      const { accountId } = await a.outcome(start.flowId);
      const account = a.accounts.list().find((x) => x.id === accountId);
      if (!account) throw new Error('no account after sign-in');
      const provider = createProviderFor(account, a.accounts);
      expect((await provider.listCalendars()).some((c) => c.primary)).toBe(true);
      const before = await a.accounts.getAccessToken(account.id);

      // The provider ends the token early; by the app's clock it still has most of an hour.
      expect((await sb.admin.expireAccessTokens(MAYA, face)).expired).toBeGreaterThan(0);
      const refusedBefore = (await sb.admin.requests()).filter((r) => r.status === 401 && r.path.includes(api)).length;
      const calendars = await provider.listCalendars();
      expect(calendars.some((c) => c.primary)).toBe(true);
      const refused = (await sb.admin.requests()).filter((r) => r.status === 401 && r.path.includes(api)).length - refusedBefore;
      expect(refused).toBe(1);
      const after = await a.accounts.getAccessToken(account.id);
      expect(after).not.toBe(before);
      expect(a.accounts.list()[0]?.auth).toBe('connected');

      // An import (many calls) with a refused token: one refresh, nothing lost.
      await sb.admin.expireAccessTokens(MAYA, face);
      const now = Date.now();
      const round = await provider.fullImport(calendars.find((c) => c.primary)!.id, { from: now - 30 * 86_400_000, to: now + 28 * 86_400_000 });
      expect(round.changes.length).toBeGreaterThan(0);
      expect(round.cursor).toBeTruthy();

      // The grant is revoked at the provider: the forced refresh learns it, the account needs reconnect.
      await sb.admin.revoke(MAYA, face);
      await expect(provider.listCalendars()).rejects.toBeInstanceOf(ReconnectRequiredError);
      expect(a.accounts.list()[0]?.auth).toBe('needs-reconnect');
    });
  });
}

it('a 401 that survives the refresh is reported, not retried forever', async () => {
  // A token source that always hands out a token the provider refuses: exactly two calls reach it.
  const { createGoogleProvider } = await import('../../../src-main/calendar/google-provider');
  const { reauthorizing } = await import('../../../src-main/calendar/reauthorizing');
  let refreshes = 0;
  const provider = reauthorizing(createGoogleProvider({ rootUrl: sb.googleRootUrl, accessToken: () => Promise.resolve('not-a-token'), accountId: MAYA }), () => {
    refreshes++;
    return Promise.resolve();
  });
  const before = (await sb.admin.requests('/calendar/v3/users/me/calendarList')).length;
  const err = await provider.listCalendars().catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ProviderHttpError);
  expect((err as ProviderHttpError).status).toBe(401);
  expect(refreshes).toBe(1);
  expect((await sb.admin.requests('/calendar/v3/users/me/calendarList')).length - before).toBe(2);
});
