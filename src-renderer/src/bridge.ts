// The renderer's single way to reach main: `window.duet` when preload exposed it (desktop), or a
// WebSocket client to the web-mode host. The host writes the bridge's address into a
// <meta name="duet-bridge"> tag (a meta tag, not an inline script, so the strict CSP holds) but
// never its secret: that arrives once, in the URL the host printed (`?token=…`), and the page moves
// it into sessionStorage and out of the address bar (docs/architecture.md §1, web mode). A reload
// finds it there; a new tab needs the printed link again, as does a tab left open across a restart.
import { contract, type DuetApi } from '../../src-shared/bridge/contract';
import { createClient, withBridgeErrors } from '../../src-shared/bridge/define';
import { createWsClientTransport } from '../../src-shared/bridge/ws-client';
import { TOKEN_PARAM } from '../../src-shared/bridge/ws-protocol';

declare global {
  interface Window {
    duet?: DuetApi;
  }
}

/** sessionStorage: this tab only, this origin only, gone when the tab closes. */
export const SECRET_STORAGE_KEY = 'duet.launchSecret';

type PageWindow = Pick<Window, 'location' | 'history' | 'sessionStorage'>;

/**
 * Takes the launch secret out of the address bar (into sessionStorage) and returns the tab's
 * current secret, or null when it has none.
 */
export function takeLaunchSecret(win: PageWindow = window): string | null {
  const here = new URL(win.location.href);
  const fromUrl = here.searchParams.get(TOKEN_PARAM);
  if (fromUrl) {
    try {
      win.sessionStorage.setItem(SECRET_STORAGE_KEY, fromUrl);
    } catch {
      /* storage disabled: the secret still serves this page load */
    }
    here.searchParams.delete(TOKEN_PARAM);
    // Out of the address bar and this history entry, so it is not shown, bookmarked or shared.
    win.history.replaceState(win.history.state, '', `${here.pathname}${here.search}${here.hash}`);
    return fromUrl;
  }
  try {
    return win.sessionStorage.getItem(SECRET_STORAGE_KEY);
  } catch {
    return null;
  }
}

/** The web host's bridge address from the page, or null when the page was not served by it. */
export function readWebBridgeUrl(doc: Document = document): string | null {
  const content = doc.querySelector('meta[name="duet-bridge"]')?.getAttribute('content');
  if (!content) return null;
  try {
    const parsed = JSON.parse(content) as { url?: unknown };
    return typeof parsed.url === 'string' && parsed.url ? parsed.url : null;
  } catch {
    return null;
  }
}

let bridge: DuetApi | null = null;

export class NoBridgeError extends Error {
  constructor(
    message = 'Duet cannot reach its host process. Start the app with `npm start`, or web mode with `npm run start:web`.',
  ) {
    super(message);
    this.name = 'NoBridgeError';
  }
}

export const NO_SECRET_MESSAGE =
  'This tab does not have the key of the running Duet. Open the link that `npm run start:web` printed when it started (the one ending in ?token=…).';

/** Returns the bridge, connecting the web transport on first use. Throws NoBridgeError when neither exists. */
export function getBridge(): DuetApi {
  if (bridge) return bridge;
  // The preload rejects with plain data (contextBridge strips Error properties); restore BridgeErrors.
  if (window.duet) return (bridge = withBridgeErrors(contract, window.duet));
  const url = readWebBridgeUrl();
  if (!url) throw new NoBridgeError();
  const token = takeLaunchSecret();
  if (!token) throw new NoBridgeError(NO_SECRET_MESSAGE);
  const transport = createWsClientTransport(url, token, (u) => new WebSocket(u));
  return (bridge = createClient(contract, transport));
}
