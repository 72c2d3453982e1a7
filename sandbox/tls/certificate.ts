// X.509 v3 certificates built from node:crypto keys with the DER encoder next door.
import { createHash, randomBytes, sign, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import * as der from './der';

const OID = {
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  ecPublicKey: '1.2.840.10045.2.1',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  sha256WithRsa: '1.2.840.113549.1.1.11',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
};

export interface CertificateRequest {
  subject: string;
  publicKey: KeyObject;
  issuer: { subject: string; privateKey: KeyObject; publicKey: KeyObject };
  notBefore: Date;
  notAfter: Date;
  /** A CA may sign other certificates; a leaf only serves TLS. */
  isCa: boolean;
  /** DNS names and IP addresses for a leaf's subjectAltName. */
  altNames?: string[];
}

function name(commonName: string): der.Der {
  return der.sequence(
    der.set(der.sequence(der.oid(OID.organization), der.utf8String('Duet sandbox'))),
    der.set(der.sequence(der.oid(OID.commonName), der.utf8String(commonName))),
  );
}

/** SHA-1 of the subjectPublicKey bits, the usual key identifier (RFC 5280 §4.2.1.2 method 1). */
function keyIdentifier(publicKey: KeyObject): Buffer {
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  // The BIT STRING is the last element of SubjectPublicKeyInfo; hashing the whole SPKI is
  // also accepted in practice, but follow the RFC: strip the header and algorithm.
  const bits = extractSpkiBits(spki);
  return createHash('sha1').update(bits).digest();
}

function extractSpkiBits(spki: Buffer): Buffer {
  // SEQUENCE { AlgorithmIdentifier SEQUENCE, BIT STRING }
  let offset = 1;
  offset += lengthOfLength(spki, offset);
  // skip algorithm SEQUENCE
  const algLenStart = offset + 1;
  const algLen = readLength(spki, algLenStart);
  offset = algLenStart + lengthOfLength(spki, algLenStart) + algLen;
  // BIT STRING
  const bitsLenStart = offset + 1;
  const bitsLen = readLength(spki, bitsLenStart);
  const contentStart = bitsLenStart + lengthOfLength(spki, bitsLenStart);
  return spki.subarray(contentStart + 1, contentStart + bitsLen); // skip unused-bits byte
}

function lengthOfLength(buf: Buffer, at: number): number {
  const first = buf[at] ?? 0;
  return first < 0x80 ? 1 : 1 + (first & 0x7f);
}

function readLength(buf: Buffer, at: number): number {
  const first = buf[at] ?? 0;
  if (first < 0x80) return first;
  let value = 0;
  for (let i = 1; i <= (first & 0x7f); i++) value = value * 256 + (buf[at + i] ?? 0);
  return value;
}

function extension(id: string, critical: boolean, value: der.Der): der.Der {
  return critical
    ? der.sequence(der.oid(id), der.boolean(true), der.octetString(value))
    : der.sequence(der.oid(id), der.octetString(value));
}

function ipBytes(ip: string): Buffer {
  if (isIP(ip) === 4) return Buffer.from(ip.split('.').map(Number));
  // IPv6: expand "::" and write 8 groups.
  const [head = '', tail = ''] = ip.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = ip.includes('::') && tail ? tail.split(':') : [];
  const groups = ip.includes('::')
    ? [...headGroups, ...Array(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups]
    : headGroups;
  const out = Buffer.alloc(16);
  groups.forEach((group, i) => out.writeUInt16BE(parseInt(group, 16), i * 2));
  return out;
}

function signatureAlgorithm(key: KeyObject): der.Der {
  if (key.asymmetricKeyType === 'ec') return der.sequence(der.oid(OID.ecdsaWithSha256));
  if (key.asymmetricKeyType === 'rsa') return der.sequence(der.oid(OID.sha256WithRsa), der.nullValue());
  throw new Error(`unsupported signing key type ${key.asymmetricKeyType}`);
}

export function createCertificate(request: CertificateRequest): string {
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 1) & 0x7f || 0x01;
  const sigAlg = signatureAlgorithm(request.issuer.privateKey);
  const extensions: der.Der[] = [];
  if (request.isCa) {
    extensions.push(extension(OID.basicConstraints, true, der.sequence(der.boolean(true), der.integer(0))));
    // digitalSignature | keyCertSign | cRLSign = 1000 0110, one unused trailing bit.
    extensions.push(extension(OID.keyUsage, true, der.bitString(Buffer.from([0x86]), 1)));
  } else {
    extensions.push(extension(OID.basicConstraints, true, der.sequence()));
    // digitalSignature | keyEncipherment = 1010 0000, five unused bits.
    extensions.push(extension(OID.keyUsage, true, der.bitString(Buffer.from([0xa0]), 5)));
    extensions.push(extension(OID.extKeyUsage, false, der.sequence(der.oid(OID.serverAuth))));
    const names = (request.altNames ?? []).map((alt) =>
      isIP(alt) ? der.implicitPrimitive(7, ipBytes(alt)) : der.implicitPrimitive(2, Buffer.from(alt, 'ascii')),
    );
    extensions.push(extension(OID.subjectAltName, false, der.sequence(...names)));
  }
  extensions.push(extension(OID.subjectKeyIdentifier, false, der.octetString(keyIdentifier(request.publicKey))));
  extensions.push(
    extension(
      OID.authorityKeyIdentifier,
      false,
      der.sequence(der.implicitPrimitive(0, keyIdentifier(request.issuer.publicKey))),
    ),
  );

  const tbs = der.sequence(
    der.explicit(0, der.integer(2)),
    der.integer(serial),
    sigAlg,
    name(request.issuer.subject),
    der.sequence(der.time(request.notBefore), der.time(request.notAfter)),
    name(request.subject),
    request.publicKey.export({ type: 'spki', format: 'der' }),
    der.explicit(3, der.sequence(...extensions)),
  );
  // ECDSA signatures come out DER-encoded (dsaEncoding 'der' is the default), as X.509 wants.
  const signature = sign('sha256', tbs, request.issuer.privateKey);
  const certificate = der.sequence(tbs, sigAlg, der.bitString(signature));
  const base64 = certificate.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN CERTIFICATE-----\n${base64}\n-----END CERTIFICATE-----\n`;
}
