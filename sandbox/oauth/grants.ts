// Authorization codes, grants, access and refresh tokens for both providers.
import { createHash } from 'node:crypto';
import { opaqueToken } from '../ids';

export type Provider = 'google' | 'microsoft';

export interface AuthCode {
  code: string;
  provider: Provider;
  clientId: string;
  redirectUri: string;
  email: string;
  scope: string[];
  codeChallenge?: string;
  codeChallengeMethod?: string;
  nonce?: string;
  /** Google only hands out a refresh token for access_type=offline. */
  offline: boolean;
  expiresAt: number;
  used: boolean;
}

export interface Grant {
  id: string;
  provider: Provider;
  clientId: string;
  email: string;
  scope: string[];
  nonce?: string;
  revoked: boolean;
  refreshToken?: string;
}

export interface AccessToken {
  token: string;
  provider: Provider;
  email: string;
  scope: string[];
  clientId: string;
  expiresAt: number;
  grantId?: string;
}

export type CodeProblem = { error: 'invalid_grant' | 'invalid_request'; description: string };

const CODE_LIFETIME_MS = 10 * 60_000;

export function pkceMatches(verifier: string, challenge: string, method: string | undefined): boolean {
  if ((method ?? 'plain') === 'plain') return verifier === challenge;
  return createHash('sha256').update(verifier).digest('base64url') === challenge;
}

export class Grants {
  private readonly codes = new Map<string, AuthCode>();
  private readonly grants = new Map<string, Grant>();
  private readonly accessTokens = new Map<string, AccessToken>();
  private readonly refreshTokens = new Map<string, string>();

  clear(): void {
    this.codes.clear();
    this.grants.clear();
    this.accessTokens.clear();
    this.refreshTokens.clear();
  }

  issueCode(input: Omit<AuthCode, 'code' | 'expiresAt' | 'used'>): AuthCode {
    const prefix = input.provider === 'google' ? '4/0' : 'M.C5';
    const code: AuthCode = { ...input, code: opaqueToken(prefix, 32), expiresAt: Date.now() + CODE_LIFETIME_MS, used: false };
    this.codes.set(code.code, code);
    return code;
  }

  /** Checks an authorization code exchange (client, redirect URI, PKCE); single use. */
  redeemCode(
    provider: Provider,
    code: string,
    request: { clientId: string; redirectUri?: string; codeVerifier?: string },
  ): AuthCode | CodeProblem {
    const found = this.codes.get(code);
    if (!found || found.provider !== provider) return { error: 'invalid_grant', description: 'Malformed auth code.' };
    if (found.used) {
      // RFC 6749 §4.1.2: a reused code revokes what it produced.
      for (const g of this.grants.values()) if (g.id === `grant-${found.code}`) this.revokeGrant(g.id);
      return { error: 'invalid_grant', description: 'The authorization code was already redeemed.' };
    }
    if (found.expiresAt < Date.now()) return { error: 'invalid_grant', description: 'The authorization code has expired.' };
    if (found.clientId !== request.clientId) return { error: 'invalid_grant', description: 'The authorization code was issued to another client.' };
    if (request.redirectUri !== undefined && request.redirectUri !== found.redirectUri) {
      return { error: 'invalid_grant', description: 'redirect_uri does not match the one of the authorization request.' };
    }
    if (found.codeChallenge) {
      if (!request.codeVerifier) return { error: 'invalid_grant', description: 'Missing code verifier.' };
      if (!pkceMatches(request.codeVerifier, found.codeChallenge, found.codeChallengeMethod)) {
        return { error: 'invalid_grant', description: 'Invalid code verifier.' };
      }
    }
    found.used = true;
    return found;
  }

  createGrant(code: AuthCode, withRefreshToken: boolean): Grant {
    const grant: Grant = {
      id: `grant-${code.code}`,
      provider: code.provider,
      clientId: code.clientId,
      email: code.email,
      scope: code.scope,
      ...(code.nonce ? { nonce: code.nonce } : {}),
      revoked: false,
    };
    this.grants.set(grant.id, grant);
    if (withRefreshToken) this.rotateRefreshToken(grant);
    return grant;
  }

