// Google sign-in through the real google-auth-library: PKCE S256 with a loopback redirect,
// refresh, revoke, userinfo and ID token verification; plus the consent page itself.
import { CodeChallengeMethod, type OAuth2Client } from 'google-auth-library';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approveInBrowser, googleCalendar, googleOAuthClient } from '../../support/sandbox-clients';
import { sandboxFetch, startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { MAYA, SAM, googleFailure, startReceiver } from './helpers';

const CLIENT_ID = 'duet-desktop.apps.sandbox';
const CLIENT_SECRET = 'desktop-client-secret';
const SCOPES = ['openid', 'email', 'profile', 'https://www.googleapis.com/auth/calendar'];

let sb: TestSandbox;
let loopback: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  sb = await startTestSandbox();
  loopback = await startReceiver((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<p>You can close this window.</p>');
  });
});
afterAll(async () => {
  await loopback.close();
  await sb.close();
});

async function authorize(client: OAuth2Client, extra: Record<string, string> = {}): Promise<{ code: string; state: string; codeVerifier: string }> {
  const { codeVerifier, codeChallenge } = await client.generateCodeVerifierAsync();
  const state = `st-${Math.random().toString(36).slice(2)}`;
  const url = client.generateAuthUrl({
    access_type: 'offline',
    scope: SCOPES,
    code_challenge: codeChallenge as string,
    code_challenge_method: CodeChallengeMethod.S256,
    state,
    ...extra,
  });
  const before = loopback.received.length;
  const redirect = await approveInBrowser(sb, url, { deliver: true });
  // The app's loopback listener received the redirect with the code and the same state.
  const hit = loopback.received[before];
  expect(hit?.url).toContain('code=');
  expect(redirect.searchParams.get('state')).toBe(state);
  return { code: redirect.searchParams.get('code') as string, state, codeVerifier };
}

