// A simulated month of one weekly 1:1 (issue 11, "Tests"; docs/architecture.md §5), with a clock
// the test moves and both apps: Maya's (her RxDB, the renderer's calendar ingest over Duet's Google
// adapter against the sandbox, room sync, the roll-over pass, the notifier) and Noor's (her RxDB,
// the same room sync learning the 1:1s shared with her, the notifier). The meetings' Y.Docs go
// through the real sync server. Maya schedules the series through the real scheduling path; each
// week both add entries, some are done and some left open; unfinished ones roll to the next meeting
// once; prep reminders come an hour before each meeting and summaries on Sunday at 18:00 Berlin
// time; at the end the cadence reads four held, a week apart, not overdue.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { createProviderFor } from '../../../src-main/calendar/provider-factory';
import { createActivityLog } from '../../../src-main/calendar/activity-log';
import { createScheduleService } from '../../../src-main/calendar/schedule-service';
import type { AccountRecord } from '../../../src-main/services/types';
import type { KeyValueStore } from '../../../src-main/storage/types';
import { startCalendarIngest } from '../../../src-renderer/src/calendar/ingest';
import { createIngestStore } from '../../../src-renderer/src/calendar/ingest-store';
import { openDatabase, type DuetCollections } from '../../../src-renderer/src/db/database';
import { duetCollections, type MeetingDoc, type NotificationDoc } from '../../../src-renderer/src/db/schemas';
import { startNotifier, type Notifier, type NotifierDb } from '../../../src-renderer/src/features/inbox/notifier';
import { openEntriesOf } from '../../../src-renderer/src/features/inbox/open-items';
import { syncRoomsOnce } from '../../../src-renderer/src/features/meetings/room-sync';
import { scheduleMeeting } from '../../../src-renderer/src/features/schedule/schedule-meeting';
import type { CalendarBatch } from '../../../src-shared/bridge/contract';
import { cadenceStats } from '../../../src-shared/engine/cadence-health';
import { MeetingWorkspace } from '../../../src-shared/workspace/meeting-doc';
import { joinRoom } from '../../../src-shared/workspace/room-share';
import { rollOverPass, type OpenMeetingDoc } from '../../../src-shared/workspace/roll-over-pass';
import { ROLL_OVER_DELAY_MS } from '../../../src-shared/workspace/roll-over';
import type { SyncServerHandle } from '../../../sync-server';
import { newHireDate } from '../../../sandbox/seed';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { ManualTimers } from '../../support/manual-timers';
import { runClockTo } from '../../support/notifier-clock';
import { MAYA, NOOR } from '../../support/seed-people';
import { startTrustingServer } from '../sync-server/support/server-suite';
import { createTestBridge } from '../../unit/web/support/test-bridge';
import { uniqueDbName } from '../../unit/web/support/fake-idb';

const H = 3_600_000;
const DAY = 24 * H;
const ZONE = { kind: 'iana', name: 'Europe/Berlin' } as const;
const AUD = 'duet-sync';
const ACCOUNT: AccountRecord = { id: 'g-maya', provider: 'google', sandbox: true, email: MAYA, name: 'Maya Chen', auth: 'connected', connectedAt: 1 };

let sb: TestSandbox;
let server: SyncServerHandle;
const stops: (() => unknown)[] = [];
beforeAll(async () => {
  sb = await startTestSandbox();
  server = await startTrustingServer({ issuer: sb.issuer, audience: AUD, caPem: readFileSync(sb.caCertPath, 'utf8'), caPath: sb.caCertPath, token: (e) => sb.idToken(e, { aud: AUD }) });
});
afterAll(async () => {
  for (const s of stops.splice(0).reverse()) await s();
  await server?.close();
  await sb?.close();
});

const memoryStore = (): KeyValueStore => {
  const m = new Map<string, unknown>();
  return { get: <T,>(k: string) => m.get(k) as T | undefined, set: (k, v) => void m.set(k, v), delete: (k) => void m.delete(k) };
};

/** Opens a meeting's doc through its room on the real sync server, as the runner does online. */
const opener = (me: string): OpenMeetingDoc => async (meeting) => {
  const doc = new Y.Doc();
  const session = await joinRoom({ serverUrl: server.url, roomId: meeting.roomId, token: await sb.idToken(me, { aud: AUD }), WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket }, doc);
  return {
    doc,
    close: async () => {
      try {
        await session.confirmStored();
      } finally {
        session.close();
        doc.destroy();
      }
    },
  };
};

