// Duet's sync server (auth + LevelDB persistence on) against the stock @y/websocket-server
// 0.1.1, on the same workload in one run. Each server runs as its own child process so its RSS
// is its own; the load clients live in this process and are deliberately lean (raw `ws` and
// y-protocols framing, one small Y.Doc per client to produce real updates).
//
// Workload per size N (100 and 1,000): N rooms × 2 clients.
//   typing      every client types one character per transaction at TYPING_RATE chars/s for
//               TYPING_MS: updates delivered to the peer per second, edit-to-peer latency.
//   saturation  every client keeps WINDOW edits in flight (sends the next as soon as its peer
//               received one) for SATURATION_MS: the most each server delivers, and the server
//               CPU spent per delivered update.
//   memory      RSS before any room, with all rooms loaded (after typing), and after every
//               client left and the rooms went idle (Duet evicts after --idle-ms 1000).
//               Both servers run with a bench-only preload that answers SIGUSR2 with a full
//               garbage collection; every RSS figure is taken right after one, so it shows
//               what is retained rather than when V8 last felt like collecting.
// With BENCH_SCALE=1 two more servers join each round (issue: sync server beyond one machine):
//   duet (postgres)          one process, --storage on a throw-away PostgreSQL;
//   duet (3× pg+redis+haproxy) `npm run cluster -- --processes 3`: each room's first client
//                            goes through HAProxy, the second straight to another process
//                            (HAProxy names the process it chose in X-Duet-Process), so every
//                            edit crosses Redis. CPU is summed over the three processes; memory
//                            is not measured for it (no GC hook in the cluster's processes).
// Latency is measured from the moment the sender created the update to the moment its peer
// parsed it, both in this process (one clock). "CPU wait %" is the share of the typing phase
// the server's (and this process's) main thread sat runnable without a CPU (/proc schedstat):
// other jobs on the machine, not the server, when it is high.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { startLocalIssuer, type LocalIssuer } from '../tests/integration/sync-server/support/local-issuer';
import { startPostgres } from '../scripts/cluster/services';
import { DEFAULT_LIMITS } from '../sync-server/config';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SIZES = (process.env.BENCH_SIZES ?? '100,1000').split(',').map(Number);
// Characters per second per client: an active note-taker averaged over pauses. At N = 1,000
// that is 4,000 updates/s, which this 2-core machine (server and 2,000 load clients on it)
// carries without queueing; the saturation phase measures the ceiling separately.
const TYPING_RATE = Number(process.env.BENCH_RATE ?? 2);
const TYPING_MS = 2500;
const WARMUP_MS = 1000;
const SATURATION_MS = 2000;
const WINDOW = 4;
const IDLE_WAIT_MS = Number(process.env.BENCH_IDLE_WAIT_MS ?? 3000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
// Also measure PostgreSQL (one process) and the three-process cluster (see the header).
const SCALE = process.env.BENCH_SCALE === '1';
// BENCH_BEFORE=DIR: also run the one-process LevelDB server of another checkout (a worktree of an
// earlier commit, with node_modules), in the same rounds: a before/after of a change.
const BEFORE = process.env.BENCH_BEFORE;

// ---------------------------------------------------------------- servers under test

interface RunningServer {
  name: string;
  url: string;
  httpUrl: string;
  child: ChildProcess;
  stop(): Promise<void>;
  /** Server processes to account CPU to (default: child). */
  pids?: number[];
  /** No GC hook in the server: memory is not measured. */
  noMemory?: boolean;
  /** Where a room's second client connects, given the process that serves the first. */
  peerUrl?: (servedBy: string | undefined) => string;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

// The bench-only preload given to both servers (see the header comment).
const gcPreloadDir = mkdtempSync(join(tmpdir(), 'duet-bench-gc-'));
const GC_PRELOAD = join(gcPreloadDir, 'gc-on-signal.cjs');
writeFileSync(
  GC_PRELOAD,
  `process.on('SIGUSR2', () => { global.gc(); global.gc();
     require('node:fs').writeFileSync(${JSON.stringify(gcPreloadDir)} + '/mem-' + process.pid + '.json', JSON.stringify(process.memoryUsage())); });\n`,
);
const GC_FLAGS = ['--expose-gc', '--require', GC_PRELOAD];
// BENCH_PROFILE=DIR: the one-process Duet servers write a V8 CPU profile there when stopped
// (open it in Chrome DevTools); how "where the time goes" in deploy/README.md was found.
const PROFILE_FLAGS = process.env.BENCH_PROFILE
  ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROFILE]
  : [];

function firstLine(child: ChildProcess, match: (line: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => match(line) && resolve(line));
    child.once('exit', (code) => reject(new Error(`server exited early (${code})`)));
  });
}

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
}

