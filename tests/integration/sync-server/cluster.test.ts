// Several sync-server processes behind HAProxy, sharing PostgreSQL and Redis, started exactly as
// a user would: `npm run cluster` (scripts/cluster.ts) with real binaries from the machine's
// packages (.ci/run installs them). Clients are real y-websocket providers. One cluster serves
// the whole file; each test uses its own rooms.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openPostgresStorage } from '../../../sync-server/storage/postgres';
import { REPO_ROOT, connect, createRoom, waitFor, type Client } from './support/harness';
import { startTokenSource, type ClosableTokenSource } from './support/token-source';

interface ClusterInfo {
  publicUrl: string;
  publicHttpUrl: string;
  processes: Array<{ url: string; httpUrl: string; pid: number }>;
  databaseUrl: string;
  redisUrl: string;
  redis: { pid: number };
  postgres: { pid: number };
}
interface Restarted {
  event: 'restarted';
  name: string;
  pid: number;
}

let tokens: ClosableTokenSource;
let child: ChildProcess;
let info: ClusterInfo;
const events: Restarted[] = [];
const clients: Client[] = [];
const ALICE = 'alice@example.com';
const BOB = 'bob@example.com';

beforeAll(async () => {
  tokens = await startTokenSource();
  child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'scripts/cluster.ts',
      '--processes',
      '3',
      '--issuer',
      tokens.issuer,
      '--audience',
      tokens.audience,
      '--ca',
      tokens.caPath!,
      '--idle-ms',
      '2000',
      '--compact-after',
      '50',
    ],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const stderr: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (l) => stderr.push(l));
  info = await new Promise<ClusterInfo>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const parsed = JSON.parse(line) as ClusterInfo | Restarted;
      if ('event' in parsed) events.push(parsed);
      else resolve(parsed);
    });
    child.once('exit', (code) => reject(new Error(`cluster exited (${code}):\n${stderr.join('\n')}`)));
  });
}, 90_000);

afterAll(async () => {
  for (const c of clients) c.destroy();
  if (child && child.exitCode === null) {
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await gone;
  }
  await tokens?.close();
}, 30_000);

function open(url: string, roomId: string, token: string): Client {
  const c = connect(url, roomId, token);
  clients.push(c);
  return c;
}

async function newRoom(): Promise<string> {
  return createRoom(info.publicHttpUrl, await tokens.token(ALICE), [ALICE, BOB]);
}

/** Keys a client set in the shared map (each edit sets one key: nothing merges two edits). */
const keysOf = (c: Client) => new Set(c.doc.getMap('m').keys());

async function storedKeys(roomId: string): Promise<Set<string>> {
  const storage = await openPostgresStorage(info.databaseUrl);
  try {
    const doc = new Y.Doc();
    for (const u of await storage.loadRoom(roomId)) Y.applyUpdate(doc, u);
    return new Set(doc.getMap('m').keys());
  } finally {
    await storage.close();
  }
}

/** Each client sets `${name}:${i}` every `everyMs` until stopped; returns every key written. */
function typist(c: Client, name: string, everyMs = 10) {
  const written: string[] = [];
  let i = 0;
  const timer = setInterval(() => {
    const key = `${name}:${i++}`;
    c.doc.getMap('m').set(key, i);
    written.push(key);
  }, everyMs);
  return { written, stop: () => clearInterval(timer) };
}

async function health(httpUrl: string): Promise<{ connections: number; loadedRooms: number } | undefined> {
  try {
    const res = await fetch(`${httpUrl}/healthz`);
    return res.ok ? ((await res.json()) as { connections: number; loadedRooms: number }) : undefined;
  } catch {
    return undefined;
  }
}

function nextRestart(name: string, after: number): Promise<Restarted> {
  return waitFor(() => events.slice(after).find((e) => e.name === name), `${name} restarted`, 30_000);
}

function expectAll(c: Client, keys: Iterable<string>, what: string) {
  const have = keysOf(c);
  const missing = [...keys].filter((k) => !have.has(k));
  expect(missing, what).toEqual([]);
}

