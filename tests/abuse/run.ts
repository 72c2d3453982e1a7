// `npm run test:abuse`: the hostile-client harness (issue 12, "A standing guard"). Starts the
// sync server as its own process limited to 2,048 descriptors (ulimit, via bash), first measures
// it with no attack running (the baseline: what this machine's own noise looks like), then runs
// each attack for a bounded time over loopback only, and meanwhile measures the server's memory
// (RSS from /proc), its event-loop delay (/healthz: the worst stall of each 1-2 s window, polled
// every 250 ms) and a legitimate user's round trip. The legitimate user runs in a process
// of its own (legit-user.ts), from another loopback address: the attackers' client-side work in
// this process never delays its measurements. Prints one row per attack and exits non-zero
// unless every attack held within the budgets below.
//
// Event-loop delay is judged on the worst stall (a maximum, not a percentile), capped at the CPU
// time the server's main thread got in the window the stall was seen in: on a busy machine a
// process waits for a CPU, and the server's own work cannot account for more of a stall than the
// CPU it got. The uncapped figure is printed beside it. An attack whose defence held but that went
// over a time budget is run once more (the row says "2/2"): a stall the server causes shows up
// both times, while a burst of other work on a shared machine rarely does.
// ABUSE_ONLY=1,2 runs only those attacks; ABUSE_SERVER_NODE_ARGS="--cpu-prof" profiles the server.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect as tcpConnect, type Socket } from 'node:net';
import { loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { startLocalIssuer } from '../integration/sync-server/support/local-issuer';
import { openRawWs, stateVector, yFrames, type RawWs } from '../integration/sync-server/support/raw-ws';
import { rawHttp, silentUpgrade } from '../integration/sync-server/support/raw-wire';

const MEMORY_BUDGET_MB = 256;
const LOOP_BUDGET_MS = 200;
const P95_BUDGET_MS = 100;
const ATTACK_MS = 8000;
const BASELINE_MS = 5000;
const MAX_TRIES = 2;
const LEGIT = '127.0.0.2';
process.setMaxListeners(200);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const issuer = await startLocalIssuer({ https: false });
const token = (email: string) => issuer.token({ email });
const loadAtStart = loadavg()[0]!;

// --- the server, in its own process with 2,048 descriptors ------------------------------------
const child = spawn(
  'bash',
  [
    '-c',
    `ulimit -n 2048 && exec "$0" ${process.env.ABUSE_SERVER_NODE_ARGS ?? ''} --import tsx sync-server/cli.ts "$@"`,
    process.execPath,
    '--port',
    '0',
    '--memory',
    '--log-level',
    'error',
    '--issuer',
    issuer.issuer,
    '--audience',
    issuer.audience,
    '--limit',
    'maxRoomsPerUser=50',
  ],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
const { url, httpUrl } = JSON.parse(
  await new Promise<string>((resolve) => createInterface({ input: child.stdout! }).once('line', resolve)),
) as { url: string; httpUrl: string };
// Loopback only: the server listens on 127.0.0.1 and every client here connects to it.
if (new URL(url).hostname !== '127.0.0.1') throw new Error(`server not on loopback: ${url}`);
/**
 * The server's main thread: milliseconds on a CPU, and milliseconds it was ready to run but
 * waited for one (Linux schedstat). The second is the machine's doing, not the server's: it
 * tells a stall caused by the server's own work from one caused by other load on the machine.
 */
const cpuMs = () => {
  const [run, wait] = readFileSync(`/proc/${child.pid}/schedstat`, 'utf8').split(' ').map(Number);
  return { run: run! / 1e6, wait: wait! / 1e6 };
};
const rssMb = () =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
/** HTTP from the legitimate address. */
function legitFetch(path: string, init: { method?: string; token?: string; body?: unknown } = {}) {
  return new Promise<{ status: number; body: unknown }>((resolve, reject) => {
    const u = new URL(path, httpUrl);
    const payload = init.body === undefined ? undefined : JSON.stringify(init.body);
    import('node:http').then(({ request }) => {
      const req = request(
        {
          host: u.hostname,
          port: u.port,
          path: u.pathname,
          method: init.method ?? 'GET',
          localAddress: LEGIT,
          headers: {
            ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
            ...(payload ? { 'content-type': 'application/json' } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString();
            resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined });
          });
        },
      );
      req.on('error', reject);
      req.end(payload);
    }, reject);
  });
}
async function createRoom(owner: string, other: string, from = LEGIT): Promise<string> {
  const t = await token(owner);
  if (from === LEGIT) {
    const res = await legitFetch('/rooms', {
      method: 'POST',
      token: t,
      body: { participants: [owner, other] },
    });
    return (res.body as { roomId: string }).roomId;
  }
  const res = await fetch(`${httpUrl}/rooms`, {
    method: 'POST',
    headers: { authorization: `Bearer ${t}`, 'content-type': 'application/json' },
    body: JSON.stringify({ participants: [owner, other] }),
  });
  return ((await res.json()) as { roomId: string }).roomId;
}
const fromAddress = (localAddress: string) =>
  class extends WebSocket {
    constructor(u: string | URL, protocols?: string | string[]) {
      super(u, protocols, { localAddress });
    }
  };
