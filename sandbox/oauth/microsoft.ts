// Microsoft identity platform v2.0 endpoints for one sandbox tenant, as msal-node uses them
// with `authority = microsoftAuthority` and `knownAuthorities = [host]` (which skips the
// instance discovery call to login.microsoftonline.com): OpenID configuration, authorize,
// token (authorization_code + PKCE, refresh_token with ROTATING refresh tokens), JWKS.
import { createHash, randomUUID } from 'node:crypto';
import type { SandboxContext } from '../context';
import { HttpError, type Router } from '../http';
import { opaqueToken } from '../ids';
import type { Person } from '../model';
import { clientInfo, handleAuthorize } from './authorize';
import type { AccessToken, Grant } from './grants';

const OIDC_SCOPES = new Set(['openid', 'profile', 'email', 'offline_access']);

function aadError(status: number, error: string, code: number, description: string): HttpError {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  return new HttpError(status, {
    error,
    error_description: `AADSTS${code}: ${description}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${new Date().toISOString()}`,
    error_codes: [code],
    timestamp: new Date().toISOString().replace('T', ' ').replace('Z', 'Z'),
    trace_id: traceId,
    correlation_id: correlationId,
  });
}

export async function microsoftIdToken(sb: SandboxContext, person: Person, clientId: string, nonce?: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return sb.keys.sign({
    aud: clientId,
    iss: `${sb.urls.microsoftAuthority}/v2.0`,
    iat: now,
    nbf: now,
    exp: now + sb.settings.idTokenTtlSeconds,
    name: person.name,
    ...(nonce ? { nonce } : {}),
    oid: person.objectId,
    preferred_username: person.email,
    email: person.email,
    // What Entra adds when the app registration asks for the xms_edov optional claim: the email's
    // domain is verified. Relying parties (Duet's sync server) refuse Microsoft emails without it.
    xms_edov: true,
    rh: opaqueToken('0.A', 12),
    sub: createHash('sha256').update(`${person.objectId}|${clientId}`).digest('base64url').slice(0, 43),
    tid: sb.tenantId,
    uti: opaqueToken('', 16),
    ver: '2.0',
  });
}

