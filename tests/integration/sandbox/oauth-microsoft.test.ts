// Microsoft sign-in through the real msal-node (authority + knownAuthorities only): the
// interactive loopback flow with PKCE, rotating refresh tokens, ID token claims, errors.
import { createHash } from 'node:crypto';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approveInBrowser, graphClient, msalApp } from '../../support/sandbox-clients';
import { sandboxFetch, startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { LEE, MAYA } from './helpers';

const CLIENT_ID = '3f1c2b7e-0d6a-4c59-9b0e-duetsandbox0';
const SCOPES = ['User.Read', 'Calendars.ReadWrite'];

let sb: TestSandbox;
beforeAll(async () => {
  sb = await startTestSandbox();
});
afterAll(() => sb.close());

/** msal's own loopback flow; the "browser" approves and follows the redirect to msal's listener. */
async function signInInteractive(app: ReturnType<typeof msalApp>, loginHint: string) {
  return app.acquireTokenInteractive({
    scopes: SCOPES,
    loginHint,
    openBrowser: async (url) => {
      await approveInBrowser(sb, url, { deliver: true });
    },
    successTemplate: 'Signed in. You can close this window.',
  });
}

describe('msal-node against the sandbox authority', () => {
  it('signs in interactively with PKCE through msal’s loopback listener and calls Graph', async () => {
    const app = msalApp(sb, CLIENT_ID);
    const result = await signInInteractive(app, LEE);
    expect(result.account?.username).toBe(LEE);
    expect(result.account?.tenantId).toBe(sb.tenantId);
    expect(result.idTokenClaims).toMatchObject({ preferred_username: LEE, tid: sb.tenantId, ver: '2.0', aud: CLIENT_ID });
    expect(result.scopes.map((s) => s.toLowerCase())).toEqual(expect.arrayContaining(['user.read', 'calendars.readwrite']));

    const me = await graphClient(sb, result.accessToken).api('/me').get();
    expect(me.mail).toBe(LEE);
    expect(me.id).toBe(result.account?.localAccountId);

    // ID token: signed by the sandbox key set published at the authority's discovery endpoint.
    const jwks = createRemoteJWKSet(new URL(`${sb.microsoftAuthority}/discovery/v2.0/keys`));
    const { payload } = await jwtVerify(result.idToken, jwks, { issuer: `${sb.microsoftAuthority}/v2.0`, audience: CLIENT_ID });
    expect(payload.oid).toBe(me.id);
  });

  it('uses the cache, then rotates the refresh token on refresh (the old one stops working)', async () => {
    const app = msalApp(sb, CLIENT_ID);
    const first = await signInInteractive(app, MAYA);
    const account = first.account;
    if (!account) throw new Error('no account');
    const cached = await app.acquireTokenSilent({ account, scopes: SCOPES });
    expect(cached.accessToken).toBe(first.accessToken);

    const cacheBefore = JSON.parse(app.getTokenCache().serialize()) as { RefreshToken: Record<string, { secret: string }> };
    const oldRefresh = Object.values(cacheBefore.RefreshToken)[0]?.secret as string;
    expect(oldRefresh).toBeTruthy();

    const refreshed = await app.acquireTokenSilent({ account, scopes: SCOPES, forceRefresh: true });
    expect(refreshed.accessToken).not.toBe(first.accessToken);
    const cacheAfter = JSON.parse(app.getTokenCache().serialize()) as { RefreshToken: Record<string, { secret: string }> };
    const newRefresh = Object.values(cacheAfter.RefreshToken)[0]?.secret as string;
    expect(newRefresh).not.toBe(oldRefresh);

    // Replaying the old refresh token is refused: clients must always keep the newest one.
    const request = sandboxFetch(sb.caCertPath);
    const replay = await request<{ error: string; error_codes: number[] }>(
      'POST',
      `${sb.microsoftAuthority}/oauth2/v2.0/token`,
      `client_id=${CLIENT_ID}&grant_type=refresh_token&refresh_token=${encodeURIComponent(oldRefresh)}&scope=${encodeURIComponent(SCOPES.join(' '))}`,
      { 'content-type': 'application/x-www-form-urlencoded' },
    );
    expect(replay.status).toBe(400);
    expect(replay.body.error).toBe('invalid_grant');

    // The newest one works through msal again.
    const again = await app.acquireTokenSilent({ account, scopes: SCOPES, forceRefresh: true });
    expect(again.accessToken).toBeTruthy();
  });

  it('rejects a code redeemed with the wrong PKCE verifier (AADSTS501481)', async () => {
    const app = msalApp(sb, CLIENT_ID);
    const redirectUri = 'http://localhost:51234/';
    const verifier = 'a-verifier-of-forty-three-or-more-characters-0123456789';
    const url = await app.getAuthCodeUrl({
      scopes: SCOPES,
      redirectUri,
      codeChallenge: createHash('sha256').update(verifier).digest('base64url'),
      codeChallengeMethod: 'S256',
      loginHint: MAYA,
    });
    const redirect = await approveInBrowser(sb, url);
    const code = redirect.searchParams.get('code') as string;
    const failure = await app
      .acquireTokenByCode({ code, scopes: SCOPES, redirectUri, codeVerifier: 'this-is-not-the-verifier-that-matches-the-challenge-000' })
      .then(
        () => undefined,
        (e: unknown) => e as { errorCode: string; errorMessage: string },
      );
    expect(failure?.errorCode).toBe('invalid_grant');
    expect(failure?.errorMessage).toContain('AADSTS501481');

    // With the right verifier the same kind of code works.
    const second = await approveInBrowser(sb, url);
    const ok = await app.acquireTokenByCode({
      code: second.searchParams.get('code') as string,
      scopes: SCOPES,
      redirectUri,
      codeVerifier: verifier,
    });
    expect(decodeJwt(ok.idToken).preferred_username).toBe(MAYA);
  });

  it('publishes the v2.0 OpenID configuration msal needs', async () => {
    const request = sandboxFetch(sb.caCertPath);
    const res = await request<Record<string, string>>('GET', `${sb.microsoftAuthority}/v2.0/.well-known/openid-configuration`);
    expect(res.body.issuer).toBe(`${sb.microsoftAuthority}/v2.0`);
    // Browser-facing: the plain-http sign-in origin, so a browser shows no certificate warning.
    expect(res.body.authorization_endpoint).toBe(`${new URL(sb.googleAuthUrl).origin}/${sb.tenantId}/oauth2/v2.0/authorize`);
    expect(new URL(res.body.authorization_endpoint as string).protocol).toBe('http:');
    expect(res.body.token_endpoint).toBe(`${sb.microsoftAuthority}/oauth2/v2.0/token`);
    expect(res.body.jwks_uri).toBe(`${sb.microsoftAuthority}/discovery/v2.0/keys`);
  });
});
