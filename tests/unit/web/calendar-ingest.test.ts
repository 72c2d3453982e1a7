// The renderer's calendar ingest on the app's real storage (Dexie over fake-indexeddb) and the real
// bridge client: batches stored then acknowledged, failures acknowledged as such and retried
// without duplicates, the same batch twice changing nothing, removals, re-detection when the team
// changes, and one writer among two windows.
import { afterEach, describe, expect, it } from 'vitest';
import { addRxPlugin } from 'rxdb';
import { RxDBDevModePlugin, disableWarnings } from 'rxdb/plugins/dev-mode';
import type { CalendarBatch } from '../../../src-shared/bridge/contract';
import type { CalendarChange, CalendarEvent } from '../../../src-shared/engine/model';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import { openDatabase, openDuetDatabase, type DuetCollections, type DuetDatabase, type OpenDatabaseOptions } from '../../../src-renderer/src/db/database';
import { duetCollections } from '../../../src-renderer/src/db/schemas';
import type { PersonDoc } from '../../../src-renderer/src/db/schemas';
import { startCalendarIngest, type CalendarIngest } from '../../../src-renderer/src/calendar/ingest';
import { createIngestStore } from '../../../src-renderer/src/calendar/ingest-store';
import { diagnostics, teamSuggestions } from '../../../src-renderer/src/calendar/detect';
import { parseChunk, readCachedEvents } from '../../../src-renderer/src/calendar/cache';
import { createTestBridge } from './support/test-bridge';
import { fakeDexieStorage, uniqueDbName } from './support/fake-idb';

const NOW = Date.parse('2024-03-06T17:00:00Z');
const MAYA = 'maya.chen@acme.io';
const SAM = 'sam.ortiz@acme.io';
const LEE = 'lee.park@acme.io';

const person = (email: string, name: string, aliases: string[] = []): PersonDoc => ({
  id: `p-${email}`,
  name,
  email,
  aliases,
  managerEmail: '',
  startDate: '',
  directReport: true,
  createdAt: NOW,
  updatedAt: NOW,
});

const ev = (over: Partial<CalendarEvent> & Pick<CalendarEvent, 'id'>): CalendarEvent => ({
  calendarId: 'primary',
  primary: true,
  title: 'Maya / Sam',
  start: '2024-03-07T15:00:00.000Z',
  end: '2024-03-07T15:30:00.000Z',
  status: 'confirmed',
  organizer: MAYA,
  attendees: [
    { email: MAYA, response: 'accepted' },
    { email: SAM, response: 'accepted', name: 'Sam Ortiz' },
  ],
  provider: 'google',
  accountId: 'acct-1',
  iCalUID: `${over.id}@google.com`,
  ...over,
});

/** A weekly Maya/Sam 1:1 from four weeks back, a one-off with Lee, a declined one, a stranger's. */
const weekly = ev({ id: 'weekly', start: '2024-02-08T15:00:00.000Z', end: '2024-02-08T15:30:00.000Z', recurrence: ['RRULE:FREQ=WEEKLY'], timeZone: 'UTC' });
const withLee = ev({ id: 'lee1', title: '1:1 Lee', start: '2024-03-08T16:00:00.000Z', end: '2024-03-08T16:30:00.000Z', attendees: [{ email: MAYA }, { email: LEE, name: 'Lee Park' }] });
const declined = ev({ id: 'declined', title: 'Maya / Sam', start: '2024-03-11T15:00:00.000Z', end: '2024-03-11T15:30:00.000Z', attendees: [{ email: MAYA }, { email: SAM, response: 'declined' }] });
const stranger = ev({ id: 'stranger', title: 'Ana <> Maya', start: '2024-03-12T15:00:00.000Z', end: '2024-03-12T15:30:00.000Z', attendees: [{ email: MAYA }, { email: 'ana.lima@acme.io', name: 'Ana Lima' }] });
const alias = ev({ id: 'alias', title: 'Maya / Sam (old address)', start: '2024-03-13T15:00:00.000Z', end: '2024-03-13T15:30:00.000Z', attendees: [{ email: MAYA }, { email: 'sam.ortiz@acme-legacy.io' }] });

