// Google sign-in: authorize, token (authorization_code with PKCE, refresh_token), revoke,
// userinfo, tokeninfo, certificates; plus the sandbox issuer's OpenID discovery document.
import { createHash } from 'node:crypto';
import type { SandboxContext } from '../context';
import { HttpError, type Ctx, type Router } from '../http';
import type { Person } from '../model';
import { handleAuthorize, handleConsent } from './authorize';
import type { AccessToken, Grant } from './grants';

const oauthError = (status: number, error: string, description: string): HttpError =>
  new HttpError(status, { error, error_description: description });

function splitName(name: string): { given_name: string; family_name: string } {
  const [given = name, ...rest] = name.split(' ');
  return { given_name: given, family_name: rest.join(' ') };
}

/** at_hash: left half of SHA-256 of the access token (OpenID Connect core §3.1.3.6). */
function atHash(accessToken: string): string {
  return createHash('sha256').update(accessToken).digest().subarray(0, 16).toString('base64url');
}

export async function googleIdToken(sb: SandboxContext, person: Person, clientId: string, accessToken?: string, nonce?: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return sb.keys.sign({
    iss: sb.urls.issuer,
    azp: clientId,
    aud: clientId,
    sub: person.googleId,
    email: person.email,
    email_verified: true,
    ...(accessToken ? { at_hash: atHash(accessToken) } : {}),
    name: person.name,
    ...splitName(person.name),
    ...(nonce ? { nonce } : {}),
    iat: now,
    exp: now + sb.settings.idTokenTtlSeconds,
  });
}