  /** Issues a new refresh token for the grant; the previous one stops working. */
  rotateRefreshToken(grant: Grant): string {
    if (grant.refreshToken) this.refreshTokens.delete(grant.refreshToken);
    const token = grant.provider === 'google' ? opaqueToken('1//0', 48) : opaqueToken('M.C5_BAY.0.U.-', 64);
    grant.refreshToken = token;
    this.refreshTokens.set(token, grant.id);
    return token;
  }

  grantForRefreshToken(provider: Provider, token: string): Grant | undefined {
    const id = this.refreshTokens.get(token);
    const grant = id ? this.grants.get(id) : undefined;
    if (!grant || grant.revoked || grant.provider !== provider) return undefined;
    return grant;
  }

  issueAccessToken(input: Omit<AccessToken, 'token' | 'expiresAt'>, ttlSeconds: number): AccessToken {
    const token: AccessToken = {
      ...input,
      token: input.provider === 'google' ? opaqueToken('ya29.sandbox-', 48) : opaqueToken('EwB.sandbox-', 64),
      expiresAt: Date.now() + ttlSeconds * 1000,
    };
    this.accessTokens.set(token.token, token);
    return token;
  }

  /** The access token behind a bearer value, if valid for this provider and not expired/revoked. */
  authenticate(provider: Provider, bearer: string | undefined): AccessToken | undefined {
    if (!bearer) return undefined;
    const token = this.accessTokens.get(bearer);
    if (!token || token.provider !== provider || token.expiresAt < Date.now()) return undefined;
    if (token.grantId && this.grants.get(token.grantId)?.revoked) return undefined;
    return token;
  }

  lookupAccessToken(value: string): AccessToken | undefined {
    return this.accessTokens.get(value);
  }

  /** Revokes the grant behind an access or refresh token (Google revokes the whole grant). */
  revokeToken(value: string): boolean {
    const access = this.accessTokens.get(value);
    if (access) {
      this.accessTokens.delete(value);
      if (access.grantId) this.revokeGrant(access.grantId);
      return true;
    }
    const grantId = this.refreshTokens.get(value);
    if (grantId) {
      this.revokeGrant(grantId);
      return true;
    }
    return false;
  }

  revokeGrant(grantId: string): void {
    const grant = this.grants.get(grantId);
    if (!grant) return;
    grant.revoked = true;
    if (grant.refreshToken) this.refreshTokens.delete(grant.refreshToken);
    for (const [value, token] of this.accessTokens) if (token.grantId === grantId) this.accessTokens.delete(value);
  }

  /**
   * Ends a person's access tokens now while their grants (and refresh tokens) stay: what a
   * provider does when it invalidates tokens early. Clients still think the tokens valid by
   * their clock, get 401, and must refresh.
   */
  expireAccessTokens(email: string, provider?: Provider): number {
    let count = 0;
    for (const token of this.accessTokens.values()) {
      if (token.email.toLowerCase() !== email.toLowerCase() || (provider && token.provider !== provider)) continue;
      if (token.expiresAt >= Date.now()) count++;
      token.expiresAt = 0;
    }
    return count;
  }

  /** Revokes every grant and token of a person (a user removing the app's access). */
  revokeUser(email: string, provider?: Provider): number {
    let count = 0;
    for (const grant of this.grants.values()) {
      if (grant.email.toLowerCase() !== email.toLowerCase() || grant.revoked) continue;
      if (provider && grant.provider !== provider) continue;
      this.revokeGrant(grant.id);
      count++;
    }
    for (const [value, token] of this.accessTokens) {
      if (token.email.toLowerCase() === email.toLowerCase() && (!provider || token.provider === provider)) {
        this.accessTokens.delete(value);
        count++;
      }
    }
    return count;
  }
}
