// The sandbox issuer's signing key: RS256 ID tokens, published as a JWKS (OpenID Connect,
// Microsoft's discovery keys) and as PEM certificates (Google's oauth2/v1/certs format,
// which google-auth-library's verifyIdToken reads in Node).
import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { SignJWT, exportJWK, type JWK, type JWTPayload } from 'jose';
import { createCertificate } from '../tls/certificate';

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  certPem: string;
}

function makeKey(label: string): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const kid = createHash('sha256').update(spki).digest('base64url').slice(0, 27);
  const now = Date.now();
  const certPem = createCertificate({
    subject: label,
    publicKey,
    issuer: { subject: label, privateKey, publicKey },
    notBefore: new Date(now - 86_400_000),
    notAfter: new Date(now + 365 * 86_400_000),
    isCa: false,
    altNames: [],
  });
  return { kid, privateKey, publicKey, certPem };
}

export class IssuerKeys {
  readonly current: SigningKey = makeKey('Duet sandbox token signer');
  private rogue?: SigningKey;

  /** A key that is NOT published, for tests that need a token with a bad signature. */
  unpublished(): SigningKey {
    this.rogue ??= makeKey('Duet sandbox unpublished signer');
    return this.rogue;
  }

  async jwks(): Promise<{ keys: JWK[] }> {
    const jwk = await exportJWK(this.current.publicKey);
    return { keys: [{ ...jwk, kid: this.current.kid, use: 'sig', alg: 'RS256', x5c: [pemBody(this.current.certPem)] }] };
  }

  pemCerts(): Record<string, string> {
    return { [this.current.kid]: this.current.certPem };
  }

  async sign(claims: JWTPayload, key: SigningKey = this.current): Promise<string> {
    return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' }).sign(key.privateKey);
  }
}

function pemBody(pem: string): string {
  return pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
}