describe('sync servers behind HAProxy (npm run cluster)', () => {
  it('prints where everything is, and every process answers directly', async () => {
    expect(info.processes).toHaveLength(3);
    expect(new Set(info.processes.map((p) => p.pid)).size).toBe(3);
    for (const p of info.processes) expect(await health(p.httpUrl)).toBeDefined();
    expect(info.databaseUrl).toMatch(/^postgres:\/\//);
    expect(info.redisUrl).toMatch(/^redis:\/\//);
  });

  it('converges live, document and awareness, with the two clients on different processes', async () => {
    const roomId = await newRoom();
    const a = open(info.processes[0]!.url, roomId, await tokens.token(ALICE));
    const b = open(info.processes[1]!.url, roomId, await tokens.token(BOB));
    await Promise.all([a.synced(), b.synced()]);
    a.text.insert(0, 'from process one; ');
    await waitFor(() => b.text.toString() === 'from process one; ', 'a → b across processes');
    b.text.insert(b.text.length, 'from process two');
    await waitFor(() => a.text.toString() === 'from process one; from process two', 'b → a across processes');
    a.provider.awareness.setLocalStateField('user', { name: 'Alice' });
    await waitFor(
      () => b.provider.awareness.getStates().get(a.doc.clientID)?.user?.name === 'Alice',
      'awareness a → b',
    );
    // A third device joining on the third process sees the document and Alice's presence.
    const c = open(info.processes[2]!.url, roomId, await tokens.token(BOB));
    await c.synced();
    expect(c.text.toString()).toBe('from process one; from process two');
    await waitFor(
      () => c.provider.awareness.getStates().get(a.doc.clientID)?.user?.name === 'Alice',
      'awareness to a newcomer',
    );
    a.destroy();
    await waitFor(
      () => !b.provider.awareness.getStates().has(a.doc.clientID),
      'awareness removal across processes',
    );
  });

  it('kill -9 of the serving process during a burst loses nothing acknowledged (5 rounds)', async () => {
    const restarts: Array<Promise<unknown>> = [];
    const down = new Set<number>(); // killed, not yet restarted
    for (let round = 0; round < 5; round++) {
      const roomId = await newRoom();
      const a = open(info.publicUrl, roomId, await tokens.token(ALICE));
      const b = open(info.publicUrl, roomId, await tokens.token(BOB));
      await Promise.all([a.synced(), b.synced()]);
      // The process serving them: the one holding both connections.
      const serving = await waitFor(async () => {
        for (const [i, p] of info.processes.entries()) {
          if (down.has(i)) continue;
          if (((await health(p.httpUrl))?.connections ?? 0) >= 2) return { i, pid: currentPid(i) };
        }
        return undefined;
      }, 'the serving process');
      const ta = typist(a, `a${round}`);
      const tb = typist(b, `b${round}`);
      // Mid-burst: both have seen some of the other's edits.
      await waitFor(
        () => [...keysOf(a)].some((k) => k.startsWith('b')) && [...keysOf(b)].some((k) => k.startsWith('a')),
        'edits flowing',
      );
      await new Promise((r) => setTimeout(r, 100));
      // Acknowledged: the server relays an edit only once stored, so what each client has of
      // the other's edits at the moment of the kill must all be in PostgreSQL.
      const eventsBefore = events.length;
      process.kill(serving.pid, 'SIGKILL');
      const seenByB = [...keysOf(b)].filter((k) => k.startsWith(`a${round}:`));
      const seenByA = [...keysOf(a)].filter((k) => k.startsWith(`b${round}:`));
      expect(
        seenByA.length + seenByB.length,
        'the burst reached the other client before the kill',
      ).toBeGreaterThan(0);
      const stored = await storedKeys(roomId);
      expect(
        [...seenByA, ...seenByB].filter((k) => !stored.has(k)),
        `round ${round}: acknowledged but not stored`,
      ).toEqual([]);
      await new Promise((r) => setTimeout(r, 250));
      ta.stop();
      tb.stop();
      // Both clients reconnect through HAProxy to a live process and converge on everything.
      const all = [...ta.written, ...tb.written];
      await waitFor(
        () => all.every((k) => keysOf(a).has(k) && keysOf(b).has(k)),
        `round ${round}: converged`,
        15_000,
      );
      await waitFor(
        async () => {
          const s = await storedKeys(roomId);
          return all.every((k) => s.has(k));
        },
        `round ${round}: all stored`,
        10_000,
      );
      // The cluster restarts the killed process meanwhile; the next round does not wait for it.
      down.add(serving.i);
      restarts.push(nextRestart(`sync-${serving.i + 1}`, eventsBefore).then(() => down.delete(serving.i)));
      a.destroy();
      b.destroy();
    }
    await Promise.all(restarts);
  }, 120_000);

  it('keeps editing through a Redis restart; the processes catch up from PostgreSQL', async () => {
    const roomId = await newRoom();
    const a = open(info.processes[0]!.url, roomId, await tokens.token(ALICE));
    const b = open(info.processes[1]!.url, roomId, await tokens.token(BOB));
    await Promise.all([a.synced(), b.synced()]);
    const ta = typist(a, 'a', 20);
    const tb = typist(b, 'b', 20);
    await new Promise((r) => setTimeout(r, 300));
    const before = events.length;
    process.kill(currentRedisPid(), 'SIGKILL');
    await new Promise((r) => setTimeout(r, 400)); // edits while Redis is gone
    await nextRestart('redis', before);
    await new Promise((r) => setTimeout(r, 300));
    ta.stop();
    tb.stop();
    const all = [...ta.written, ...tb.written];
    await waitFor(
      () => all.every((k) => keysOf(a).has(k) && keysOf(b).has(k)),
      'converged after Redis restart',
      15_000,
    );
    expect(a.closeCodes).toEqual([]);
    expect(b.closeCodes).toEqual([]);
    // …and live again through the new Redis.
    a.text.insert(0, 'after');
    await waitFor(() => b.text.toString() === 'after', 'live after Redis restart');
    expectAll(b, all, 'b has everything');
  }, 60_000);

  it('waits out a PostgreSQL restart: edits are held, not dropped, and nothing is lost', async () => {
    const roomId = await newRoom();
    const a = open(info.processes[1]!.url, roomId, await tokens.token(ALICE));
    const b = open(info.processes[2]!.url, roomId, await tokens.token(BOB));
    await Promise.all([a.synced(), b.synced()]);
    const ta = typist(a, 'a', 20);
    await new Promise((r) => setTimeout(r, 200));
    const before = events.length;
    process.kill(currentPostgresPid(), 'SIGINT'); // fast shutdown; the cluster starts it again
    await new Promise((r) => setTimeout(r, 200));
    const duringOutage = keysOf(b).size;
    await nextRestart('postgres', before);
    await new Promise((r) => setTimeout(r, 300));
    ta.stop();
    await waitFor(
      () => ta.written.every((k) => keysOf(b).has(k)),
      'everything arrives once the database is back',
      20_000,
    );
    expect(keysOf(b).size).toBeGreaterThan(duringOutage);
    // Nobody was disconnected: the edits waited for the database ("syncing"), not dropped.
    expect(a.closeCodes).toEqual([]);
    expect(b.closeCodes).toEqual([]);
    const stored = await storedKeys(roomId);
    expect(ta.written.filter((k) => !stored.has(k))).toEqual([]);
  }, 60_000);

  it('survives a rolling restart of every process: nothing lost, every client back within 10 s', async () => {
    const rooms = await Promise.all([newRoom(), newRoom(), newRoom()]);
    const pairs = await Promise.all(
      rooms.map(async (roomId) => {
        const a = open(info.publicUrl, roomId, await tokens.token(ALICE));
        const b = open(info.publicUrl, roomId, await tokens.token(BOB));
        await Promise.all([a.synced(), b.synced()]);
        return { roomId, a, b };
      }),
    );
    // The longest time any client spent disconnected.
    let worstGapMs = 0;
    for (const c of pairs.flatMap((p) => [p.a, p.b])) {
      let downAt: number | undefined;
      c.provider.on('status', ({ status }: { status: string }) => {
        if (status === 'disconnected' && downAt === undefined) downAt = Date.now();
        if (status === 'connected' && downAt !== undefined) {
          worstGapMs = Math.max(worstGapMs, Date.now() - downAt);
          downAt = undefined;
        }
      });
    }
    const typists = pairs.flatMap((p, i) => [typist(p.a, `a${i}`, 25), typist(p.b, `b${i}`, 25)]);
    for (let i = 0; i < info.processes.length; i++) {
      const before = events.length;
      process.kill(currentPid(i), 'SIGTERM');
      await nextRestart(`sync-${i + 1}`, before);
      await waitFor(async () => (await health(info.processes[i]!.httpUrl)) !== undefined, 'process back');
    }
    await new Promise((r) => setTimeout(r, 300));
    for (const t of typists) t.stop();
    for (const [i, p] of pairs.entries()) {
      const all = [...typists[2 * i]!.written, ...typists[2 * i + 1]!.written];
      await waitFor(
        () => all.every((k) => keysOf(p.a).has(k) && keysOf(p.b).has(k)),
        `room ${i} converged`,
        15_000,
      );
      const stored = await waitFor(async () => {
        const s = await storedKeys(p.roomId);
        return all.every((k) => s.has(k)) ? s : undefined;
      }, `room ${i} stored`);
      expect(stored.size).toBeGreaterThanOrEqual(all.length);
    }
    for (const c of pairs.flatMap((p) => [p.a, p.b])) expect(c.provider.wsconnected).toBe(true);
    expect(worstGapMs).toBeLessThan(10_000);
  }, 90_000);
});

/** Pids change as the cluster restarts processes: the latest one per name. */
function currentPid(index: number): number {
  const name = `sync-${index + 1}`;
  return [...events].reverse().find((e) => e.name === name)?.pid ?? info.processes[index]!.pid;
}
function currentRedisPid(): number {
  return [...events].reverse().find((e) => e.name === 'redis')?.pid ?? info.redis.pid;
}
function currentPostgresPid(): number {
  return [...events].reverse().find((e) => e.name === 'postgres')?.pid ?? info.postgres.pid;
}
