// Web mode: main's services in a plain Node process, the bridge over a loopback WebSocket, and the
// same renderer served to a browser (docs/architecture.md §1, web mode). Used by the end-to-end
// tests and as a dev loop where Electron cannot run.
//
// Usage: npm run start:web -- [--port N] [--data DIR] [--sandbox URL] [--sync-server URL] [--open]
//                             [--no-build | --renderer DIR]
//
// Each launch makes a new secret and prints the one URL that carries it; the bridge (the only route
// that reveals data) refuses every request without it, so another account or program on this
// machine that can reach 127.0.0.1 learns nothing.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createMainBridge } from '../bridge/handlers';
import { attachWsBridge, newBridgeToken, sameSecret } from '../bridge/ws-server';
import { createNodePlatform } from '../platform/node';
import { createMainServices } from '../services/create';
import { startEmbeddedSyncServer } from '../services/embedded-sync';
import { jsonFileStore } from '../storage/json-file';
import { TOKEN_PARAM } from '../../src-shared/bridge/ws-protocol';
import { settingsPatch } from '../../src-shared/bridge/contract';
import { withLaunchSyncServer } from './launch-settings';
import { openInBrowser } from './open-browser';
import { restrictToOwner } from './owner-only';
import { createStaticHandler } from './static';

const projectRoot = resolve(import.meta.dirname, '../..');
export const DEFAULT_WEB_PORT = 5183;

export interface WebHostOptions {
  port?: number;
  dataDir: string;
  rendererDir: string;
  version?: string;
  /** A running sandbox's issuer URL, used instead of an embedded sandbox (`--sandbox`). */
  sandboxIssuer?: string;
  /** The sync server for this launch, as if set in Settings but not saved (`--sync-server`). */
  syncServerUrl?: string;
  /**
   * How long a connection may take to send its request headers (default 10 s); a silent or
   * trickling connection from another local program is answered 408 and closed after it.
   */
  headersTimeoutMs?: number;
  /** Unread bytes one bridge client may leave queued before it is dropped (tests lower it). */
  maxBufferedBytes?: number;
  log?: (msg: string, err?: unknown) => void;
}

