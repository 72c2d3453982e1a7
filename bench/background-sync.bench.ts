// What background sync costs (docs/architecture.md §5, "Background sync"): one pass brings the
// meetings around now (at most 50) up to date with their rooms, every 3 minutes while the app
// runs. Here: 50 meetings, each a room holding 20 topics, 5 action items and ~2 KB of notes, on
// one sync server on loopback (memory storage), Sam's app (the product's pass,
// syncMeetingDocsOnce, over y-indexeddb on fake-indexeddb and RxDB's memory storage) syncing them:
//  - the first pass (local copies empty: everything comes down),
//  - a pass with nothing new (what every later pass costs while nobody writes),
//  - a pass after the other person changed one topic in 5 of the 50 rooms.
// Timed: wall time, this process's CPU time (client and server both run here), bytes on the wire
// both ways (the client's sockets). Baseline, same run: bare y-websocket clients syncing the same
// 50 rooms into empty docs, two at a time as the pass does, no local store. Medians of rounds.
// Each timed phase starts with the server's per-user handshake allowance full, as a pass 3 minutes
// after the last does.
// Usage: npm run bench -- background-sync   (ROUNDS=5, MEETINGS=50 to change them)
import 'fake-indexeddb/auto';
import { performance } from 'node:perf_hooks';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { readFileSync } from 'node:fs';
import { createMemoryStorage, createMemoryStorageState, startSyncServer } from '../sync-server';
import type { MeetingDoc } from '../src-shared/meeting/model';
import { MeetingWorkspace } from '../src-shared/workspace/meeting-doc';
import { openDuetDatabase } from '../src-renderer/src/db/database';
import { newBackgroundSyncState, syncMeetingDocsOnce } from '../src-renderer/src/features/meeting/background-sync';
import { createMeetingDocCache } from '../src-renderer/src/features/meeting/meeting-doc-cache';
import { createRoom } from '../tests/integration/sync-server/support/harness';
import { startTestSandbox } from '../tests/support/sandbox';
import { createTestBridge } from '../tests/unit/web/support/test-bridge';

const ROUNDS = Number(process.env.ROUNDS ?? 5);
const MEETINGS = Number(process.env.MEETINGS ?? 50);
const MAYA = 'maya@example.com';
const SAM = 'sam@example.com';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Bytes both ways over every socket made with it. */
const wire = { sent: 0, received: 0 };
class CountingSocket extends WebSocket {
  constructor(url: string | URL, protocols?: string | string[]) {
    super(url, protocols);
    this.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
      wire.received += Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : (data as Buffer).length ?? (data as ArrayBuffer).byteLength;
    });
  }
  override send(data: unknown, ...rest: unknown[]): void {
    wire.sent += (data as Uint8Array).byteLength ?? 0;
    (super.send as (...args: unknown[]) => void)(data, ...rest);
  }
}
const WS = CountingSocket as unknown as typeof globalThis.WebSocket;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/**
 * The server lets one user open 60 sockets at once, then 5 a second (sync-server README,
 * "Limits"): real passes are 3 minutes apart and each starts with the allowance full, so each
 * timed phase here waits until it is full again (60 / 5 per second = 12 s) rather than timing the
 * limit.
 */
const REFILL_MS = 12_500;

async function measure(run: () => Promise<void>): Promise<{ ms: number; cpu: number; kb: number }> {
  await new Promise((resolve) => setTimeout(resolve, REFILL_MS));
  wire.sent = 0;
  wire.received = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await run();
  const c = process.cpuUsage(c0);
  return { ms: performance.now() - t0, cpu: (c.user + c.system) / 1000, kb: (wire.sent + wire.received) / 1024 };
}

/** Writes into a room as Maya's app would, then leaves. */
async function write(url: string, roomId: string, token: string, edit: (ws: MeetingWorkspace) => void): Promise<void> {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(url, roomId, doc, { params: { token }, WebSocketPolyfill: WebSocket as never, disableBc: true });
  await new Promise<void>((resolve) => provider.once('sync', () => resolve()));
  edit(new MeetingWorkspace(doc, MAYA));
  // One more round trip: the server answers a sync request only once what came before is stored.
  await new Promise<void>((resolve) => {
    provider.synced = false;
    provider.once('sync', () => resolve());
    provider.disconnect();
    provider.connect();
  });
  provider.destroy();
  doc.destroy();
}

/** The baseline: bare clients sync every room into an empty doc, two at a time. */
async function bare(url: string, rooms: string[], token: string): Promise<void> {
  const queue = [...rooms];
  const worker = async () => {
    for (let room = queue.shift(); room !== undefined; room = queue.shift()) {
      const doc = new Y.Doc();
      const provider = new WebsocketProvider(url, room, doc, { params: { token }, WebSocketPolyfill: WS as never, disableBc: true });
      await new Promise<void>((resolve) => provider.once('sync', () => resolve()));
      provider.destroy();
      doc.destroy();
    }
  };
  await Promise.all([worker(), worker()]);
}

