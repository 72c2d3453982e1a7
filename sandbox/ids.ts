// Identifier helpers. Google event ids use base32hex (a-v, 0-9); Graph ids are opaque.
import { createHash, randomBytes, randomUUID } from 'node:crypto';

const BASE32HEX = '0123456789abcdefghijklmnopqrstuv';

export function googleEventId(length = 26): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += BASE32HEX[b & 31];
  return out;
}

export const GOOGLE_EVENT_ID = /^[a-v0-9]{5,1024}$/;

export function opaqueToken(prefix = '', bytes = 24): string {
  return prefix + randomBytes(bytes).toString('base64url');
}

export const uuid = (): string => randomUUID();

/** A stable UUID-shaped id derived from a string (people keep their ids across resets). */
export function stableUuid(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A stable numeric id like Google account ids (21 digits). */
export function stableNumericId(seed: string): string {
  const h = createHash('sha256').update(seed).digest();
  let digits = '1';
  for (let i = 0; digits.length < 21; i++) digits += String((h[i % h.length] ?? 0) % 10);
  return digits;
}

/** Meet-style code: abc-defg-hij. */
export function meetCode(): string {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const pick = (n: number): string =>
    Array.from(randomBytes(n), (b) => letters[b % 26]).join('');
  return `${pick(3)}-${pick(4)}-${pick(3)}`;
}
