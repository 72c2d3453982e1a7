// The event cache's layout (src-renderer/src/calendar/cache.ts, docs/architecture.md §6): an
// account's events in CACHE_BUCKETS chunk documents, a changed event rewriting only its own chunk,
// an unchanged batch writing nothing, and databases written by version 0 (one event per document)
// read at once after the upgrade and regrouped by the account's next batch, losing nothing.
import { afterEach, describe, expect, it } from 'vitest';
import type { RxCollection } from 'rxdb';
import type { CalendarBatch } from '../../../src-shared/bridge/contract';
import type { CalendarChange, CalendarEvent } from '../../../src-shared/engine/model';
import { openDatabase, openDuetDatabase, type AnyCollectionDefinition, type DuetDatabase } from '../../../src-renderer/src/db/database';
import { applyBatch } from '../../../src-renderer/src/calendar/apply-batch';
import {
  CACHE_BUCKETS,
  parseChunk,
  bucketOf,
  cacheDocIdsFor,
  chunkIdFor,
  chunkIdsOf,
  findCachedEvent,
  legacyCachedEventId,
  planCacheWrite,
  readCachedEvents,
  writeCache,
} from '../../../src-renderer/src/calendar/cache';
import { fakeDexieStorage, uniqueDbName } from './support/fake-idb';

const NOW = Date.parse('2024-03-06T17:00:00Z');
const MAYA = 'maya.chen@acme.io';
const SAM = 'sam.ortiz@acme.io';
const ACCOUNT = 'acct';

const ev = (id: string, day: number, over: Partial<CalendarEvent> = {}): CalendarEvent => ({
  id,
  calendarId: 'primary',
  primary: true,
  title: 'Maya / Sam',
  start: new Date(NOW + day * 86_400_000).toISOString(),
  end: new Date(NOW + day * 86_400_000 + 1_800_000).toISOString(),
  status: 'confirmed',
  organizer: MAYA,
  attendees: [{ email: MAYA }, { email: SAM }],
  provider: 'google',
  accountId: ACCOUNT,
  iCalUID: `${id}@google.com`,
  ...over,
});

let n = 0;
const batch = (changes: CalendarChange[], replace: boolean): CalendarBatch => ({
  id: `b${++n}`, accountId: ACCOUNT, provider: 'google', self: MAYA, kind: replace ? 'initial' : 'incremental', replace, changes,
});

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const store = async (db: DuetDatabase, b: CalendarBatch) => {
  const plan = await planCacheWrite(db, b, NOW);
  await writeCache(db, plan);
  return plan;
};
const revisions = async (db: DuetDatabase) => new Map((await db.calendarEvents.find().exec()).map((d) => [d.id, d.revision]));
const sortById = (xs: readonly CalendarEvent[]) => [...xs].sort((a, b) => (a.id < b.id ? -1 : 1));

/** Version 0 of the collection, exactly as released: one event per document. */
const calendarEventsV0: AnyCollectionDefinition = {
  schema: {
    title: 'calendar events',
    description: 'Normalized calendar events of the scan window, per connected account (no descriptions)',
    version: 0,
    primaryKey: 'id',
    type: 'object',
    properties: {
      id: { type: 'string', maxLength: 128 },
      accountId: { type: 'string', maxLength: 200 },
      calendarId: { type: 'string', maxLength: 1024 },
      eventId: { type: 'string', maxLength: 1024 },
      event: { type: 'object' },
      updatedAt: { type: 'number', minimum: 0, maximum: 8_640_000_000_000_000, multipleOf: 1 },
    },
    required: ['id', 'accountId', 'calendarId', 'eventId', 'event', 'updatedAt'],
    indexes: ['accountId'],
  },
  migrationStrategies: {},
};

