// The notifier on the app's real storage (Dexie over fake-indexeddb) with a clock the test moves
// (docs/architecture.md §5 "Notifications"): reminders and news go to the inbox and out once;
// two windows on one database show each once, whether leadership or the deterministic ids decide.
import { afterEach, describe, expect, it } from 'vitest';
import { addRxPlugin } from 'rxdb';
import { RxDBDevModePlugin, disableWarnings } from 'rxdb/plugins/dev-mode';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import * as Y from 'yjs';
import { openDatabase, openDuetDatabase, type DuetCollections, type DuetDatabase } from '../../../src-renderer/src/db/database';
import { duetCollections, type MeetingDoc } from '../../../src-renderer/src/db/schemas';
import { startNotifier, type DeliveredNotification, type NotifierDb } from '../../../src-renderer/src/features/inbox/notifier';
import { docsOpenItems } from '../../../src-renderer/src/features/inbox/open-items';
import { bucketOf, chunkIdFor } from '../../../src-renderer/src/calendar/cache';
import { MeetingWorkspace } from '../../../src-shared/workspace/meeting-doc';
import { ManualTimers } from '../../support/manual-timers';
import { runClockTo } from '../../support/notifier-clock';
import { fakeDexieStorage, uniqueDbName } from './support/fake-idb';

const H = 3_600_000;
const START = Date.parse('2026-03-23T08:00:00Z'); // a Monday
const MAYA = 'maya@acme.io';
const SAM = 'sam@acme.io';
const cleanups: (() => unknown)[] = [];
const { meetings, series, people, preferences, calendarAccounts, notifications } = duetCollections;
const notifierCollections = { meetings, series, people, preferences, calendarAccounts, notifications };
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const meeting = (id: string, start: number, over: Partial<MeetingDoc> = {}): MeetingDoc => ({
  id, seriesId: '', title: 'Maya / Sam', start, end: start + H / 2, participants: [MAYA, SAM], owner: MAYA,
  source: 'calendar', linkState: 'linked', state: 'scheduled', roomId: '', createdAt: START - 10 * H, updatedAt: START, ...over,
});

async function seed(db: DuetDatabase, self: string) {
  await db.people.insert({ id: 'p-sam', name: 'Sam Rivera', email: SAM, aliases: [], managerEmail: MAYA, startDate: '', directReport: true, createdAt: 0, updatedAt: 0 });
  await db.calendarAccounts.insert({ id: 'acct', provider: 'google', self, complete: true, lastBatchId: 'b', summary: { at: 0 }, updatedAt: 0 });
}

// A calendar link as the ingest writes it (the account is what the notifier looks at).
const sampleLink: NonNullable<MeetingDoc['calendarLink']> = {
  provider: 'microsoft', accountId: 'acct', calendarId: 'primary', eventId: 'e', iCalUID: 'e@x', recurringEventId: '',
  originalStart: 0, instanceStart: 0, etag: '"1"', managedByApp: false,
};

const inbox = async (db: { notifications: NotifierDb['notifications'] }) =>
  (await db.notifications.find({ selector: { kind: { $ne: 'state' } } }).exec()).map((d) => d.toMutableJSON());

