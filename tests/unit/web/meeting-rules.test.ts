// The lifecycle rules in the data layer (src-renderer/src/db/meeting-rules.ts,
// docs/architecture.md §2 "Lifecycle rules"): refused wherever a write comes from — the
// repository functions, a raw RxDB write a screen or a replayed update could make, a bulk write —
// each with the sentence the UI shows; the ingest's declared removals still go through.
import { afterEach, describe, expect, it } from 'vitest';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import type { MeetingDoc, SeriesDoc } from '../../../src-shared/meeting/model';
import { openDuetDatabase, type DuetDatabase } from '../../../src-renderer/src/db/database';
import {
  LOCAL_OWNER,
  MeetingRuleError,
  allowRemoval,
  archiveMeeting,
  archiveSeries,
  deleteMeeting,
  meetingActions,
  unarchiveMeeting,
  unarchiveSeries,
} from '../../../src-renderer/src/db/meeting-rules';
import { uniqueDbName } from './support/fake-idb';

const HOUR = 3_600_000;
const NOW = Date.UTC(2030, 0, 7, 12);
const ME = 'me@example.com';
const ADA = 'ada@example.com';

const open: DuetDatabase[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((db) => db.close()));
});

async function database(): Promise<DuetDatabase> {
  const db = await openDuetDatabase({ storage: getRxStorageMemory(), name: uniqueDbName('rules'), now: () => NOW });
  open.push(db);
  await db.calendarAccounts.insert({
    id: 'acc',
    provider: 'sandbox',
    self: ME,
    complete: true,
    lastBatchId: '',
    summary: {},
    updatedAt: 0,
  } as never);
  return db;
}

function meeting(id: string, start: number, extra: Partial<MeetingDoc> = {}): MeetingDoc {
  return {
    id,
    seriesId: 's-1',
    title: '1:1',
    start,
    end: start + HOUR,
    participants: [ADA, ME],
    owner: ME,
    source: 'app',
    linkState: 'unlinked',
    state: 'scheduled',
    roomId: '',
    createdAt: 0,
    updatedAt: 0,
    ...extra,
  };
}

const series = (id: string): SeriesDoc => ({
  id,
  title: '1:1',
  participants: [ADA, ME],
  cadence: 'weekly',
  linkState: 'unlinked',
  archived: false,
  createdAt: 0,
  updatedAt: 0,
});

const PAST = NOW - 24 * HOUR;
const FUTURE = NOW + 24 * HOUR;
const refusal = async (p: Promise<unknown>) => {
  const error = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MeetingRuleError);
  return (error as Error).message;
};

describe('archive and unarchive', () => {
  it('archives a past meeting and unarchives it; refuses a future or running one, however written', async () => {
    const db = await database();
    await db.meetings.bulkInsert([
      meeting('past', PAST),
      meeting('future', FUTURE),
      meeting('running', NOW - HOUR / 2),
    ]);
    await archiveMeeting(db, 'past');
    expect((await db.meetings.findOne('past').exec())!.state).toBe('archived');
    await unarchiveMeeting(db, 'past');
    expect((await db.meetings.findOne('past').exec())!.state).toBe('scheduled');

    expect(await refusal(archiveMeeting(db, 'future'))).toBe('Only a meeting that has ended can be archived.');
    expect(await refusal(archiveMeeting(db, 'running'))).toMatch(/has ended/);
    // A raw write, as any other screen or window could make it: the same refusal.
    const raw = await db.meetings.findOne('future').exec();
    expect(await refusal(raw!.incrementalPatch({ state: 'archived' }))).toMatch(/has ended/);
    expect(await refusal(db.meetings.upsert({ ...meeting('future', FUTURE), state: 'archived' }))).toMatch(/has ended/);
    expect(await refusal(db.meetings.insert(meeting('new', FUTURE, { state: 'archived' })))).toMatch(/has ended/);
    expect((await db.meetings.findOne('future').exec())!.state).toBe('scheduled');
    expect(await refusal(unarchiveMeeting(db, 'future'))).toBe('This meeting is not archived.');
    expect(await refusal(archiveMeeting(db, 'nope'))).toBe('That meeting no longer exists.');
  });

  it('an archived meeting whose event moves into the future stays archived (no new archiving)', async () => {
    const db = await database();
    await db.meetings.insert(meeting('m', PAST));
    await archiveMeeting(db, 'm');
    const doc = await db.meetings.findOne('m').exec();
    await doc!.incrementalPatch({ start: FUTURE, end: FUTURE + HOUR });
    expect((await db.meetings.findOne('m').exec())!.state).toBe('archived');
  });

  it('archives a series only once it has ended', async () => {
    const db = await database();
    await db.series.insert(series('s-1'));
    await db.meetings.bulkInsert([meeting('past', PAST), meeting('future', FUTURE)]);
    expect(await refusal(archiveSeries(db, 's-1'))).toMatch(/still has meetings coming/);
    expect(await refusal(db.series.upsert({ ...series('s-1'), archived: true }))).toMatch(/has ended/);
    // The coming meeting is cancelled: the series has ended.
    await (await db.meetings.findOne('future').exec())!.incrementalPatch({ state: 'cancelled' });
    await archiveSeries(db, 's-1');
    expect((await db.series.findOne('s-1').exec())!.archived).toBe(true);
    await unarchiveSeries(db, 's-1');
    expect((await db.series.findOne('s-1').exec())!.archived).toBe(false);
    expect(await refusal(unarchiveSeries(db, 's-1'))).toMatch(/not archived/);
  });
});