function provider(roomId: string, t: string, doc = new Y.Doc()) {
  return new WebsocketProvider(url, roomId, doc, {
    WebSocketPolyfill: fromAddress(LEGIT) as unknown as typeof globalThis.WebSocket,
    params: { token: t },
    disableBc: true,
    maxBackoffTime: 500,
  });
}
const synced = (p: WebsocketProvider) =>
  new Promise<void>((resolve) => (p.synced ? resolve() : p.once('sync', () => resolve())));

// --- the legitimate user, in its own process -------------------------------------------------
const ALICE = 'alice@legit.example';
const BOB = 'bob@legit.example';
const legitRoom = await createRoom(ALICE, BOB);
interface Sample {
  at: number;
}
const rtts: Array<Sample & { ms: number }> = [];
const losses: Array<Sample & { n: number }> = [];
const loops: Array<Sample & { maxMs: number }> = [];
const legitUser = spawn(process.execPath, ['--import', 'tsx', 'tests/abuse/legit-user.ts'], {
  stdio: ['ignore', 'pipe', 'inherit'],
  env: {
    ...process.env,
    ABUSE_LEGIT: JSON.stringify({
      url,
      httpUrl,
      roomId: legitRoom,
      aliceToken: await token(ALICE),
      bobToken: await token(BOB),
      address: LEGIT,
    }),
  },
});
await new Promise<void>((resolve, reject) => {
  legitUser.once('exit', (code) => reject(new Error(`the legitimate user exited (${code})`)));
  createInterface({ input: legitUser.stdout! }).on('line', (line) => {
    const m = JSON.parse(line) as {
      kind: string;
      at: number;
      ms: number;
      n: number;
      maxMs: number;
    };
    if (m.kind === 'ready') resolve();
    else if (m.kind === 'rtt') rtts.push(m);
    else if (m.kind === 'lost') losses.push(m);
    else if (m.kind === 'loop') loops.push(m);
  });
});

/** The legitimate user's view of [from, to]: round-trip p95 (an edit lost counts as endless) and the server's loop delay. */
// The server's CPU time, sampled through the run, to bound how much of a stall its own work can
// account for (see measured()).
const cpuSamples: Array<Sample & { run: number }> = [];
const cpuSampler = setInterval(() => cpuSamples.push({ at: Date.now(), run: cpuMs().run }), 100);
/** CPU ms the server's main thread got in [from, to], widened to the samples around it (never less). */
function cpuIn(from: number, to: number): number {
  const before = cpuSamples.findLast((c) => c.at <= from) ?? cpuSamples[0];
  const after = cpuSamples.find((c) => c.at >= to) ?? cpuSamples[cpuSamples.length - 1];
  return before && after ? after.run - before.run : Infinity;
}

function measured(from: number, to: number) {
  const inWindow = <T extends Sample>(xs: T[]) => xs.filter((x) => x.at >= from && x.at <= to);
  const trips = inWindow(rtts).map((r) => r.ms);
  const lost = inWindow(losses).reduce((n, l) => n + l.n, 0);
  const all = [...trips, ...Array<number>(lost).fill(Infinity)].sort((a, b) => a - b);
  const polls = inWindow(loops);
  return {
    p95Ms: all.length ? all[Math.floor(all.length * 0.95)]! : Infinity,
    lost,
    loopMaxMs: polls.length ? Math.max(...polls.map((p) => p.maxMs)) : Infinity,
    // A poll's figure is the worst stall of the 1-2 s before it. The server's own work cannot
    // account for more of that stall than the CPU time it got in those 2 s: the rest it spent
    // ready to run, waiting for a CPU that other processes held. This bound is what is judged.
    loopOwnMs: polls.length
      ? Math.max(...polls.map((p) => Math.min(p.maxMs, cpuIn(p.at - 2000, p.at))))
      : Infinity,
  };
}

