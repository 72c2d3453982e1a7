// Verifies OpenID Connect ID tokens from trusted issuers: signature against the issuer's
// JWKS (discovered from /.well-known/openid-configuration, cached, re-fetched on an unknown
// key id for rotation), issuer, audience, expiry and a verified email.
//
// Microsoft: v2.0 tokens carry a per-tenant issuer (https://login.microsoftonline.com/<tid>/v2.0).
// Configure the multi-tenant authority (…/common/v2.0, …/organizations/v2.0 or …/consumers/v2.0),
// or the template itself (…/{tenantid}/v2.0, discovered through …/common/v2.0); the discovery
// document advertises the issuer as a template containing "{tenantid}". A token
// is accepted for such an issuer only when its `iss` equals the template with the token's own
// `tid` claim substituted, and its signature checks against the shared Microsoft JWKS. A single
// tenant can also be trusted alone by configuring its tenant-specific authority.
import { createRemoteJWKSet, customFetch, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import type { JWTPayload } from 'jose';
import type { FetchLike } from './issuer-fetch';
import { isEmail, normalizeEmail } from '../rooms/room-ids';

export interface Identity {
  /** Verified email, lowercased: the user's identity everywhere in the server. */
  readonly email: string;
  readonly issuer: string;
  readonly subject: string;
  /** Token expiry, ms since epoch. */
  readonly expiresAt: number;
}

/** The token is not acceptable: HTTP 401, WebSocket close 4401. */
export class AuthError extends Error {}
/** We could not check the token right now (issuer unreachable): HTTP 503, WebSocket 1013. */
export class AuthUnavailableError extends Error {}

export interface TokenVerifier {
  verify(token: string): Promise<Identity>;
}

/** Which issuers and audiences are trusted (`microsoftIssuers` as in the options below). */
export interface VerifierTrust {
  readonly issuers: readonly string[];
  readonly audiences: readonly string[];
  readonly microsoftIssuers?: readonly string[];
}

export interface OidcVerifierOptions {
  readonly issuers?: readonly string[];
  readonly audiences?: readonly string[];
  /**
   * Live trust, read on every verification instead of `issuers`/`audiences`/`microsoftIssuers`:
   * an embedding app changes what it trusts (a client id set in its settings, the sandbox in
   * sandbox mode) without restarting the server. Discovery and keys stay cached per issuer.
   */
  readonly trust?: () => VerifierTrust;
  readonly fetch: FetchLike;
  readonly clockToleranceSeconds?: number;
  /** How long a failed discovery is remembered before we try the issuer again. */
  readonly discoveryRetryMs?: number;
  /**
   * An unknown key id re-fetches the JWKS (rotation), but at most once per this many ms, so
   * tokens with made-up kids cannot make us hammer the issuer. Default 30 s.
   */
  readonly jwksCooldownMs?: number;
  /**
   * Trusted issuers that are Microsoft identity platform authorities besides Microsoft's own
   * (login.microsoftonline.com, always Microsoft): the sandbox's Microsoft authority in sandbox
   * mode. They are trusted like `issuers`. Only tokens from a Microsoft issuer may prove their
   * email with the Microsoft-specific `tid` + `xms_edov` claims; any other issuer could put
   * those claims in a token to override `email_verified: false`.
   */
  readonly microsoftIssuers?: readonly string[];
}

// Asymmetric algorithms only: "none" and HMAC (the "sign with the public key" trick) never pass.
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
const MAX_TOKEN_LENGTH = 16 * 1024;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const GOOGLE = 'https://accounts.google.com';
const MICROSOFT_HOST = 'login.microsoftonline.com';

/** Trust resolved for one verification. */
interface Trusted {
  readonly states: readonly IssuerState[];
  /** Configured issuers whose tokens may prove their email with tid + xms_edov. */
  readonly microsoft: ReadonlySet<string>;
  readonly audiences: readonly string[];
}

interface Discovered {
  /** Exact issuer, or a template with "{tenantid}". */
  readonly issuer: string;
  readonly jwks: ReturnType<typeof createRemoteJWKSet>;
}

interface IssuerState {
  readonly configured: string;
  discovered?: Discovered;
  pending?: Promise<Discovered>;
  failedAt?: number;
  failure?: string;
}

export function normalizeIssuer(raw: string): string {
  const url = new URL(raw);
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new Error(`issuer ${raw} must use https (plain http is allowed on loopback only)`);
  }
  return raw.replace(/\/+$/, '');
}