describe('notifier', () => {
  it('stores and shows a prep reminder with the open items an hour before, once; none after its start', async () => {
    const db = await openDuetDatabase({ storage: fakeDexieStorage(), name: uniqueDbName('notify') });
    cleanups.push(() => db.close());
    await seed(db, MAYA);
    const doc = new Y.Doc();
    const ws = new MeetingWorkspace(doc, MAYA);
    ws.add('topics', 'Promotion case');
    const done = ws.add('items', 'Send the budget');
    ws.add('items', 'Book the offsite');
    ws.setDone('items', done, true);
    await db.meetings.bulkInsert([meeting('m1', START + 3 * H), meeting('m2', START + 5 * H)]);
    const clock = new ManualTimers(START);
    const shown: DeliveredNotification[] = [];
    const n = startNotifier(db, {
      clock, zone: { kind: 'iana', name: 'Europe/Berlin' }, maxSleepMs: 6 * H, debounceMs: 1,
      openItems: docsOpenItems((id) => (id === 'm1' ? doc : undefined)),
      deliver: async (x) => { shown.push(x); return true; },
    });
    cleanups.push(() => n.stop());
    await n.leading();
    await runClockTo(clock, START + 2 * H - 1, [n]);
    expect(shown).toEqual([]);
    await runClockTo(clock, START + 2 * H, [n]);
    expect(shown.map((s) => s.title)).toEqual(['1:1 with Sam Rivera in 1 hour']);
    expect(shown[0]!.body).toBe('Mon 23 Mar, 12:00. Open items: Promotion case; Book the offsite');
    const [stored] = await inbox(db);
    expect(stored).toMatchObject({ id: `prep:m1:${START + 3 * H}`, kind: 'prep-reminder', readAt: 0, createdAt: START + 2 * H, href: '#/meetings/m1' });
    // Runs again and again (changes, timers): still once.
    await n.runNow();
    await runClockTo(clock, START + 3 * H, [n]);
    expect(shown).toHaveLength(1);
    // Asleep from before m2's reminder until after it started: dropped.
    n.stop();
    clock.advance(3 * H);
    const later = startNotifier(db, { clock, zone: { kind: 'iana', name: 'Europe/Berlin' }, deliver: async (x) => { shown.push(x); return true; } });
    cleanups.push(() => later.stop());
    await later.leading();
    await later.runNow();
    await later.idle();
    expect(shown).toHaveLength(1);
    expect((await inbox(db)).map((x) => x.id)).toEqual([`prep:m1:${START + 3 * H}`]);
  });

  it('tells the other participant of a new series once, and nothing of what was there before', async () => {
    const db = await openDuetDatabase({ storage: fakeDexieStorage(), name: uniqueDbName('notify') });
    cleanups.push(() => db.close());
    await seed(db, SAM);
    await db.people.insert({ id: 'p-maya', name: 'Maya Chen', email: MAYA, aliases: [], managerEmail: '', startDate: '', directReport: false, createdAt: 0, updatedAt: 0 });
    await db.meetings.insert(meeting('old', START + 50 * H));
    const clock = new ManualTimers(START);
    const shown: string[] = [];
    const n = startNotifier(db, { clock, zone: { kind: 'iana', name: 'America/New_York' }, maxSleepMs: 24 * H, debounceMs: 1, deliver: async (x) => (shown.push(x.title), true) });
    cleanups.push(() => n.stop());
    await n.leading();
    await runClockTo(clock, START + H, [n]);
    expect(shown).toEqual([]);
    await db.series.insert({ id: 's1', title: 'Maya / Sam', participants: [MAYA, SAM], cadence: 'weekly', linkState: 'linked', archived: false, createdAt: START + H, updatedAt: START + H });
    await db.meetings.bulkInsert([0, 1, 2].map((k) => meeting(`s1-${k}`, START + (70 + 168 * k) * H, { seriesId: 's1', createdAt: START + H })));
    await n.runNow();
    await n.idle();
    expect(shown).toEqual(['New 1:1 series with Maya Chen']);
    const [news] = await inbox(db);
    expect(news).toMatchObject({ id: 'new-series:s1', body: expect.stringMatching(/^Weekly, first on Thu 26 Mar, 02:00\.$/) });
  });

  it('a first import in progress brings no news: only meetings arriving after it are', async () => {
    const db = await openDuetDatabase({ storage: fakeDexieStorage(), name: uniqueDbName('notify') });
    cleanups.push(() => db.close());
    await db.calendarAccounts.insert({ id: 'acct', provider: 'google', self: SAM, complete: false, lastBatchId: '', summary: null, updatedAt: 0 });
    const clock = new ManualTimers(START);
    const shown: string[] = [];
    const n = startNotifier(db, { clock, zone: { kind: 'iana', name: 'UTC' }, maxSleepMs: H, debounceMs: 1, deliver: async (x) => (shown.push(x.id), true) });
    cleanups.push(() => n.stop());
    await n.leading();
    // The import's meetings, stored after its account and before its summary.
    clock.advance(60_000);
    await db.meetings.insert(meeting('imported', START + 50 * H, { createdAt: clock.now() }));
    await n.runNow();
    await db.calendarAccounts.findOne('acct').exec().then((d) => d?.incrementalPatch({ summary: { at: clock.now() }, complete: true }));
    clock.advance(60_000);
    await n.runNow();
    await n.idle();
    expect(shown).toEqual([]);
    clock.advance(60_000);
    await db.meetings.insert(meeting('later', START + 60 * H, { createdAt: clock.now(), title: 'Quarterly review' }));
    await n.runNow();
    await n.idle();
    expect(shown).toEqual(['new-meeting:later']);
  });

  it('a second calendar connected later brings no news of its existing 1:1s, only of new ones', async () => {
    const db = await openDuetDatabase({ storage: fakeDexieStorage(), name: uniqueDbName('notify') });
    cleanups.push(() => db.close());
    await seed(db, SAM);
    const clock = new ManualTimers(START);
    const shown: string[] = [];
    const n = startNotifier(db, { clock, zone: { kind: 'iana', name: 'UTC' }, maxSleepMs: H, debounceMs: 1, deliver: async (x) => (shown.push(x.id), true) });
    cleanups.push(() => n.stop());
    await n.leading();
    await runClockTo(clock, START + 24 * H, [n]);
    // A day later Sam connects his second calendar: its account first, then its meetings
    // (1:1s others set up with him long ago), then its summary.
    const link = (eventId: string) => ({ ...sampleLink, accountId: 'work', eventId });
    await db.calendarAccounts.insert({ id: 'work', provider: 'microsoft', self: 'sam@work.io', complete: false, lastBatchId: '', summary: null, updatedAt: clock.now() });
    clock.advance(60_000);
    await db.meetings.insert(meeting('old-weekly', START + 50 * H, { createdAt: clock.now(), title: 'Design sync', calendarLink: link('e1') }));
    await n.runNow();
    await n.idle();
    clock.advance(60_000);
    await db.meetings.insert(meeting('old-monthly', START + 60 * H, { createdAt: clock.now(), title: 'Career chat', calendarLink: link('e2') }));
    await db.calendarAccounts.findOne('work').exec().then((d) => d?.incrementalPatch({ summary: { at: clock.now() }, complete: true }));
    clock.advance(60_000);
    await n.runNow();
    await n.idle();
    expect(shown).toEqual([]);
    // A 1:1 set up after that, in the same calendar, is news.
    clock.advance(60_000);
    await db.meetings.insert(meeting('new-one', START + 70 * H, { createdAt: clock.now(), title: 'Offsite prep', calendarLink: link('e3') }));
    await n.runNow();
    await n.idle();
    expect(shown).toEqual(['new-meeting:new-one']);
  });

  it('meetings made later of events that existed at the import (the team filled in after it) are not news', async () => {
    const db = await openDuetDatabase({ storage: fakeDexieStorage(), name: uniqueDbName('notify') });
    cleanups.push(() => db.close());
    await seed(db, SAM);
    const clock = new ManualTimers(START);
    const shown: string[] = [];
    const n = startNotifier(db, { clock, zone: { kind: 'iana', name: 'UTC' }, maxSleepMs: H, debounceMs: 1, deliver: async (x) => (shown.push(x.id), true) });
    cleanups.push(() => n.stop());
    await n.leading();
    await runClockTo(clock, START + H, [n]);
    // The cache holds the events as the provider gave them: one created weeks ago, one just now.
    const event = (id: string, created: string) => ({
      id, calendarId: 'primary', primary: true, title: id, start: '2026-03-26T10:00:00Z', end: '2026-03-26T10:30:00Z',
      attendees: [], provider: 'google', accountId: 'acct', created,
    });
    const cache = new Map<number, ReturnType<typeof event>[]>();
    for (const e of [event('old', '2026-02-01T09:00:00.000Z'), event('fresh', new Date(START + 2 * H).toISOString())])
      cache.set(bucketOf('primary', e.id), [...(cache.get(bucketOf('primary', e.id)) ?? []), e]);
    await db.calendarEvents.bulkInsert(
      [...cache].map(([bucket, events]) => ({ id: chunkIdFor('acct', bucket), accountId: 'acct', eventsJson: JSON.stringify(events), updatedAt: 0 })),
    );
    // Sam adds Maya to his team: the old event becomes a meeting now, long after the import.
    clock.advance(2 * H);
    const link = (eventId: string) => ({ ...sampleLink, provider: 'google' as const, accountId: 'acct', calendarId: 'primary', eventId });
    await db.meetings.insert(meeting('from-old', START + 50 * H, { createdAt: clock.now(), title: 'Old', calendarLink: link('old') }));
    await n.runNow();
    await n.idle();
    expect(shown).toEqual([]);
    clock.advance(60_000);
    await db.meetings.insert(meeting('from-fresh', START + 60 * H, { createdAt: clock.now(), title: 'Fresh', calendarLink: link('fresh') }));
    await n.runNow();
    await n.idle();
    expect(shown).toEqual(['new-meeting:from-fresh']);
  });

  it('two windows on one database: one shows it, whoever leads', async () => {
    disableWarnings();
    addRxPlugin(RxDBDevModePlugin);
    const name = uniqueDbName('tabs');
    const storage = wrappedValidateAjvStorage({ storage: fakeDexieStorage() });
    // RxDB's free tier opens 13 collections per process: each window opens the notifier's six.
    const first = await openDatabase<DuetCollections>(notifierCollections, { storage, name });
    cleanups.push(() => first.close());
    await seed(first as unknown as DuetDatabase, MAYA);
    await first.meetings.insert(meeting('m1', START + 3 * H));
    const second = await openDatabase<DuetCollections>(notifierCollections, { storage, name, ignoreDuplicate: true });
    cleanups.push(() => second.close());
    const clock = new ManualTimers(START);
    const shown: string[] = [];
    const opts = { clock, zone: { kind: 'iana', name: 'UTC' } as const, maxSleepMs: H, debounceMs: 1, deliver: async (x: DeliveredNotification) => (shown.push(x.id), true) };
    const a = startNotifier(first as unknown as NotifierDb, opts);
    const b = startNotifier(second as unknown as NotifierDb, opts);
    cleanups.push(() => a.stop(), () => b.stop());
    await Promise.race([a.leading(), b.leading()]);
    await runClockTo(clock, START + 2 * H + 1, [a, b]);
    expect(shown).toEqual([`prep:m1:${START + 3 * H}`]);

    // Even two windows that both believe they lead (a leadership hand-over mid-run) store it once.
    const both = (db: NotifierDb): NotifierDb => new Proxy(db, { get: (t, k) => (k === 'isLeader' ? () => true : k === 'waitForLeadership' ? async () => true : Reflect.get(t, k)) });
    await first.meetings.insert(meeting('m2', START + 2 * H + 30 * 60_000));
    const c = startNotifier(both(first as unknown as NotifierDb), opts);
    const d = startNotifier(both(second as unknown as NotifierDb), opts);
    cleanups.push(() => c.stop(), () => d.stop());
    await Promise.all([c.runNow(), d.runNow(), a.runNow(), b.runNow()]);
    await Promise.all([a, b, c, d].map((x) => x.idle()));
    expect(shown.sort()).toEqual([`prep:m1:${START + 3 * H}`, `prep:m2:${START + 2 * H + 30 * 60_000}`]);
    expect(await inbox(second as unknown as NotifierDb)).toHaveLength(2);
  });
});
