// npm run cluster -- --processes 3 [--port N] [--install] [sync-server options]
// A throw-away local cluster for tests and demos (deploy/README.md): PostgreSQL (initdb in a
// temporary folder), Redis, N sync-server processes sharing them, and HAProxy in front with
// deploy/haproxy.cfg. Every other option is passed to each sync-server process (--issuer,
// --audience, --ca, --limit, --idle-ms ...). Prints one JSON line when ready:
//   {"publicUrl","processes":[{"url","httpUrl","pid"}],"databaseUrl","redisUrl",
//    "redis":{"pid"},"postgres":{"pid"}}
// then supervises: a process, Redis or PostgreSQL that exits is started again (same port) and
// a line {"event":"restarted","name":"sync-1"|"redis"|"postgres","pid"} is printed. SIGTERM or
// SIGINT stops everything it started and removes the temporary folders.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import {
  MissingPackageError,
  findHaproxy,
  findPostgresBin,
  findRedisServer,
  freePort,
  installMissing,
  startHaproxy,
  startPostgres,
  startRedis,
  type Haproxy,
  type Postgres,
  type Redis,
} from './cluster/services';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const USAGE = `Usage: npm run cluster -- --processes N [--port PORT] [--install] [sync-server options]
  --processes N   sync-server processes (default 3)
  --port PORT     HAProxy's port on 127.0.0.1 (default: any free port)
  --install       apt-get install the missing packages (postgresql, redis-server, haproxy)
  anything else   passed to every sync-server process (see npm run -s sync-server -- --help)`;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  process.exit(2);
}

function parse(argv: string[]) {
  let processes = 3;
  let port: number | undefined;
  let install = false;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes('=') && arg.startsWith('--') ? arg.split(/=(.*)/s) : [arg, undefined];
    const value = () => inline ?? argv[++i] ?? fail(`${flag} needs a value`);
    if (flag === '--processes') {
      const v = value();
      if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 32) fail(`--processes must be 1-32, got "${v}"`);
      processes = Number(v);
    } else if (flag === '--port') {
      const v = value();
      if (!/^\d+$/.test(v) || Number(v) > 65535) fail(`--port must be a port number, got "${v}"`);
      port = Number(v);
    } else if (flag === '--install') install = true;
    else if (flag === '--help' || flag === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else if (['--port', '--storage', '--redis', '--data', '--memory', '--host'].includes(flag!)) {
      fail(`${flag} is set by the cluster itself`);
    } else rest.push(arg);
  }
  return { processes, port, install, serverArgs: rest };
}

/**
 * The server bundled once (esbuild, which tsx itself runs on) so each process, and each
 * restart, starts in a fraction of tsx's time. Packages stay external: the bundle lives under
 * node_modules/.cache so they resolve from the repository.
 */