export function registerMicrosoftOAuth(router: Router, sb: SandboxContext): void {
  const t = `/${sb.tenantId}`;
  router.add('GET', `${t}/v2.0/.well-known/openid-configuration`, (ctx) => {
    const authority = sb.urls.microsoftAuthority;
    ctx.sendJson(200, {
      token_endpoint: `${authority}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      jwks_uri: `${authority}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: `${authority}/v2.0`,
      request_uri_parameter_supported: false,
      userinfo_endpoint: `${sb.urls.origin}/oidc/userinfo`,
      authorization_endpoint: `${sb.urls.signInOrigin}/${sb.tenantId}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${authority}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${sb.urls.signInOrigin}/${sb.tenantId}/oauth2/v2.0/logout`,
      claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'preferred_username', 'name', 'tid', 'ver', 'email', 'oid', 'xms_edov'],
      kerberos_endpoint: `${authority}/kerberos`,
      tenant_region_scope: 'EU',
      cloud_instance_name: new URL(authority).host,
      cloud_graph_host_name: new URL(authority).host,
      msgraph_host: new URL(sb.urls.graphBaseUrl).host,
      rbac_url: sb.urls.origin,
    });
  });

  router.add('GET', `${t}/discovery/v2.0/keys`, async (ctx) => ctx.sendJson(200, await sb.keys.jwks()));
  router.add('GET', `${t}/oauth2/v2.0/authorize`, (ctx) => handleAuthorize(ctx, sb, { provider: 'microsoft', providerName: 'Microsoft' }));
  router.add('GET', `${t}/oauth2/v2.0/logout`, (ctx) => {
    const next = ctx.query.get('post_logout_redirect_uri');
    if (next) return ctx.redirect(next);
    ctx.sendHtml(200, '<!doctype html><p>You have signed out of the Microsoft sandbox.</p>');
  });

  router.add('POST', `${t}/oauth2/v2.0/token`, async (ctx) => {
    const form = await ctx.form();
    const clientId = form.get('client_id');
    if (!clientId) throw aadError(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'client_id'.");
    const grantType = form.get('grant_type');
    const requestedScope = (form.get('scope') ?? '').split(/\s+/).filter(Boolean);
    if (grantType === 'authorization_code') {
      const code = form.get('code');
      if (!code) throw aadError(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'code'.");
      const redeemed = sb.grants.redeemCode('microsoft', code, {
        clientId,
        ...(form.get('redirect_uri') !== null ? { redirectUri: form.get('redirect_uri') as string } : {}),
        ...(form.get('code_verifier') !== null ? { codeVerifier: form.get('code_verifier') as string } : {}),
      });
      if ('error' in redeemed) {
        const code = /verifier/i.test(redeemed.description) ? 501481 : /redirect/i.test(redeemed.description) ? 50148 : 70008;
        const description =
          code === 501481 ? 'The Code_Verifier does not match the code_challenge supplied in the authorization request.' : redeemed.description;
        throw aadError(400, redeemed.error, code, description);
      }
      const grant = sb.grants.createGrant(redeemed, redeemed.offline);
      return ctx.sendJson(200, await tokenResponse(sb, grant, form.get('client_info') === '1', true), { 'cache-control': 'no-store' });
    }
    if (grantType === 'refresh_token') {
      const refresh = form.get('refresh_token');
      if (!refresh) throw aadError(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'refresh_token'.");
      const grant = sb.grants.grantForRefreshToken('microsoft', refresh);
      if (!grant) throw aadError(400, 'invalid_grant', 70000, "The provided value for the 'refresh_token' is not valid: it was already used, revoked or has expired.");
      if (grant.clientId !== clientId) throw aadError(400, 'invalid_grant', 700016, 'The refresh token was issued to a different client.');
      const unknown = requestedScope.filter((s) => !OIDC_SCOPES.has(s) && !grant.scope.includes(s));
      if (unknown.length > 0) {
        throw aadError(400, 'invalid_grant', 65001, `The user or administrator has not consented to use the application for: ${unknown.join(' ')}.`);
      }
      // Rotation: the old refresh token stops working the moment a new one is issued.
      sb.grants.rotateRefreshToken(grant);
      return ctx.sendJson(200, await tokenResponse(sb, grant, form.get('client_info') === '1', false), { 'cache-control': 'no-store' });
    }
    throw aadError(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grantType ?? ''}'.`);
  });

  router.add('GET', '/oidc/userinfo', (ctx) => {
    const value = ctx.header('authorization')?.match(/^Bearer\s+(.+)$/i)?.[1];
    const token = sb.grants.authenticate('microsoft', value);
    const person = token ? sb.store.person(token.email) : undefined;
    if (!token || !person) throw new HttpError(401, { error: { code: 'InvalidAuthenticationToken', message: 'Access token validation failure.' } });
    ctx.sendJson(200, { sub: person.objectId, name: person.name, email: person.email });
  });
}

async function tokenResponse(sb: SandboxContext, grant: Grant, withClientInfo: boolean, fromCode: boolean): Promise<Record<string, unknown>> {
  const resourceScopes = grant.scope.filter((s) => s !== 'offline_access');
  const access: AccessToken = sb.grants.issueAccessToken(
    { provider: 'microsoft', email: grant.email, scope: grant.scope, clientId: grant.clientId, grantId: grant.id },
    sb.settings.accessTokenTtlSeconds,
  );
  const person = sb.store.person(grant.email);
  const body: Record<string, unknown> = {
    token_type: 'Bearer',
    scope: resourceScopes.join(' '),
    expires_in: sb.settings.accessTokenTtlSeconds,
    ext_expires_in: sb.settings.accessTokenTtlSeconds,
    access_token: access.token,
  };
  if (grant.refreshToken) body.refresh_token = grant.refreshToken;
  if (grant.scope.includes('openid') && person) body.id_token = await microsoftIdToken(sb, person, grant.clientId, fromCode ? grant.nonce : undefined);
  if (withClientInfo) body.client_info = clientInfo(sb, grant.email);
  return body;
}

