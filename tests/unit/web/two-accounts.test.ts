// docs/architecture.md §4, "One event, one meeting": two connected accounts that see the same event
// (a person's Google and Microsoft calendars, both invited) give one meeting, never two. The rule:
// same iCalendar UID + same original start = same meeting. Run through the renderer's ingest on
// the app's real storage (Dexie over fake-indexeddb), in both orders, and again (no ping-pong).
import { afterEach, describe, expect, it } from 'vitest';
import type { CalendarBatch } from '../../../src-shared/bridge/contract';
import type { CalendarEvent } from '../../../src-shared/engine/model';
import { openDuetDatabase, type DuetDatabase } from '../../../src-renderer/src/db/database';
import type { PersonDoc } from '../../../src-renderer/src/db/schemas';
import { startCalendarIngest } from '../../../src-renderer/src/calendar/ingest';
import { createIngestStore } from '../../../src-renderer/src/calendar/ingest-store';
import { createTestBridge } from './support/test-bridge';
import { fakeDexieStorage, uniqueDbName } from './support/fake-idb';

const NOW = Date.parse('2024-03-06T17:00:00Z');
const MAYA = 'maya.chen@acme.io';
const SAM = 'sam.ortiz@acme.io';
const LEE = 'lee.park@acme.io';
const WEEK = 7 * 86_400_000;
const SERIES_UID = '040000008200E00074C5B7101A82E00800000000D0A1@acme.io';

const person = (email: string, name: string): PersonDoc => ({
  id: `p-${email}`, name, email, aliases: [], managerEmail: '', startDate: '', directReport: true, createdAt: NOW, updatedAt: NOW,
});

const base = (over: Partial<CalendarEvent> & Pick<CalendarEvent, 'id' | 'start' | 'end'>): CalendarEvent => ({
  calendarId: 'primary',
  primary: true,
  title: 'Maya / Sam',
  status: 'confirmed',
  organizer: MAYA,
  attendees: [{ email: MAYA, response: 'accepted' }, { email: SAM, response: 'accepted' }],
  ...over,
});