export async function startWebHost(opts: WebHostOptions) {
  const log = opts.log ?? ((msg: string, err?: unknown) => console.error(msg, err ?? ''));
  restrictToOwner(opts.dataDir);
  const platform = createNodePlatform({
    userData: opts.dataDir,
    version: opts.version ?? '0.1.0',
    // Whatever main opens (a sign-in page, a help link) goes where the printed URL goes: BROWSER
    // decides, and BROWSER=none opens nothing (tests, headless machines).
    openExternal: async (url) => {
      await openInBrowser(url);
    },
  });
  const savedSettings = jsonFileStore(resolve(opts.dataDir, 'settings.json'));
  const services = await createMainServices({
    mode: 'web',
    platform,
    store: opts.syncServerUrl !== undefined ? withLaunchSyncServer(savedSettings, opts.syncServerUrl) : savedSettings,
    startEmbeddedSyncServer: (trust) => startEmbeddedSyncServer(resolve(opts.dataDir, 'sync-server'), trust),
    ...(opts.sandboxIssuer !== undefined ? { sandboxIssuer: opts.sandboxIssuer } : {}),
  });
  const bridgeHost = createMainBridge(services);
  const secret = newBridgeToken();

  let bridgeUrl = '';
  const serveStatic = createStaticHandler(opts.rendererDir, () => ({ url: bridgeUrl }));
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    // A page request that names a secret must name this launch's: a link from an earlier launch
    // gets 401 rather than a page that then cannot reach the bridge.
    const query = (req.url ?? '').split('#')[0]!.split('?').slice(1).join('?');
    const presented = new URLSearchParams(query).get(TOKEN_PARAM); // never throws, even on `%`
    if (presented !== null && !sameSecret(presented, secret)) {
      res.writeHead(401, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end('This link is not valid for the running Duet: open the link it printed when it started.\n');
      return;
    }
    await serveStatic(req, res);
  };
  const headersTimeout = opts.headersTimeoutMs ?? 10_000;
  // Node checks these timeouts every connectionsCheckingInterval; its 30 s default would let idle
  // sockets pile up for that long.
  const timeouts = {
    headersTimeout,
    requestTimeout: Math.max(30_000, headersTimeout),
    connectionsCheckingInterval: Math.min(1_000, headersTimeout),
  };
  const server = createServer(timeouts, (req, res) => {
    // The last resort: whatever a request does, it must not end the process.
    handle(req, res).catch((err: unknown) => {
      log('web host: request failed', err);
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' }).end('Internal error');
      else res.destroy();
    });
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, '127.0.0.1', ok);
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('web host: no TCP address');
  const origin = `http://127.0.0.1:${address.port}`;
  // Both spellings of loopback reach this server; any other origin (another site in the same
  // browser) is refused even with the secret. The secret is the real guard: Origin is forged by
  // any program that is not a browser.
  const allowedOrigins = [origin, `http://localhost:${address.port}`];
  const ws = attachWsBridge(bridgeHost, {
    server,
    path: '/bridge',
    allowedOrigins,
    token: secret,
    otherPaths: 'refuse',
    log,
    ...(opts.maxBufferedBytes !== undefined ? { maxBufferedBytes: opts.maxBufferedBytes } : {}),
  });
  bridgeUrl = `ws://127.0.0.1:${address.port}/bridge`;

  return {
    /** The URL to open: this launch's secret rides in its query; the page keeps it and strips it. */
    url: `${origin}/?${TOKEN_PARAM}=${secret}`,
    origin,
    port: address.port,
    secret,
    services,
    bridge: bridgeHost,
    wsBridge: ws,
    async close() {
      await ws.close();
      await new Promise<void>((ok) => server.close(() => ok()));
      server.closeAllConnections();
      await services.stop();
    },
  };
}

async function buildRenderer(outDir: string) {
  const { build } = await import('vite');
  const { rendererViteConfig } = await import('../../electron.vite.config');
  await build({ ...rendererViteConfig(outDir), configFile: false, logLevel: 'warn' });
}

export interface CliOptions {
  port: number;
  dataDir: string;
  sandboxIssuer?: string;
  syncServerUrl?: string;
  open: boolean;
  build: boolean;
  /** An already-built renderer to serve instead of out/web-renderer (never rebuilt). */
  rendererDir?: string;
}

/** Parses the command line; throws an Error whose message is the one line to show the user. */
export function parseCli(argv: string[]): CliOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: String(DEFAULT_WEB_PORT) },
      data: { type: 'string', default: resolve(projectRoot, '.duet-data/web') },
      sandbox: { type: 'string' },
      'sync-server': { type: 'string' },
      open: { type: 'boolean', default: false },
      'no-build': { type: 'boolean', default: false },
      renderer: { type: 'string' },
    },
  });
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port) || port > 65535) throw new Error(`--port must be a number from 0 to 65535 (got "${values.port}").`);
  const out: CliOptions = { port, dataDir: resolve(values.data), open: values.open, build: !values['no-build'] };
  if (values.renderer !== undefined) {
    out.rendererDir = resolve(values.renderer);
    out.build = false;
  }
  if (values.sandbox !== undefined) {
    let issuer: URL;
    try {
      issuer = new URL(values.sandbox);
    } catch {
      throw new Error(`--sandbox must be the sandbox's issuer URL, such as https://127.0.0.1:4443 (got "${values.sandbox}").`);
    }
    if (issuer.protocol !== 'https:' && issuer.protocol !== 'http:') {
      throw new Error(`--sandbox must be an http(s) URL (got "${values.sandbox}").`);
    }
    out.sandboxIssuer = values.sandbox.replace(/\/+$/, '');
  }
  if (values['sync-server'] !== undefined) {
    // The same rule Settings applies, so the flag accepts exactly what the Settings field accepts.
    const checked = settingsPatch.safeParse({ syncServerUrl: values['sync-server'].trim() });
    if (!checked.success) throw new Error(`--sync-server: ${checked.error.issues[0]?.message ?? 'not a sync server URL'}.`);
    out.syncServerUrl = checked.data.syncServerUrl ?? '';
  }
  return out;
}

async function cli() {
  let opts: CliOptions;
  try {
    opts = parseCli(process.argv.slice(2));
  } catch (err) {
    console.error((err as Error).message);
    process.exit(2);
  }
  // Everything this process writes (LevelDB's files included) is readable by its owner only.
  process.umask(0o077);
  const rendererDir = opts.rendererDir ?? resolve(projectRoot, 'out/web-renderer');
  if (!opts.rendererDir && (opts.build || !existsSync(resolve(rendererDir, 'index.html')))) {
    console.error('Building the renderer…');
    await buildRenderer(rendererDir);
  }
  let host: Awaited<ReturnType<typeof startWebHost>>;
  try {
    host = await startWebHost({
      port: opts.port,
      dataDir: opts.dataDir,
      rendererDir,
      ...(opts.sandboxIssuer !== undefined ? { sandboxIssuer: opts.sandboxIssuer } : {}),
      ...(opts.syncServerUrl !== undefined ? { syncServerUrl: opts.syncServerUrl } : {}),
    });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    console.error(
      e.code === 'EADDRINUSE'
        ? `Port ${opts.port} is already in use: stop the other process or pass --port 0 for any free port.`
        : `Web mode could not start: ${e.message}`,
    );
    process.exit(1);
  }
  // The one line tests and scripts read: keep its shape ("web mode at <url>").
  console.log(`Duet is running in web mode at ${host.url}  (Ctrl+C to stop)`);
  if (opts.open) {
    try {
      const how = await openInBrowser(host.url);
      if (how) console.error(`Opened it with ${how}.`);
    } catch (err) {
      console.error(`${(err as Error).message} Open the link above yourself.`);
    }
  }
  const stop = () => {
    void host.close().finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  void cli();
}
