// Import overhead (issue 9's figure): 2,000 events in the scan window. Duet's WHOLE import — the
// product's adapter fetching and normalizing every page, the batch crossing the bridge (as JSON,
// which is what the web host's WebSocket carries), the renderer's ingest storing it in the event
// cache, running the 1:1 engine over the cache and writing meetings and series to RxDB — against
// the bare SDK paging the same events with the same page size, measured in the same run. Each
// round imports into a new, empty database (the first import a newcomer sees). RxDB runs with the
// renderer's own storage plugin (Dexie) over fake-indexeddb, an in-process IndexedDB, since Node
// has none; the ingest function is the renderer's own (src-renderer/src/calendar/apply-batch.ts). Median of rounds,
// both providers, printed as ratios (target ≤ 1.5).
//
// The same storage path as the app (src-renderer/src/db/database.ts: openDuetDatabase, Dexie,
// multiInstance, eventReduce), with two differences Node imposes: IndexedDB is fake-indexeddb (pure
// JavaScript in this thread, where Chromium's runs in another process), and RxDB's change broadcast
// to other windows uses the native BroadcastChannel as in a browser (forced below: in Node the
// broadcast-channel package would otherwise write each message to temporary files).
// Figures and what they cost by stage: README.md, "Benchmarks".
// Usage: npm run bench -- import      (IMPORT_BENCH_ROUNDS=9 to change the number of rounds)
import { enforceOptions } from 'broadcast-channel';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { GraphRequest } from '@microsoft/microsoft-graph-client';
import { RetryHandlerOptions } from '@microsoft/microsoft-graph-client';
import { createGoogleProvider } from '../src-main/calendar/google-provider';
import { createGraphProvider } from '../src-main/calendar/graph-provider';
import type { CalendarProvider, SyncWindow } from '../src-main/calendar/provider';
import { googleCalendarClient, graphSdkClient } from '../src-main/calendar/sdk-clients';
import { isTombstone } from '../src-shared/calendar/change-schema';
import type { CalendarEvent, Person } from '../src-shared/engine/model';
import { scan } from '../src-shared/engine/scan';
import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import type { CalendarBatch } from '../src-shared/bridge/contract';
import { openDuetDatabase, type DuetDatabase } from '../src-renderer/src/db/database';
import { applyBatch } from '../src-renderer/src/calendar/apply-batch';
import { startSandbox } from '../sandbox/server';
import type { GEvent, Scenario } from '../sandbox/model';
import { SandboxAdmin } from '../tests/support/sandbox';

// What a browser window uses (see the header): must run before any database is opened.
enforceOptions({ type: 'native' });

const EVENTS = 2000;
const ROUNDS = Number(process.env.IMPORT_BENCH_ROUNDS ?? 7);
const GOOGLE_PAGE = 250;
const GRAPH_PAGE = 100;
const DAY = 86_400_000;
let dbCounter = 0;
const ME = 'maya.chen@bench.test';