async function main(): Promise<void> {
  // The sandbox only issues the ID tokens; the server trusts its CA explicitly.
  const sb = await startTestSandbox({ seed: 'empty', requireTrust: false });
  const server = await startSyncServer({
    port: 0,
    storage: createMemoryStorage(createMemoryStorageState()),
    issuers: [sb.issuer],
    audiences: ['duet-sync'],
    trustedCertificates: [readFileSync(sb.caCertPath, 'utf8')],
    logLevel: 'warn',
  });
  try {
    const [mayaToken, samToken] = await Promise.all([sb.idToken(MAYA, { aud: 'duet-sync' }), sb.idToken(SAM, { aud: 'duet-sync' })]);
    const now = Date.now();
    const rooms: string[] = [];
    const topics = new Map<string, string[]>();
    for (let i = 0; i < MEETINGS; i++) {
      const room = await createRoom(server.httpUrl, mayaToken, [MAYA, SAM]);
      rooms.push(room);
      await write(server.url, room, mayaToken, (ws) => {
        ws.setMeta({ title: '1:1 Maya / Sam', start: now + i * HOUR, end: now + i * HOUR + HOUR / 2, participants: [MAYA, SAM] });
        const ids: string[] = [];
        for (let t = 0; t < 20; t++) ids.push(ws.add('topics', `Topic ${t}: the roadmap, the promotion case and the next steps`));
        for (let a = 0; a < 5; a++) ws.add('items', `Action ${a}: send the draft`, { assignee: SAM });
        const paragraphs = Array.from({ length: 10 }, (_, k) => {
          const para = new Y.XmlElement('paragraph');
          para.insert(0, [new Y.XmlText(`Note ${k}: ${'what we said about the roadmap and the next steps. '.repeat(4)}`)]);
          return para;
        });
        ws.notesFragment.insert(0, paragraphs);
        topics.set(room, ids);
      });
    }
    const meetings: MeetingDoc[] = rooms.map((roomId, i) => ({
      id: `m-bg-${i}`,
      seriesId: '',
      title: '1:1 Maya / Sam',
      start: now + (i - MEETINGS / 2) * 6 * HOUR,
      end: now + (i - MEETINGS / 2) * 6 * HOUR + HOUR / 2,
      participants: [MAYA, SAM],
      owner: MAYA,
      source: 'app',
      linkState: 'unlinked',
      state: 'scheduled',
      roomId,
      createdAt: 1,
      updatedAt: 1,
    }));
    if (meetings.some((m) => Math.abs(m.start - now) > 14 * DAY)) throw new Error('a meeting falls outside the pass window');
    const bridge = createTestBridge({
      accounts: { identity: () => ({ email: SAM, idToken: samToken, expiresAt: Date.now() + HOUR, issuer: sb.issuer, accountId: SAM }) },
      sync: { serverInfo: () => ({ url: server.url, embedded: false, state: 'running' as const }) },
    });

    const results = { bare: [] as Array<Awaited<ReturnType<typeof measure>>>, first: [] as Array<Awaited<ReturnType<typeof measure>>>, idle: [] as Array<Awaited<ReturnType<typeof measure>>>, some: [] as Array<Awaited<ReturnType<typeof measure>>> };
    let synced = 0;
    for (let r = 0; r < ROUNDS; r++) {
      results.bare.push(await measure(() => bare(server.url, rooms, samToken)));
      // A fresh device each round: a new database and new local copies (other meeting ids).
      const db = await openDuetDatabase({ storage: getRxStorageMemory(), name: `bench-bg-${r}` });
      const ids = meetings.map((m) => ({ ...m, id: `${m.id}-r${r}` }));
      await db.meetings.bulkInsert(ids);
      const options = { WebSocketPolyfill: WS, cache: createMeetingDocCache(), timeoutMs: 10_000 };
      const state = newBackgroundSyncState();
      let out = { synced: [] as string[], failed: [] as unknown[] };
      results.first.push(await measure(async () => void (out = await syncMeetingDocsOnce(db, bridge.api, options, state))));
      if (out.failed.length) throw new Error(`first pass failed: ${JSON.stringify(out.failed)}`);
      synced = out.synced.length;
      results.idle.push(await measure(async () => void (await syncMeetingDocsOnce(db, bridge.api, options, state))));
      for (const room of rooms.slice(0, 5)) {
        await write(server.url, room, mayaToken, (ws) => ws.edit('topics', topics.get(room)![0]!, `Changed in round ${r}`));
      }
      results.some.push(await measure(async () => void (await syncMeetingDocsOnce(db, bridge.api, options, state))));
      await db.remove();
    }
    const b = { ms: median(results.bare.map((x) => x.ms)), cpu: median(results.bare.map((x) => x.cpu)), kb: median(results.bare.map((x) => x.kb)) };
    console.log(`background sync of ${synced} meetings (20 topics, 5 items, ~2 KB notes each), medians of ${ROUNDS} rounds`);
    const row = (label: string, xs: Array<Awaited<ReturnType<typeof measure>>>) => {
      const ms = median(xs.map((x) => x.ms));
      const cpu = median(xs.map((x) => x.cpu));
      const kb = median(xs.map((x) => x.kb));
      console.log(
        `${label.padEnd(52)} wall ${ms.toFixed(0).padStart(5)} ms (×${(ms / b.ms).toFixed(2)})  CPU ${cpu.toFixed(0).padStart(5)} ms (×${(cpu / b.cpu).toFixed(2)})  wire ${kb.toFixed(0).padStart(5)} KB (×${(kb / b.kb).toFixed(2)})`,
      );
    };
    row('baseline: bare clients sync the rooms into empty docs', results.bare);
    row('first pass (local copies empty)', results.first);
    row('a pass with nothing new', results.idle);
    row('a pass after 5 of the rooms changed', results.some);
    console.log(`per hour at one pass every 3 minutes, nothing new: ${(median(results.idle.map((x) => x.cpu)) * 20 / 1000).toFixed(1)} s of CPU, ${(median(results.idle.map((x) => x.kb)) * 20 / 1024).toFixed(1)} MB on the wire`);
  } finally {
    await server.close();
    await sb.close();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
