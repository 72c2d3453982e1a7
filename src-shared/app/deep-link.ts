// duet:// links: how the OS hands a meeting (or a future OAuth hand-off) to the running app. Main
// parses what the OS gives it (src-main/app/deep-link.ts); the renderer turns a link main passed
// on (the `app.deepLink` event, or `app.takeDeepLink` at start) into the page's hash, the same
// `#/meetings/<id>` a web-mode tab opens directly.
import { isMeetingId } from '../meeting/meeting-id';

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
  let parts: string[];
  try {
    parts = [u.host, ...u.pathname.split('/')].filter(Boolean).map(decodeURIComponent);
  } catch {
    return null; // a malformed %-escape
  }
  if (parts.length === 0) return { kind: 'open' };
  if (parts[0] === 'meeting' && parts.length === 2 && isMeetingId(parts[1]!)) {
    return { kind: 'meeting', meetingId: parts[1]! };
  }
  return null;
}

/** The in-app hash a meeting opens at. */
export const meetingHash = (id: string): string => `#/meetings/${encodeURIComponent(id)}`;

/** Where a duet:// link takes the window: a hash, or null to stay (just come to the front). */
export function hashForDeepLink(raw: string): string | null {
  const link = parseDeepLink(raw);
  return link?.kind === 'meeting' ? meetingHash(link.meetingId) : null;
}