let batchCounter = 0;
const batch = (changes: CalendarChange[], over: Partial<CalendarBatch> = {}): CalendarBatch => ({
  id: `b${++batchCounter}`,
  accountId: 'acct-1',
  provider: 'google',
  self: MAYA,
  kind: 'initial',
  replace: true,
  changes,
  ...over,
});

/** A small fake main: a queue of batches, popped only when acknowledged ok. */
function fakeMain(initial: CalendarBatch[] = []) {
  const queue = [...initial];
  const acks: { batchId: string; ok: boolean; error?: string }[] = [];
  let nextCalls = 0;
  const bridge = createTestBridge({
    calendar: {
      nextBatch: () => {
        nextCalls++;
        return queue[0] ?? null;
      },
      ackBatch: (a) => {
        acks.push(a);
        if (a.ok && queue[0]?.id === a.batchId) queue.shift();
        return { ok: true };
      },
    },
  });
  return {
    bridge,
    acks,
    nextCalls: () => nextCalls,
    push(b: CalendarBatch) {
      queue.push(b);
      bridge.emit('calendar.batchReady', { accountId: b.accountId });
    },
  };
}

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function openDb(name = uniqueDbName('ingest'), storage: OpenDatabaseOptions['storage'] = fakeDexieStorage()): Promise<DuetDatabase> {
  const db = await openDuetDatabase({ storage, name });
  cleanups.push(() => db.close());
  return db;
}

function start(db: DuetDatabase, main: ReturnType<typeof fakeMain>, retryMs = 20): CalendarIngest {
  const ingest = startCalendarIngest(db, main.bridge.api, { store: createIngestStore(), now: () => NOW, retryMs, debounceMs: 5 });
  cleanups.push(() => ingest.stop());
  return ingest;
}