async function startStock(): Promise<RunningServer> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [...GC_FLAGS, join(ROOT, 'node_modules/@y/websocket-server/src/server.js')],
    {
      env: { ...process.env, HOST: '127.0.0.1', PORT: String(port) },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await firstLine(child, (l) => l.includes('running at'));
  return {
    name: 'stock @y/websocket-server',
    url: `ws://127.0.0.1:${port}`,
    httpUrl: `http://127.0.0.1:${port}`,
    child,
    stop: stopper(child),
  };
}

async function startDuet(
  issuer: LocalIssuer,
  dataDir: string,
  databaseUrl?: string,
  root = ROOT,
): Promise<RunningServer> {
  const child = spawn(
    process.execPath,
    [
      ...GC_FLAGS,
      ...PROFILE_FLAGS,
      '--import',
      'tsx',
      'sync-server/cli.ts',
      ...['--port', '0', ...(databaseUrl ? ['--storage', databaseUrl] : ['--data', dataDir])],
      ...['--issuer', issuer.issuer, '--audience', issuer.audience],
      ...DUET_FLAGS,
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const { url, httpUrl } = JSON.parse(await firstLine(child, (l) => l.startsWith('{'))) as {
    url: string;
    httpUrl: string;
  };
  const name =
    root !== ROOT ? 'duet before (leveldb)' : databaseUrl ? 'duet (postgres)' : 'duet (auth + leveldb)';
  return { name, url, httpUrl, child, stop: stopper(child) };
}

// Every load client connects from 127.0.0.1, so the per-address limits are lifted for this
// bench only (printed at the start of every run); the defaults stay as sync-server/README.md
// documents them (tests/unit/sync-server/documented-limits.test.ts).
const LIFTED_LIMITS: Partial<Record<keyof typeof DEFAULT_LIMITS, number>> = {
  handshakesPerIpBurst: 1_000_000,
  handshakesPerIpPerSecond: 1_000_000,
  maxConnectionsPerIp: 1_000_000,
};
const DUET_FLAGS = [
  ...['--idle-ms', '1000', '--log-level', 'warn'],
  ...Object.entries(LIFTED_LIMITS).flatMap(([name, value]) => ['--limit', `${name}=${value}`]),
];

/** npm run cluster -- --processes 3: PostgreSQL, Redis, HAProxy and three servers. */
async function startCluster(issuer: LocalIssuer): Promise<RunningServer> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'scripts/cluster.ts',
      ...['--processes', '3', '--issuer', issuer.issuer, '--audience', issuer.audience],
      ...DUET_FLAGS,
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const info = JSON.parse(await firstLine(child, (l) => l.startsWith('{"publicUrl"'))) as {
    publicUrl: string;
    publicHttpUrl: string;
    processes: Array<{ url: string; pid: number }>;
  };
  return {
    name: 'duet (3× pg+redis+haproxy)',
    url: info.publicUrl,
    httpUrl: info.publicHttpUrl,
    child,
    stop: stopper(child),
    pids: info.processes.map((p) => p.pid),
    noMemory: true,
    // deploy/haproxy.cfg names servers sync1..syncN and reports the one chosen.
    peerUrl: (servedBy) => {
      const index = Number(/^sync(\d+)$/.exec(servedBy ?? '')?.[1] ?? 0);
      return info.processes[index % info.processes.length]!.url;
    },
  };
}

/** RSS and V8 heap in use right after a full GC in the server (SIGUSR2 → the bench preload). */
async function memoryAfterGc(pid: number): Promise<{ rss: number; heap: number }> {
  const file = join(gcPreloadDir, `mem-${pid}.json`);
  rmSync(file, { force: true });
  process.kill(pid, 'SIGUSR2');
  for (let i = 0; i < 50; i++) {
    await sleep(50);
    try {
      const { heapUsed } = JSON.parse(readFileSync(file, 'utf8')) as { heapUsed: number };
      return { rss: rssBytes(pid), heap: heapUsed };
    } catch {
      // not written yet
    }
  }
  throw new Error(`server ${pid} did not report its memory`);
}

/** Time the process's main thread spent runnable but waiting for a CPU, ms (Linux schedstat). */
function runQueueWaitMs(pid: number): number {
  return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[1]) / 1e6;
}