describe('the event cache in chunks', () => {
  it('a first import of 300 events in two calendars is at most one document per bucket, each event in its own bucket once', async () => {
    const db = await openDuetDatabase({ storage: fakeDexieStorage(), name: uniqueDbName('chunks') });
    cleanups.push(() => db.close());
    const events = Array.from({ length: 300 }, (_, i) => ev(`e${i}`, (i % 50) - 25, { calendarId: i % 3 ? 'primary' : 'team@group.calendar' }));
    await store(db, batch(events, true));
    const docs = (await db.calendarEvents.find().exec()).map((d) => parseChunk(d.toMutableJSON()));
    expect(docs.length).toBeGreaterThan(1);
    expect(docs.length).toBeLessThanOrEqual(CACHE_BUCKETS);
    for (const d of docs) {
      for (const e of d.events) expect(d.id).toBe(chunkIdFor(ACCOUNT, bucketOf(e.calendarId, e.id)));
    }
    expect(sortById(docs.flatMap((d) => d.events))).toEqual(sortById(events));
    expect(sortById(await readCachedEvents(db, ACCOUNT))).toEqual(sortById(events));
  });

  it('one changed event rewrites only its chunk; the same events again write nothing', async () => {
    const db = await openDuetDatabase({ storage: fakeDexieStorage(), name: uniqueDbName('chunks') });
    cleanups.push(() => db.close());
    const events = Array.from({ length: 120 }, (_, i) => ev(`e${i}`, i % 40));
    await store(db, batch(events, true));
    const first = await revisions(db);

    const again = await store(db, batch(events, true));
    expect([again.fresh, again.changed, again.removals]).toEqual([[], [], []]);
    expect(await revisions(db)).toEqual(first);

    const moved = ev('e7', 12, { title: 'Maya / Sam (moved)' });
    const plan = await store(db, batch([moved], false));
    const own = chunkIdFor(ACCOUNT, bucketOf('primary', 'e7'));
    expect(plan.changed.map((c) => c.id)).toEqual([own]);
    const after = await revisions(db);
    for (const [id, rev] of first) expect(after.get(id) === rev).toBe(id !== own);
    expect((await readCachedEvents(db, ACCOUNT)).find((e) => e.id === 'e7')?.title).toBe('Maya / Sam (moved)');
  });

  it('a whole-window batch that lists nothing of a bucket removes its chunk', async () => {
    const db = await openDuetDatabase({ storage: fakeDexieStorage(), name: uniqueDbName('chunks') });
    cleanups.push(() => db.close());
    await store(db, batch([ev('a', 1), ev('b', 2), ev('c', 3)], true));
    await store(db, batch([ev('a', 1)], true));
    const docs = await db.calendarEvents.find().exec();
    expect(docs.map((d) => d.id)).toEqual([chunkIdFor(ACCOUNT, bucketOf('primary', 'a'))]);
    expect(parseChunk(docs[0]!.toMutableJSON()).events.map((e) => e.id)).toEqual(['a']);
  });

  it('hostile ids (1 KB, quotes, newlines, another account) neither collide nor leave the account', async () => {
    const db = await openDuetDatabase({ storage: fakeDexieStorage(), name: uniqueDbName('chunks') });
    cleanups.push(() => db.close());
    const long = 'x'.repeat(1024);
    const odd = [ev(long, 1), ev('a"\n]', 2), ev('a', 3, { calendarId: '"\n' }), ev('a', 4, { calendarId: '"' }), ev('ä😀', 5)];
    await store(db, batch(odd, true));
    await store(db, { ...batch([ev('a', 6)], true), accountId: 'other' });
    expect(sortById(await readCachedEvents(db, ACCOUNT))).toEqual(sortById(odd));
    expect((await readCachedEvents(db, 'other')).map((e) => e.start)).toEqual([ev('a', 6).start]);
    for (const e of odd) {
      expect(bucketOf(e.calendarId, e.id)).toBeGreaterThanOrEqual(0);
      expect(bucketOf(e.calendarId, e.id)).toBeLessThan(CACHE_BUCKETS);
      const chunks = (await db.calendarEvents.find({ selector: { id: { $in: cacheDocIdsFor({ accountId: ACCOUNT, calendarId: e.calendarId, eventId: e.id }) } } }).exec()).map((d) => parseChunk(d.toMutableJSON()));
      expect(findCachedEvent(chunks, { accountId: ACCOUNT, calendarId: e.calendarId, eventId: e.id })).toEqual(e);
    }
    for (const id of chunkIdsOf(ACCOUNT)) expect(id.length).toBeLessThanOrEqual(128);
  });

  it('a database written by version 0 is readable at once after the upgrade, and the next batch regroups it without losing or duplicating an event', async () => {
    const storage = fakeDexieStorage();
    const name = uniqueDbName('chunks-v0');
    const events = [ev('a', 1), ev('b', 2, { joinUrl: 'https://meet.google.com/abc-defg-hij' }), ev('c', -3), ev('x', 4, { calendarId: 'team' })];
    const v0 = await openDatabase<{ calendarEvents: RxCollection<Record<string, unknown>> }>({ calendarEvents: calendarEventsV0 }, { storage, name });
    await v0.calendarEvents.bulkInsert(
      events.map((event) => ({ id: legacyCachedEventId(ACCOUNT, event.calendarId, event.id), accountId: ACCOUNT, calendarId: event.calendarId, eventId: event.id, event, updatedAt: NOW })),
    );
    await v0.close();

    const db = await openDuetDatabase({ storage, name });
    cleanups.push(() => db.close());
    // Migrated (versions 1 and 2): one-event chunks under their old ids, found by every reader.
    expect((await db.calendarEvents.count().exec())).toBe(4);
    expect(sortById(await readCachedEvents(db, ACCOUNT))).toEqual(sortById(events));
    const ref = { accountId: ACCOUNT, calendarId: 'primary', eventId: 'b' };
    const around = (await db.calendarEvents.find({ selector: { id: { $in: cacheDocIdsFor(ref) } } }).exec()).map((d) => parseChunk(d.toMutableJSON()));
    expect(findCachedEvent(around, ref)?.joinUrl).toBe('https://meet.google.com/abc-defg-hij');

    // The next batch (an incremental one changing nothing known) regroups the whole account.
    await db.people.insert({ id: 'p-sam', name: 'Sam', email: SAM, aliases: [], managerEmail: '', startDate: '', directReport: true, createdAt: NOW, updatedAt: NOW });
    await db.calendarAccounts.insert({ id: ACCOUNT, provider: 'google', self: MAYA, complete: true, lastBatchId: 'b0', summary: null, updatedAt: NOW });
    await applyBatch(db, batch([ev('d', 5)], false), NOW);
    const docs = (await db.calendarEvents.find().exec()).map((d) => parseChunk(d.toMutableJSON()));
    const canonical = new Set(chunkIdsOf(ACCOUNT));
    expect(docs.every((d) => canonical.has(d.id))).toBe(true);
    const stored = docs.flatMap((d) => d.events);
    expect(sortById(stored)).toEqual(sortById([...events, ev('d', 5)]));
    // Every event still has its meeting: nothing looked gone while it moved.
    expect((await db.meetings.find().exec()).length).toBe(events.length + 1);
  });

  it('a regrouping cut off after its inserts (old document and new chunk both stored) reads each event once and finishes on the next batch', async () => {
    const db = await openDuetDatabase({ storage: fakeDexieStorage(), name: uniqueDbName('chunks') });
    cleanups.push(() => db.close());
    const a = ev('a', 1);
    await db.calendarEvents.bulkInsert([
      { id: legacyCachedEventId(ACCOUNT, 'primary', 'a'), accountId: ACCOUNT, eventsJson: JSON.stringify([{ ...a, title: 'stale copy' }]), updatedAt: NOW },
      { id: chunkIdFor(ACCOUNT, bucketOf('primary', 'a')), accountId: ACCOUNT, eventsJson: JSON.stringify([a]), updatedAt: NOW },
    ]);
    expect(await readCachedEvents(db, ACCOUNT)).toEqual([a]);
    await store(db, batch([], false));
    expect((await db.calendarEvents.find().exec()).map((d) => d.id)).toEqual([chunkIdFor(ACCOUNT, bucketOf('primary', 'a'))]);
    expect(await readCachedEvents(db, ACCOUNT)).toEqual([a]);
  });

  it('a damaged chunk fails an incremental batch and the readers with a clear error, loses nothing, and is rewritten by the next whole-window batch', async () => {
    const db = await openDuetDatabase({ storage: fakeDexieStorage(), name: uniqueDbName('chunks') });
    cleanups.push(() => db.close());
    await db.people.insert({ id: 'p-sam', name: 'Sam', email: SAM, aliases: [], managerEmail: '', startDate: '', directReport: true, createdAt: NOW, updatedAt: NOW });
    const events = Array.from({ length: 40 }, (_, i) => ev(`e${i}`, i % 20));
    await applyBatch(db, batch(events, true), NOW);
    const meetings = (await db.meetings.find().exec()).map((m) => m.id).sort();
    expect(meetings).toHaveLength(40);
    const victim = chunkIdFor(ACCOUNT, bucketOf('primary', 'e3'));
    for (const eventsJson of ['{"not":"a list"', '[{"title":"no id"}]', 'null']) {
      await db.calendarEvents.upsert({ id: victim, accountId: ACCOUNT, eventsJson, updatedAt: NOW });
      await expect(readCachedEvents(db, ACCOUNT)).rejects.toThrow(`The calendar event cache is damaged (document ${victim})`);
      await expect(applyBatch(db, batch([ev('new', 2)], false), NOW)).rejects.toThrow('damaged');
      expect((await db.meetings.find().exec()).map((m) => m.id).sort()).toEqual(meetings);
    }
    await applyBatch(db, batch(events, true), NOW);
    expect(sortById(await readCachedEvents(db, ACCOUNT))).toEqual(sortById(events));
    expect((await db.meetings.find().exec()).map((m) => m.id).sort()).toEqual(meetings);
  });
});
