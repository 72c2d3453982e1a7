// Throw-away PostgreSQL, Redis and HAProxy from the machine's Debian packages, for the local
// cluster (`npm run cluster`) and the tests. Each runs in the foreground as our child, so its
// pid is the server itself and stopping it is one signal. PostgreSQL refuses to run as root:
// when we are root, initdb and postgres run as the `postgres` user (created by the Debian
// package) or else `nobody`, through spawn's uid/gid.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** A server binary is missing; `pkg` is the Debian package that provides it. */
export class MissingPackageError extends Error {
  constructor(
    readonly pkg: string,
    what: string,
  ) {
    super(
      `${what} not found: install the Debian package "${pkg}" (apt-get install ${pkg}), or pass --install`,
    );
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function onPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/usr/bin', '/sbin'])) {
    if (dir && existsSync(join(dir, command))) return join(dir, command);
  }
  return undefined;
}

/** The newest PostgreSQL server binaries: Debian's /usr/lib/postgresql/N/bin, else PATH. */
export function findPostgresBin(): string {
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(root, versions[0], 'bin');
  }
  const initdb = onPath('initdb');
  if (initdb) return join(initdb, '..');
  throw new MissingPackageError('postgresql', 'PostgreSQL (initdb)');
}

export function findRedisServer(): string {
  return onPath('redis-server') ?? throwMissing('redis-server', 'redis-server');
}

export function findHaproxy(): string {
  return onPath('haproxy') ?? throwMissing('haproxy', 'haproxy');
}

function throwMissing(pkg: string, what: string): never {
  throw new MissingPackageError(pkg, what);
}

/** apt-get installs the packages whose binaries are missing (only with --install). */
export function installMissing(): void {
  const missing: string[] = [];
  for (const find of [findPostgresBin, findRedisServer, findHaproxy]) {
    try {
      find();
    } catch (error) {
      if (error instanceof MissingPackageError) missing.push(error.pkg);
      else throw error;
    }
  }
  if (missing.length === 0) return;
  process.stderr.write(`installing ${missing.join(', ')} with apt-get\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [
    ['update', '-qq'],
    ['install', '-y', '-qq', ...missing],
  ]) {
    const r = spawnSync('apt-get', args, { stdio: ['ignore', 'inherit', 'inherit'], env });
    if (r.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed (${r.status ?? r.signal})`);
  }
}

/** uid/gid to run PostgreSQL as: ourselves, or an unprivileged user when we are root. */
function unprivileged(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const passwd = readFileSync('/etc/passwd', 'utf8').split('\n');
  for (const name of ['postgres', 'nobody']) {
    const line = passwd.find((l) => l.startsWith(`${name}:`));
    if (!line) continue;
    const [, , uid, gid] = line.split(':');
    return { uid: Number(uid), gid: Number(gid) };
  }
  throw new Error('running as root and neither a "postgres" nor a "nobody" user exists to run PostgreSQL');
}

export interface Service {
  readonly pid: number;
  readonly child: ChildProcess;
  /** Output lines (the last 200), for error messages. */
  readonly output: string[];
  /** Resolves with the exit code or signal. */
  readonly exited: Promise<number | NodeJS.Signals | null>;
  /** SIGTERM (or `signal`), SIGKILL after 5 s; resolves when it is gone. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

function run(
  command: string,
  args: string[],
  options: { user?: { uid: number; gid: number }; cwd?: string } = {},
): Service {
  const child = spawn(command, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: options.cwd,
    ...(options.user ? { uid: options.user.uid, gid: options.user.gid } : {}),
    env: { ...process.env, LC_ALL: 'C' },
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (output.length > 200) output.splice(0, output.length - 200);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal));
    child.once('error', (error) => {
      output.push(String(error));
      resolve(-1);
    });
  });
  return {
    pid: child.pid ?? -1,
    child,
    output,
    exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function waitUntil(probe: () => Promise<boolean>, what: string, service: Service, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void service.exited.then(() => (exited = true));
  for (;;) {
    if (await probe().catch(() => false)) return;
    if (exited || Date.now() > deadline)
      throw new Error(`${what} did not start${exited ? ' (it exited)' : ''}:\n${service.output.join('\n')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface Postgres {
  /** postgres://duet@127.0.0.1:PORT/postgres */
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  readonly service: Service;
  /** A fresh empty database on this server; its URL. */
  createDatabase(name: string): Promise<string>;
  /** Fast shutdown, then starts again on the same port and data (a database restart). */
  restart(downMs?: number): Promise<void>;
  /** Starts it again after it exited (supervision). */
  relaunch(): Promise<void>;
  /** Stops the server and removes its files. */
  stop(): Promise<void>;
}

