// Tokens no honest issuer signs, aimed at a real issuer (the sandbox): alg "none", and HS256
// keyed with the issuer's own published RSA key (the key-confusion attack).
import { SignJWT, exportSPKI, importJWK, type JWK } from 'jose';
import { createIssuerFetch } from '../../../../sync-server/auth/issuer-fetch';
import type { TokenSource } from './harness';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function claims(source: TokenSource, email: string) {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: source.issuer,
    aud: source.audience,
    sub: `sub-${email}`,
    email,
    email_verified: true,
    iat: now - 60,
    exp: now + 3600,
  };
}

export function unsignedToken(source: TokenSource, email: string): string {
  return `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims(source, email))}.`;
}

export async function hs256WithIssuerKey(source: TokenSource, email: string): Promise<string> {
  const fetch = createIssuerFetch(source.caPem ? [source.caPem] : []);
  const discovery = (await (await fetch(`${source.issuer}/.well-known/openid-configuration`)).json()) as {
    jwks_uri: string;
  };
  const { keys } = (await (await fetch(discovery.jwks_uri)).json()) as { keys: JWK[] };
  const jwk = keys[0]!;
  const pem = await exportSPKI(
    (await importJWK({ ...jwk, alg: 'RS256' }, 'RS256', { extractable: true })) as CryptoKey,
  );
  const { iss, aud, sub, iat, exp, ...rest } = claims(source, email);
  return new SignJWT(rest)
    .setProtectedHeader({ alg: 'HS256', ...(jwk.kid ? { kid: jwk.kid } : {}) })
    .setIssuer(iss)
    .setAudience(aud)
    .setSubject(sub)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(new TextEncoder().encode(pem));
}
