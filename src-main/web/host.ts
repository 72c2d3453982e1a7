// Web mode: main's services in a plain Node process, the bridge over a loopback WebSocket, and the
// same renderer served to a browser. Used by the end-to-end tests and as a dev loop where Electron
// cannot run. Usage: npm run start:web -- [--port N] [--data DIR] [--no-build]
import { createServer } from 'node:http';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createMainBridge } from '../bridge/handlers';
import { attachWsBridge } from '../bridge/ws-server';
import { createNodePlatform } from '../platform/node';
import { createMainServices } from '../services/create';
import { startEmbeddedSyncServer } from '../services/embedded-sync';
import { jsonFileStore } from '../storage/json-file';
import { createStaticHandler } from './static';

const projectRoot = resolve(import.meta.dirname, '../..');

export interface WebHostOptions {
  port?: number;
  dataDir: string;
  rendererDir: string;
  version?: string;
}

export async function startWebHost(opts: WebHostOptions) {
  const platform = createNodePlatform({ userData: opts.dataDir, version: opts.version ?? '0.1.0' });
  const services = await createMainServices({
    mode: 'web',
    platform,
    store: jsonFileStore(resolve(opts.dataDir, 'settings.json')),
    startEmbeddedSyncServer: (trust) => startEmbeddedSyncServer(resolve(opts.dataDir, 'sync-server'), trust),
  });
  const bridgeHost = createMainBridge(services);

  let wsInfo = { url: '', token: '' };
  const server = createServer((req, res) => {
    void serveStatic(req, res);
  });
  const serveStatic = createStaticHandler(opts.rendererDir, () => wsInfo);
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, '127.0.0.1', ok);
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('web host: no TCP address');
  const origin = `http://127.0.0.1:${address.port}`;
  // Both spellings of loopback reach this server; any other origin (another site in the same
  // browser) is refused even if it somehow learned the token.
  const allowedOrigins = [origin, `http://localhost:${address.port}`];
  const ws = attachWsBridge(bridgeHost, { server, path: '/bridge', allowedOrigins });
  wsInfo = { url: `ws://127.0.0.1:${address.port}/bridge`, token: ws.token };

  return {
    url: `${origin}/`,
    services,
    bridge: bridgeHost,
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

async function cli() {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '5183' },
      data: { type: 'string', default: resolve(projectRoot, '.duet-data/web') },
      'no-build': { type: 'boolean', default: false },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be a number from 0 to 65535 (got "${values.port}").`);
    process.exit(2);
  }
  const rendererDir = resolve(projectRoot, 'out/web-renderer');
  if (!values['no-build'] || !existsSync(resolve(rendererDir, 'index.html'))) {
    console.error('Building the renderer…');
    await buildRenderer(rendererDir);
  }
  let host: Awaited<ReturnType<typeof startWebHost>>;
  try {
    host = await startWebHost({ port, dataDir: values.data, rendererDir });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    console.error(
      e.code === 'EADDRINUSE'
        ? `Port ${port} is already in use: stop the other process or pass --port 0 for any free port.`
        : `Web mode could not start: ${e.message}`,
    );
    process.exit(1);
  }
  console.log(`Duet is running in web mode at ${host.url}  (Ctrl+C to stop)`);
  const stop = () => {
    void host.close().finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  void cli();
}