describe('Google sign-in with PKCE', () => {
  it('exchanges the code, verifies the ID token, calls the API, refreshes and revokes', async () => {
    const client = googleOAuthClient(sb, { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: `${loopback.url.replace('/hook', '')}/callback` });
    const { code, codeVerifier } = await authorize(client, { login_hint: SAM });
    const { tokens } = await client.getToken({ code, codeVerifier });
    expect(tokens.access_token).toMatch(/^ya29\./);
    expect(tokens.refresh_token).toBeTruthy();
    expect(tokens.scope?.split(' ')).toEqual(SCOPES);
    expect(tokens.expiry_date).toBeGreaterThan(Date.now());

    // The ID token verifies with google-auth-library against the sandbox's certificates...
    const ticket = await client.verifyIdToken({ idToken: tokens.id_token as string, audience: CLIENT_ID });
    expect(ticket.getPayload()?.email).toBe(SAM);
    expect(ticket.getPayload()?.email_verified).toBe(true);
    expect(ticket.getPayload()?.iss).toBe(sb.issuer);
    // ...and with jose against the JWKS named in the discovery document.
    const jwks = createRemoteJWKSet(new URL(sb.jwksUrl));
    const { payload } = await jwtVerify(tokens.id_token as string, jwks, { issuer: sb.issuer, audience: CLIENT_ID });
    expect(payload.sub).toBe(ticket.getPayload()?.sub);

    client.setCredentials(tokens);
    const calendars = await googleCalendar(sb, client).calendarList.list();
    expect(calendars.data.items?.find((c) => c.primary)?.id).toBe(SAM);
    // The userinfo endpoint through the signed-in client itself (only the Calendar API package is installed).
    const me = await client.request<{ email?: string }>({ url: `${sb.googleRootUrl}oauth2/v2/userinfo` });
    expect(me.data.email).toBe(SAM);
    const info = await client.getTokenInfo(tokens.access_token as string);
    expect(info.scopes).toContain('https://www.googleapis.com/auth/calendar');

    // Expire the access token locally: the library refreshes with the refresh token.
    client.setCredentials({ ...tokens, expiry_date: Date.now() - 1000 });
    const refreshed = await client.getAccessToken();
    expect(refreshed.token).toBeTruthy();
    expect(refreshed.token).not.toBe(tokens.access_token);
    // Google keeps the refresh token (no rotation on this face).
    expect(client.credentials.refresh_token).toBe(tokens.refresh_token);

    await client.revokeToken(tokens.refresh_token as string);
    client.setCredentials({ refresh_token: tokens.refresh_token, expiry_date: Date.now() - 1000 });
    const refreshAfterRevoke = await googleFailure(client.getAccessToken());
    expect(refreshAfterRevoke.status).toBe(400);
    expect((refreshAfterRevoke.data as { error: string }).error).toBe('invalid_grant');
    const stale = googleCalendar(sb, refreshed.token as string);
    expect((await googleFailure(stale.calendarList.list())).status).toBe(401);
  });

  it('refuses a wrong code verifier with invalid_grant, and a code used twice', async () => {
    const client = googleOAuthClient(sb, { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: `${loopback.url.replace('/hook', '')}/callback` });
    const first = await authorize(client);
    const wrong = await googleFailure(client.getToken({ code: first.code, codeVerifier: `${first.codeVerifier.slice(0, -4)}AAAA` }));
    expect(wrong.status).toBe(400);
    expect((wrong.data as { error: string }).error).toBe('invalid_grant');

    const second = await authorize(client);
    await client.getToken({ code: second.code, codeVerifier: second.codeVerifier });
    const again = await googleFailure(client.getToken({ code: second.code, codeVerifier: second.codeVerifier }));
    expect((again.data as { error: string }).error).toBe('invalid_grant');
  });

  it('refuses a token exchange and a refresh without the client secret, as Google does; Basic auth carries it too', async () => {
    const redirectUri = `${loopback.url.replace('/hook', '')}/callback`;
    const withSecret = googleOAuthClient(sb, { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri });
    const { code, codeVerifier } = await authorize(withSecret);
    const noSecret = googleOAuthClient(sb, { clientId: CLIENT_ID, redirectUri });
    const refused = await googleFailure(noSecret.getToken({ code, codeVerifier }));
    expect(refused.status).toBe(400);
    expect(refused.data).toMatchObject({ error: 'invalid_request', error_description: 'client_secret is missing.' });
    // The code was not spent by the refused attempt: with the secret it still works.
    const { tokens } = await withSecret.getToken({ code, codeVerifier });
    noSecret.setCredentials({ refresh_token: tokens.refresh_token, expiry_date: Date.now() - 1000 });
    expect((await googleFailure(noSecret.getAccessToken())).data).toMatchObject({ error: 'invalid_request' });

    const request = sandboxFetch(sb.caCertPath);
    const basic = Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64');
    const refreshed = await request<{ access_token: string }>('POST', sb.googleTokenUrl, `grant_type=refresh_token&refresh_token=${encodeURIComponent(tokens.refresh_token as string)}`, {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${basic}`,
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.access_token).toMatch(/^ya29\./);
  });

  it('hands out no refresh token without access_type=offline, and refuses an unknown client at the token endpoint', async () => {
    const client = googleOAuthClient(sb, { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: `${loopback.url.replace('/hook', '')}/callback` });
    const { code, codeVerifier } = await authorize(client, { access_type: 'online' });
    const other = googleOAuthClient(sb, { clientId: 'someone-else', clientSecret: CLIENT_SECRET, redirectUri: `${loopback.url.replace('/hook', '')}/callback` });
    expect((await googleFailure(other.getToken({ code, codeVerifier }))).status).toBe(400);
    const again = await authorize(client, { access_type: 'online' });
    const { tokens } = await client.getToken({ code: again.code, codeVerifier: again.codeVerifier });
    expect(tokens.refresh_token).toBeUndefined();
    expect(tokens.access_token).toBeTruthy();
  });
});

describe('consent page', () => {
  it('shows an Allow button with an account chooser; Allow redirects with a code, Deny with access_denied', async () => {
    const request = sandboxFetch(sb.caCertPath);
    const redirectUri = `${loopback.url.replace('/hook', '')}/callback`;
    const url = `${sb.googleAuthUrl}?client_id=${CLIENT_ID}&redirect_uri=${encodeURIComponent(redirectUri)}&response_type=code&scope=openid%20email&state=abc`;
    const page = await request<string>('GET', url);
    expect(page.status).toBe(200);
    expect(page.body).toContain('>Allow</button>');
    expect(page.body).toContain(MAYA);
    const requestId = /name="request" value="([^"]+)"/.exec(page.body)?.[1] as string;

    const allow = await request('POST', `${sb.issuer}/_oauth/consent`, `request=${requestId}&email=${encodeURIComponent(SAM)}&decision=allow`, {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(allow.status).toBe(302);
    const location = new URL(allow.headers.location as string);
    expect(location.origin + location.pathname).toBe(redirectUri);
    expect(location.searchParams.get('state')).toBe('abc');
    expect(location.searchParams.get('code')).toBeTruthy();

    const second = await request<string>('GET', url);
    const secondId = /name="request" value="([^"]+)"/.exec(second.body)?.[1] as string;
    const deny = await request('POST', `${sb.issuer}/_oauth/consent`, `request=${secondId}&decision=deny`, { 'content-type': 'application/x-www-form-urlencoded' });
    expect(new URL(deny.headers.location as string).searchParams.get('error')).toBe('access_denied');
  });

  it('refuses a non-loopback redirect_uri without redirecting', async () => {
    const request = sandboxFetch(sb.caCertPath);
    const res = await request<string>('GET', `${sb.googleAuthUrl}?client_id=x&redirect_uri=${encodeURIComponent('https://evil.example/cb')}&response_type=code&scope=openid`);
    expect(res.status).toBe(400);
    expect(res.headers.location).toBeUndefined();
  });

  it('auto-approves for everyone once the admin setting is on', async () => {
    await sb.admin.settings({ autoApprove: true });
    try {
      const request = sandboxFetch(sb.caCertPath);
      const res = await request('GET', `${sb.googleAuthUrl}?client_id=x&redirect_uri=${encodeURIComponent('http://127.0.0.1:9/cb')}&response_type=code&scope=openid`);
      expect(res.status).toBe(302);
      expect(new URL(res.headers.location as string).searchParams.get('code')).toBeTruthy();
    } finally {
      await sb.admin.settings({ autoApprove: false });
    }
  });
});
