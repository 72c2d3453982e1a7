// Sign-in through the accounts service with the real google-auth-library and msal-node against
// the sandbox (docs/architecture.md §6). The test plays the browser: it follows authUrl over
// HTTPS, picks a person on the sandbox's sign-in page and carries the answer to the app's loopback.
import { decodeJwt } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ReconnectRequiredError } from '../../../src-main/services/types';
import { SANDBOX_CLIENT_ID, SANDBOX_GOOGLE_CLIENT_SECRET } from '../../../src-main/services/sandbox';
import { sandboxFetch, startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { LEE, MAYA, SAM, TOM } from '../../support/seed-people';
import { deliver, playBrowser, signInPage, startApp, storeText, unsealed, type App } from './support/harness';

let sb: TestSandbox;
const apps: App[] = [];
beforeAll(async () => {
  sb = await startTestSandbox();
});
afterAll(() => sb.close());
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
  await sb.admin.settings({ accessTokenTtlSeconds: 3599, idTokenTtlSeconds: 3600, googleRotatesRefreshTokens: false });
});
async function app(options: Parameters<typeof startApp>[1] = {}): Promise<App> {
  const a = await startApp(sb, options);
  apps.push(a);
  return a;
}

const post = (url: string, form: Record<string, string>) =>
  sandboxFetch(sb.caCertPath)<{ error?: string; error_description?: string; access_token?: string }>('POST', url, new URLSearchParams(form).toString(), {
    'content-type': 'application/x-www-form-urlencoded',
  });

async function googleCalendarId(accessToken: string): Promise<string | undefined> {
  const res = await sandboxFetch(sb.caCertPath)<{ items: Array<{ id: string; primary?: boolean }> }>('GET', `${sb.googleRootUrl}calendar/v3/users/me/calendarList`, undefined, {
    authorization: `Bearer ${accessToken}`,
  });
  return res.body.items?.find((c) => c.primary)?.id;
}
async function graphMe(accessToken: string): Promise<string | undefined> {
  const res = await sandboxFetch(sb.caCertPath)<{ mail: string }>('GET', `${sb.graphBaseUrl}/me`, undefined, { authorization: `Bearer ${accessToken}` });
  return res.body.mail;
}