// A second real pair in the same room, here, for the presence attack (4): Bob's presence must
// reach Alice while a stolen session of Alice's fills the slots.
const alice = provider(legitRoom, await token(ALICE));
const bob = provider(legitRoom, await token(BOB));
await Promise.all([synced(alice), synced(bob)]);

// --- attacks ----------------------------------------------------------------------------------
interface Attack {
  name: string;
  /** Runs until `until`; returns whether the attack-specific defence held, and a note. */
  run(until: number): Promise<{ held: boolean; note: string }>;
}
let nextId = 5_000_000;
const rawFrom = async (roomId: string, who: string) => {
  const t = await token(who);
  return openRawWs(url, `/${roomId}?token=${t}`);
};
const stateOf = (bytes: number) => JSON.stringify({ user: { name: 'x'.repeat(bytes - 21) } });

const attacks: Attack[] = [
  {
    name: '1 awareness flood (many rooms, 8 KB states)',
    async run(until) {
      const closes = new Map<number, number>();
      const mallories = ['m1@evil.example', 'm2@evil.example', 'm3@evil.example'];
      const rooms = await Promise.all(
        mallories.flatMap((m) =>
          Array.from({ length: 10 }, (_, i) =>
            createRoom(m, `ghost${i}-${m}`, '127.0.0.1').then((r) => [m, r] as const),
          ),
        ),
      );
      while (Date.now() < until) {
        const socks = await Promise.all(rooms.map(([m, r]) => rawFrom(r, m).catch(() => undefined)));
        for (const s of socks)
          s?.sendAll(Array.from({ length: 12 }, () => yFrames.awareness([[nextId++, 1, stateOf(8000)]])));
        await sleep(800);
        for (const s of socks)
          if (s) {
            if (s.closeCode) closes.set(s.closeCode, (closes.get(s.closeCode) ?? 0) + 1);
            s.destroy();
          }
      }
      return {
        held: (closes.get(1008) ?? 0) > 0,
        note: `closed: ${[...closes].map(([c, n]) => `${n}×${c}`).join(' ')}`,
      };
    },
  },
  {
    name: '2 sync step-1 amplification (1.5 MB doc, never read)',
    async run(until) {
      const m = 'amp@evil.example';
      const roomId = await createRoom(m, 'ghost@evil.example', '127.0.0.1');
      const seed = await rawFrom(roomId, m);
      const big = new Y.Doc();
      big.getText('notes').insert(0, 'A'.repeat(1_500_000));
      seed.sendAll([yFrames.update(Y.encodeStateAsUpdate(big))]);
      await sleep(500);
      seed.destroy();
      let closedWell = 0;
      let n = 0;
      while (Date.now() < until) {
        const socks = await Promise.all(
          Array.from({ length: 5 }, () => rawFrom(roomId, m).catch(() => undefined)),
        );
        for (const s of socks) {
          if (!s) continue;
          s.pause();
          const edit = new Y.Doc();
          edit.getText('notes').insert(0, 'z');
          const frames = [yFrames.update(Y.encodeStateAsUpdate(edit))];
          for (let i = 0; i < 2000; i++)
            frames.push(yFrames.syncStep1(stateVector(900_000 + (n++ % 100_000), 1)));
          for (let i = 0; i < 2000; i++) frames.push(yFrames.syncStep1(new Uint8Array([0])));
          s.sendAll(frames);
        }
        await sleep(1000);
        for (const s of socks)
          if (s) {
            s.resume();
            await sleep(20);
            if (s.closeCode === 1008 || s.closeCode === 1013) closedWell++;
            s.destroy();
          }
      }
      return { held: closedWell > 0, note: `${closedWell} attackers closed (1008/1013)` };
    },
  },
  {
    name: '3 never-applicable updates',
    async run(until) {
      const m = 'pending@evil.example';
      const roomId = await createRoom(m, 'ghost@evil.example', '127.0.0.1');
      let closed = 0;
      while (Date.now() < until) {
        const source = new Y.Doc();
        const updates: Uint8Array[] = [];
        source.on('update', (u: Uint8Array) => updates.push(u));
        for (let i = 0; i < 300; i++) source.getText('notes').insert(0, `${i}`.padEnd(1000, '.'));
        const s = await rawFrom(roomId, m).catch(() => undefined);
        if (!s) continue;
        s.sendAll(updates.slice(1).map((u) => yFrames.update(u)));
        await sleep(700);
        if (s.closeCode === 1008) closed++;
        s.destroy();
      }
      return { held: closed > 0, note: `${closed} senders closed (1008)` };
    },
  },
  {
    name: '4 awareness lock-out (a member fills every slot)',
    async run(until) {
      bob.awareness.setLocalStateField('user', { name: 'Bob' });
      let rounds = 0;
      let bobSeen = 0;
      while (Date.now() < until) {
        const s = await rawFrom(legitRoom, ALICE).catch(() => undefined); // a stolen session of Alice's
        if (!s) continue;
        s.sendAll(
          Array.from({ length: 4 }, () =>
            yFrames.awareness(Array.from({ length: 16 }, () => [nextId++, 1, '{}'] as const)),
          ),
        );
        await sleep(300);
        bob.awareness.setLocalStateField('user', { name: `Bob ${rounds}` });
        await sleep(300);
        rounds++;
        const seen = alice.awareness.getStates().get(bob.doc.clientID) as
          { user?: { name?: string } } | undefined;
        if (seen?.user?.name?.startsWith('Bob')) bobSeen++;
        s.destroy();
      }
      return {
        held: bobSeen === rounds && rounds > 0,
        note: `Bob's presence seen in ${bobSeen}/${rounds} rounds`,
      };
    },
  },
  {
    name: '5 3,000 idle connections from one address (2,048 fds)',
    async run(until) {
      const sockets: Socket[] = [];
      const closedAt: number[] = [];
      const start = Date.now();
      for (let i = 0; i < 3000; i++) {
        const s = tcpConnect({ host: '127.0.0.1', port: Number(new URL(url).port) });
        s.on('error', () => undefined);
        s.on('close', () => closedAt.push(Date.now() - start));
        if (i % 2) s.on('connect', () => s.write('GET /healthz HTTP/1.1\r\nHost: x\r\n'));
        sockets.push(s);
        if (i % 200 === 0) await sleep(10);
      }
      await sleep(1000);
      // another address connects and syncs within 2 s
      const t0 = Date.now();
      const carolRoom = await createRoom('carol@legit.example', 'dan@legit.example');
      const carol = provider(carolRoom, await token('carol@legit.example'));
      await Promise.race([synced(carol), sleep(2000)]);
      const joinMs = Date.now() - t0;
      const joined = carol.synced;
      carol.destroy();
      // every idle or unfinished connection closed within 30 s
      const deadline = start + 30_000;
      while (closedAt.length < sockets.length && Date.now() < Math.max(deadline, until)) await sleep(200);
      const allClosedS = closedAt.length === sockets.length ? Math.max(...closedAt) / 1000 : Infinity;
      for (const s of sockets) s.destroy();
      return {
        held: joined && joinMs < 2000 && allClosedS <= 30,
        note: `other address synced in ${joinMs} ms; all ${sockets.length} closed by ${allClosedS.toFixed(1)} s`,
      };
    },
  },
  {
    name: '6 room spam (200 concurrent creations, cap 50)',
    async run() {
      const t = await token('spam@evil.example');
      const statuses = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          fetch(`${httpUrl}/rooms`, {
            method: 'POST',
            headers: { authorization: `Bearer ${t}`, 'content-type': 'application/json' },
            body: JSON.stringify({ participants: ['spam@evil.example', i % 2 ? ALICE : `v${i}@x.example`] }),
          }).then(
            (r) => r.status,
            () => 0,
          ),
        ),
      );
      await sleep(2000); // let the per-user HTTP rate refill for the count
      const listed = await legitFetch('/rooms', { token: t });
      const n = (listed.body as { rooms: unknown[] }).rooms.length;
      const aliceOwn = await legitFetch('/rooms', {
        method: 'POST',
        token: await token(ALICE),
        body: { participants: [ALICE, 'new-report@legit.example'] },
      });
      return {
        held: n === 50 && aliceOwn.status === 201,
        note: `${statuses.filter((s) => s === 201).length} created, ${n} listed; Alice still creates: ${aliceOwn.status}`,
      };
    },
  },
  {
    name: '7 malformed frames and HTTP junk',
    async run(until) {
      const bad = [
        '/hooks/registrations/google/%',
        '/hooks/registrations/microsoft/abc%E2%82',
        '//[',
        'http://[',
      ];
      // Each wrong answer by what it was, so a failure says what went wrong.
      const wrong = new Map<string, number>();
      const miss = (what: string) => wrong.set(what, (wrong.get(what) ?? 0) + 1);
      let rounds = 0;
      let frames = 0;
      let rateLimited = 0;
      const roomId = await createRoom('junk@evil.example', 'ghost@evil.example', '127.0.0.1');
      while (Date.now() < until) {
        rounds++;
        const t = await token('junk@evil.example');
        for (const target of bad) {
          const res = await rawHttp(
            httpUrl,
            `DELETE ${target} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${t}\r\nConnection: close\r\n\r\n`,
          );
          if (res.status !== 400) miss(`DELETE ${target} → ${res.status}`);
        }
        const up = await silentUpgrade(url, '/no/such/path');
        if (up.closeCode !== 4404) miss(`unknown path → ${up.closeCode}`);
        else if (up.closedAfterMs >= 2000) miss('unknown path open ≥ 2 s');
        const socks: RawWs[] = await Promise.all(
          Array.from({ length: 10 }, () => rawFrom(roomId, 'junk@evil.example')),
        );
        for (const s of socks) s.sendAll([Uint8Array.of(0, 7, 1, 0), Uint8Array.of(2, 0, 0)]);
        await sleep(200);
        for (const s of socks) {
          frames++;
          // Past the per-user handshake rate (60, then 5 a second) the server refuses the
          // connection itself with 1013 before any frame is read: the right answer at that
          // layer, counted apart. Earlier harnesses counted it as wrong.
          if (s.closeCode === 1013 && /too many handshakes/.test(s.closeReason)) rateLimited++;
          else if (s.closeCode !== 1007)
            miss(`malformed frame → ${s.closeCode ?? 'no close'} ${s.closeReason}`);
          s.destroy();
        }
      }
      return {
        held: wrong.size === 0 && frames > rateLimited,
        note:
          `${rounds} rounds: ${frames - rateLimited} malformed-frame connections closed 1007, ` +
          `${rateLimited} refused at the handshake rate (1013)` +
          (wrong.size ? `; wrong: ${[...wrong].map(([w, n]) => `${n}× ${w}`).join(', ')}` : ''),
      };
    },
  },
];