async function edit(me: string, meeting: MeetingDoc, change: (w: MeetingWorkspace) => void): Promise<MeetingWorkspace> {
  const opened = await opener(me)(meeting);
  change(new MeetingWorkspace(opened.doc, me));
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(opened.doc));
  await opened.close();
  return new MeetingWorkspace(copy, me);
}

it('a month of a weekly 1:1: scheduled, rolled over once a week, reminded and summarized on time, cadence right', async () => {
  const clock = new ManualTimers(Date.now());
  // RxDB's free tier opens 13 collections per process: Maya's app the eight it uses, Noor's five.
  const { meetings, series, people, preferences, notifications, calendarAccounts, calendarEvents, privateNotes } = duetCollections;
  const maya = await openDatabase<DuetCollections>({ meetings, series, people, preferences, notifications, calendarAccounts, calendarEvents, privateNotes }, { storage: getRxStorageMemory(), name: uniqueDbName('maya') });
  const noor = await openDatabase<DuetCollections>({ meetings, series, people, preferences, notifications }, { storage: getRxStorageMemory(), name: uniqueDbName('noor') });
  stops.push(() => maya.close(), () => noor.close());
  // The sandbox's directory has Noor starting last week (her Graph employeeHireDate).
  const noorStart = newHireDate(new Date(clock.now()));
  await maya.people.insert({ id: 'p-noor', name: 'Noor Haddad', email: NOOR, aliases: [], managerEmail: MAYA, startDate: noorStart, directReport: true, createdAt: 0, updatedAt: 0 });
  await noor.people.insert({ id: 'p-maya', name: 'Maya Chen', email: MAYA, aliases: ['maya@acme.test'], managerEmail: '', startDate: '', directReport: false, createdAt: 0, updatedAt: 0 });

  // Maya's main: the real scheduling service and Duet's Google adapter, both against the sandbox.
  const accounts = {
    list: () => [ACCOUNT],
    getAccessToken: () => sb.accessToken(MAYA, 'google'),
    endpoints: () => ({ googleRootUrl: sb.googleRootUrl, graphBaseUrl: sb.graphBaseUrl, ca: readFileSync(sb.caCertPath, 'utf8') }),
  };
  const schedule = createScheduleService({ accounts, log: createActivityLog(memoryStore()), syncNow: () => undefined });
  const provider = createProviderFor(ACCOUNT, accounts);
  const batches: CalendarBatch[] = [];
  let batchNo = 0;
  const bridge = createTestBridge({
    calendar: {
      nextBatch: () => batches[0] ?? null,
      ackBatch: ({ batchId, ok }) => {
        if (ok && batches[0]?.id === batchId) batches.shift();
        return { ok: true };
      },
    },
    schedule: { create: (req) => schedule.create(req) },
  });
  const ingest = startCalendarIngest(maya as never, bridge.api, { store: createIngestStore(), now: () => clock.now(), debounceMs: 1 });
  stops.push(() => ingest.stop());
  /** The hourly reconcile: a whole-window import, as main's scheduler sends it. */
  const reconcile = async () => {
    const round = await provider.fullImport('primary', { from: clock.now() - 30 * DAY, to: clock.now() + 28 * DAY });
    batches.push({ id: `b${++batchNo}`, accountId: ACCOUNT.id, provider: 'google', self: MAYA, kind: 'full', replace: true, changes: round.changes });
    bridge.emit('calendar.batchReady', { accountId: ACCOUNT.id });
    await expect.poll(() => batches.length, { timeout: 15_000, interval: 20 }).toBe(0);
    await ingest.idle();
  };
  const identity = (email: string) => async () => ({ email, idToken: await sb.idToken(email, { aud: AUD }), expiresAt: clock.now() + H, issuer: sb.issuer, accountId: 'x' });
  const serverInfo = async () => ({ url: server.url, embedded: false, state: 'running' as const });
  const polyfill = WebSocket as unknown as typeof globalThis.WebSocket;
  const rooms = async () => {
    const opts = { WebSocketPolyfill: polyfill, now: () => clock.now() };
    expect((await syncRoomsOnce(maya as never, { accounts: { identity: identity(MAYA) }, sync: { serverInfo } }, opts)).errors).toEqual([]);
    expect((await syncRoomsOnce(noor as never, { accounts: { identity: identity(NOOR) }, sync: { serverInfo } }, opts)).errors).toEqual([]);
  };
  await reconcile();

  // Both notifiers, on the test's clock, reading open items through the rooms.
  const openItemsVia = (me: string) => async (ids: readonly string[]) => {
    const out = new Map<string, ReturnType<typeof openEntriesOf>>();
    for (const db of [maya, noor]) {
      for (const id of ids) {
        const m = (await db.meetings.findOne(id).exec())?.toMutableJSON();
        if (!m?.roomId) continue;
        const opened = await opener(me)(m);
        out.set(id, openEntriesOf(opened.doc));
        await opened.close();
      }
    }
    return out;
  };
  const shown = { maya: [] as { id: string; at: number; title: string; body: string }[], noor: [] as { id: string; at: number; title: string; body: string }[] };
  const notifier = (db: typeof maya, me: 'maya' | 'noor', email: string): Notifier =>
    startNotifier(db as unknown as NotifierDb, {
      clock, zone: ZONE, maxSleepMs: 12 * H, debounceMs: 1,
      selves: async () => [email],
      openItems: openItemsVia(email),
      deliver: async (n) => (shown[me].push({ id: n.id, at: clock.now(), title: n.title, body: n.body }), true),
    });
  const notifiers = [notifier(maya, 'maya', MAYA), notifier(noor, 'noor', NOOR)];
  stops.push(() => notifiers.forEach((n) => n.stop()));
  await Promise.all(notifiers.map((n) => n.leading()));

  // Maya schedules a weekly 1:1 with Noor through the real path: next Tuesday (or later), 10:00 Berlin.
  const first = new Date(clock.now() + 2 * DAY);
  while (first.getUTCDay() !== 2) first.setTime(first.getTime() + DAY);
  const startAt = Date.parse(`${first.toISOString().slice(0, 10)}T09:00:00Z`); // 10:00 CET
  const outcome = await scheduleMeeting(maya as never, bridge.api, { person: { name: 'Noor Haddad', email: NOOR }, start: startAt, minutes: 30, repeat: 'weekly', video: false, account: { id: ACCOUNT.id, email: MAYA, provider: 'google' } }, clock.now());
  expect(outcome.calendarError).toBeUndefined();
  await reconcile();
  await rooms();
  const mine = async () => (await maya.meetings.find({ sort: [{ start: 'asc' }] }).exec()).map((d) => d.toMutableJSON()).filter((m) => m.participants.includes(NOOR));
  const occurrences = await mine();
  expect(occurrences.length).toBeGreaterThanOrEqual(3);
  expect(occurrences[0]!.start).toBe(startAt);
  // A week apart (an hour either way across a DST change: the rule keeps 10:00 local).
  for (let i = 1; i < occurrences.length; i++) expect(Math.abs(occurrences[i]!.start - occurrences[i - 1]!.start - 7 * DAY)).toBeLessThanOrEqual(H);

  // Noor learns of it: her app lists each 1:1 shared with her, and the notifier tells her once each.
  await Promise.all(notifiers.map((n) => n.runNow()));
  await runClockTo(clock, clock.now() + 1, notifiers);
  expect(shown.noor.filter((n) => n.id.startsWith('new-')).map((n) => n.title)).toEqual(['New 1:1 with Maya Chen']);
  expect(shown.maya.filter((n) => n.id.startsWith('new-'))).toEqual([]);

  const WEEKS = 4;
  let carried = ['Career plan'];
  const closed = new Set<string>();
  for (let k = 0; k < WEEKS; k++) {
    const list = await mine();
    const m = list[k]!;
    // The prep reminder, an hour before, to both, with what is open (rolled from last week).
    await runClockTo(clock, m.start - H, notifiers);
    const reminder = shown.maya.find((n) => n.id === `prep:${m.id}:${m.start}`);
    expect(reminder?.at).toBe(m.start - H);
    expect(reminder?.title).toBe('1:1 with Noor Haddad in 1 hour');
    if (k > 0) for (const text of carried) expect(reminder?.body).toContain(text);
    expect(shown.noor.some((n) => n.id.startsWith('prep:') && n.at === m.start - H)).toBe(true);

    // The meeting: Maya adds a topic (and the first week, one to keep open), Noor an item; the
    // topic is done, the item and "Career plan" are left open.
    await runClockTo(clock, m.start + 10 * 60_000, notifiers);
    await edit(MAYA, m, (w) => {
      if (k === 0) w.add('topics', 'Career plan');
      const t = w.add('topics', `Week ${k + 1} topic`);
      w.setDone('topics', t, true);
    });
    await edit(NOOR, m, (w) => w.add('items', `Week ${k + 1} item`));

    // Three hours after it ends, both apps run the roll-over; the next meeting gets each open entry once.
    const due = m.end + ROLL_OVER_DELAY_MS;
    await runClockTo(clock, due, notifiers);
    await reconcile();
    await rooms();
    const after = await mine();
    const next = after[k + 1]!;
    const passes = await Promise.all([
      rollOverPass(after, { now: clock.now(), open: opener(MAYA), settled: new Set() }),
      rollOverPass((await noor.meetings.find().exec()).map((d) => d.toMutableJSON()), { now: clock.now(), open: opener(NOOR), settled: new Set() }),
    ]);
    expect(passes.flatMap((p) => p.errors)).toEqual([]);
    // Again later: nothing more moves.
    await rollOverPass(after, { now: clock.now() + H, open: opener(MAYA), settled: new Set() });
    const nextDoc = await edit(MAYA, next, () => undefined);
    const open = [...nextDoc.topics(), ...nextDoc.items()].filter((e) => !e.done).map((e) => e.text).sort();
    carried = ['Career plan', ...Array.from({ length: k + 1 }, (_, i) => `Week ${i + 1} item`)].filter((t) => !closed.has(t)).sort();
    expect(open).toEqual(carried);
    expect(nextDoc.items().every((e) => e.rolledFrom)).toBe(true);
    // Noor closes last week's item in the next meeting (so one item fewer stays open from now on).
    if (k === 1) {
      await edit(NOOR, next, (w) => {
        const it = w.items().find((e) => e.text === 'Week 1 item');
        if (it) w.setDone('items', it.id, true);
      });
      closed.add('Week 1 item');
      carried = carried.filter((t) => t !== 'Week 1 item');
    }
  }

  // Every Sunday 18:00 Berlin in the month: one summary each, at its time, for both.
  const end = (await mine())[WEEKS]!.start - 2 * H;
  await runClockTo(clock, end, notifiers);
  const firstStart = (await mine())[0]!.start;
  const summaries = shown.maya.filter((n) => n.id.startsWith('summary:') && n.at > firstStart);
  expect(summaries.length).toBeGreaterThanOrEqual(3);
  for (const s of summaries) {
    const local = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE.name, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(s.at);
    expect(local).toBe('Sun 18:00');
    expect(s.body).toMatch(/^1 1:1 held this week · \d+ open action items? · Everyone met on time\.$/);
  }
  expect(shown.noor.filter((n) => n.id.startsWith('summary:') && n.at > firstStart).map((n) => n.at)).toEqual(summaries.map((s) => s.at));
  // Noor heard of the 1:1 once, however many of its meetings reached her app since.
  expect(shown.noor.filter((n) => n.id.startsWith('new-'))).toHaveLength(1);
  // Exactly once each, in the inbox as shown.
  const inbox = (await maya.notifications.find().exec()).map((d) => d.toMutableJSON() as NotificationDoc).filter((n) => n.kind !== 'state');
  expect(inbox.map((n) => n.id).sort()).toEqual(shown.maya.map((n) => n.id).sort());
  expect(new Set(shown.maya.map((n) => n.id)).size).toBe(shown.maya.length);

  // Cadence at the end: four held a week apart, weekly (a new hire), not overdue.
  // It is the morning of the fifth meeting's day: the last one was a week ago to the day.
  const stats = cadenceStats(await mine(), clock.now(), { startDate: noorStart, zone: ZONE });
  expect(stats).toMatchObject({ held: WEEKS, averageIntervalDays: 7, daysSinceLast: 7, expected: 'weekly', overdue: false });
}, 240_000);
