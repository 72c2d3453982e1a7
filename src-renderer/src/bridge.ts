// The renderer's single way to reach main: `window.duet` when preload exposed it (desktop), or a
// WebSocket client to the web-mode host whose address and per-run token the host writes into a
// <meta name="duet-bridge"> tag (a meta tag, not an inline script, so the strict CSP holds).
import { contract, type DuetApi } from '../../src-shared/bridge/contract';
import { createClient, withBridgeErrors } from '../../src-shared/bridge/define';
import { createWsClientTransport } from '../../src-shared/bridge/ws-client';

declare global {
  interface Window {
    duet?: DuetApi;
  }
}

export interface WebBridgeConfig {
  url: string;
  token: string;
}

export function readWebBridgeConfig(doc: Document = document): WebBridgeConfig | null {
  const content = doc.querySelector('meta[name="duet-bridge"]')?.getAttribute('content');
  if (!content) return null;
  try {
    const parsed = JSON.parse(content) as Partial<WebBridgeConfig>;
    return typeof parsed.url === 'string' && typeof parsed.token === 'string'
      ? { url: parsed.url, token: parsed.token }
      : null;
  } catch {
    return null;
  }
}

let bridge: DuetApi | null = null;

export class NoBridgeError extends Error {
  constructor() {
    super('Duet cannot reach its host process. Start the app with `npm start`, or web mode with `npm run start:web`.');
    this.name = 'NoBridgeError';
  }
}

/** Returns the bridge, connecting the web transport on first use. Throws NoBridgeError when neither exists. */
export function getBridge(): DuetApi {
  if (bridge) return bridge;
  // The preload rejects with plain data (contextBridge strips Error properties); restore BridgeErrors.
  if (window.duet) return (bridge = withBridgeErrors(contract, window.duet));
  const config = readWebBridgeConfig();
  if (!config) throw new NoBridgeError();
  const transport = createWsClientTransport(config.url, config.token, (u) => new WebSocket(u));
  return (bridge = createClient(contract, transport));
}