function rssBytes(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
  return Number(line?.[1] ?? 0) * 1024;
}

function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, USER_HZ = 100
}

// ---------------------------------------------------------------- lean load clients

interface Stats {
  delivered: number;
  latencies: number[];
  record: boolean;
}

class LoadClient {
  readonly doc = new Y.Doc({ gc: false });
  private readonly text = this.doc.getText('t');
  private readonly ws: WebSocket;
  private nextClock = 0;
  private readonly sentAt: number[] = [];
  private lastUpdate: Uint8Array | undefined;
  peer!: LoadClient;
  inFlight = 0;
  synced: Promise<void>;
  /** The process HAProxy chose for this client (deploy/haproxy.cfg's X-Duet-Process). */
  servedBy: string | undefined;

  constructor(
    url: string,
    private readonly stats: Stats,
    onDelivered: (sender: LoadClient) => void,
  ) {
    this.doc.on('update', (u: Uint8Array) => (this.lastUpdate = u));
    this.ws = new WebSocket(url, { perMessageDeflate: false });
    this.ws.binaryType = 'nodebuffer';
    let markSynced!: () => void;
    this.synced = new Promise((resolve) => (markSynced = resolve));
    this.ws.on('error', () => undefined);
    this.ws.on('upgrade', (res) => {
      const header = res.headers['x-duet-process'];
      this.servedBy = Array.isArray(header) ? header[0] : header;
    });
    this.ws.on('open', () => {
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, 0);
      encoding.writeVarUint(e, 0);
      encoding.writeVarUint8Array(e, Y.encodeStateVector(this.doc));
      this.ws.send(encoding.toUint8Array(e));
    });
    this.ws.on('message', (data: Buffer) => {
      const d = decoding.createDecoder(data);
      if (decoding.readVarUint(d) !== 0) return; // awareness etc.
      const step = decoding.readVarUint(d);
      if (step === 0) {
        // server's step 1: answer with what we have (as y-websocket does)
        const sv = decoding.readVarUint8Array(d);
        const e = encoding.createEncoder();
        encoding.writeVarUint(e, 0);
        encoding.writeVarUint(e, 1);
        encoding.writeVarUint8Array(e, Y.encodeStateAsUpdate(this.doc, sv));
        this.ws.send(encoding.toUint8Array(e));
        return;
      }
      if (step === 1) {
        markSynced();
        return;
      }
      // An update: read just enough of it to know whose edit it is (V1: clients, structs,
      // client id, clock) — the peers never apply each other's edits, it would only cost CPU.
      decoding.readVarUint(d); // byte length of the update
      decoding.readVarUint(d); // number of clients
      decoding.readVarUint(d); // number of structs
      const client = decoding.readVarUint(d);
      const clock = decoding.readVarUint(d);
      if (client !== this.peer.doc.clientID) return; // the stock server echoes our own edits back
      const sent = this.peer.sentAt[clock];
      if (sent === undefined) return;
      if (this.stats.record) {
        this.stats.delivered++;
        this.stats.latencies.push(performance.now() - sent);
      }
      onDelivered(this.peer);
    });
  }

  type(): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    const clock = this.nextClock++;
    this.text.insert(this.text.length, String.fromCharCode(97 + (clock % 26)));
    this.sentAt[clock] = performance.now();
    this.inFlight++;
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 0);
    encoding.writeVarUint(e, 2);
    encoding.writeVarUint8Array(e, this.lastUpdate!);
    this.ws.send(encoding.toUint8Array(e));
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.ws.readyState === WebSocket.CLOSED) return resolve();
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }
}