export function createOidcVerifier(options: OidcVerifierOptions): TokenVerifier {
  // One discovery state per issuer ever trusted, so a trust change keeps what was discovered.
  const known = new Map<string, IssuerState>();
  const stateOf = (configured: string): IssuerState => {
    let state = known.get(configured);
    if (!state) known.set(configured, (state = { configured }));
    return state;
  };
  const resolveTrust = (trust: VerifierTrust): Trusted => {
    const microsoftExtra = new Set((trust.microsoftIssuers ?? []).map(normalizeIssuer));
    const configured = [...new Set([...trust.issuers.map(normalizeIssuer), ...microsoftExtra])];
    return {
      states: configured.map(stateOf),
      // Tokens from these issuers may prove their email with tid + xms_edov.
      microsoft: new Set(
        configured.filter((i) => microsoftExtra.has(i) || new URL(i).hostname === MICROSOFT_HOST),
      ),
      audiences: trust.audiences.filter(Boolean),
    };
  };
  // Fixed trust is checked once, at creation: a bad --issuer fails the start.
  const fixed = options.trust
    ? undefined
    : resolveTrust({
        issuers: options.issuers ?? [],
        audiences: options.audiences ?? [],
        microsoftIssuers: options.microsoftIssuers ?? [],
      });
  /** The trust in force for one verification. */
  function current(): Trusted {
    if (fixed) return fixed;
    try {
      return resolveTrust(options.trust!());
    } catch (err) {
      throw new AuthUnavailableError(`the server's trusted issuers are invalid: ${(err as Error).message}`);
    }
  }
  const clockTolerance = options.clockToleranceSeconds ?? 30;
  const retryMs = options.discoveryRetryMs ?? 10_000;

  async function discover(state: IssuerState): Promise<Discovered> {
    if (state.discovered) return state.discovered;
    if (state.pending) return state.pending;
    if (state.failedAt !== undefined && Date.now() - state.failedAt < retryMs) {
      throw new AuthUnavailableError(`issuer ${state.configured} unavailable: ${state.failure}`);
    }
    state.pending = (async () => {
      // A configured "{tenantid}" template is discovered through the multi-tenant "common"
      // authority, whose document names exactly that template as its issuer.
      const authority = state.configured.replace('{tenantid}', 'common');
      const res = await options.fetch(`${authority}/.well-known/openid-configuration`, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(5000),
      });
      if (res.status !== 200) throw new Error(`discovery answered ${res.status}`);
      const doc = (await res.json()) as { issuer?: unknown; jwks_uri?: unknown };
      if (typeof doc.issuer !== 'string' || typeof doc.jwks_uri !== 'string')
        throw new Error('discovery lacks issuer or jwks_uri');
      const issuer = doc.issuer.replace(/\/+$/, '');
      // OIDC Discovery §4.3: the document must name the issuer we asked. Microsoft's
      // multi-tenant authorities name a "{tenantid}" template instead.
      const templated = state.configured.includes('{tenantid}');
      if (
        templated
          ? issuer !== state.configured
          : issuer !== state.configured && !issuer.includes('{tenantid}')
      ) {
        throw new Error(`discovery names issuer ${issuer}, expected ${state.configured}`);
      }
      normalizeIssuer(doc.jwks_uri);
      const jwks = createRemoteJWKSet(new URL(doc.jwks_uri), {
        [customFetch]: options.fetch,
        cooldownDuration: options.jwksCooldownMs ?? 30_000,
        cacheMaxAge: 10 * 60_000,
        timeoutDuration: 5000,
      });
      return { issuer, jwks };
    })();
    try {
      state.discovered = await state.pending;
      state.failedAt = undefined;
      return state.discovered;
    } catch (err) {
      state.failedAt = Date.now();
      state.failure = (err as Error).message;
      throw new AuthUnavailableError(`issuer ${state.configured} unavailable: ${state.failure}`);
    } finally {
      state.pending = undefined;
    }
  }

  /** The configured issuer this `iss` belongs to, and the exact `iss` to enforce. */
  async function resolveIssuer(
    states: readonly IssuerState[],
    iss: string,
    tid: unknown,
  ): Promise<{ state: IssuerState; expected: string } | undefined> {
    const canonical = iss === 'accounts.google.com' ? GOOGLE : iss; // Google still issues both forms
    const direct = states.find((s) => s.configured === canonical);
    if (direct) {
      const found = await discover(direct);
      return found.issuer === canonical ? { state: direct, expected: iss } : undefined;
    }
    if (typeof tid !== 'string' || !GUID.test(tid)) return undefined;
    for (const state of states) {
      // Only Microsoft-style templates can match a per-tenant iss; skip issuers we cannot reach.
      let found: Discovered;
      try {
        found = await discover(state);
      } catch {
        continue;
      }
      if (found.issuer.includes('{tenantid}') && found.issuer.replace('{tenantid}', tid) === iss)
        return { state, expected: iss };
    }
    return undefined;
  }

  function verifiedEmail(payload: JWTPayload, microsoft: boolean): string {
    const email = payload.email;
    if (!isEmail(email)) throw new AuthError('token has no usable email claim');
    const verified = payload.email_verified === true || payload.email_verified === 'true';
    // Microsoft identity platform tokens (they carry `tid`) have no email_verified, and their
    // `email` is whatever a tenant admin typed unless the optional claim xms_edov ("email
    // domain owner verified") says otherwise. Trusting `email` or `preferred_username` without
    // it is the nOAuth account-takeover bug, so the Entra app registration must request the
    // `email` and `xms_edov` optional claims.
    // Those claims mean this only from Microsoft: from any other issuer they are ignored.
    const domainVerified =
      microsoft &&
      typeof payload.tid === 'string' &&
      (payload.xms_edov === true || payload.xms_edov === 'true' || payload.xms_edov === 1);
    if (!verified && !domainVerified) throw new AuthError('email is not verified');
    return normalizeEmail(email);
  }

  return {
    async verify(token) {
      if (typeof token !== 'string' || token.length === 0) throw new AuthError('missing token');
      if (token.length > MAX_TOKEN_LENGTH) throw new AuthError('token too large');
      let payload: JWTPayload;
      try {
        const header = decodeProtectedHeader(token);
        if (typeof header.alg !== 'string' || !ALGORITHMS.includes(header.alg))
          throw new AuthError(`algorithm ${String(header.alg)} is not accepted`);
        payload = decodeJwt(token);
      } catch (err) {
        if (err instanceof AuthError) throw err;
        throw new AuthError('malformed token');
      }
      const { states, microsoft, audiences } = current();
      if (audiences.length === 0)
        throw new AuthError('the server trusts no audience (start it with --audience)');
      if (typeof payload.iss !== 'string') throw new AuthError('token has no issuer');
      const match = await resolveIssuer(states, payload.iss, payload.tid);
      if (!match) throw new AuthError(`untrusted issuer ${payload.iss}`);
      const { jwks } = match.state.discovered!;
      let verified: JWTPayload;
      try {
        ({ payload: verified } = await jwtVerify(token, jwks, {
          issuer: match.expected,
          audience: [...audiences],
          algorithms: ALGORITHMS,
          clockTolerance,
          requiredClaims: ['exp', 'iat', 'sub'],
        }));
      } catch (err) {
        const raw = (err as { code?: unknown }).code;
        const code = typeof raw === 'string' && raw.startsWith('ERR_J') ? raw : undefined;
        // Reaching the issuer failed (network, timeout, non-200, bad JWKS): not the caller's fault.
        if (
          code === undefined ||
          code === 'ERR_JWKS_TIMEOUT' ||
          code === 'ERR_JOSE_GENERIC' ||
          code === 'ERR_JWKS_INVALID'
        ) {
          throw new AuthUnavailableError(
            `cannot fetch keys of ${match.state.configured}: ${(err as Error).message}`,
          );
        }
        throw new AuthError(code === 'ERR_JWT_EXPIRED' ? 'token expired' : `token rejected (${code})`);
      }
      // OIDC Core §2: a token for several audiences is for us only if we are its authorized
      // party; otherwise a token minted for another app that merely lists ours is accepted.
      if (Array.isArray(verified.aud) && new Set(verified.aud).size > 1) {
        if (typeof verified.azp !== 'string' || !audiences.includes(verified.azp))
          throw new AuthError('token has several audiences and no authorized party (azp) of ours');
      }
      return {
        email: verifiedEmail(verified, microsoft.has(match.state.configured)),
        issuer: match.expected,
        subject: String(verified.sub),
        expiresAt: Number(verified.exp) * 1000,
      };
    },
  };
}

/** `Authorization: Bearer <token>` → token, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}
