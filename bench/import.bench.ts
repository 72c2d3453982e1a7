// Import overhead: 2,000 events in the scan window, read from the sandbox by Duet's adapters
// (fetch + normalize, then + the 1:1 engine) against the bare SDK paging the same events with the
// same page size. Median of rounds, both providers, printed as ratios (target ≤ 1.5 for the whole
// import). The renderer's RxDB write is not part of this process; it is not measured here.
// Usage: npm run bench -- import      (IMPORT_BENCH_ROUNDS=9 to change the number of rounds)
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
import { startSandbox } from '../sandbox/server';
import type { GEvent, Scenario } from '../sandbox/model';
import { SandboxAdmin } from '../tests/support/sandbox';

const EVENTS = 2000;
const ROUNDS = Number(process.env.IMPORT_BENCH_ROUNDS ?? 7);
const GOOGLE_PAGE = 250;
const GRAPH_PAGE = 100;
const DAY = 86_400_000;
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

async function time(run: () => Promise<number>): Promise<{ ms: number; count: number }> {
  const t0 = performance.now();
  const count = await run();
  return { ms: performance.now() - t0, count };
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

      // One warm-up of each (connections, JIT), then rounds in rotating order.
      await bare();
      await duet();
      await duetWithEngine();
      const results = { bare: [] as number[], duet: [] as number[], engine: [] as number[] };
      let counts = { bare: 0, duet: 0, engine: 0 };
      for (let r = 0; r < ROUNDS; r++) {
        const order = [
          ['bare', bare],
          ['duet', duet],
          ['engine', duetWithEngine],
        ] as const;
        for (let k = 0; k < order.length; k++) {
          const [label, run] = order[(k + r) % order.length]!;
          const t = await time(run);
          results[label].push(t.ms);
          counts = { ...counts, [label]: t.count };
        }
      }
      const b = median(results.bare);
      const d = median(results.duet);
      const e = median(results.engine);
      console.log(
        `${name.padEnd(9)} ${counts.bare} events  bare SDK ${b.toFixed(1)} ms  ` +
          `Duet fetch+normalize ${d.toFixed(1)} ms (×${(d / b).toFixed(2)})  ` +
          `+ engine ${e.toFixed(1)} ms (×${(e / b).toFixed(2)})  [median of ${ROUNDS}]`,
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
