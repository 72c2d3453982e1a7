// Google sign-in with google-auth-library (docs/architecture.md §6): the system browser, a
// loopback redirect on 127.0.0.1, PKCE S256, a checked state, and the Desktop-app client secret
// at the token endpoint (Google requires it even though it is not secret). Tokens are kept in the
// vault; a refresh that brings a new refresh token stores it (the library's own refresh helper
// would put the old one back, so the exchange is done here).
import { randomBytes } from 'node:crypto';
import { CodeChallengeMethod, OAuth2Client, type Credentials } from 'google-auth-library';
import type { SandboxEndpoints } from '../services/sandbox';
import { startLoopback } from './loopback';
import { signedInPage, signInFailedPage } from './pages';
import { aborted, GOOGLE_SCOPES, GrantRevokedError, SignInRefusedError, type AccountRef, type AuthProvider, type SignedIn } from './types';
import type { Vault } from './vault';

export interface GoogleConfig {
  clientId: string;
  clientSecret: string;
  /** The sandbox's Google face, or null for accounts.google.com. */
  sandbox: SandboxEndpoints | null;
}

/** Exposes the library's refresh-token exchange without its credential bookkeeping. */
class GoogleClient extends OAuth2Client {
  exchangeRefreshToken(refreshToken: string) {
    return this.refreshTokenNoCache(refreshToken);
  }
}

/** Refresh this long before the access token expires. */
const EARLY_MS = 60_000;

function isInvalidGrant(err: unknown): boolean {
  const data = (err as { response?: { data?: { error?: unknown } } }).response?.data;
  return data?.error === 'invalid_grant' || (err as Error).message === 'invalid_grant';
}

function describe(err: unknown): string {
  const data = (err as { response?: { data?: { error?: string; error_description?: string } } }).response?.data;
  if (data?.error) return `Google refused the sign-in: ${data.error_description ?? data.error}`;
  return (err as Error).message;
}

export function googleProvider(config: GoogleConfig, vault: Vault): AuthProvider {
  const sb = config.sandbox;
  const client = (redirectUri?: string) =>
    new GoogleClient({
      clientId: config.clientId,
      clientSecret: config.clientSecret,
      ...(redirectUri ? { redirectUri } : {}),
      ...(sb
        ? {
            endpoints: {
              oauth2AuthBaseUrl: sb.googleAuthUrl,
              oauth2TokenUrl: sb.googleTokenUrl,
              oauth2RevokeUrl: sb.googleRevokeUrl,
              oauth2FederatedSignonPemCertsUrl: `${sb.googleRootUrl}oauth2/v1/certs`,
              oauth2FederatedSignonJwkCertsUrl: `${sb.googleRootUrl}oauth2/v3/certs`,
              tokenInfoUrl: `${sb.googleRootUrl}tokeninfo`,
            },
            issuers: [sb.googleIssuer],
            transporterOptions: { agent: sb.agent },
          }
        : {}),
    });
  const key = (account: AccountRef) => `google.${account.id}`;

  const refresh = async (account: AccountRef): Promise<Credentials> => {
    const stored = vault.get<Credentials>(key(account));
    if (!stored?.refresh_token) throw new GrantRevokedError('No refresh token is stored for this account.');
    let tokens: Credentials;
    try {
      ({ tokens } = await client().exchangeRefreshToken(stored.refresh_token));
    } catch (err) {
      if (isInvalidGrant(err)) throw new GrantRevokedError();
      throw err;
    }
    // Rotation: a new refresh token replaces the old one at once; otherwise keep the old one.
    const next: Credentials = { ...stored, ...tokens, refresh_token: tokens.refresh_token ?? stored.refresh_token };
    vault.set(key(account), next);
    return next;
  };

  return {
    kind: 'google',
    sandbox: sb !== null,
    async begin({ loginHint, signal }) {
      const state = randomBytes(24).toString('base64url');
      const loopback = await startLoopback(state);
      const c = client(loopback.redirectUri);
      const { codeVerifier, codeChallenge } = await c.generateCodeVerifierAsync();
      const authUrl = c.generateAuthUrl({
        access_type: 'offline',
        // Ask for consent so Google hands out a refresh token on a reconnect as well.
        prompt: 'consent',
        scope: GOOGLE_SCOPES,
        state,
        code_challenge: codeChallenge as string,
        code_challenge_method: CodeChallengeMethod.S256,
        ...(loginHint ? { login_hint: loginHint } : {}),
      });
      const done = (async (): Promise<SignedIn> => {
        try {
          const cb = await Promise.race([loopback.callback, aborted(signal)]);
          try {
            const error = cb.params.get('error');
            if (error) {
              throw new SignInRefusedError(
                error === 'access_denied' ? 'You declined access in the browser.' : `Google refused the sign-in: ${cb.params.get('error_description') ?? error}`,
              );
            }
            const { tokens } = await c.getToken({ code: cb.params.get('code') as string, codeVerifier, redirect_uri: loopback.redirectUri }).catch((err: unknown) => {
              throw new SignInRefusedError(describe(err));
            });
            if (!tokens.refresh_token) throw new SignInRefusedError('Google gave no refresh token; remove Duet from your Google account’s third-party access and connect again.');
            if (!tokens.id_token) throw new SignInRefusedError('Google gave no ID token (the openid scope was not granted).');
            const ticket = await c.verifyIdToken({ idToken: tokens.id_token, audience: config.clientId });
            const claims = ticket.getPayload();
            if (!claims?.sub || !claims.email) throw new SignInRefusedError('Google’s ID token names no user.');
            if (claims.email_verified === false) throw new SignInRefusedError(`Google has not verified the address ${claims.email}.`);
            cb.reply(200, signedInPage(claims.email));
            return {
              subject: claims.sub,
              email: claims.email,
              name: claims.name ?? claims.email,
              idToken: tokens.id_token,
              issuer: claims.iss,
              commit: async (accountId) => vault.set(`google.${accountId}`, tokens),
              discard: async () => {
                await c.revokeToken(tokens.refresh_token as string).catch(() => undefined);
              },
            };
          } catch (err) {
            cb.reply(400, signInFailedPage((err as Error).message));
            throw err;
          }
        } finally {
          loopback.close();
        }
      })();
      // The service attaches its handlers later; keep an early rejection from being "unhandled".
      done.catch(() => undefined);
      return { authUrl, done };
    },
    async accessToken(account, forceRefresh = false) {
      const stored = vault.get<Credentials>(key(account));
      if (!forceRefresh && stored?.access_token && (stored.expiry_date ?? 0) > Date.now() + EARLY_MS) return stored.access_token;
      const next = await refresh(account);
      if (!next.access_token) throw new Error('Google answered the refresh without an access token.');
      return next.access_token;
    },
    async refreshIdToken(account) {
      const next = await refresh(account);
      if (!next.id_token) throw new Error('Google answered the refresh without an ID token.');
      return next.id_token;
    },
    async revoke(account) {
      const stored = vault.get<Credentials>(key(account));
      vault.delete(key(account));
      const token = stored?.refresh_token ?? stored?.access_token;
      // An already revoked token answers 400 invalid_token: the grant is gone either way.
      if (token) await client().revokeToken(token).catch(() => undefined);
    },
  };
}