// --- run ----------------------------------------------------------------------------------------
interface Row {
  attack: string;
  /** null for the baseline, which is shown, not judged. */
  held: boolean | null;
  memMb: number;
  /** The server's CPU time during the window, and its time waiting for a CPU (ms). */
  cpuMs: number;
  cpuWaitMs: number;
  /** The worst stall /healthz saw, and the part of it the server's own work can account for (judged). */
  loopMaxMs: number;
  loopOwnMs: number;
  p95Ms: number;
  tries: string;
  note: string;
}
const rows: Row[] = [];
const fmt = (ms: number) => (Number.isFinite(ms) ? ms.toFixed(0) : '∞');
function report(row: Row) {
  rows.push(row);
  console.log(
    `${row.held === null ? '      ' : row.held ? 'held  ' : 'BROKEN'} ${row.attack}  (+${row.memMb.toFixed(0)} MB, loop delay ${fmt(row.loopOwnMs)} ms (seen ${fmt(row.loopMaxMs)} ms), ` +
      `server CPU ${fmt(row.cpuMs)} ms, waited for a CPU ${fmt(row.cpuWaitMs)} ms, ` +
      `legit p95 ${row.p95Ms.toFixed(1)} ms, try ${row.tries}) ${row.note}`,
  );
}

await sleep(1500);
{
  // The baseline: the same measurements with nothing attacking, in this run.
  const start = Date.now();
  const before = rssMb();
  const cpuBefore = cpuMs();
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb())), 100);
  await sleep(BASELINE_MS);
  clearInterval(sampler);
  const m = measured(start, Date.now());
  const cpuAfter = cpuMs();
  report({
    attack: '0 baseline (no attack)',
    held: null,
    memMb: peak - before,
    cpuMs: cpuAfter.run - cpuBefore.run,
    cpuWaitMs: cpuAfter.wait - cpuBefore.wait,
    loopMaxMs: m.loopMaxMs,
    loopOwnMs: m.loopOwnMs,
    p95Ms: m.p95Ms,
    tries: '1/1',
    note:
      (m.loopOwnMs >= LOOP_BUDGET_MS || m.p95Ms >= P95_BUDGET_MS
        ? 'over a budget with no attack running: this machine is too busy for the figures below to mean much'
        : 'the machine’s own noise') + (m.lost ? `; ${m.lost} edits lost` : ''),
  });
}

