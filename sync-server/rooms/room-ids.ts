// Room ids. A calendar-linked id is an HMAC of the event's iCalUID and the two participants
// under the server secret: both apps derive the same id without talking first, and nobody can
// precompute someone else's id to squat it. Random rooms get 128 random bits. Both are 32 hex
// characters, so ids are URL-safe and never collide with reserved paths such as /_events.
import { createHmac, randomBytes } from 'node:crypto';

export const ROOM_ID_PATTERN = /^[0-9a-f]{32}$/;

// Characters that make two different addresses look (or, after careless folding, become) the
// same: control (C0/C1, bidi marks count as format), format (byte-order mark, zero-width joiners),
// every kind of space (no-break space included) and lone surrogates. Refused outright, never
// trimmed or folded away: a token for "\uFEFFalice@x" must not become alice@x.
const REFUSED_CHARACTERS = /[\p{Cc}\p{Cf}\p{Cs}\p{Z}\s]/u;

/**
 * Why `email` cannot be an identity, or undefined when it can. Beyond the characters above, an
 * address whose compatibility form (NFKC) differs from its canonical form (NFC) is refused
 * (fullwidth letters would otherwise pass as ASCII, ligatures as letters), and so is one holding
 * a canonical singleton (the Kelvin sign U+212A would otherwise become "K").
 */
export function emailProblem(email: string): string | undefined {
  if (REFUSED_CHARACTERS.test(email)) return 'contains a control, format or space character';
  if (email.normalize('NFKC') !== email.normalize('NFC')) return 'contains a compatibility character';
  // Canonical singletons: the Kelvin sign (U+212A), Ohm (U+2126) and Angstrom (U+212B) signs are
  // replaced by K, Ω and Å even by NFC, so the NFKC test above cannot see them. A code point that
  // NFC rewrites on its own is never what a person typed for their address.
  for (const ch of email) if (ch.normalize('NFC') !== ch) return 'contains a character Unicode replaces';
  return undefined;
}

/**
 * The form the server compares: NFC, then ASCII letters lower-cased and nothing else folded
 * (Unicode case folding maps distinct code points together: U+212A KELVIN SIGN → "k").
 * Only for addresses isEmail() accepted.
 */
export function normalizeEmail(email: string): string {
  return email.normalize('NFC').replace(/[A-Z]+/g, (run) => run.toLowerCase());
}

// Deliberately permissive about structure (the provider verified the address); strict about the
// characters that would let one address pass for another.
const EMAIL_PATTERN = /^[^\s@]{1,128}@[^\s@]{1,253}$/u;
export function isEmail(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length <= 320 &&
    emailProblem(value) === undefined &&
    EMAIL_PATTERN.test(value)
  );
}

/** The two participants, normalized and sorted, so either side's order gives the same pair. */
export function participantPair(a: string, b: string): [string, string] {
  const x = normalizeEmail(a);
  const y = normalizeEmail(b);
  return x < y ? [x, y] : [y, x];
}

export function deriveCalendarRoomId(
  secret: Uint8Array,
  iCalUID: string,
  pair: readonly [string, string],
): string {
  // NUL separators: no field can contain one, so distinct inputs never encode alike.
  return createHmac('sha256', secret)
    .update(`duet-room-v1\0${iCalUID}\0${pair[0]}\0${pair[1]}`)
    .digest('hex')
    .slice(0, 32);
}

export function randomRoomId(): string {
  return randomBytes(16).toString('hex');
}
