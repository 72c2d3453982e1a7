// duet:// links: how the OS hands a meeting (or a future OAuth hand-off) to the running app.
import { isMeetingId } from '../../src-shared/meeting/meeting-id';

export const PROTOCOL = 'duet';

export type DeepLink = { kind: 'meeting'; meetingId: string } | { kind: 'open' };

/** Parses a duet:// URL; anything malformed or unknown is null, never an exception. */
export function parseDeepLink(raw: string): DeepLink | null {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return null;
  }
  if (u.protocol !== `${PROTOCOL}:`) return null;
  // duet://meeting/ID parses with host "meeting"; duet:meeting/ID with pathname "meeting/ID".
  const parts = [u.host, ...u.pathname.split('/')].filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0) return { kind: 'open' };
  if (parts[0] === 'meeting' && parts.length === 2 && isMeetingId(parts[1]!)) {
    return { kind: 'meeting', meetingId: parts[1]! };
  }
  return null;
}

/** On Windows and Linux a second instance receives the link in its argv. */
export function findDeepLinkInArgv(argv: readonly string[]): string | null {
  return argv.find((a) => a.toLowerCase().startsWith(`${PROTOCOL}:`)) ?? null;
}
