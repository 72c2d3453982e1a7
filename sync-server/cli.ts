// npm run -s sync-server -- [--port N] [--data DIR] [--issuer URL]... [--audience ID]...
// Prints one JSON line {"url","httpUrl"} on stdout when ready (logs go to stderr), runs until
// SIGTERM/SIGINT, then closes every socket, flushes and compacts every room and exits 0.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_LIMITS, type SyncServerLimits } from './config';
import { createJsonLogger, isLogLevel } from './log';
import { watchNpmLauncher } from './launcher-watch';
import { startSyncServer } from './server';

const USAGE = `Usage: npm run -s sync-server -- [options]
  --port N             port on 127.0.0.1 (default 0: any free port)
  --host ADDR          listen address (default 127.0.0.1)
  --data DIR           data directory (default .duet-data/sync-server)
  --memory             keep everything in memory instead (lost on exit)
  --storage URL        postgres://… : PostgreSQL instead of --data (several processes may
                       share it); also DUET_SYNC_DATABASE_URL
  --redis URL          redis://… : several processes serve the same rooms (needs
                       --storage); also DUET_SYNC_REDIS_URL
  --issuer URL         trusted OpenID issuer; repeatable (default: Google and Microsoft)
  --microsoft-issuer URL  a trusted issuer that is a Microsoft identity platform authority
                       (tid/xms_edov count for it); login.microsoftonline.com always is
  --audience ID        accepted token audience (OAuth client id); repeatable, required
  --ca FILE            extra PEM CA to trust for issuer HTTPS; repeatable
                       (NODE_EXTRA_CA_CERTS works too)
  --idle-ms N          evict a room N ms after its last peer leaves (default 30000)
  --compact-after N    compact a loaded room after N stored updates (default 500)
  --fsync              fsync every write batch
  --limit NAME=VALUE   override a limit; repeatable. Names: ${Object.keys(DEFAULT_LIMITS).join(', ')}
  --log-level LEVEL    debug | info | warn | error | silent (default info)`;

const DEFAULT_ISSUERS = ['https://accounts.google.com', 'https://login.microsoftonline.com/common/v2.0'];

function fail(message: string, code = 2): never {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  process.exit(code);
}

function integer(name: string, raw: string | undefined, fallback?: number): number | undefined {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) fail(`--${name} must be a non-negative integer, got "${raw}"`);
  return Number(raw);
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        data: { type: 'string' },
        memory: { type: 'boolean' },
        storage: { type: 'string' },
        redis: { type: 'string' },
        issuer: { type: 'string', multiple: true },
        'microsoft-issuer': { type: 'string', multiple: true },
        audience: { type: 'string', multiple: true },
        ca: { type: 'string', multiple: true },
        'idle-ms': { type: 'string' },
        'compact-after': { type: 'string' },
        fsync: { type: 'boolean' },
        limit: { type: 'string', multiple: true },
        'log-level': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }).values;
  } catch (err) {
    fail((err as Error).message);
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const logLevel = args['log-level'] ?? 'info';
  if (!isLogLevel(logLevel)) fail(`unknown log level "${logLevel}"`);
  const limits: Partial<Record<keyof SyncServerLimits, number>> = {};
  for (const entry of args.limit ?? []) {
    const [name, value] = entry.split('=');
    if (!name || !(name in DEFAULT_LIMITS)) fail(`unknown limit "${name}"`);
    // rates may be fractional (e.g. handshakesPerUserPerSecond=0.5)
    if (value === undefined || !/^\d+(\.\d+)?$/.test(value))
      fail(`--limit ${name} needs a non-negative number`);
    limits[name as keyof SyncServerLimits] = Number(value);
  }
  const databaseUrl = args.storage ?? (process.env.DUET_SYNC_DATABASE_URL || undefined);
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//i.test(databaseUrl))
    fail(`--storage must be a postgres:// URL, got "${databaseUrl.replace(/\/\/[^@/]*@/, '//…@')}"`);
  if (databaseUrl !== undefined && (args.memory || args.data !== undefined))
    fail('--storage cannot be combined with --memory or --data');
  const redisUrl = args.redis ?? (process.env.DUET_SYNC_REDIS_URL || undefined);
  if (redisUrl !== undefined && !/^rediss?:\/\//i.test(redisUrl)) fail('--redis must be a redis:// URL');
  if (redisUrl !== undefined && databaseUrl === undefined)
    fail('--redis needs --storage postgres://… (the processes share one database)');
  const log = createJsonLogger(logLevel);
  const server = await startSyncServer({
    port: integer('port', args.port, 0),
    host: args.host,
    dataDir: args.memory || databaseUrl !== undefined ? undefined : (args.data ?? '.duet-data/sync-server'),
    databaseUrl,
    redisUrl,
    issuers: args.issuer ?? DEFAULT_ISSUERS,
    microsoftIssuers: args['microsoft-issuer'] ?? [],
    audiences: args.audience ?? [],
    trustedCertificates: (args.ca ?? []).map((file) => readFileSync(file, 'utf8')),
    idleEvictionMs: integer('idle-ms', args['idle-ms']),
    compactAfterUpdates: integer('compact-after', args['compact-after']),
    fsync: args.fsync,
    limits,
    logger: log,
  });
  process.stdout.write(`${JSON.stringify({ url: server.url, httpUrl: server.httpUrl })}\n`);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) {
      log.warn('second signal, exiting without flushing', { signal });
      process.exit(1);
    }
    stopping = true;
    log.info('shutting down', { signal });
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error('shutdown failed', { error: String(err) });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  watchNpmLauncher((pid) => {
    if (!stopping) stop(`launcher ${pid} exited`);
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`sync-server failed to start: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
