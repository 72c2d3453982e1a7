// The ingest's batch path (src-renderer/src/calendar/apply-batch.ts) runs the engine on the cache
// held in memory instead of reading back what it just wrote: that copy must be exactly what the
// cache holds afterwards (changes, tombstones, removals by a whole-window batch), and a failed
// cache write must fail the batch with no meeting written (so main keeps its cursor).
import { afterEach, describe, expect, it } from 'vitest';
import type { CalendarBatch } from '../../../src-shared/bridge/contract';
import type { CalendarChange, CalendarEvent } from '../../../src-shared/engine/model';
import { openDuetDatabase, type DuetDatabase } from '../../../src-renderer/src/db/database';
import { applyBatch } from '../../../src-renderer/src/calendar/apply-batch';
import { parseChunk, planCacheWrite, writeCache } from '../../../src-renderer/src/calendar/cache';
import { fakeDexieStorage, uniqueDbName } from './support/fake-idb';

const NOW = Date.parse('2024-03-06T17:00:00Z');
const MAYA = 'maya.chen@acme.io';
const SAM = 'sam.ortiz@acme.io';

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
  accountId: 'acct',
  iCalUID: `${id}@google.com`,
  ...over,
});

let n = 0;
const batch = (changes: CalendarChange[], replace: boolean): CalendarBatch => ({
  id: `b${++n}`, accountId: 'acct', provider: 'google', self: MAYA, kind: replace ? 'initial' : 'incremental', replace, changes,
});

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
async function openDb(): Promise<DuetDatabase> {
  const db = await openDuetDatabase({ storage: fakeDexieStorage(), name: uniqueDbName('apply-batch') });
  cleanups.push(() => db.close());
  await db.people.insert({ id: 'p-sam', name: 'Sam', email: SAM, aliases: [], managerEmail: '', startDate: '', directReport: true, createdAt: NOW, updatedAt: NOW });
  return db;
}

const byId = (xs: readonly CalendarEvent[]) => [...xs].sort((a, b) => (a.id < b.id ? -1 : 1));
// Every event in every chunk, as stored (an event held twice would show twice).
const cached = async (db: DuetDatabase) => byId((await db.calendarEvents.find().exec()).flatMap((d) => parseChunk(d.toMutableJSON()).events));

describe('applying a batch', () => {
  it('the engine sees exactly what the cache holds after the write', async () => {
    const db = await openDb();
    const steps: CalendarBatch[] = [
      batch([ev('a', 1), ev('b', 2), ev('c', 3), ev('a', 1, { title: 'Maya / Sam (later change in the batch wins)' })], true),
      // Incremental: b moved, c removed (a tombstone keeps it cached as cancelled), d new, an unknown tombstone ignored.
      batch([ev('b', 4), { id: 'c', calendarId: 'primary', removed: true }, ev('d', 5), { id: 'zz', calendarId: 'primary', removed: true }], false),
      // The whole window again: only a and d remain.
      batch([ev('a', 1), ev('d', 5)], true),
    ];
    for (const b of steps) {
      const plan = await planCacheWrite(db, b, NOW);
      await writeCache(db, plan);
      expect(byId(plan.events)).toEqual(await cached(db));
    }
    expect((await cached(db)).map((e) => e.id)).toEqual(['a', 'd']);
  });

  it('a cache write that fails fails the batch, and no meeting or bookkeeping is written', async () => {
    const db = await openDb();
    // The storage gives out on the cache write (while the engine runs alongside it).
    const original = db.calendarEvents.bulkInsert.bind(db.calendarEvents);
    let failures = 1;
    db.calendarEvents.bulkInsert = (async (docs: Parameters<typeof original>[0]) => {
      if (failures-- > 0) throw new Error('QuotaExceededError: the disk is full');
      return original(docs);
    }) as typeof db.calendarEvents.bulkInsert;
    await expect(applyBatch(db, batch([ev('a', 1)], true), NOW)).rejects.toThrow('QuotaExceededError');
    expect(await db.meetings.count().exec()).toBe(0);
    expect(await db.calendarAccounts.count().exec()).toBe(0);

    await applyBatch(db, batch([ev('a', 1)], true), NOW);
    expect(await db.meetings.count().exec()).toBe(1);
    expect((await db.calendarAccounts.findOne('acct').exec())?.lastBatchId).toBe(`b${n}`);
  });
});
