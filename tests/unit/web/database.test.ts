import { afterEach, describe, expect, it } from 'vitest';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { openDuetDatabase, type DuetDatabase } from '../../../src-renderer/src/db/database';
import { duetCollections, MAX_FREE_TIER_COLLECTIONS } from '../../../src-renderer/src/db/schemas';
import { sampleDocs } from './support/sample-docs';
import { fakeDexieStorage, uniqueDbName } from './support/fake-idb';

const open: { close(): Promise<unknown> }[] = [];
async function track<T extends { close(): Promise<unknown> }>(p: Promise<T>): Promise<T> {
  const db = await p;
  open.push(db);
  return db;
}
afterEach(async () => {
  // RxDB's free tier counts open collections per process: always close what a test opened.
  await Promise.all(open.splice(0).map((db) => db.close()));
});

const collectionNames = Object.keys(duetCollections).sort();

describe.each([
  ['Dexie over fake-indexeddb', fakeDexieStorage],
  ['memory', () => getRxStorageMemory()],
])('Duet database on %s', (_label, storage) => {
  it('opens with every collection, within the free tier', async () => {
    const db = await track(openDuetDatabase({ storage: storage(), name: uniqueDbName('open') }));
    expect(Object.keys(db.collections).sort()).toEqual([
      'calendarAccounts',
      'calendarEvents',
      'meetingContent',
      'meetings',
      'notifications',
      'people',
      'preferences',
      'privateNotes',
      'series',
      'syncState',
    ]);
    expect(collectionNames.length).toBeLessThanOrEqual(MAX_FREE_TIER_COLLECTIONS);
  });

  it.each(collectionNames)('round-trips a %s document', async (name) => {
    const db: DuetDatabase = await track(openDuetDatabase({ storage: storage(), name: uniqueDbName('rt') }));
    const key = name as keyof typeof sampleDocs;
    const doc = sampleDocs[key];
    // The collections differ in type; the round trip itself is the same for each.
    const collection = db.collections[key] as unknown as {
      insert(d: unknown): Promise<unknown>;
      findOne(id: string): { exec(): Promise<{ toJSON(): unknown } | null> };
    };
    await collection.insert(doc);
    const found = await collection.findOne(doc.id).exec();
    expect(found?.toJSON()).toEqual(doc);
  });
});

describe('indexed queries the app relies on', () => {
  it('finds people by lower-cased email and meetings by series in start order', async () => {
    const db = await track(openDuetDatabase({ storage: fakeDexieStorage(), name: uniqueDbName('idx') }));
    await db.people.bulkInsert([
      sampleDocs.people,
      { ...sampleDocs.people, id: 'p-grace', name: 'Grace Hopper', email: 'grace@example.com', aliases: [] },
    ]);
    const byEmail = await db.people.findOne({ selector: { email: 'grace@example.com' } }).exec();
    expect(byEmail?.name).toBe('Grace Hopper');

    const base = sampleDocs.meetings;
    await db.meetings.bulkInsert([
      { ...base, id: 'm-3', start: base.start + 2 * 604_800_000 },
      { ...base, id: 'm-1' },
      { ...base, id: 'm-other', seriesId: 's-2', start: base.start + 1000 },
      { ...base, id: 'm-2', start: base.start + 604_800_000 },
    ]);
    const inSeries = await db.meetings
      .find({ selector: { seriesId: 's-1' }, sort: [{ start: 'asc' }] })
      .exec();
    expect(inSeries.map((m) => m.id)).toEqual(['m-1', 'm-2', 'm-3']);
    const upcoming = await db.meetings
      .find({ selector: { start: { $gte: base.start + 1 } }, sort: [{ start: 'asc' }] })
      .exec();
    expect(upcoming.map((m) => m.id)).toEqual(['m-other', 'm-2', 'm-3']);
  });

  it('keeps documents across close and reopen on Dexie', async () => {
    const name = uniqueDbName('persist');
    const storage = fakeDexieStorage();
    const first = await openDuetDatabase({ storage, name });
    await first.people.insert(sampleDocs.people);
    await first.close();
    const second = await track(openDuetDatabase({ storage, name }));
    expect((await second.people.findOne('p-ada').exec())?.email).toBe('ada@example.com');
  });
});
