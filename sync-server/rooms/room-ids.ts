// Room ids. A calendar-linked id is an HMAC of the event's iCalUID and the two participants
// under the server secret: both apps derive the same id without talking first, and nobody can
// precompute someone else's id to squat it. Random rooms get 128 random bits. Both are 32 hex
// characters, so ids are URL-safe and never collide with reserved paths such as /_events.
import { createHmac, randomBytes } from 'node:crypto';

export const ROOM_ID_PATTERN = /^[0-9a-f]{32}$/;

/** Lowercased and trimmed; the server compares verified token emails this way. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

// Deliberately permissive (the provider verified the address); it only keeps junk out of ids.
const EMAIL_PATTERN = /^[^\s@]{1,128}@[^\s@]{1,253}$/;
export function isEmail(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 320 && EMAIL_PATTERN.test(value.trim());
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
