// Minimal ASN.1 DER encoder: just the node types an X.509 v3 certificate needs.
// Written here (instead of pulling in a certificate library) because node:crypto already
// does the hard parts — key generation and signing — and a certificate is only a few
// nested SEQUENCEs around them.

export type Der = Buffer;

function encodeLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  let rest = length;
  while (rest > 0) {
    bytes.unshift(rest & 0xff);
    rest = Math.floor(rest / 256);
  }
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function tlv(tag: number, content: Buffer): Der {
  return Buffer.concat([Buffer.from([tag]), encodeLength(content.length), content]);
}

export const sequence = (...items: Der[]): Der => tlv(0x30, Buffer.concat(items));
export const set = (...items: Der[]): Der => tlv(0x31, Buffer.concat(items));
export const nullValue = (): Der => Buffer.from([0x05, 0x00]);
export const boolean = (value: boolean): Der => tlv(0x01, Buffer.from([value ? 0xff : 0x00]));
export const octetString = (content: Buffer): Der => tlv(0x04, content);
export const utf8String = (text: string): Der => tlv(0x0c, Buffer.from(text, 'utf8'));
export const ia5String = (text: string): Der => tlv(0x16, Buffer.from(text, 'ascii'));

/** BIT STRING with every bit used (public keys, signatures). */
export const bitString = (content: Buffer, unusedBits = 0): Der =>
  tlv(0x03, Buffer.concat([Buffer.from([unusedBits]), content]));

/** Positive INTEGER from big-endian bytes (a leading 0 keeps the sign bit clear). */
export function integer(value: Buffer | number): Der {
  let bytes = typeof value === 'number' ? numberBytes(value) : value;
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0 && ((bytes[start + 1] ?? 0) & 0x80) === 0) start++;
  bytes = bytes.subarray(start);
  if (((bytes[0] ?? 0) & 0x80) !== 0) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return tlv(0x02, bytes);
}

function numberBytes(value: number): Buffer {
  if (value === 0) return Buffer.from([0]);
  const bytes: number[] = [];
  let rest = value;
  while (rest > 0) {
    bytes.unshift(rest & 0xff);
    rest = Math.floor(rest / 256);
  }
  return Buffer.from(bytes);
}

export function oid(dotted: string): Der {
  const parts = dotted.split('.').map(Number);
  const [first = 0, second = 0, ...rest] = parts;
  const bytes: number[] = [first * 40 + second];
  for (const part of rest) {
    const chunk: number[] = [part & 0x7f];
    let value = Math.floor(part / 128);
    while (value > 0) {
      chunk.unshift((value & 0x7f) | 0x80);
      value = Math.floor(value / 128);
    }
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}

/** X.509 Time: UTCTime before 2050, GeneralizedTime from then on (RFC 5280 §4.1.2.5). */
export function time(date: Date): Der {
  const iso = date.toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  const compact = iso.slice(0, 19).replace(/[-:T]/g, '') + 'Z'; // YYYYMMDDHHMMSSZ
  if (date.getUTCFullYear() < 2050) return tlv(0x17, Buffer.from(compact.slice(2), 'ascii'));
  return tlv(0x18, Buffer.from(compact, 'ascii'));
}

/** [n] EXPLICIT wrapper. */
export const explicit = (tagNumber: number, inner: Der): Der => tlv(0xa0 | tagNumber, inner);

/** [n] IMPLICIT primitive (e.g. GeneralName dNSName [2], iPAddress [7]). */
export const implicitPrimitive = (tagNumber: number, content: Buffer): Der => tlv(0x80 | tagNumber, content);