describe('Google (google-auth-library) against the sandbox face', () => {
  it('signs in with PKCE S256, a checked state and the client secret through a 127.0.0.1 loopback', async () => {
    const a = await app();
    const start = await a.accounts.connect('google');
    expect(start.openedExternally).toBe(false); // web mode: the page opens authUrl in a new tab
    const url = new URL(start.authUrl);
    // The browser-facing page is the sandbox's plain-http sign-in origin (no certificate warning).
    expect(url.origin).toBe(new URL(sb.googleAuthUrl).origin);
    expect(url.protocol).toBe('http:');
    // ...which serves the sign-in pages only: the APIs and tokens stay on HTTPS.
    expect((await fetch(`${url.origin}/calendar/v3/users/me/calendarList`)).status).toBe(404);
    expect((await fetch(`${url.origin}/token`, { method: 'POST' })).status).toBe(404);
    expect(url.searchParams.get('client_id')).toBe(SANDBOX_CLIENT_ID);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('state')?.length).toBeGreaterThanOrEqual(32);
    expect(url.searchParams.get('access_type')).toBe('offline');
    expect(new URL(url.searchParams.get('redirect_uri') as string).hostname).toBe('127.0.0.1');
    expect(a.signIns).toEqual([{ flowId: start.flowId, provider: 'google', state: 'waiting' }]);

    const response = await signInPage(sb, start.authUrl, SAM);
    // The code is bound to the app's PKCE challenge: redeemed with another verifier it is refused.
    const stolen = await post(sb.googleTokenUrl, {
      grant_type: 'authorization_code',
      code: response.params.get('code') as string,
      client_id: SANDBOX_CLIENT_ID,
      client_secret: SANDBOX_GOOGLE_CLIENT_SECRET,
      redirect_uri: url.searchParams.get('redirect_uri') as string,
      code_verifier: 'x'.repeat(64),
    });
    expect(stolen.status).toBe(400);
    expect(stolen.body.error).toBe('invalid_grant');

    const page = await deliver(response);
    expect(page.status).toBe(200);
    expect(page.body).toContain('You can close this tab');
    const done = await a.outcome(start.flowId);
    expect(done).toMatchObject({ state: 'completed', provider: 'google' });
    const [account] = a.accounts.list();
    expect(account).toMatchObject({ id: done.accountId, provider: 'google', sandbox: true, email: SAM, auth: 'connected' });
    expect(a.accounts.endpoints(account!.id)).toEqual({ googleRootUrl: sb.googleRootUrl, ca: expect.stringContaining('BEGIN CERTIFICATE') });

    const token = await a.accounts.getAccessToken(account!.id);
    expect(await googleCalendarId(token)).toBe(SAM);
    const identity = a.accounts.identity();
    expect(identity).toMatchObject({ email: SAM, issuer: sb.issuer, accountId: account!.id });
    expect(decodeJwt(identity!.idToken)).toMatchObject({ aud: SANDBOX_CLIENT_ID, email: SAM });
    expect(a.identities).toHaveLength(1);

    // Tokens never sit in clear in the store's file.
    const text = storeText(a);
    expect(text).not.toContain(token);
    expect(text).not.toContain(identity!.idToken);
    const sealed = unsealed<{ refresh_token: string }>(a, `google.${account!.id}`);
    expect(sealed?.refresh_token).toBeTruthy();
    expect(text).not.toContain(sealed!.refresh_token);
  });

  it('refuses to start without the client secret of a real Google client, saying where to put it', async () => {
    const a = await app({ env: { DUET_GOOGLE_CLIENT_ID: '1234-abc.apps.googleusercontent.com' } });
    await expect(a.accounts.connect('google')).rejects.toThrow(/client secret.*DUET_GOOGLE_CLIENT_SECRET/s);
    expect(a.signIns).toEqual([]);
  });

  it('stores the rotated refresh token at once (sealed), and the old one is dead', async () => {
    await sb.admin.settings({ googleRotatesRefreshTokens: true, accessTokenTtlSeconds: 30 });
    const a = await app();
    const start = await a.accounts.connect('google');
    await playBrowser(sb, start.authUrl, MAYA);
    const { accountId } = await a.outcome(start.flowId);
    const first = unsealed<{ refresh_token: string }>(a, `google.${accountId}`)!.refresh_token;
    // The access token lives 30 s, inside the refresh margin: the next use refreshes.
    const token = await a.accounts.getAccessToken(accountId!);
    const second = unsealed<{ refresh_token: string }>(a, `google.${accountId}`)!.refresh_token;
    expect(second).not.toBe(first);
    expect(storeText(a)).not.toContain(second);
    expect(await googleCalendarId(token)).toBe(MAYA);
    const replay = await post(sb.googleTokenUrl, { grant_type: 'refresh_token', refresh_token: first, client_id: SANDBOX_CLIENT_ID, client_secret: SANDBOX_GOOGLE_CLIENT_SECRET });
    expect(replay.body.error).toBe('invalid_grant');
    // Several callers at once spend the refresh token one after another, never twice.
    const tokens = await Promise.all([1, 2, 3].map(() => a.accounts.getAccessToken(accountId!)));
    for (const t of tokens) expect(await googleCalendarId(t)).toBe(MAYA);
    expect(a.accounts.list()[0]?.auth).toBe('connected');
  });

  it('revoked at the provider → needs reconnect (emitted); Reconnect as the same person works, as another is refused', async () => {
    await sb.admin.settings({ accessTokenTtlSeconds: 30 });
    const a = await app();
    const start = await a.accounts.connect('google');
    await playBrowser(sb, start.authUrl, TOM);
    const { accountId } = await a.outcome(start.flowId);
    await sb.admin.revoke(TOM, 'google');
    const changesBefore = a.changes;
    await expect(a.accounts.getAccessToken(accountId!)).rejects.toBeInstanceOf(ReconnectRequiredError);
    expect(a.accounts.list()[0]?.auth).toBe('needs-reconnect');
    expect(a.changes).toBeGreaterThan(changesBefore);
    expect(a.accounts.identity()).toBeNull();
    await expect(a.accounts.getAccessToken(accountId!)).rejects.toBeInstanceOf(ReconnectRequiredError);

    const wrong = await a.accounts.connect('google', accountId);
    expect(new URL(wrong.authUrl).searchParams.get('login_hint')).toBe(TOM);
    await playBrowser(sb, wrong.authUrl, SAM);
    expect(await a.outcome(wrong.flowId)).toMatchObject({ state: 'failed', error: expect.stringContaining(`this account is ${TOM}`) });
    expect(a.accounts.list()).toHaveLength(1);

    const again = await a.accounts.connect('google', accountId);
    await playBrowser(sb, again.authUrl, TOM);
    expect(await a.outcome(again.flowId)).toMatchObject({ state: 'completed', accountId });
    expect(a.accounts.list()[0]?.auth).toBe('connected');
    expect(await googleCalendarId(await a.accounts.getAccessToken(accountId!))).toBe(TOM);
    expect(a.accounts.identity()?.email).toBe(TOM);
  });

  it('disconnect revokes the grant at the provider and forgets the tokens', async () => {
    const a = await app();
    const start = await a.accounts.connect('google');
    await playBrowser(sb, start.authUrl, SAM);
    const { accountId } = await a.outcome(start.flowId);
    const refresh = unsealed<{ refresh_token: string }>(a, `google.${accountId}`)!.refresh_token;
    await a.accounts.disconnect(accountId!);
    expect(a.accounts.list()).toEqual([]);
    expect(a.accounts.identity()).toBeNull();
    expect(storeText(a)).not.toContain('auth.sealed.google');
    const after = await post(sb.googleTokenUrl, { grant_type: 'refresh_token', refresh_token: refresh, client_id: SANDBOX_CLIENT_ID, client_secret: SANDBOX_GOOGLE_CLIENT_SECRET });
    expect(after.body.error).toBe('invalid_grant');
  });
});