describe('delete', () => {
  it("deletes the owner's future meeting; refuses a past one, someone else's, and one following a calendar event", async () => {
    const db = await database();
    const link = {
      provider: 'sandbox' as const,
      accountId: 'acc',
      calendarId: 'primary',
      eventId: 'e1',
      iCalUID: 'uid',
      recurringEventId: '',
      originalStart: 0,
      instanceStart: 0,
      etag: '',
      managedByApp: false,
    };
    await db.meetings.bulkInsert([
      meeting('mine', FUTURE),
      meeting('local', FUTURE, { owner: LOCAL_OWNER }),
      meeting('past', PAST),
      meeting('started', NOW - 60_000),
      meeting('theirs', FUTURE, { owner: ADA }),
      meeting('linked', FUTURE, { source: 'calendar', linkState: 'linked', calendarLink: link }),
      meeting('managed', FUTURE, { linkState: 'linked', calendarLink: { ...link, managedByApp: true } }),
    ]);
    const verdicts = await meetingActions(db, (await db.meetings.findOne('past').exec())!.toMutableJSON(), NOW);
    expect(verdicts.delete).toEqual({ ok: false, reason: 'A meeting that has started cannot be deleted; archive it instead.' });
    expect(verdicts.archive).toEqual({ ok: true });

    await deleteMeeting(db, 'mine');
    await deleteMeeting(db, 'local');
    expect(await refusal(deleteMeeting(db, 'past'))).toMatch(/archive it instead/);
    expect(await refusal(deleteMeeting(db, 'started'))).toMatch(/has started/);
    expect(await refusal(deleteMeeting(db, 'theirs'))).toBe("Only the meeting's owner (ada@example.com) can delete it.");
    expect(await refusal(deleteMeeting(db, 'linked'))).toMatch(/cancel it in the calendar/);
    expect(await refusal(deleteMeeting(db, 'managed'))).toMatch(/cancel it instead/);
    // Raw removals are refused the same way, one by one and in bulk.
    expect(await refusal((await db.meetings.findOne('past').exec())!.remove())).toMatch(/archive it instead/);
    await db.meetings.bulkRemove(['theirs']).then(
      (r) => expect(r.error.length + (r.success.length ? 0 : 1)).toBeGreaterThan(0),
      (e: unknown) => expect(e).toBeInstanceOf(MeetingRuleError),
    );
    const left = (await db.meetings.find().exec()).map((d) => d.id).sort();
    expect(left).toEqual(['linked', 'managed', 'past', 'started', 'theirs']);
  });

  it("lets the calendar's declared removals through, once each", async () => {
    const db = await database();
    await db.meetings.bulkInsert([meeting('gone-past', PAST), meeting('gone-theirs', FUTURE, { owner: ADA })]);
    allowRemoval(db.meetings, ['gone-past', 'gone-theirs']);
    await db.meetings.bulkRemove(['gone-past', 'gone-theirs']);
    expect(await db.meetings.count().exec()).toBe(0);
    await db.meetings.insert(meeting('gone-past', PAST));
    expect(await refusal(db.meetings.findOne('gone-past').exec().then((d) => d!.remove()))).toMatch(/archive/);
  });
});