// ---------------------------------------------------------------- one measurement

interface Result {
  server: string;
  n: number;
  typingPerSec: number;
  p50: number;
  p99: number;
  /** Inside the server (Duet only): p99 of a storage batch, and of event-loop delay (ms). */
  storeP99: number;
  loopP99: number;
  saturationPerSec: number;
  cpuUsPerUpdate: number;
  /** CPU cores busy during saturation: the server process, and this (load client) process. */
  serverCores: number;
  clientCores: number;
  /** % of the typing phase the server's / this process's main thread waited for a CPU. */
  runQueueWait: [number, number];
  baselineMb: number;
  perRoomKb: number;
  idleMb: number;
  /** V8 heap in use after GC: before any room, all rooms loaded, after idle eviction. */
  heapMb: [number, number, number];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
async function inBatches<T>(items: T[], size: number, run: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(run));
}

/**
 * Where the time goes inside a Duet process, from its /healthz: the p99 of storing a batch and
 * of event-loop delay since start (NaN for the stock server, which has neither).
 */
async function serverSide(server: RunningServer): Promise<{ storeP99: number; loopP99: number }> {
  if (server.name.startsWith('stock')) return { storeP99: NaN, loopP99: NaN };
  try {
    const res = await fetch(`${server.httpUrl}/healthz`);
    const body = (await res.json()) as {
      writeBatches?: { p99Ms: number };
      eventLoopDelay?: { p99Ms: number };
    };
    return { storeP99: body.writeBatches?.p99Ms ?? NaN, loopP99: body.eventLoopDelay?.p99Ms ?? NaN };
  } catch {
    return { storeP99: NaN, loopP99: NaN };
  }
}

