// duet:// links as the OS hands them to main (argv on Windows and Linux, open-url on macOS); the
// parser itself is shared with the renderer (src-shared/app/deep-link.ts).
import { PROTOCOL } from '../../src-shared/app/deep-link';

export { parseDeepLink, PROTOCOL, type DeepLink } from '../../src-shared/app/deep-link';

/** On Windows and Linux a second instance receives the link in its argv. */
export function findDeepLinkInArgv(argv: readonly string[]): string | null {
  return argv.find((a) => a.toLowerCase().startsWith(`${PROTOCOL}:`)) ?? null;
}

/**
 * The link the OS handed over, until the renderer takes it. The window may not be listening yet
 * when a link arrives (a cold start with the link in argv: the event fires before React mounts),
 * so the link waits here: `offer` keeps it and tells listeners (the bridge's `app.deepLink`
 * event), and the renderer takes it once at start (`app.takeDeepLink`) and on every event, so a
 * link is followed once.
 */
export interface DeepLinkInbox {
  offer(url: string): boolean;
  take(): string | null;
  onOffer(listener: (url: string) => void): () => void;
}

export function createDeepLinkInbox(parse: (url: string) => unknown): DeepLinkInbox {
  let pending: string | null = null;
  const listeners = new Set<(url: string) => void>();
  return {
    offer(url) {
      // Only links Duet understands wait here; anything else is dropped at the door.
      if (!parse(url)) return false;
      pending = url;
      for (const l of listeners) l(url);
      return true;
    },
    take() {
      const url = pending;
      pending = null;
      return url;
    },
    onOffer(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
