// A tiny OpenID Connect issuer for the sync server's tests and benchmark: serves discovery and
// a JWKS over HTTPS (its own throwaway CA, made with the openssl CLI) or plain HTTP on
// 127.0.0.1, and signs ID tokens with a jose key pair. It can also make the hostile tokens a
// real provider never would: expired, signed by a stranger's key under our kid, alg "none",
// HS256 keyed with our public key, and Microsoft-style per-tenant issuers.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, exportJWK, exportSPKI, generateKeyPair, type CryptoKey, type JWK } from 'jose';

export interface TokenClaims {
  email: string;
  audience?: string;
  /** Seconds from now; negative for an already expired token. Default 3600. */
  expiresIn?: number;
  emailVerified?: boolean | string | null;
  issuer?: string;
  extra?: Record<string, unknown>;
}

export interface LocalIssuer {
  /** The issuer URL tokens carry and the sync server is given. */
  readonly issuer: string;
  readonly audience: string;
  /** PEM of the CA that signed the HTTPS certificate (undefined over plain HTTP). */
  readonly caPem: string | undefined;
  readonly caPath: string | undefined;
  /** How many times the JWKS was downloaded. */
  readonly jwksFetches: number;
  token(claims: TokenClaims): Promise<string>;
  /** Signed by an unrelated key that claims our kid. */
  forgedToken(claims: TokenClaims): Promise<string>;
  /** alg "none", no signature. */
  unsignedToken(claims: TokenClaims): string;
  /** HS256 with our RSA public key (PEM) as the HMAC secret: the classic key-confusion attack. */
  hs256Token(claims: TokenClaims): Promise<string>;
  /** Adds a new signing key (new kid) to the JWKS and signs with it from now on. */
  rotate(): Promise<void>;
  /** Serve a Microsoft-style discovery document whose issuer is a {tenantid} template. */
  readonly tenantTemplate: string;
  close(): Promise<void>;
}

interface Key {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  jwk: JWK;
}

async function newKey(n: number): Promise<Key> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid: `test-key-${n}`, alg: 'RS256', use: 'sig' };
  return { kid: jwk.kid, privateKey, publicKey, jwk };
}

function makeCertificates(): { dir: string; caPem: string; caPath: string; key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'duet-issuer-'));
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  run(
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '2',
    '-subj',
    '/CN=Duet test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign',
  );
  run('req', ...ec, '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=127.0.0.1');
  writeFileSync(
    join(dir, 'ext.cnf'),
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n',
  );
  run(
    'x509',
    '-req',
    '-in',
    'leaf.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'leaf.pem',
    '-days',
    '2',
    '-extfile',
    'ext.cnf',
  );
  const read = (f: string) => readFileSync(join(dir, f), 'utf8');
  return {
    dir,
    caPem: read('ca.pem'),
    caPath: join(dir, 'ca.pem'),
    key: read('leaf.key'),
    cert: read('leaf.pem'),
  };
}

export async function startLocalIssuer(
  options: { https?: boolean; audience?: string } = {},
): Promise<LocalIssuer> {
  const useHttps = options.https ?? true;
  const audience = options.audience ?? 'duet-test-client';
  const keys: Key[] = [await newKey(1)];
  const stranger = await newKey(99);
  let jwksFetches = 0;
  let base = '';

  const handler: http.RequestListener = (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const json = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (path === '/.well-known/openid-configuration') return json({ issuer: base, jwks_uri: `${base}/jwks` });
    if (path === '/common/v2.0/.well-known/openid-configuration') {
      return json({ issuer: `${base}/{tenantid}/v2.0`, jwks_uri: `${base}/jwks` });
    }
    if (path === '/jwks') {
      jwksFetches++;
      return json({ keys: keys.map((k) => k.jwk) });
    }
    res.writeHead(404).end();
  };
  const certs = useHttps ? makeCertificates() : undefined;
  const server = certs
    ? https.createServer({ key: certs.key, cert: certs.cert }, handler)
    : http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `${useHttps ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const claimsOf = (c: TokenClaims) => ({
    email: c.email,
    ...(c.emailVerified === null ? {} : { email_verified: c.emailVerified ?? true }),
    ...c.extra,
  });
  const sign = (c: TokenClaims, key: Key) =>
    new SignJWT(claimsOf(c))
      .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
      .setIssuer(c.issuer ?? base)
      .setSubject(`sub-${c.email}`)
      .setAudience(c.audience ?? audience)
      .setIssuedAt(Math.floor(Date.now() / 1000) - Math.max(0, -(c.expiresIn ?? 3600)) - 60)
      .setExpirationTime(Math.floor(Date.now() / 1000) + (c.expiresIn ?? 3600))
      .sign(key.privateKey);
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const payloadOf = (c: TokenClaims) => ({
    ...claimsOf(c),
    iss: c.issuer ?? base,
    sub: `sub-${c.email}`,
    aud: c.audience ?? audience,
    iat: Math.floor(Date.now() / 1000) - 60,
    exp: Math.floor(Date.now() / 1000) + (c.expiresIn ?? 3600),
  });

  return {
    get issuer() {
      return base;
    },
    audience,
    caPem: certs?.caPem,
    caPath: certs?.caPath,
    get jwksFetches() {
      return jwksFetches;
    },
    get tenantTemplate() {
      return `${base}/common/v2.0`;
    },
    token: (c) => sign(c, keys[keys.length - 1]!),
    forgedToken: (c) => sign(c, { ...stranger, kid: keys[keys.length - 1]!.kid }),
    unsignedToken: (c) => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(payloadOf(c))}.`,
    async hs256Token(c) {
      const secret = new TextEncoder().encode(await exportSPKI(keys[keys.length - 1]!.publicKey));
      return new SignJWT(claimsOf(c))
        .setProtectedHeader({ alg: 'HS256', kid: keys[keys.length - 1]!.kid })
        .setIssuer(c.issuer ?? base)
        .setSubject(`sub-${c.email}`)
        .setAudience(c.audience ?? audience)
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(secret);
    },
    async rotate() {
      keys.push(await newKey(keys.length + 1));
    },
    async close() {
      server.closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (certs) rmSync(certs.dir, { recursive: true, force: true });
    },
  };
}