function bundleServer(): { entry: string; remove(): void } {
  const cache = join(ROOT, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, 'duet-cluster-'));
  const entry = join(dir, 'sync-server.mjs');
  buildSync({
    entryPoints: [join(ROOT, 'sync-server', 'cli.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    target: 'node20',
    outfile: entry,
    logLevel: 'warning',
  });
  return { entry, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

interface SyncProcess {
  readonly name: string;
  readonly port: number;
  child: ChildProcess;
  url: string;
  httpUrl: string;
}

async function main(): Promise<void> {
  const { processes: count, port: publicPort, install, serverArgs } = parse(process.argv.slice(2));
  if (install) installMissing();
  try {
    findPostgresBin();
    findRedisServer();
    findHaproxy();
  } catch (error) {
    if (error instanceof MissingPackageError) fail(error.message);
    throw error;
  }

  let stopping = false;
  let postgres: Postgres | undefined;
  let redis: Redis | undefined;
  let haproxy: Haproxy | undefined;
  const syncs: SyncProcess[] = [];
  const bundle = bundleServer();

  const stopAll = async () => {
    stopping = true;
    await haproxy?.stop().catch(() => undefined);
    await Promise.all(
      syncs.map(
        (s) =>
          new Promise<void>((resolve) => {
            if (s.child.exitCode !== null || s.child.signalCode !== null) return resolve();
            s.child.once('exit', () => resolve());
            s.child.kill('SIGTERM');
            setTimeout(() => s.child.kill('SIGKILL'), 10_000).unref();
          }),
      ),
    );
    await redis?.stop().catch(() => undefined);
    await postgres?.stop().catch(() => undefined);
    bundle.remove();
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      void stopAll().then(() => process.exit(0));
    });
  }

  const event = (name: string, pid: number | undefined) =>
    process.stdout.write(`${JSON.stringify({ event: 'restarted', name, pid })}\n`);

  try {
    [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
    const databaseUrl = postgres.url;
    const redisUrl = redis.url;

    const launch = (name: string, port: number): Promise<SyncProcess> => {
      const child = spawn(
        process.execPath,
        [
          bundle.entry,
          '--port',
          String(port),
          '--storage',
          databaseUrl,
          '--redis',
          redisUrl,
          ...(serverArgs.some((a) => a.startsWith('--log-level')) ? [] : ['--log-level', 'warn']),
          ...serverArgs,
        ],
        { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      createInterface({ input: child.stderr! }).on('line', (line) =>
        process.stderr.write(`[${name}] ${line}\n`),
      );
      return new Promise((resolve, reject) => {
        const lines = createInterface({ input: child.stdout! });
        lines.once('line', (line) => {
          const { url, httpUrl } = JSON.parse(line) as { url: string; httpUrl: string };
          resolve({ name, port, child, url, httpUrl });
        });
        child.once('exit', (code, signal) =>
          reject(new Error(`${name} exited (${code ?? signal}) before it was ready`)),
        );
      });
    };

    const supervise = (proc: SyncProcess) => {
      proc.child.once('exit', () => {
        if (stopping) return;
        setTimeout(() => {
          if (stopping) return;
          launch(proc.name, proc.port).then(
            (next) => {
              proc.child = next.child;
              supervise(proc);
              event(proc.name, next.child.pid);
            },
            (error: unknown) =>
              process.stderr.write(`cluster: ${proc.name} failed to restart: ${String(error)}\n`),
          );
        }, 200);
      });
    };

    const ports = await Promise.all(Array.from({ length: count }, () => freePort()));
    syncs.push(...(await Promise.all(ports.map((p, i) => launch(`sync-${i + 1}`, p)))));
    syncs.forEach(supervise);

    const watchService = (name: 'redis' | 'postgres', handle: Redis | Postgres, delayMs: number) => {
      void handle.service.exited.then(() => {
        if (stopping) return;
        setTimeout(() => {
          if (stopping) return;
          handle.relaunch().then(
            () => {
              event(name, handle.service.pid);
              watchService(name, handle, delayMs);
            },
            (error: unknown) =>
              process.stderr.write(`cluster: ${name} failed to restart: ${String(error)}\n`),
          );
        }, delayMs);
      });
    };
    watchService('redis', redis, 300);
    watchService('postgres', postgres, 300);

    const template = readFileSync(`${ROOT}/deploy/haproxy.cfg`, 'utf8');
    const port = publicPort ?? (await freePort());
    haproxy = await startHaproxy(
      template,
      port,
      syncs.map((s, i) => ({ name: `sync${i + 1}`, port: s.port })),
    );
    // Wait until HAProxy has seen every process healthy once, so the first client is routed.
    await new Promise((r) => setTimeout(r, 300));

    process.stdout.write(
      `${JSON.stringify({
        publicUrl: `ws://127.0.0.1:${port}`,
        publicHttpUrl: `http://127.0.0.1:${port}`,
        processes: syncs.map((s) => ({ url: s.url, httpUrl: s.httpUrl, pid: s.child.pid })),
        databaseUrl,
        redisUrl,
        redis: { pid: redis.service.pid },
        postgres: { pid: postgres.service.pid },
      })}\n`,
    );
  } catch (error) {
    process.stderr.write(`cluster failed to start: ${(error as Error).stack ?? String(error)}\n`);
    await stopAll();
    process.exit(1);
  }
}

void main();