describe('Microsoft (msal-node) against the sandbox face', () => {
  it('"Connect sandbox calendar" signs in through msal’s loopback with PKCE S256 and form_post', async () => {
    const a = await app();
    const start = await a.accounts.connect('sandbox');
    const url = new URL(start.authUrl);
    expect(url.origin + url.pathname).toBe(`${new URL(sb.googleAuthUrl).origin}/${sb.tenantId}/oauth2/v2.0/authorize`);
    expect(url.searchParams.get('client_id')).toBe(SANDBOX_CLIENT_ID);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('response_mode')).toBe('form_post');
    const response = await signInPage(sb, start.authUrl, LEE);
    const stolen = await post(`${sb.microsoftAuthority}/oauth2/v2.0/token`, {
      grant_type: 'authorization_code',
      code: response.params.get('code') as string,
      client_id: SANDBOX_CLIENT_ID,
      redirect_uri: url.searchParams.get('redirect_uri') as string,
      code_verifier: 'y'.repeat(64),
      scope: 'User.Read',
    });
    expect(stolen.body.error).toBe('invalid_grant');
    expect(stolen.body.error_description).toContain('AADSTS501481');
    const page = await deliver(response);
    expect(page.body).toContain('You can close this tab');
    const done = await a.outcome(start.flowId);
    expect(done).toMatchObject({ state: 'completed', provider: 'sandbox' });
    const [account] = a.accounts.list();
    expect(account).toMatchObject({ provider: 'microsoft', sandbox: true, email: LEE, auth: 'connected' });
    expect(a.accounts.endpoints(account!.id)).toMatchObject({ graphBaseUrl: sb.graphBaseUrl });
    expect(await graphMe(await a.accounts.getAccessToken(account!.id))).toBe(LEE);
    expect(a.accounts.identity()).toMatchObject({ email: LEE, issuer: `${sb.microsoftAuthority}/v2.0` });
    // "Connect Microsoft 365" without a client id is the same sandbox face.
    const other = await a.accounts.connect('microsoft');
    expect(new URL(other.authUrl).pathname).toBe(`/${sb.tenantId}/oauth2/v2.0/authorize`);
    expect(a.accounts.cancelSignIn(other.flowId)).toBe(true);
  });

  it('stores each rotated refresh token in the sealed msal cache; the file never holds one in clear', async () => {
    await sb.admin.settings({ accessTokenTtlSeconds: 30 });
    const a = await app();
    const start = await a.accounts.connect('sandbox');
    await playBrowser(sb, start.authUrl, MAYA);
    const { accountId } = await a.outcome(start.flowId);
    const refreshTokens = () => {
      const cache = JSON.parse(unsealed<string>(a, `msal.sandbox.${SANDBOX_CLIENT_ID}`) as string) as { RefreshToken: Record<string, { secret: string }> };
      return Object.values(cache.RefreshToken).map((r) => r.secret);
    };
    const [first] = refreshTokens();
    expect(first).toBeTruthy();
    const token = await a.accounts.getAccessToken(accountId!); // expires within msal's margin: refreshes
    const [second] = refreshTokens();
    expect(second).not.toBe(first);
    const text = storeText(a);
    for (const secret of [first!, second!, token]) expect(text).not.toContain(secret);
    const tokens = await Promise.all([1, 2, 3].map(() => a.accounts.getAccessToken(accountId!)));
    for (const t of tokens) expect(await graphMe(t)).toBe(MAYA);
    expect(a.accounts.list()[0]?.auth).toBe('connected');
  });

  it('revoked at the provider → needs reconnect; Reconnect works', async () => {
    await sb.admin.settings({ accessTokenTtlSeconds: 30 });
    const a = await app();
    const start = await a.accounts.connect('sandbox');
    await playBrowser(sb, start.authUrl, SAM);
    const { accountId } = await a.outcome(start.flowId);
    await sb.admin.revoke(SAM, 'microsoft');
    await expect(a.accounts.getAccessToken(accountId!)).rejects.toBeInstanceOf(ReconnectRequiredError);
    expect(a.accounts.list()[0]?.auth).toBe('needs-reconnect');
    const again = await a.accounts.connect('sandbox', accountId);
    await playBrowser(sb, again.authUrl, SAM);
    expect(await a.outcome(again.flowId)).toMatchObject({ state: 'completed', accountId });
    expect(await graphMe(await a.accounts.getAccessToken(accountId!))).toBe(SAM);
  });
});

