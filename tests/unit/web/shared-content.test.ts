// Y.Doc content counts as content for the engine (docs/architecture.md §4): a meeting whose local
// Y.Doc holds a topic, an action item or shared notes is kept (cancelled) when its event goes,
// like one with a private note; one without is deleted. Real y-indexeddb over fake-indexeddb, the
// real ingest and engine.
import 'fake-indexeddb/auto';
import { afterEach, expect, it } from 'vitest';
import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import type { CalendarBatch } from '../../../src-shared/bridge/contract';
import type { CalendarEvent } from '../../../src-shared/engine/model';
import { MeetingWorkspace } from '../../../src-shared/workspace/meeting-doc';
import { openDuetDatabase } from '../../../src-renderer/src/db/database';
import { startCalendarIngest } from '../../../src-renderer/src/calendar/ingest';
import { createIngestStore } from '../../../src-renderer/src/calendar/ingest-store';
import {
  docHasContent,
  localMeetingDocName,
  ydocSharedContent,
} from '../../../src-renderer/src/features/meeting/shared-content';
import { fakeDexieStorage, uniqueDbName } from './support/fake-idb';
import { createTestBridge } from './support/test-bridge';

const NOW = Date.parse('2024-03-06T17:00:00Z');
const MAYA = 'maya.chen@acme.io';
const SAM = 'sam.ortiz@acme.io';
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Writes `fill` into the meeting's local Y.Doc, as the meeting page does. */
async function localDoc(meetingId: string, fill: (ws: MeetingWorkspace) => void): Promise<void> {
  const doc = new Y.Doc();
  const local = new IndexeddbPersistence(localMeetingDocName(meetingId), doc);
  await local.whenSynced;
  fill(new MeetingWorkspace(doc, MAYA));
  await new Promise((r) => setTimeout(r, 50)); // y-indexeddb stores updates asynchronously
  await local.destroy();
  doc.destroy();
}

it('counts topics, action items and shared notes, not the meeting facts alone', () => {
  const fresh = () => new MeetingWorkspace(new Y.Doc(), MAYA);
  const metaOnly = fresh();
  metaOnly.setMeta({ title: '1:1', start: 1, end: 2, participants: [MAYA, SAM] });
  expect(docHasContent(metaOnly.doc)).toBe(false);
  const topic = fresh();
  topic.add('topics', 'Goals');
  expect(docHasContent(topic.doc)).toBe(true);
  const item = fresh();
  item.add('items', 'Send the doc');
  expect(docHasContent(item.doc)).toBe(true);
  const plain = fresh();
  plain.notes.insert(0, 'first pass notes');
  expect(docHasContent(plain.doc)).toBe(true);
  const rich = fresh();
  const p = new Y.XmlElement('paragraph');
  p.insert(0, [new Y.XmlText('rich notes')]);
  rich.notesFragment.insert(0, [p]);
  expect(docHasContent(rich.doc)).toBe(true);
});

it('opens only the meetings with a local copy and reports those with content', async () => {
  const tag = uniqueDbName('sc');
  await localDoc(`${tag}-a`, (ws) => ws.add('topics', 'Promotion'));
  await localDoc(`${tag}-b`, (ws) => ws.setMeta({ title: 'x', start: 1, end: 2, participants: [] }));
  const found = await ydocSharedContent()([`${tag}-a`, `${tag}-b`, `${tag}-never-opened`]);
  expect([...found]).toEqual([`${tag}-a`]);
});

it('the ingest keeps a cancelled meeting whose Y.Doc has content and deletes an empty one', async () => {
  const db = await openDuetDatabase({ storage: fakeDexieStorage(), name: uniqueDbName('sc-ingest') });
  cleanups.push(() => db.close());
  await db.people.insert({
    id: `p-${SAM}`,
    name: 'Sam Ortiz',
    email: SAM,
    aliases: [],
    managerEmail: '',
    startDate: '',
    directReport: true,
    createdAt: NOW,
    updatedAt: NOW,
  });
  const ev = (id: string, day: string): CalendarEvent => ({
    id,
    calendarId: 'primary',
    primary: true,
    title: 'Maya / Sam',
    start: `${day}T15:00:00.000Z`,
    end: `${day}T15:30:00.000Z`,
    status: 'confirmed',
    organizer: MAYA,
    attendees: [
      { email: MAYA, response: 'accepted' },
      { email: SAM, response: 'accepted' },
    ],
    provider: 'google',
    accountId: 'acct-1',
    iCalUID: `${id}-${Date.now()}@google.com`,
  });
  const queue: CalendarBatch[] = [];
  const acks: string[] = [];
  const bridge = createTestBridge({
    calendar: {
      nextBatch: () => queue[0] ?? null,
      ackBatch: (a) => {
        acks.push(a.batchId);
        if (a.ok && queue[0]?.id === a.batchId) queue.shift();
        return { ok: true };
      },
    },
  });
  const push = (b: CalendarBatch) => {
    queue.push(b);
    bridge.emit('calendar.batchReady', { accountId: 'acct-1' });
  };
  const base = { accountId: 'acct-1', provider: 'google' as const, self: MAYA };
  const ingest = startCalendarIngest(db, bridge.api, {
    store: createIngestStore(),
    now: () => NOW,
    retryMs: 20,
    debounceMs: 5,
    sharedContent: ydocSharedContent(),
  });
  cleanups.push(() => ingest.stop());
  const until = async (check: () => boolean) => {
    const end = Date.now() + 5000;
    while (!check()) {
      if (Date.now() > end) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  push({
    ...base,
    id: 'b1',
    kind: 'initial',
    replace: true,
    changes: [ev('kept', '2024-03-07'), ev('gone', '2024-03-08')],
  });
  await until(() => acks.length === 1);
  await ingest.idle();
  const meetings = (await db.meetings.find({ sort: [{ start: 'asc' }] }).exec()).map((m) =>
    m.toMutableJSON(),
  );
  expect(meetings).toHaveLength(2);
  await localDoc(meetings[0]!.id, (ws) => ws.add('items', 'Book the offsite'));
  await localDoc(meetings[1]!.id, (ws) => ws.setMeta({ title: 'x', start: 1, end: 2, participants: [] }));
  const removed = (id: string) => ({
    id,
    calendarId: 'primary',
    removed: true as const,
    provider: 'google' as const,
    accountId: 'acct-1',
  });
  push({
    ...base,
    id: 'b2',
    kind: 'incremental',
    replace: false,
    changes: [removed('kept'), removed('gone')],
  });
  await until(() => acks.length === 2);
  await ingest.idle();
  const after = (await db.meetings.find().exec()).map((m) => m.toMutableJSON());
  expect(after.map((m) => [m.id, m.state, m.linkState])).toEqual([
    [meetings[0]!.id, 'cancelled', 'unlinked'],
  ]);
});