async function measure(
  server: RunningServer,
  n: number,
  rooms: Array<{ id: string; tokens?: [string, string] }>,
): Promise<Result> {
  const pid = server.child.pid!;
  const pids = server.pids ?? [pid];
  const memory = async () => (server.noMemory ? { rss: NaN, heap: NaN } : memoryAfterGc(pid));
  const queueWait = () => pids.reduce((sum, p) => sum + runQueueWaitMs(p), 0);
  const cpu = () => pids.reduce((sum, p) => sum + cpuMs(p), 0);
  await sleep(500);
  const baseline = await memory();
  const stats: Stats = { delivered: 0, latencies: [], record: false };
  let saturating = false;
  const onDelivered = (sender: LoadClient) => {
    sender.inFlight--;
    if (saturating) sender.type();
  };
  const clients: LoadClient[] = [];
  await inBatches(rooms, 100, async (room) => {
    const [ta, tb] = room.tokens ?? ['', ''];
    const a = new LoadClient(`${server.url}/${room.id}${ta ? `?token=${ta}` : ''}`, stats, onDelivered);
    if (server.peerUrl) await a.synced;
    const bUrl = server.peerUrl ? server.peerUrl(a.servedBy) : server.url;
    const b = new LoadClient(`${bUrl}/${room.id}${tb ? `?token=${tb}` : ''}`, stats, onDelivered);
    a.peer = b;
    b.peer = a;
    clients.push(a, b);
    await Promise.all([a.synced, b.synced]);
  });

  // typing: each client at TYPING_RATE, phases spread evenly so the load is smooth; the
  // first WARMUP_MS are not recorded (JIT, first allocations of every room)
  const interval = 1000 / TYPING_RATE;
  const typeFor = (ms: number) => {
    const started = performance.now();
    const due = clients.map((_, i) => started + (i / clients.length) * interval);
    return new Promise<number>((resolve) => {
      const tick = setInterval(() => {
        const now = performance.now();
        if (now - started >= ms) {
          clearInterval(tick);
          resolve((now - started) / 1000);
          return;
        }
        for (let i = 0; i < clients.length; i++) {
          while (due[i]! <= now) {
            clients[i]!.type();
            due[i]! += interval;
          }
        }
      }, 2);
    });
  };
  await typeFor(WARMUP_MS);
  await sleep(300);
  stats.record = true;
  const waitBefore = [queueWait(), runQueueWaitMs(process.pid)];
  const typingElapsed = await typeFor(TYPING_MS);
  const waited = [queueWait() - waitBefore[0]!, runQueueWaitMs(process.pid) - waitBefore[1]!];
  await sleep(300); // let the last edits land before counting
  stats.record = false;
  const typingPerSec = stats.delivered / typingElapsed;
  const sorted = stats.latencies.sort((a, b) => a - b);
  const inside = await serverSide(server);
  const loaded = await memory();

  // saturation: a window of WINDOW edits in flight per client
  stats.delivered = 0;
  stats.latencies = [];
  for (const c of clients) c.inFlight = 0;
  const cpuBefore = cpu();
  const clientCpuBefore = process.cpuUsage();
  const satStart = performance.now();
  stats.record = true;
  saturating = true;
  for (const c of clients) for (let i = 0; i < WINDOW; i++) c.type();
  await sleep(SATURATION_MS);
  saturating = false;
  stats.record = false;
  const satElapsed = (performance.now() - satStart) / 1000;
  const cpuSpent = cpu() - cpuBefore;
  const clientCpu = process.cpuUsage(clientCpuBefore);
  const clientCpuMs = (clientCpu.user + clientCpu.system) / 1000;
  const saturationPerSec = stats.delivered / satElapsed;
  await sleep(500);

  await Promise.all(clients.map((c) => c.close()));
  for (const c of clients) c.doc.destroy();
  await sleep(IDLE_WAIT_MS);
  const idle = await memory();

  return {
    server: server.name,
    n,
    typingPerSec,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    storeP99: inside.storeP99,
    loopP99: inside.loopP99,
    saturationPerSec,
    cpuUsPerUpdate: (cpuSpent * 1000) / Math.max(1, stats.delivered),
    serverCores: cpuSpent / (satElapsed * 1000),
    runQueueWait: waited.map((ms) => ms / (typingElapsed * 10)) as [number, number],
    clientCores: clientCpuMs / (satElapsed * 1000),
    baselineMb: baseline.rss / 2 ** 20,
    perRoomKb: (loaded.rss - baseline.rss) / n / 1024,
    idleMb: idle.rss / 2 ** 20,
    heapMb: [baseline.heap, loaded.heap, idle.heap].map((b) => b / 2 ** 20) as [number, number, number],
  };
}

// ---------------------------------------------------------------- the run

async function createDuetRooms(duet: RunningServer, n: number, tokens: string[]) {
  const rooms: Array<{ id: string; tokens: [string, string] }> = [];
  await inBatches(
    Array.from({ length: n }, (_, i) => i),
    50,
    async (i) => {
      const ta = tokens[2 * i]!;
      const tb = tokens[2 * i + 1]!;
      const res = await fetch(`${duet.httpUrl}/rooms`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ta}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          iCalUID: `bench-${i}@bench.test`,
          participants: [`u${2 * i}@bench.test`, `u${2 * i + 1}@bench.test`],
        }),
      });
      if (res.status !== 201) throw new Error(`POST /rooms answered ${res.status}: ${await res.text()}`);
      rooms[i] = { id: ((await res.json()) as { roomId: string }).roomId, tokens: [ta, tb] };
    },
  );
  return rooms;
}