function scenario(now: number): Scenario {
  const people = [{ email: ME, name: 'Maya Chen' }];
  for (let i = 0; i < 40; i++) people.push({ email: `person${i}@bench.test`, name: `Person ${i}` });
  const events: Array<GEvent & { calendarId?: string }> = [];
  const from = now - 29 * DAY;
  const span = 56 * DAY;
  for (let i = 0; i < EVENTS; i++) {
    // Spread evenly over the window on 15-minute marks; every fifth a two-person "1:1".
    const start = Math.floor((from + (span * i) / EVENTS) / 900_000) * 900_000;
    const other = people[1 + (i % 40)]!.email;
    const third = people[1 + ((i + 7) % 40)]!.email;
    events.push({
      summary: i % 5 === 0 ? `Maya / Person ${i % 40}` : `Working session ${i}`,
      organizer: { email: ME },
      attendees:
        i % 5 === 0
          ? [
              { email: ME, responseStatus: 'accepted' },
              { email: other, responseStatus: 'accepted' },
            ]
          : [{ email: ME }, { email: other }, { email: third }],
      start: { dateTime: new Date(start).toISOString() },
      end: { dateTime: new Date(start + 30 * 60_000).toISOString() },
      calendarId: ME,
    });
  }
  return { me: ME, people, events };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

/** Wall time, and this process's CPU time (user + system): the sandbox, the SDK, Duet and fake-indexeddb all run here, so CPU time is what the work costs, less skewed by other jobs on a busy machine. */
async function time(run: () => Promise<number>): Promise<{ ms: number; cpu: number; count: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const count = await run();
  const c = process.cpuUsage(c0);
  return { ms: performance.now() - t0, cpu: (c.user + c.system) / 1000, count };
}

async function main(): Promise<void> {
  const now = Date.now();
  const sb = await startSandbox({ seed: scenario(now) });
  try {
    const ca = readFileSync(sb.caCertPath, 'utf8');
    const admin = new SandboxAdmin(sb.adminUrl, sb.caCertPath);
    const window: SyncWindow = { from: now - 30 * DAY, to: now + 28 * DAY };
    const people: Person[] = [];
    for (let i = 0; i < 40; i++) people.push({ email: `person${i}@bench.test`, name: `Person ${i}` });

    for (const name of ['google', 'microsoft'] as const) {
      const token = await admin.accessToken(ME, name);
      const accessToken = () => Promise.resolve(token);
      const provider: CalendarProvider =
        name === 'google'
          ? createGoogleProvider({
              rootUrl: sb.googleRootUrl,
              accessToken,
              accountId: ME,
              pageSize: GOOGLE_PAGE,
              ca,
            })
          : createGraphProvider({
              graphBaseUrl: sb.graphBaseUrl,
              accessToken,
              accountId: ME,
              ownerEmail: ME,
              pageSize: GRAPH_PAGE,
              ca,
            });
      const calendarId = (await provider.listCalendars()).find((c) => c.primary)!.id;

      // The bare SDK: the same requests, pages only counted.
      const bare = async (): Promise<number> => {
        let count = 0;
        if (name === 'google') {
          const cal = googleCalendarClient(sb.googleRootUrl, token, { retry: false, ca });
          let pageToken: string | undefined;
          do {
            const { data } = await cal.events.list({
              calendarId,
              timeMin: new Date(window.from).toISOString(),
              timeMax: new Date(window.to + 60_000).toISOString(),
              singleEvents: false,
              maxResults: GOOGLE_PAGE,
              ...(pageToken ? { pageToken } : {}),
            });
            count += data.items?.length ?? 0;
            pageToken = data.nextPageToken ?? undefined;
          } while (pageToken);
        } else {
          const client = graphSdkClient(sb.graphBaseUrl, token, { ca });
          let request: GraphRequest = client
            .api(`/me/calendars/${encodeURIComponent(calendarId)}/calendarView/delta`)
            .query({
              startDateTime: new Date(window.from).toISOString(),
              endDateTime: new Date(window.to + 60_000).toISOString(),
            });
          for (;;) {
            const page = (await request
              .middlewareOptions([new RetryHandlerOptions(0, 0)])
              .header('Prefer', `odata.maxpagesize=${GRAPH_PAGE}`)
              .get()) as { value?: unknown[]; '@odata.nextLink'?: string };
            count += page.value?.length ?? 0;
            if (!page['@odata.nextLink']) break;
            request = client.api(page['@odata.nextLink']);
          }
        }
        return count;
      };
      const duet = async (): Promise<number> =>
        (await provider.fullImport(calendarId, window)).changes.length;
      const duetWithEngine = async (): Promise<number> => {
        const round = await provider.fullImport(calendarId, window);
        const events = round.changes.filter((c): c is CalendarEvent => !isTombstone(c));
        const decisions = scan({
          now: new Date(now).toISOString(),
          self: ME,
          mode: 'full',
          people,
          events,
          meetings: [],
        });
        return decisions.events.length;
      };

      // The whole import into a new, empty database (opened and filled with the team untimed).
      let db: DuetDatabase | undefined;
      const freshDatabase = async (memory = false): Promise<void> => {
        const storage = memory ? getRxStorageMemory() : getRxStorageDexie({ indexedDB, IDBKeyRange });
        db = await openDuetDatabase({ storage, name: `bench-${name}-${dbCounter++}` });
        await db.people.bulkInsert(
          people.map((p, i) => ({ id: `p${i}`, name: p.name ?? p.email, email: p.email, aliases: [], managerEmail: '', startDate: '', directReport: true, createdAt: now, updatedAt: now })),
        );
      };
      const dropDatabase = async (): Promise<void> => {
        await db?.remove();
        db = undefined;
      };
      let recordStages = true;
      const whole = async (): Promise<number> => {
        const target = db as DuetDatabase;
        const t0 = performance.now();
        const round = await provider.fullImport(calendarId, window);
        const t1 = performance.now();
        const sent: CalendarBatch = { id: `b${dbCounter}`, accountId: ME, provider: name, self: ME, kind: 'initial', replace: true, changes: round.changes };
        // The bridge: the batch arrives as JSON.
        const batch = JSON.parse(JSON.stringify(sent)) as CalendarBatch;
        // What the ingest does with a batch (src-renderer/src/calendar/apply-batch.ts, the product's own function).
        await applyBatch(target, batch, now, {
          onTimings: (t) => {
            if (!recordStages) return;
            stages.fetch.push(t1 - t0);
            stages.plan.push(t.plan);
            stages.cacheAndEngine.push(t.cacheAndDetect);
            stages.write.push(t.write);
          },
        });
        return batch.changes.length;
      };
      let meetingsWritten = 0;
      const stages = { fetch: [] as number[], plan: [] as number[], cacheAndEngine: [] as number[], write: [] as number[] };

      // One warm-up of each (connections, JIT), then rounds in rotating order.
      await bare();
      await duet();
      await duetWithEngine();
      await freshDatabase();
      await whole();
      meetingsWritten = await (db as unknown as DuetDatabase).meetings.count().exec();
      await dropDatabase();
      const results = { bare: [] as number[], duet: [] as number[], engine: [] as number[], whole: [] as number[], wholeMemory: [] as number[] };
      const cpu = { bare: [] as number[], whole: [] as number[] };
      let counts = { bare: 0, duet: 0, engine: 0, whole: 0, wholeMemory: 0 };
      for (let r = 0; r < ROUNDS; r++) {
        const order = [
          ['bare', bare],
          ['duet', duet],
          ['engine', duetWithEngine],
          ['whole', whole],
          ['wholeMemory', whole],
        ] as const;
        for (let k = 0; k < order.length; k++) {
          const [label, run] = order[(k + r) % order.length]!;
          if (label === 'whole' || label === 'wholeMemory') await freshDatabase(label === 'wholeMemory');
          recordStages = label === 'whole';
          const t = await time(run);
          if (label === 'whole' || label === 'wholeMemory') await dropDatabase();
          results[label].push(t.ms);
          if (label === 'bare' || label === 'whole') cpu[label].push(t.cpu);
          counts = { ...counts, [label]: t.count };
        }
      }
      const b = median(results.bare);
      const d = median(results.duet);
      const e = median(results.engine);
      const w = median(results.whole);
      const wm = median(results.wholeMemory);
      console.log(
        `${name.padEnd(9)} ${counts.bare} events  bare SDK ${b.toFixed(1)} ms  ` +
          `fetch+normalize ${d.toFixed(1)} ms (×${(d / b).toFixed(2)})  ` +
          `+ engine ${e.toFixed(1)} ms (×${(e / b).toFixed(2)})  [median of ${ROUNDS}]`,
      );
      console.log(
        `${''.padEnd(9)} WHOLE IMPORT (fetch, normalize, bridge JSON, cache, engine, RxDB write of ${meetingsWritten} meetings) ` +
          `${w.toFixed(1)} ms  ×${(w / b).toFixed(2)} the bare SDK  (target ≤ 1.5; RxDB: the renderer's Dexie storage over fake-indexeddb)`,
      );
      console.log(
        `${''.padEnd(9)} CPU time (this process): whole import ${median(cpu.whole).toFixed(1)} ms  ×${(median(cpu.whole) / median(cpu.bare)).toFixed(2)} the bare SDK's ${median(cpu.bare).toFixed(1)} ms`,
      );
      console.log(
        `${''.padEnd(9)} the same with RxDB's memory storage (no IndexedDB cost at all): ${wm.toFixed(1)} ms  ×${(wm / b).toFixed(2)}`,
      );
      console.log(
        `${''.padEnd(9)} whole import by stage (medians): ` +
          Object.entries(stages)
            .map(([k, v]) => `${k} ${median(v.slice(1)).toFixed(1)} ms`)
            .join(', '),
      );
      if (counts.duet !== counts.bare)
        console.log(`  note: Duet read ${counts.duet} changes, the bare SDK ${counts.bare} items`);
    }
  } finally {
    await sb.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