const FIRST = Date.parse('2024-02-08T15:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

/** Google: the weekly series as a master and its rule, one moved occurrence, a one-off with Lee. */
function googleListing(): CalendarEvent[] {
  const g = { provider: 'google' as const, accountId: 'acct-google' };
  const moved = FIRST + 4 * WEEK;
  return [
    base({ ...g, id: 'g-weekly', iCalUID: SERIES_UID, start: iso(FIRST), end: iso(FIRST + 1_800_000), recurrence: ['RRULE:FREQ=WEEKLY;COUNT=8'], timeZone: 'UTC' }),
    base({ ...g, id: `g-weekly_${moved}`, iCalUID: SERIES_UID, recurringEventId: 'g-weekly', originalStart: iso(moved), start: iso(moved + 3_600_000), end: iso(moved + 5_400_000) }),
    base({ ...g, id: 'g-lee', iCalUID: 'lee-1on1@acme.io', title: '1:1 Lee', start: '2024-03-08T16:00:00.000Z', end: '2024-03-08T16:30:00.000Z', attendees: [{ email: MAYA }, { email: LEE }] }),
  ];
}

/** Microsoft: the same invitations as Graph lists them: every occurrence its own event (no master), the series UID in `uid`. */
function graphListing(): CalendarEvent[] {
  const m = { provider: 'microsoft' as const, accountId: 'acct-microsoft' };
  const out: CalendarEvent[] = [];
  for (let k = 0; k < 8; k++) {
    const original = FIRST + k * WEEK;
    const start = k === 4 ? original + 3_600_000 : original;
    out.push(base({ ...m, id: `AAMkOcc${k}`, iCalUID: SERIES_UID, recurringEventId: 'AAMkMaster', originalStart: iso(original), start: iso(start), end: iso(start + 1_800_000) }));
  }
  out.push(base({ ...m, id: 'AAMkLee', iCalUID: 'lee-1on1@acme.io', title: '1:1 Lee', start: '2024-03-08T16:00:00.000Z', end: '2024-03-08T16:30:00.000Z', attendees: [{ email: MAYA }, { email: LEE }] }));
  return out;
}

let n = 0;
const batchOf = (accountId: string, provider: 'google' | 'microsoft', changes: CalendarEvent[]): CalendarBatch => ({
  id: `b${++n}`, accountId, provider, self: MAYA, kind: 'initial', replace: true, changes,
});

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function ingestAll(batches: CalendarBatch[]): Promise<{ db: DuetDatabase; redetect: () => Promise<void> }> {
  const db = await openDuetDatabase({ storage: fakeDexieStorage(), name: uniqueDbName('two-accounts') });
  cleanups.push(() => db.close());
  await db.people.bulkInsert([person(SAM, 'Sam Ortiz'), person(LEE, 'Lee Park')]);
  const queue = [...batches];
  const bridge = createTestBridge({
    calendar: {
      nextBatch: () => queue[0] ?? null,
      ackBatch: (a) => {
        if (a.ok && queue[0]?.id === a.batchId) queue.shift();
        return { ok: true };
      },
    },
  });
  const ingest = startCalendarIngest(db, bridge.api, { store: createIngestStore(), now: () => NOW, debounceMs: 5 });
  cleanups.push(() => ingest.stop());
  const end = Date.now() + 10_000;
  while (queue.length > 0) {
    if (Date.now() > end) throw new Error('batches not stored');
    await new Promise((r) => setTimeout(r, 10));
  }
  await ingest.idle();
  return { db, redetect: () => ingest.redetect() };
}

const snapshot = async (db: DuetDatabase) => (await db.meetings.find({ sort: [{ start: 'asc' }] }).exec()).map((d) => d.toMutableJSON());

describe('two accounts that see the same event', () => {
  for (const order of ['Google first', 'Microsoft first'] as const) {
    it(`give one meeting per occurrence (${order}), and another pass changes nothing`, async () => {
      const google = batchOf('acct-google', 'google', googleListing());
      const graph = batchOf('acct-microsoft', 'microsoft', graphListing());
      const { db, redetect } = await ingestAll(order === 'Google first' ? [google, graph] : [graph, google]);
      const meetings = await snapshot(db);
      // 8 weekly occurrences with Sam (one moved an hour) and the one-off with Lee: 9, not 18.
      expect(meetings.filter((m) => m.participants.includes(SAM))).toHaveLength(8);
      expect(meetings.filter((m) => m.participants.includes(LEE))).toHaveLength(1);
      expect(new Set(meetings.map((m) => `${m.participants.join()} ${m.start}`)).size).toBe(meetings.length);
      // The account that imported first holds them; the moved occurrence shows its new time.
      const holder = order === 'Google first' ? 'acct-google' : 'acct-microsoft';
      for (const m of meetings) expect(m.calendarLink?.accountId).toBe(holder);
      expect(meetings.map((m) => iso(m.start))).toContain(iso(FIRST + 4 * WEEK + 3_600_000));
      const summary = (await db.calendarAccounts.findOne(order === 'Google first' ? 'acct-microsoft' : 'acct-google').exec())?.summary as
        | { changes: { created: number; sharedWithOtherAccount: number } }
        | undefined;
      expect(summary?.changes).toMatchObject({ created: 0, sharedWithOtherAccount: 9 });

      // Both accounts run again (a team edit, the hourly reconcile): no write, no flip between accounts.
      await redetect();
      expect(await snapshot(db)).toEqual(meetings);
    });
  }

  it('the same UID at another original start is another meeting; another UID at the same time is another event', async () => {
    const g = { provider: 'google' as const, accountId: 'acct-google' };
    const m = { provider: 'microsoft' as const, accountId: 'acct-microsoft' };
    const at = '2024-03-08T16:00:00.000Z';
    const until = '2024-03-08T16:30:00.000Z';
    const { db } = await ingestAll([
      batchOf('acct-google', 'google', [base({ ...g, id: 'g1', iCalUID: 'one@acme.io', start: at, end: until })]),
      batchOf('acct-microsoft', 'microsoft', [
        base({ ...m, id: 'm1', iCalUID: 'two@acme.io', start: at, end: until }),
        base({ ...m, id: 'm2', iCalUID: SERIES_UID, recurringEventId: 'AAMkMaster', originalStart: iso(FIRST), start: iso(FIRST), end: iso(FIRST + 1_800_000) }),
        base({ ...m, id: 'm3', iCalUID: SERIES_UID, recurringEventId: 'AAMkMaster', originalStart: iso(FIRST + WEEK), start: iso(FIRST + WEEK), end: iso(FIRST + WEEK + 1_800_000) }),
      ]),
    ]);
    const meetings = await snapshot(db);
    expect(meetings).toHaveLength(4);
    expect(meetings.filter((x) => x.calendarLink?.accountId === 'acct-microsoft')).toHaveLength(3);
  });
});