/** Per-figure median over the rounds (robust to one round hit by a load spike). */
function median(runs: Result[]): Result {
  const mid = (pick: (r: Result) => number) => {
    const sorted = runs.map(pick).sort((a, b) => a - b);
    const half = sorted.length / 2;
    return sorted.length % 2 ? sorted[Math.floor(half)]! : (sorted[half - 1]! + sorted[half]!) / 2;
  };
  return {
    server: `${runs[0]!.server} (median)`,
    n: runs[0]!.n,
    typingPerSec: mid((r) => r.typingPerSec),
    p50: mid((r) => r.p50),
    p99: mid((r) => r.p99),
    storeP99: mid((r) => r.storeP99),
    loopP99: mid((r) => r.loopP99),
    saturationPerSec: mid((r) => r.saturationPerSec),
    cpuUsPerUpdate: mid((r) => r.cpuUsPerUpdate),
    serverCores: mid((r) => r.serverCores),
    clientCores: mid((r) => r.clientCores),
    runQueueWait: [0, 1].map((i) => mid((r) => r.runQueueWait[i]!)) as [number, number],
    baselineMb: mid((r) => r.baselineMb),
    perRoomKb: mid((r) => r.perRoomKb),
    idleMb: mid((r) => r.idleMb),
    heapMb: [0, 1, 2].map((i) => mid((r) => r.heapMb[i]!)) as [number, number, number],
  };
}

function table(results: Result[]): void {
  const rows = results.map((r) => [
    r.server,
    r.typingPerSec.toFixed(0),
    r.p50.toFixed(2),
    r.p99.toFixed(2),
    Number.isNaN(r.storeP99) ? '-' : `${r.storeP99.toFixed(2)}/${r.loopP99.toFixed(2)}`,
    `${r.runQueueWait[0].toFixed(0)}/${r.runQueueWait[1].toFixed(0)}`,
    r.saturationPerSec.toFixed(0),
    r.cpuUsPerUpdate.toFixed(1),
    `${r.serverCores.toFixed(2)}/${r.clientCores.toFixed(2)}`,
    r.baselineMb.toFixed(1),
    r.perRoomKb.toFixed(1),
    r.idleMb.toFixed(1),
    r.heapMb.map((h) => h.toFixed(1)).join(' / '),
  ]);
  const head = [
    'server',
    'typing upd/s',
    'p50 ms',
    'p99 ms',
    'p99 ms store/loop',
    'CPU wait % srv/load',
    'saturated upd/s',
    'srv CPU µs/upd',
    'cores srv/load',
    'RSS base MB',
    'KB/loaded room',
    'RSS idle MB',
    'heap MB base/loaded/idle',
  ];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(head));
  for (const row of rows) console.log(line(row));
}