const only = process.env.ABUSE_ONLY?.split(',');
for (const attack of attacks.filter((a) => !only || only.includes(a.name.split(' ')[0]!))) {
  for (let attempt = 1; attempt <= MAX_TRIES; attempt++) {
    const baseline = rssMb();
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMb())), 100);
    const started = Date.now();
    const cpuBefore = cpuMs();
    let outcome: { held: boolean; note: string };
    try {
      outcome = await attack.run(started + ATTACK_MS);
    } catch (err) {
      outcome = { held: false, note: `harness error: ${String(err)}` };
    }
    await sleep(1000);
    clearInterval(sampler);
    const m = measured(started, Date.now());
    const cpuAfter = cpuMs();
    const withinTime = m.loopOwnMs < LOOP_BUDGET_MS && m.p95Ms < P95_BUDGET_MS;
    const row: Row = {
      attack: attack.name,
      held: outcome.held && peak - baseline < MEMORY_BUDGET_MB && withinTime,
      memMb: peak - baseline,
      cpuMs: cpuAfter.run - cpuBefore.run,
      cpuWaitMs: cpuAfter.wait - cpuBefore.wait,
      loopMaxMs: m.loopMaxMs,
      loopOwnMs: m.loopOwnMs,
      p95Ms: m.p95Ms,
      tries: `${attempt}/${MAX_TRIES}`,
      note: `${outcome.note}${m.lost ? `; ${m.lost} legitimate edits lost` : ''}`,
    };
    const last = row.held || !outcome.held || peak - baseline >= MEMORY_BUDGET_MB || attempt === MAX_TRIES;
    if (last) report(row);
    else
      console.log(
        `       ${attack.name}: over a time budget on try ${attempt} (loop delay ${fmt(m.loopOwnMs)} ms, seen ${fmt(m.loopMaxMs)} ms, p95 ${m.p95Ms.toFixed(1)} ms); once more`,
      );
    await sleep(2500); // the next attack starts on a quiet server (the loop window is 1-2 s)
    if (last) break;
  }
}
alice.destroy();
bob.destroy();
clearInterval(cpuSampler);
legitUser.kill('SIGTERM');
child.kill('SIGTERM');
await issuer.close();

