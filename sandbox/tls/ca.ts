// The sandbox's own certificate authority, kept in a stable directory so that processes can
// trust it through NODE_EXTRA_CA_CERTS (which Node reads only at start-up) before any sandbox
// is running. Leaf certificates are minted per sandbox start and never written to disk.
import { X509Certificate, createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCertificate } from './certificate';

export const CA_SUBJECT = 'Duet Sandbox Local CA';
const CA_LIFETIME_DAYS = 3650;
const LEAF_LIFETIME_DAYS = 30;
const DAY = 86_400_000;

export interface SandboxCa {
  dir: string;
  caCertPath: string;
  certPem: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export function defaultCaDir(): string {
  return process.env.DUET_SANDBOX_CA_DIR || join(tmpdir(), 'duet-sandbox-ca');
}

function loadCa(dir: string): SandboxCa | undefined {
  const certPath = join(dir, 'ca.pem');
  const keyPath = join(dir, 'ca-key.pem');
  if (!existsSync(certPath) || !existsSync(keyPath)) return undefined;
  try {
    const certPem = readFileSync(certPath, 'utf8');
    const privateKey = createPrivateKey(readFileSync(keyPath, 'utf8'));
    const cert = new X509Certificate(certPem);
    // A CA that expires within a week, or whose key does not match, is replaced.
    if (new Date(cert.validTo).getTime() < Date.now() + 7 * DAY) return undefined;
    if (!cert.checkPrivateKey(privateKey) || !cert.ca) return undefined;
    return { dir, caCertPath: certPath, certPem, privateKey, publicKey: createPublicKey(privateKey) };
  } catch {
    return undefined;
  }
}

/**
 * Returns the CA in `dir`, creating it when missing or unusable. Safe when several processes
 * (vitest's global setup, workers, a CLI sandbox) race: the CA is written into a private
 * directory that is renamed into place, so exactly one generation wins and everyone reads it.
 */
export function ensureSandboxCa(dir = defaultCaDir()): SandboxCa {
  const existing = loadCa(dir);
  if (existing) return existing;

  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const now = Date.now();
  const certPem = createCertificate({
    subject: CA_SUBJECT,
    publicKey,
    issuer: { subject: CA_SUBJECT, privateKey, publicKey },
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + CA_LIFETIME_DAYS * DAY),
    isCa: true,
  });
  const staging = `${dir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  mkdirSync(staging, { recursive: true, mode: 0o700 });
  writeFileSync(join(staging, 'ca-key.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  writeFileSync(join(staging, 'ca.pem'), certPem);
  if (existsSync(dir)) {
    // Present but unusable (expired, damaged): move it aside rather than delete a file a
    // running process may still be reading.
    try {
      renameSync(dir, `${dir}.old-${Date.now()}-${randomBytes(2).toString('hex')}`);
    } catch {
      /* someone else replaced it first */
    }
  }
  try {
    renameSync(staging, dir);
  } catch {
    // Lost the race: another process installed its CA a moment ago.
    rmSync(staging, { recursive: true, force: true });
  }
  const installed = loadCa(dir);
  if (!installed) throw new Error(`could not create the sandbox CA in ${dir}`);
  return installed;
}

export interface LeafCertificate {
  key: string;
  cert: string;
}

/** A TLS server certificate for 127.0.0.1, ::1 and localhost, signed by the sandbox CA. */
export function issueServerCertificate(ca: SandboxCa): LeafCertificate {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const now = Date.now();
  const cert = createCertificate({
    subject: 'localhost',
    publicKey,
    issuer: { subject: CA_SUBJECT, privateKey: ca.privateKey, publicKey: ca.publicKey },
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + LEAF_LIFETIME_DAYS * DAY),
    isCa: false,
    altNames: ['localhost', '127.0.0.1', '::1'],
  });
  return { key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), cert };
}

/**
 * NODE_EXTRA_CA_CERTS holds one file. When the environment already names another bundle, write
 * a combined bundle beside the CA and return its path, so neither trust is lost.
 */
export function extraCaCertsValue(ca: SandboxCa, current = process.env.NODE_EXTRA_CA_CERTS): string {
  if (!current || current === ca.caCertPath) return ca.caCertPath;
  let existingPem = '';
  try {
    existingPem = readFileSync(current, 'utf8');
  } catch {
    return ca.caCertPath;
  }
  if (existingPem.includes(ca.certPem.trim())) return current;
  const combined = `${existingPem.trim()}\n${ca.certPem}`;
  // Named by content so repeated runs reuse one file instead of piling up bundles.
  const bundlePath = join(ca.dir, `bundle-${createHash('sha256').update(combined).digest('hex').slice(0, 16)}.pem`);
  if (!existsSync(bundlePath)) writeFileSync(bundlePath, combined);
  return bundlePath;
}
