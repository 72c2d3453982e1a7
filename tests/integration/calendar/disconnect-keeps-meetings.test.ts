// "Disconnect" keeps the meetings (docs/architecture.md §4): the whole path as the app assembles it
// (sandbox → main's services → batches → the renderer's ingest → RxDB over fake-indexeddb). After
// the account is disconnected (grant revoked, cursor and channel forgotten) its meetings and series
// stay in RxDB, content included, through a re-detection; connecting the same account again
// imports the whole window and links the same meetings again: nothing created twice.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodePlatform } from '../../../src-main/platform/node';
import { createMainServices } from '../../../src-main/services/create';
import { startEmbeddedSyncServer } from '../../../src-main/services/embedded-sync';
import { jsonFileStore } from '../../../src-main/storage/json-file';
import { startCalendarIngest, type CalendarIngest, type IngestBridge } from '../../../src-renderer/src/calendar/ingest';
import { createIngestStore } from '../../../src-renderer/src/calendar/ingest-store';
import { openDuetDatabase, type DuetDatabase } from '../../../src-renderer/src/db/database';
import type { MeetingDoc, SeriesDoc } from '../../../src-shared/meeting/model';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { MAYA, PEOPLE } from '../engine-sandbox/seed-facts';
import { playBrowser } from '../signin/support/harness';
import { fakeDexieStorage, uniqueDbName } from '../../unit/web/support/fake-idb';

type Services = Awaited<ReturnType<typeof createMainServices>>;

describe('Disconnect keeps the meetings; connecting again links them without duplicates', () => {
  let sb: TestSandbox;
  let dir: string;
  let services: Services;
  let db: DuetDatabase;
  let ingest: CalendarIngest;

  beforeAll(async () => {
    sb = await startTestSandbox();
    dir = mkdtempSync(join(tmpdir(), 'duet-disconnect-'));
    services = await createMainServices({
      mode: 'web',
      platform: createNodePlatform({ userData: dir, version: 'test' }),
      store: jsonFileStore(join(dir, 'settings.json')),
      startEmbeddedSyncServer: (trust) => startEmbeddedSyncServer(join(dir, 'sync-server'), trust),
      sandboxIssuer: sb.issuer,
      env: {},
    });
    db = await openDuetDatabase({ storage: fakeDexieStorage(), name: uniqueDbName('disconnect') });
    const at = Date.now();
    await db.people.bulkInsert(
      PEOPLE.filter((p) => p.email !== MAYA).map((p, i) => ({
        id: `p${i}`, name: p.name ?? p.email, email: p.email, aliases: [...(p.aliases ?? [])], managerEmail: '', startDate: '', directReport: false, createdAt: at, updatedAt: at,
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

  const meetings = async (): Promise<MeetingDoc[]> => (await db.meetings.find({ sort: [{ id: 'asc' }] }).exec()).map((d) => d.toMutableJSON());
  const series = async (): Promise<SeriesDoc[]> => (await db.series.find({ sort: [{ id: 'asc' }] }).exec()).map((d) => d.toMutableJSON());
  const lastBatch = async (accountId: string) => (await db.calendarAccounts.findOne(accountId).exec())?.lastBatchId ?? '';

  async function connectMaya(): Promise<string> {
    const start = await services.accounts.connect('sandbox');
    await playBrowser(sb, start.authUrl, MAYA);
    await expect.poll(() => services.accounts.list().length, { timeout: 10_000 }).toBe(1);
    return services.accounts.list()[0]!.id;
  }

  it('keeps every meeting and series through Disconnect, and a reconnect relinks the same ones', async () => {
    await expect.poll(() => services.syncServer.info().state, { timeout: 10_000 }).toBe('running');
    const accountId = await connectMaya();
    await expect.poll(() => lastBatch(accountId), { timeout: 20_000, interval: 100 }).not.toBe('');
    await ingest.idle();
    const before = await meetings();
    const seriesBefore = await series();
    expect(before.length).toBeGreaterThan(5);
    expect(seriesBefore.length).toBeGreaterThan(0);
    // One of them has content (a private note): it must survive exactly as the others do.
    const noted = before[0]!;
    await db.privateNotes.insert({ id: `note-${noted.id}`, meetingId: noted.id, owner: MAYA, body: 'kept', bodyScheme: 'plain', updatedAt: Date.now() });

    await services.accounts.disconnect(accountId);
    expect(services.accounts.list()).toEqual([]);
    // A re-detection (a team edit, another window taking the lead) must not clear them either.
    await ingest.redetect();
    await ingest.idle();
    expect(await meetings()).toEqual(before);
    expect(await series()).toEqual(seriesBefore);
    expect(await db.privateNotes.findOne(`note-${noted.id}`).exec()).not.toBeNull();

    // Connect the same account again: a whole-window import finds every meeting by its link.
    const batchBefore = await lastBatch(accountId);
    const again = await connectMaya();
    expect(again).toBe(accountId);
    await expect.poll(() => lastBatch(accountId), { timeout: 20_000, interval: 100 }).not.toBe(batchBefore);
    await ingest.idle();
    const after = await meetings();
    expect(after.map((m) => m.id)).toEqual(before.map((m) => m.id));
    expect(new Set(after.map((m) => `${m.participants.join()} ${m.start}`)).size).toBe(after.length);
    for (const m of after) {
      expect(m).toMatchObject({ linkState: 'linked', calendarLink: { accountId } });
      expect(m.createdAt).toBe(before.find((b) => b.id === m.id)?.createdAt);
    }
    expect((await series()).map((s) => s.id)).toEqual(seriesBefore.map((s) => s.id));
  });
});
