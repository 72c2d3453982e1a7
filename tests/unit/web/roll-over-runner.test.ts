// The renderer's roll-over runner (features/meeting/roll-over-runner.ts): in the leading window,
// over the local copies (y-indexeddb on fake-indexeddb) with no sync server, a due meeting's open
// topic lands in the next meeting's local copy and in its content projection (what Up next
// reads); nothing happens before it is due; a second pass writes nothing.
import 'fake-indexeddb/auto';
import { afterEach, expect, it } from 'vitest';
import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import type { DuetDatabase } from '../../../src-renderer/src/db/database';
import { startRollOver, type RollOverRunner } from '../../../src-renderer/src/features/meeting/roll-over-runner';
import type { MeetingDoc } from '../../../src-shared/meeting/model';
import { MeetingWorkspace } from '../../../src-shared/workspace/meeting-doc';
import { ROLL_OVER_DELAY_MS, dayOf } from '../../../src-shared/workspace/roll-over';
import { openMemoryDb } from './support/render-app';
import { createTestBridge } from './support/test-bridge';

const HOUR = 3_600_000;
const WEEK = 7 * 24 * HOUR;
let db: DuetDatabase | undefined;
let runner: RollOverRunner | undefined;
afterEach(async () => {
  runner?.stop();
  await db?.close();
  db = undefined;
});

const meeting = (id: string, start: number): MeetingDoc => ({
  id,
  seriesId: 'series-runner',
  title: '1:1',
  start,
  end: start + HOUR,
  participants: ['ada@example.com', 'me@example.com'],
  owner: 'me@example.com',
  source: 'app',
  linkState: 'unlinked',
  state: 'scheduled',
  roomId: '',
  createdAt: 0,
  updatedAt: 0,
});

async function local(id: string, change?: (w: MeetingWorkspace) => void): Promise<MeetingWorkspace> {
  const doc = new Y.Doc();
  const persistence = new IndexeddbPersistence(`duet-meeting-${id}`, doc);
  await persistence.whenSynced;
  const ws = new MeetingWorkspace(doc, 'me@example.com');
  change?.(ws);
  await persistence.destroy();
  return ws;
}

it('moves an open topic into the next meeting once due, and re-projects it', async () => {
  const tag = `${Date.now()}`;
  const start = Date.UTC(2030, 0, 7, 9);
  const [first, next] = [meeting(`runner-a-${tag}`, start), meeting(`runner-b-${tag}`, start + WEEK)];
  db = await openMemoryDb();
  await db.meetings.bulkInsert([first, next]);
  await local(first.id, (w) => w.add('topics', 'Budget'));

  let now = first.end + ROLL_OVER_DELAY_MS - 1;
  const bridge = createTestBridge({ sync: { serverInfo: () => ({ url: '', embedded: true, state: 'stopped' as const }) } });
  runner = startRollOver(db, bridge.api, { now: () => now, intervalMs: 3_600_000, debounceMs: 3_600_000 });
  await db.waitForLeadership();
  expect((await runner.runNow())?.rolled).toEqual([]);

  now += 2;
  const result = await runner.runNow();
  expect(result?.rolled).toEqual([{ from: first.id, to: next.id, written: 1, marked: 1 }]);
  const target = await local(next.id);
  expect(target.topics()).toEqual([expect.objectContaining({ text: 'Budget', rolledFrom: dayOf(first.start) })]);
  expect((await local(first.id)).topics()[0]!.movedTo).toBe(dayOf(next.start));
  const projected = await db.meetingContent.findOne(next.id).exec();
  expect(projected?.topics.map((t) => [t.text, t.rolledFrom])).toEqual([['Budget', dayOf(first.start)]]);

  // Settled: a later pass does nothing more.
  expect((await runner.runNow())?.rolled).toEqual([]);
  expect((await local(next.id)).topics()).toHaveLength(1);
});