describe('the flow itself', () => {
  it('opens the system browser in the desktop app', async () => {
    const a = await app({ mode: 'desktop' });
    const start = await a.accounts.connect('google');
    expect(start.openedExternally).toBe(true);
    expect(a.opened).toEqual([start.authUrl]);
    a.accounts.cancelSignIn(start.flowId);
  });

  for (const provider of ['google', 'sandbox'] as const) {
    it(`${provider}: refuses a callback with another state and keeps waiting for the right one`, async () => {
      const a = await app();
      const start = await a.accounts.connect(provider);
      const response = await signInPage(sb, start.authUrl, MAYA);
      const forged = new URLSearchParams(response.params);
      forged.set('state', 'not-the-state-this-sign-in-sent');
      const refused = await deliver({ ...response, params: forged });
      expect(refused.status).toBe(400);
      expect(a.signIns.filter((s) => s.state !== 'waiting')).toEqual([]);
      await deliver(response);
      expect(await a.outcome(start.flowId)).toMatchObject({ state: 'completed' });
    });

    it(`${provider}: Cancel ends the sign-in and closes the loopback`, async () => {
      const a = await app();
      const start = await a.accounts.connect(provider);
      const response = await signInPage(sb, start.authUrl, MAYA);
      expect(a.accounts.cancelSignIn(start.flowId)).toBe(true);
      expect(await a.outcome(start.flowId)).toMatchObject({ state: 'cancelled' });
      expect(a.accounts.cancelSignIn(start.flowId)).toBe(false);
      await new Promise((r) => setTimeout(r, 1200));
      await expect(deliver(response)).rejects.toThrow();
      expect(a.accounts.list()).toEqual([]);
    });

    it(`${provider}: times out when the browser never comes back`, async () => {
      const a = await app({ signInTimeoutMs: 400 });
      const start = await a.accounts.connect(provider);
      expect(await a.outcome(start.flowId)).toMatchObject({ state: 'timed-out' });
      expect(a.accounts.list()).toEqual([]);
    });

    it(`${provider}: keeps the ID token fresh: refreshed before it expires, and emitted`, async () => {
      await sb.admin.settings({ idTokenTtlSeconds: 6 });
      const a = await app({ identityRefreshLeadMs: 4000 });
      const start = await a.accounts.connect(provider);
      await playBrowser(sb, start.authUrl, MAYA);
      await a.outcome(start.flowId);
      const first = a.accounts.identity()!;
      expect(first.expiresAt - Date.now()).toBeLessThanOrEqual(6000);
      await expect.poll(() => a.identities.length, { timeout: 8000 }).toBeGreaterThanOrEqual(2);
      const second = a.accounts.identity()!;
      expect(second.idToken).not.toBe(first.idToken);
      expect(second.expiresAt).toBeGreaterThan(first.expiresAt);
      expect(Date.now()).toBeLessThan(first.expiresAt); // before the old one ran out
      expect(decodeJwt(second.idToken).email).toBe(MAYA);
    });
  }
});

describe('state and PKCE values', () => {
  it('never repeats a state or a challenge', async () => {
    const a = await app();
    const seen = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const start = await a.accounts.connect('google');
      const url = new URL(start.authUrl);
      for (const k of ['state', 'code_challenge']) {
        const v = url.searchParams.get(k) as string;
        expect(seen.has(v)).toBe(false);
        seen.add(v);
      }
      a.accounts.cancelSignIn(start.flowId);
    }
  });
});