async function until(check: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const meetingsOf = async (db: DuetDatabase) =>
  (await db.meetings.find({ sort: [{ start: 'asc' }] }).exec()).map((m) => m.toMutableJSON());

describe('calendar ingest', () => {
  it('stores a batch, writes the 1:1 meetings and their series, then acknowledges it', async () => {
    const db = await openDb();
    await db.people.bulkInsert([person(SAM, 'Sam Ortiz'), person(LEE, 'Lee Park')]);
    const main = fakeMain([batch([weekly, withLee, declined, stranger])]);
    const ingest = start(db, main);
    await until(() => main.acks.length === 1);
    await ingest.idle();
    expect(main.acks).toEqual([{ batchId: 'b1', ok: true }]);

    const meetings = await meetingsOf(db);
    // The weekly series: 8 Feb … 28 Mar within the 30/28-day window (4 back, 4 ahead), plus Lee's one-off.
    const sam = meetings.filter((m) => m.participants.includes(SAM));
    expect(sam.map((m) => new Date(m.start).toISOString().slice(0, 10))).toEqual([
      '2024-02-08', '2024-02-15', '2024-02-22', '2024-02-29', '2024-03-07', '2024-03-14', '2024-03-21', '2024-03-28',
    ]);
    expect(meetings.filter((m) => m.participants.includes(LEE))).toHaveLength(1);
    for (const m of meetings) {
      expect(m.id).toMatch(/^cal-[a-z2-7]{26}$/);
      expect(m).toMatchObject({ source: 'calendar', linkState: 'linked', state: 'scheduled' });
      expect(m.participants).toEqual([...m.participants].sort());
    }
    const series = (await db.series.find().exec()).map((s) => s.toMutableJSON());
    expect(series).toHaveLength(1);
    expect(series[0]).toMatchObject({ cadence: 'weekly', participants: [MAYA, SAM].sort(), title: 'Maya / Sam' });
    expect(new Set(sam.map((m) => m.seriesId))).toEqual(new Set([series[0]!.id]));
    expect(sam[0]?.calendarLink).toMatchObject({ provider: 'google', accountId: 'acct-1', eventId: 'weekly', recurringEventId: 'weekly', iCalUID: 'weekly@google.com' });

    const summary = ingest.store.getState().summaries['acct-1'];
    expect(summary).toMatchObject({ accountId: 'acct-1', eventsSeen: 4, oneOnOnes: 2, batchId: 'b1' });
    expect(summary?.skipped).toMatchObject({ DECLINED: 1, UNKNOWN_PERSON: 1 });
    expect(summary?.changes.created).toBe(meetings.length);
    expect(ingest.store.getState().leader).toBe(true);
  });

  it('a failing write acknowledges ok:false, and the retry finishes without duplicates', async () => {
    const clean = await openDb();
    await clean.people.bulkInsert([person(SAM, 'Sam Ortiz'), person(LEE, 'Lee Park')]);
    const b = batch([weekly, withLee]);
    const cleanMain = fakeMain([b]);
    const cleanIngest = startCalendarIngest(clean, cleanMain.bridge.api, { store: createIngestStore(), now: () => NOW });
    await until(() => cleanMain.acks.length === 1);
    await cleanIngest.idle();
    const expected = (await meetingsOf(clean)).map((m) => m.id).sort();
    expect(expected).toHaveLength(9);
    // RxDB's free tier opens 13 collections per process: one database at a time.
    await cleanIngest.stop();
    await clean.close();

    const db = await openDb();
    await db.people.bulkInsert([person(SAM, 'Sam Ortiz'), person(LEE, 'Lee Park')]);
    // The storage gives out half-way through the first meeting write: half the documents land.
    const original = db.meetings.bulkUpsert.bind(db.meetings);
    let failures = 1;
    db.meetings.bulkUpsert = (async (docs: Parameters<typeof original>[0]) => {
      if (failures-- > 0) {
        await original(docs.slice(0, Math.floor(docs.length / 2)));
        throw new Error('QuotaExceededError: the disk is full');
      }
      return original(docs);
    }) as typeof db.meetings.bulkUpsert;
    const main = fakeMain([b]);
    const ingest = start(db, main);
    await until(() => main.acks.length === 2);
    await ingest.idle();
    expect(main.acks[0]).toEqual({ batchId: b.id, ok: false, error: 'QuotaExceededError: the disk is full' });
    expect(main.acks[1]).toEqual({ batchId: b.id, ok: true });
    expect((await meetingsOf(db)).map((m) => m.id).sort()).toEqual(expected);
    expect(ingest.store.getState().lastError).toBe('');
  });

  it('storing the same batch twice changes nothing', async () => {
    const db = await openDb();
    await db.people.bulkInsert([person(SAM, 'Sam Ortiz'), person(LEE, 'Lee Park')]);
    const b = batch([weekly, withLee, declined]);
    const main = fakeMain([b]);
    const ingest = start(db, main);
    await until(() => main.acks.length === 1);
    await ingest.idle();
    const snapshot = async () => ({
      meetings: (await db.meetings.find().exec()).map((d) => [d.id, d.revision]),
      series: (await db.series.find().exec()).map((d) => [d.id, d.revision]),
      events: (await db.calendarEvents.find().exec()).map((d) => [d.id, d.revision]),
    });
    const before = await snapshot();
    main.push({ ...b });
    main.push({ ...b, id: 'b-again', kind: 'incremental', replace: false });
    await until(() => main.acks.length === 3);
    await ingest.idle();
    expect(main.acks.every((a) => a.ok)).toBe(true);
    expect((await snapshot()).meetings).toEqual(before.meetings);
    expect((await snapshot()).series).toEqual(before.series);
    expect((await snapshot()).events).toEqual(before.events);
  });

  it('removals: a tombstone deletes an empty meeting and strikes through one with notes; replace drops what it does not list', async () => {
    const db = await openDb();
    await db.people.bulkInsert([person(SAM, 'Sam Ortiz'), person(LEE, 'Lee Park')]);
    const other = ev({ id: 'other', start: '2024-03-15T15:00:00.000Z', end: '2024-03-15T15:30:00.000Z' });
    const main = fakeMain([batch([withLee, other, alias])]);
    const ingest = start(db, main);
    await until(() => main.acks.length === 1);
    await ingest.idle();
    const lee = (await meetingsOf(db)).find((m) => m.participants.includes(LEE))!;
    await db.privateNotes.insert({ id: `${lee.id}:${MAYA}`, meetingId: lee.id, owner: MAYA, body: 'ask about the move', bodyScheme: 'plain', updatedAt: NOW });
    main.push(batch([{ id: 'lee1', calendarId: 'primary', removed: true, provider: 'google', accountId: 'acct-1' }], { kind: 'incremental', replace: false }));
    await until(() => main.acks.length === 2);
    await ingest.idle();
    const kept = (await db.meetings.findOne(lee.id).exec())?.toMutableJSON();
    expect(kept).toMatchObject({ linkState: 'unlinked', state: 'cancelled' });
    // Kept as cancelled until the next whole-window batch, so a removal beyond the window is seen too.
    expect((await readCachedEvents(db, 'acct-1')).filter((e) => e.id === 'lee1').map((e) => e.status)).toEqual(['cancelled']);

    // A full resync that no longer lists "other": its meeting (no content) goes.
    main.push(batch([alias], { kind: 'full' }));
    await until(() => main.acks.length === 3);
    await ingest.idle();
    const left = await meetingsOf(db);
    expect(left.map((m) => m.id)).toEqual([lee.id]);
    expect((await db.calendarEvents.find().exec()).flatMap((d) => parseChunk(d.toMutableJSON()).events.map((e) => e.id))).toEqual(['alias']);
  });

  it('re-detects at once when a person or alias is added, and explains what it skips', async () => {
    const db = await openDb();
    await db.people.bulkInsert([person(SAM, 'Sam Ortiz')]);
    const main = fakeMain([batch([withLee, stranger, alias, declined])]);
    const ingest = start(db, main);
    await until(() => main.acks.length === 1);
    await ingest.idle();
    expect(await meetingsOf(db)).toHaveLength(0);

    const why = await diagnostics(db, NOW);
    expect(why.map((d) => [d.eventId, d.reasons])).toEqual([
      ['lee1', ['UNKNOWN_PERSON']],
      ['declined', ['DECLINED']],
      ['stranger', ['UNKNOWN_PERSON']],
      ['alias', ['UNKNOWN_PERSON']],
    ]);
    expect(why.find((d) => d.eventId === 'alias')?.aliasSuggestions).toEqual([{ address: 'sam.ortiz@acme-legacy.io', person: SAM }]);
    const suggestions = await teamSuggestions(db, NOW);
    expect(suggestions.map((s) => [s.email, s.name])).toEqual([
      ['ana.lima@acme.io', 'Ana Lima'],
      [LEE, 'Lee Park'],
    ]);

    await db.people.insert(person(LEE, 'Lee Park'));
    await until(async () => (await meetingsOf(db)).length === 1);
    await (await db.people.findOne(`p-${SAM}`).exec())?.incrementalPatch({ aliases: ['sam.ortiz@acme-legacy.io'] });
    await until(async () => (await meetingsOf(db)).length === 2);
    await ingest.idle();
    // A re-detection's summary names no batch.
    expect(ingest.store.getState().summaries['acct-1']).toMatchObject({ batchId: '', oneOnOnes: 2 });
    await ingest.redetect();
    expect(await meetingsOf(db)).toHaveLength(2);
  });

  it('a window that takes the lead catches up on a team change no leader detected, from the cache alone', async () => {
    const db = await openDb();
    const main = fakeMain([batch([withLee, weekly])]);
    const first = start(db, main);
    await until(() => main.acks.length === 1);
    await first.idle();
    expect(await meetingsOf(db)).toHaveLength(0);
    const summary = (await db.calendarAccounts.findOne('acct-1').exec())?.toMutableJSON().summary;
    // The window closes (a reload, say) right after people were added, before it detected again.
    await first.stop();
    await db.people.bulkInsert([person(SAM, 'Sam Ortiz'), person(LEE, 'Lee Park')]);
    expect(await meetingsOf(db)).toHaveLength(0);

    // The next window to lead finds the 1:1s with no new batch from main.
    const second = start(db, main);
    await until(async () => (await meetingsOf(db)).some((m) => m.participants.includes(LEE)));
    await second.idle();
    expect(main.acks).toHaveLength(1);
    const names = (await meetingsOf(db)).map((m) => m.participants.find((p) => p !== MAYA));
    expect(names).toContain(SAM);
    expect(names).toContain(LEE);
    expect((await db.calendarAccounts.findOne('acct-1').exec())?.toMutableJSON().summary).not.toEqual(summary);

    // With nothing to catch up on, taking the lead writes nothing (the summary keeps its time).
    await second.stop();
    const settled = (await db.calendarAccounts.findOne('acct-1').exec())?.toMutableJSON();
    const third = start(db, main);
    await until(() => third.store.getState().leader);
    await third.idle();
    expect((await db.calendarAccounts.findOne('acct-1').exec())?.toMutableJSON()).toEqual(settled);
  });

  it('a removal beyond the scan window still deletes the meeting linked to it', async () => {
    const db = await openDb();
    await db.people.bulkInsert([person(SAM, 'Sam Ortiz')]);
    const main = fakeMain([batch([])]);
    const ingest = start(db, main);
    await until(() => main.acks.length === 1);
    // An event past the window, linked to a meeting (created in the app, then linked by an earlier window).
    const far = ev({ id: 'far', start: '2024-04-20T14:00:00.000Z', end: '2024-04-20T14:30:00.000Z' });
    main.push(batch([far], { kind: 'incremental', replace: false }));
    await until(() => main.acks.length === 2);
    await ingest.idle();
    await db.meetings.insert({
      id: 'app-far', seriesId: '', title: 'Maya / Sam', start: Date.parse(far.start), end: Date.parse(far.end),
      participants: [MAYA, SAM].sort(), owner: MAYA, source: 'app', linkState: 'linked', state: 'scheduled', roomId: '',
      calendarLink: { provider: 'google', accountId: 'acct-1', calendarId: 'primary', eventId: 'far', iCalUID: 'far@google.com', recurringEventId: '', originalStart: 0, instanceStart: 0, etag: '', managedByApp: false },
      createdAt: NOW, updatedAt: NOW,
    });
    main.push(batch([{ id: 'far', calendarId: 'primary', removed: true }], { kind: 'incremental', replace: false }));
    await until(() => main.acks.length === 3);
    await ingest.idle();
    expect(await db.meetings.findOne('app-far').exec()).toBeNull();
  });

  it('with two windows on one database only the leader pulls and writes; the other follows', async () => {
    // RxDB's free tier opens 13 collections per process: the second window opens the two it reads.
    disableWarnings();
    addRxPlugin(RxDBDevModePlugin);
    const name = uniqueDbName('tabs');
    const storage = wrappedValidateAjvStorage({ storage: fakeDexieStorage() });
    const first = await openDb(name, storage);
    await first.people.bulkInsert([person(SAM, 'Sam Ortiz'), person(LEE, 'Lee Park')]);
    const mainA = fakeMain();
    const leaderIngest = start(first, mainA);
    await until(() => leaderIngest.store.getState().leader);

    const second = await openDatabase<DuetCollections>(
      { meetings: duetCollections.meetings, calendarAccounts: duetCollections.calendarAccounts },
      { storage, name, ignoreDuplicate: true },
    );
    cleanups.push(() => second.close());
    const mainB = fakeMain();
    const followerIngest = start(second, mainB);
    const b = batch([withLee]);
    mainA.push(b);
    mainB.push(b);
    await until(() => mainA.acks.length === 1);
    await leaderIngest.idle();
    // The follower sees the leader's meetings and summary through the shared database.
    await until(async () => (await meetingsOf(second)).length === 1);
    await until(() => followerIngest.store.getState().summaries['acct-1']?.batchId === b.id);
    await followerIngest.redetect();
    expect(followerIngest.store.getState().leader).toBe(false);
    expect(mainB.nextCalls()).toBe(0);
    expect(mainB.acks).toEqual([]);
  });
});