async function main(): Promise<void> {
  const issuer = await startLocalIssuer({ https: false, audience: 'duet-bench' });
  const postgres = SCALE ? await startPostgres() : undefined;
  const maxN = Math.max(...SIZES);
  const t0 = performance.now();
  const tokens: string[] = [];
  for (let i = 0; i < maxN * 2; i++)
    tokens.push(await issuer.token({ email: `u${i}@bench.test`, expiresIn: 3600 }));
  console.log(
    `sync-server benchmark: N rooms × 2 clients; typing ${TYPING_RATE} chars/s per client for ${TYPING_MS} ms; saturation window ${WINDOW} for ${SATURATION_MS} ms`,
  );
  console.log(
    `limits lifted for this bench (every load client is on 127.0.0.1): ${Object.entries(LIFTED_LIMITS)
      .map(
        ([name, value]) =>
          `${name}=${value} (default ${DEFAULT_LIMITS[name as keyof typeof DEFAULT_LIMITS]})`,
      )
      .join(', ')}; every other limit at its default`,
  );
  console.log(
    `load average before: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} on ${availableParallelism()} cores`,
  );
  console.log(
    `(${(maxN * 2).toLocaleString()} RS256 ID tokens signed in ${((performance.now() - t0) / 1000).toFixed(1)} s; Node ${process.version}; load clients share the machine with the server)`,
  );

  for (const n of SIZES) {
    console.log(
      `\nN = ${n.toLocaleString()} rooms (${(2 * n).toLocaleString()} clients, ${(2 * n * TYPING_RATE).toLocaleString()} updates/s offered while typing)`,
    );
    const runStock = async (): Promise<Result> => {
      const stock = await startStock();
      try {
        return await measure(
          stock,
          n,
          Array.from({ length: n }, (_, i) => ({ id: `bench-room-${i}` })),
        );
      } finally {
        await stock.stop();
      }
    };
    const runDuet = async (): Promise<Result> => {
      const dataDir = mkdtempSync(join(tmpdir(), 'duet-bench-'));
      const duet = await startDuet(issuer, dataDir);
      try {
        return await measure(duet, n, await createDuetRooms(duet, n, tokens));
      } finally {
        await duet.stop();
        rmSync(dataDir, { recursive: true, force: true });
      }
    };
    const runBefore = async (): Promise<Result> => {
      const dataDir = mkdtempSync(join(tmpdir(), 'duet-bench-'));
      const duet = await startDuet(issuer, dataDir, undefined, BEFORE);
      try {
        return await measure(duet, n, await createDuetRooms(duet, n, tokens));
      } finally {
        await duet.stop();
        rmSync(dataDir, { recursive: true, force: true });
      }
    };
    const runPostgres = async (): Promise<Result> => {
      const databaseUrl = await postgres!.createDatabase('bench');
      const duet = await startDuet(issuer, '', databaseUrl);
      try {
        return await measure(duet, n, await createDuetRooms(duet, n, tokens));
      } finally {
        await duet.stop();
      }
    };
    const runCluster = async (): Promise<Result> => {
      const cluster = await startCluster(issuer);
      try {
        return await measure(cluster, n, await createDuetRooms(cluster, n, tokens));
      } finally {
        await cluster.stop();
      }
    };
    // ROUNDS rounds in A-B, B-A, A-B... order, so a change in the machine's load (other jobs
    // share these two cores) weighs on every server alike; the summary takes the median.
    const runners = [
      runStock,
      runDuet,
      ...(SCALE ? [runPostgres, runCluster] : []),
      ...(BEFORE ? [runBefore] : []),
    ];
    const runs = new Map<(typeof runners)[number], Result[]>(runners.map((r) => [r, []]));
    const all: Result[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? runners : [...runners].reverse();
      for (const run of order) {
        const result = await run();
        runs.get(run)!.push(result);
        all.push(result);
      }
    }
    table(all);
    const [s, d, ...scaled] = runners.map((r) => median(runs.get(r)!));
    if (!s || !d) throw new Error('no results');
    console.log(`median of ${ROUNDS} rounds:`);
    table([s, d, ...scaled]);
    console.log(
      `ratio duet/stock: typing throughput ${(d.typingPerSec / s.typingPerSec).toFixed(2)}×, saturated throughput ${(d.saturationPerSec / s.saturationPerSec).toFixed(2)}×, ` +
        `p99 ${(d.p99 / s.p99).toFixed(2)}×, server CPU per update ${(d.cpuUsPerUpdate / s.cpuUsPerUpdate).toFixed(2)}×, memory per room ${(d.perRoomKb / s.perRoomKb).toFixed(2)}×`,
    );
    for (const x of scaled) {
      console.log(
        `ratio ${x.server}/leveldb: typing ${(x.typingPerSec / d.typingPerSec).toFixed(2)}×, saturated ${(x.saturationPerSec / d.saturationPerSec).toFixed(2)}×, ` +
          `p50 ${(x.p50 / d.p50).toFixed(2)}×, p99 ${(x.p99 / d.p99).toFixed(2)}×, server CPU per update ${(x.cpuUsPerUpdate / d.cpuUsPerUpdate).toFixed(2)}×`,
      );
    }
    console.log(
      `duet after idle eviction: RSS ${d.idleMb.toFixed(1)} MB vs ${d.baselineMb.toFixed(1)} MB baseline (+${(d.idleMb - d.baselineMb).toFixed(1)} MB), ` +
        `heap ${d.heapMb[2].toFixed(1)} MB vs ${d.heapMb[0].toFixed(1)} MB; stock keeps every room (no persistence, no eviction): ${s.idleMb.toFixed(1)} MB vs ${s.baselineMb.toFixed(1)} MB`,
    );
  }
  await postgres?.stop();
  await issuer.close();
  rmSync(gcPreloadDir, { recursive: true, force: true });
  console.log(
    `\nload average after: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
