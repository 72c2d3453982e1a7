// The whole path with no double anywhere: the sandbox → main's services as the app assembles them
// (sign-in, Duet's provider adapters, the scheduler, push through the embedded relay) → batches →
// the renderer's ingest (src-renderer/src/calendar/ingest.ts) → RxDB (Dexie over fake-indexeddb).
// The initial import leaves in RxDB exactly the 1:1 occurrences tests/integration/engine-sandbox
// derives through the same face, and a sandbox edit reaches RxDB by push, with no poll.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProviderFor } from '../../../src-main/calendar/provider-factory';
import { createNodePlatform } from '../../../src-main/platform/node';
import { createMainServices } from '../../../src-main/services/create';
import { startEmbeddedSyncServer } from '../../../src-main/services/embedded-sync';
import { jsonFileStore } from '../../../src-main/storage/json-file';
import { startCalendarIngest, type CalendarIngest, type IngestBridge } from '../../../src-renderer/src/calendar/ingest';
import { createIngestStore } from '../../../src-renderer/src/calendar/ingest-store';
import { openDuetDatabase, type DuetDatabase } from '../../../src-renderer/src/db/database';
import type { MeetingDoc } from '../../../src-shared/meeting/model';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { providerFace } from '../engine-sandbox/faces';
import { runEngine } from '../engine-sandbox/outcome';
import { MAYA, PEOPLE, SAM, seedFacts } from '../engine-sandbox/seed-facts';
import { playBrowser } from '../signin/support/harness';
import { fakeDexieStorage, uniqueDbName } from '../../unit/web/support/fake-idb';

type Services = Awaited<ReturnType<typeof createMainServices>>;

const keyOf = (counterpart: string, startMs: number): string => `${counterpart} ${new Date(startMs).toISOString()}`;
const counterpart = (participants: readonly string[]): string => (participants[0] === MAYA ? participants[1] : participants[0]) ?? '';

for (const connect of ['google', 'sandbox'] as const) {
  describe(`${connect === 'google' ? 'Google' : 'Microsoft'} face, through the app`, () => {
    let sb: TestSandbox;
    let dir: string;
    let services: Services;
    let db: DuetDatabase;
    let ingest: CalendarIngest;
    const now = new Date();

    beforeAll(async () => {
      sb = await startTestSandbox();
      dir = mkdtempSync(join(tmpdir(), 'duet-import-rxdb-'));
      services = await createMainServices({
        mode: 'web',
        platform: createNodePlatform({ userData: dir, version: 'test' }),
        store: jsonFileStore(join(dir, 'settings.json')),
        startEmbeddedSyncServer: (trust) => startEmbeddedSyncServer(join(dir, 'sync-server'), trust),
        sandboxIssuer: sb.issuer,
        env: {},
      });
      db = await openDuetDatabase({ storage: fakeDexieStorage(), name: uniqueDbName('import-rxdb') });
      // The team, as the user would have added it (the engine-sandbox run uses the same people).
      const at = Date.now();
      await db.people.bulkInsert(
        PEOPLE.filter((p) => p.email !== MAYA).map((p, i) => ({
          id: `p${i}`,
          name: p.name ?? p.email,
          email: p.email,
          aliases: [...(p.aliases ?? [])],
          managerEmail: '',
          startDate: '',
          directReport: false,
          createdAt: at,
          updatedAt: at,
        })),
      );
      const sync = services.calendarSync;
      const bridge: IngestBridge = {
        calendar: {
          nextBatch: () => Promise.resolve(sync.nextBatch()),
          ackBatch: ({ batchId, ok, error }) => {
            sync.ackBatch(batchId, ok, error);
            return Promise.resolve({ ok: true });
          },
        },
        on: ((event: string, listener: (payload: { accountId: string }) => void) =>
          event === 'calendar.batchReady' ? sync.onBatchReady((accountId) => listener({ accountId })) : () => undefined) as IngestBridge['on'],
      };
      ingest = startCalendarIngest(db, bridge, { store: createIngestStore() });
    });
    afterAll(async () => {
      await ingest?.stop();
      await db?.remove();
      await services?.stop();
      await sb?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    const meetings = async (): Promise<MeetingDoc[]> => (await db.meetings.find().exec()).map((d) => d.toMutableJSON());

    it('the initial import stores the 1:1s engine-sandbox finds through the same adapter', async () => {
      await expect.poll(() => services.syncServer.info().state, { timeout: 10_000 }).toBe('running');
      const start = await services.accounts.connect(connect);
      await playBrowser(sb, start.authUrl, MAYA);
      await expect.poll(() => services.accounts.list().length, { timeout: 10_000 }).toBe(1);
      const account = services.accounts.list()[0]!;
      await expect.poll(async () => (await db.calendarAccounts.findOne(account.id).exec())?.summary ?? null, { timeout: 20_000, interval: 100 }).not.toBeNull();
      await ingest.idle();

      // engine-sandbox's computation: Duet's adapter read as a face, the engine run over it.
      const facts = seedFacts(now);
      const face = providerFace(createProviderFor(account, services.accounts));
      const expected = runEngine((await face.open({ now: now.toISOString(), self: MAYA, ...facts.window })).events, now);
      const want = expected.meetings.map((m) => keyOf(counterpart(m.participants), Date.parse(m.start))).sort();
      const stored = await meetings();
      const got = stored.map((m) => keyOf(counterpart(m.participants), m.start)).sort();
      expect(want.length).toBeGreaterThan(5);
      expect(got).toEqual(want);
      // One meeting per occurrence, each linked to this account's calendar.
      expect(new Set(stored.map((m) => m.id)).size).toBe(stored.length);
      for (const m of stored) expect(m).toMatchObject({ linkState: 'linked', calendarLink: { accountId: account.id } });
    });

    it('a sandbox edit reaches RxDB through push (sandbox → relay → app → RxDB), with no poll', async () => {
      const account = services.accounts.list()[0]!;
      await expect.poll(() => services.calendarSync.status(account.id).push, { timeout: 10_000 }).toBe(true);
      // The poll is minutes away (default 5): only push can bring the edit within seconds.
      expect(services.calendarSync.status(account.id).pollMinutes).toBeGreaterThanOrEqual(1);
      const when = new Date(Date.now() + 3 * 86_400_000);
      when.setUTCHours(14, 0, 0, 0);
      const created = await sb.admin.createEvent({
        summary: 'Maya / Sam pushed',
        attendees: [{ email: SAM }],
        start: { dateTime: when.toISOString() },
        end: { dateTime: new Date(when.getTime() + 1_800_000).toISOString() },
      });
      const find = async () => (await meetings()).find((m) => m.title === 'Maya / Sam pushed');
      await expect.poll(async () => (await find())?.start, { timeout: 8_000, interval: 50 }).toBe(when.getTime());
      const id = (await find())!.id;

      const later = when.getTime() + 2 * 3_600_000;
      await sb.admin.patchEvent(created.id, { start: { dateTime: new Date(later).toISOString() }, end: { dateTime: new Date(later + 1_800_000).toISOString() } });
      await expect.poll(async () => (await db.meetings.findOne(id).exec())?.start, { timeout: 8_000, interval: 50 }).toBe(later);
      expect((await meetings()).filter((m) => m.title === 'Maya / Sam pushed')).toHaveLength(1);
    });
  });
}