export function registerGoogleOAuth(router: Router, sb: SandboxContext): void {
  router.add('GET', '/o/oauth2/v2/auth', (ctx) => handleAuthorize(ctx, sb, { provider: 'google', providerName: 'Google' }));
  router.add('GET', '/o/oauth2/auth', (ctx) => handleAuthorize(ctx, sb, { provider: 'google', providerName: 'Google' }));
  router.add('POST', '/_oauth/consent', (ctx) => handleConsent(ctx, sb));

  router.add('POST', '/token', async (ctx) => {
    const form = await readForm(ctx);
    const grantType = form.get('grant_type');
    const basic = basicClient(ctx);
    const clientId = form.get('client_id') ?? basic?.id;
    if (!clientId) throw oauthError(400, 'invalid_request', 'Missing required parameter: client_id');
    // Google's token endpoint authenticates every client, Desktop-app ("installed") clients
    // included: their client secret is not secret, but it must be sent (post body or Basic).
    // The sandbox keeps no client registry, so any non-empty secret is accepted.
    if (!(form.get('client_secret') ?? basic?.secret)) throw oauthError(400, 'invalid_request', 'client_secret is missing.');
    if (grantType === 'authorization_code') {
      const code = form.get('code');
      if (!code) throw oauthError(400, 'invalid_request', 'Missing required parameter: code');
      const redeemed = sb.grants.redeemCode('google', code, {
        clientId,
        ...(form.get('redirect_uri') !== null ? { redirectUri: form.get('redirect_uri') as string } : {}),
        ...(form.get('code_verifier') !== null ? { codeVerifier: form.get('code_verifier') as string } : {}),
      });
      if ('error' in redeemed) throw oauthError(400, redeemed.error, redeemed.description);
      const grant = sb.grants.createGrant(redeemed, redeemed.offline);
      return ctx.sendJson(200, await tokenResponse(sb, grant, true), { 'cache-control': 'no-store' });
    }
    if (grantType === 'refresh_token') {
      const refresh = form.get('refresh_token');
      if (!refresh) throw oauthError(400, 'invalid_request', 'Missing required parameter: refresh_token');
      const grant = sb.grants.grantForRefreshToken('google', refresh);
      if (!grant || grant.clientId !== clientId) throw oauthError(400, 'invalid_grant', 'Token has been expired or revoked.');
      // Google keeps the refresh token (the answer carries no new one) unless told to rotate it.
      const rotated = sb.settings.googleRotatesRefreshTokens;
      if (rotated) sb.grants.rotateRefreshToken(grant);
      return ctx.sendJson(200, await tokenResponse(sb, grant, false, rotated), { 'cache-control': 'no-store' });
    }
    throw oauthError(400, 'unsupported_grant_type', `Invalid grant_type: ${grantType ?? ''}`);
  });

  router.add('POST', '/revoke', async (ctx) => {
    const form = await readForm(ctx);
    const token = ctx.query.get('token') ?? form.get('token');
    if (!token) throw oauthError(400, 'invalid_request', 'Missing required parameter: token');
    if (!sb.grants.revokeToken(token)) throw oauthError(400, 'invalid_token', 'Token expired or revoked');
    ctx.sendJson(200, {});
  });

  const userinfo = (shape: 'v2' | 'oidc') => (ctx: Ctx) => {
    const token = bearer(ctx, sb);
    const person = sb.store.person(token.email);
    if (!person) throw oauthError(401, 'invalid_token', 'Invalid Credentials');
    const names = splitName(person.name);
    if (shape === 'v2') {
      ctx.sendJson(200, { id: person.googleId, email: person.email, verified_email: true, name: person.name, ...names, picture: `${sb.urls.origin}/avatar/${person.googleId}.png` });
    } else {
      ctx.sendJson(200, { sub: person.googleId, name: person.name, ...names, picture: `${sb.urls.origin}/avatar/${person.googleId}.png`, email: person.email, email_verified: true });
    }
  };
  router.add('GET', '/oauth2/v2/userinfo', userinfo('v2'));
  router.add('GET', '/oauth2/v3/userinfo', userinfo('oidc'));
  router.add('GET', '/v1/userinfo', userinfo('oidc'));

  const tokeninfo = async (ctx: Ctx): Promise<void> => {
    const form = ctx.method === 'POST' ? await readForm(ctx) : new URLSearchParams();
    const value = ctx.query.get('access_token') ?? form.get('access_token') ?? ctx.header('authorization')?.replace(/^Bearer\s+/i, '');
    const token = value ? sb.grants.authenticate('google', value) : undefined;
    if (!token) throw oauthError(400, 'invalid_token', 'Invalid Value');
    const person = sb.store.person(token.email);
    ctx.sendJson(200, {
      azp: token.clientId,
      aud: token.clientId,
      sub: person?.googleId ?? '',
      scope: token.scope.join(' '),
      exp: String(Math.floor(token.expiresAt / 1000)),
      expires_in: String(Math.max(0, Math.floor((token.expiresAt - Date.now()) / 1000))),
      email: token.email,
      email_verified: 'true',
      access_type: 'offline',
    });
  };
  router.add('GET', '/tokeninfo', tokeninfo);
  router.add('POST', '/tokeninfo', tokeninfo);

  router.add('GET', '/oauth2/v1/certs', (ctx) => ctx.sendJson(200, sb.keys.pemCerts(), { 'cache-control': 'public, max-age=3600' }));
  router.add('GET', '/oauth2/v3/certs', async (ctx) => ctx.sendJson(200, await sb.keys.jwks(), { 'cache-control': 'public, max-age=3600' }));

  // The sandbox issuer (stands in for accounts.google.com and for /_admin/id-token tokens).
  router.add('GET', '/.well-known/jwks.json', async (ctx) => ctx.sendJson(200, await sb.keys.jwks(), { 'cache-control': 'public, max-age=3600' }));
  router.add('GET', '/.well-known/openid-configuration', (ctx) =>
    ctx.sendJson(200, {
      issuer: sb.urls.issuer,
      authorization_endpoint: sb.urls.googleAuthUrl,
      token_endpoint: sb.urls.googleTokenUrl,
      userinfo_endpoint: `${sb.urls.googleRootUrl}v1/userinfo`,
      revocation_endpoint: sb.urls.googleRevokeUrl,
      jwks_uri: sb.urls.jwksUrl,
      response_types_supported: ['code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      scopes_supported: ['openid', 'email', 'profile'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
      claims_supported: ['aud', 'email', 'email_verified', 'exp', 'family_name', 'given_name', 'iat', 'iss', 'name', 'sub', 'nonce'],
      code_challenge_methods_supported: ['plain', 'S256'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
    }),
  );
}

async function tokenResponse(sb: SandboxContext, grant: Grant, fromCode: boolean, rotated = false): Promise<Record<string, unknown>> {
  const access = sb.grants.issueAccessToken(
    { provider: 'google', email: grant.email, scope: grant.scope, clientId: grant.clientId, grantId: grant.id },
    sb.settings.accessTokenTtlSeconds,
  );
  const person = sb.store.person(grant.email);
  const body: Record<string, unknown> = {
    access_token: access.token,
    expires_in: sb.settings.accessTokenTtlSeconds,
    scope: grant.scope.join(' '),
    token_type: 'Bearer',
  };
  if ((fromCode || rotated) && grant.refreshToken) body.refresh_token = grant.refreshToken;
  if (grant.scope.includes('openid') && person) body.id_token = await googleIdToken(sb, person, grant.clientId, access.token, fromCode ? grant.nonce : undefined);
  return body;
}

/** client_secret_basic: `Authorization: Basic base64(id:secret)`. */
function basicClient(ctx: Ctx): { id: string; secret: string } | undefined {
  const value = ctx.header('authorization')?.match(/^Basic\s+(.+)$/i)?.[1];
  if (!value) return undefined;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  try {
    return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
  } catch {
    throw oauthError(400, 'invalid_request', 'Malformed Basic authorization header.');
  }
}

async function readForm(ctx: Ctx): Promise<URLSearchParams> {
  const type = ctx.header('content-type') ?? '';
  if (type.includes('application/json')) {
    const body = (await ctx.json((m) => oauthError(400, 'invalid_request', m))) as Record<string, string> | undefined;
    return new URLSearchParams(body ?? {});
  }
  return ctx.form();
}

function bearer(ctx: Ctx, sb: SandboxContext): AccessToken {
  const value = ctx.header('authorization')?.match(/^Bearer\s+(.+)$/i)?.[1] ?? ctx.query.get('access_token') ?? undefined;
  const token = sb.grants.authenticate('google', value);
  if (!token) throw new HttpError(401, { error: { code: 401, message: 'Request is missing required authentication credential.', status: 'UNAUTHENTICATED' } });
  return token;
}