export async function startPostgres(
  options: {
    port?: number;
    /** Where its temporary folder goes (default: the OS's). */ parentDir?: string;
  } = {},
): Promise<Postgres> {
  const bin = findPostgresBin();
  const user = unprivileged();
  const root = mkdtempSync(join(options.parentDir ?? tmpdir(), 'duet-pg-'));
  if (user) chownSync(root, user.uid, user.gid);
  const dataDir = join(root, 'data');
  const init = spawnSync(
    join(bin, 'initdb'),
    ['-D', dataDir, '-U', 'duet', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions'],
    {
      encoding: 'utf8',
      ...(user ? { uid: user.uid, gid: user.gid } : {}),
      env: { ...process.env, LC_ALL: 'C' },
    },
  );
  if (init.status !== 0) {
    rmSync(root, { recursive: true, force: true });
    throw new Error(`initdb failed (${init.status ?? init.signal}):\n${init.stderr}${init.stdout}`);
  }
  // From here on, any failure (no free port, the server not starting) removes the folder: the
  // caller gets no handle to stop, so nothing else would.
  try {
    return await launchPostgres(bin, user, root, dataDir, options.port);
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
}

async function launchPostgres(
  bin: string,
  user: { uid: number; gid: number } | undefined,
  root: string,
  dataDir: string,
  fixedPort: number | undefined,
): Promise<Postgres> {
  const port = fixedPort ?? (await freePort());
  // A test and demo database: durability against power loss is not its job (fsync off); the
  // sync server's own guarantees are about its processes dying, which fsync does not change.
  const args = [
    '-D',
    dataDir,
    '-p',
    String(port),
    '-k',
    root,
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'fsync=off',
    '-c',
    'full_page_writes=off',
    '-c',
    'max_connections=200',
    '-c',
    'shared_buffers=64MB',
  ];
  const url = `postgres://duet@127.0.0.1:${port}/postgres`;
  const ready = async (): Promise<boolean> => {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } finally {
      await client.end().catch(() => undefined);
    }
  };
  const launch = async (): Promise<Service> => {
    const service = run(join(bin, 'postgres'), args, { user, cwd: root });
    try {
      await waitUntil(ready, 'PostgreSQL', service);
    } catch (error) {
      // A server that did not come up in time is stopped here: no handle will ever name it.
      await service.stop('SIGKILL');
      throw error;
    }
    return service;
  };
  let service = await launch();
  let dbCount = 0;
  const handle: Postgres = {
    url,
    port,
    dataDir,
    get service() {
      return service;
    },
    async createDatabase(name) {
      const db = `${name.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${++dbCount}`;
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${db}`);
      } finally {
        await client.end();
      }
      return `postgres://duet@127.0.0.1:${port}/${db}`;
    },
    async restart(downMs = 0) {
      await service.stop('SIGINT'); // fast shutdown: sessions cut, everything committed kept
      if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
      service = await launch();
    },
    async relaunch() {
      service = await launch();
    },
    async stop() {
      // The folder goes whatever happens to the server (already gone, refusing to stop).
      try {
        await service.stop('SIGINT');
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  };
  return handle;
}

export interface Redis {
  readonly url: string;
  readonly port: number;
  readonly service: Service;
  /** kill -9, then starts again on the same port (empty: Redis keeps nothing here). */
  restart(downMs?: number): Promise<void>;
  /** Starts it again after it exited (supervision). */
  relaunch(): Promise<void>;
  stop(): Promise<void>;
}

async function tcpReady(port: number): Promise<boolean> {
  const { connect } = await import('node:net');
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export async function startRedis(options: { port?: number } = {}): Promise<Redis> {
  const bin = findRedisServer();
  const port = options.port ?? (await freePort());
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--daemonize',
    'no',
  ];
  const launch = async () => {
    const service = run(bin, args, { cwd: tmpdir() });
    await waitUntil(() => tcpReady(port), 'Redis', service);
    return service;
  };
  let service = await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    get service() {
      return service;
    },
    async restart(downMs = 0) {
      await service.stop('SIGKILL');
      if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
      service = await launch();
    },
    async relaunch() {
      service = await launch();
    },
    stop: () => service.stop(),
  };
}

export interface Haproxy {
  readonly port: number;
  readonly service: Service;
  readonly configPath: string;
  stop(): Promise<void>;
}

/**
 * HAProxy with deploy/haproxy.cfg, its listening port and server list rewritten for this run
 * (so the tests exercise the documented configuration, not a copy of it).
 */
export async function startHaproxy(
  template: string,
  port: number,
  backends: ReadonlyArray<{ name: string; port: number }>,
): Promise<Haproxy> {
  const bin = findHaproxy();
  const dir = mkdtempSync(join(tmpdir(), 'duet-haproxy-'));
  const configPath = join(dir, 'haproxy.cfg');
  writeFileSync(configPath, rewriteHaproxyConfig(template, port, backends));
  const check = spawnSync(bin, ['-c', '-q', '-f', configPath], { encoding: 'utf8' });
  if (check.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`haproxy refused the configuration:\n${check.stderr}${check.stdout}`);
  }
  const service = run(bin, ['-db', '-f', configPath], { cwd: dir });
  try {
    await waitUntil(() => tcpReady(port), 'HAProxy', service);
  } catch (error) {
    await service.stop();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    port,
    service,
    configPath,
    async stop() {
      await service.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Replaces the frontend's `bind` port and the backend's `server` lines. */
export function rewriteHaproxyConfig(
  template: string,
  port: number,
  backends: ReadonlyArray<{ name: string; port: number }>,
): string {
  const lines = template.split('\n');
  const out: string[] = [];
  let serversWritten = false;
  for (const line of lines) {
    if (/^\s*bind\s/.test(line)) {
      out.push(line.replace(/\s[^\s:]*:\d+/, ` 127.0.0.1:${port}`));
    } else if (/^\s*server\s/.test(line)) {
      if (serversWritten) continue;
      serversWritten = true;
      const indent = /^\s*/.exec(line)![0];
      const rest = line.trim().split(/\s+/).slice(3).join(' ');
      for (const b of backends) out.push(`${indent}server ${b.name} 127.0.0.1:${b.port} ${rest}`.trimEnd());
    } else {
      out.push(line);
    }
  }
  if (!serversWritten) throw new Error('the HAProxy template has no "server" line to rewrite');
  return out.join('\n');
}