const pad = (s: string, n: number) => s.padEnd(n);
console.log(
  `\n${pad('attack', 56)} ${pad('held', 5)} ${pad('mem growth', 11)} ${pad('loop delay', 11)} ${pad('(seen)', 11)} ${pad('legit p95', 10)} ${pad('tries', 6)} server CPU / waited for a CPU`,
);
for (const r of rows)
  console.log(
    `${pad(r.attack, 56)} ${pad(r.held === null ? '-' : r.held ? 'yes' : 'NO', 5)} ${pad(`${r.memMb.toFixed(0)} MB`, 11)} ${pad(`${fmt(r.loopOwnMs)} ms`, 11)} ${pad(`${fmt(r.loopMaxMs)} ms`, 11)} ${pad(`${r.p95Ms.toFixed(1)} ms`, 10)} ${pad(r.tries, 6)} ${fmt(r.cpuMs)} / ${fmt(r.cpuWaitMs)} ms`,
  );
console.log(
  `budgets: memory growth < ${MEMORY_BUDGET_MB} MB, event-loop delay < ${LOOP_BUDGET_MS} ms, legitimate round-trip p95 < ${P95_BUDGET_MS} ms.\n` +
    `"loop delay" (judged) is the worst stall /healthz saw, each capped at the CPU time the server's main thread got in that 2 s window: ` +
    `the server's own work cannot account for more; "(seen)" is the stall uncapped, and equals it on an idle machine.\n` +
    `"server CPU / waited for a CPU": the server's main thread on a CPU during the attack, and ready to run but waiting for one (other load on this machine). ` +
    `Machine load ${loadAtStart.toFixed(1)} at start, ${loadavg()[0]!.toFixed(1)} at end (2 cores: above 2, processes wait for a CPU).`,
);
process.exit(rows.every((r) => r.held !== false) ? 0 : 1);
