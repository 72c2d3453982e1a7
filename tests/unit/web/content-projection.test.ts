// The meeting-content projection (docs/architecture.md §5): what it reads from a Y.Doc, that it is
// written only on a change, kept while a doc is open, built for local copies without one, and
// that an edit away from the meeting page lands in the local copy and the projection.
import 'fake-indexeddb/auto';
import { afterEach, expect, it } from 'vitest';
import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import type { RxCollection, RxJsonSchema } from 'rxdb';
import {
  openDatabase,
  type AnyCollectionDefinition,
  type DuetDatabase,
} from '../../../src-renderer/src/db/database';
import type { MeetingContentDoc } from '../../../src-renderer/src/db/schemas';
import { meetingContentCollection } from '../../../src-renderer/src/db/schemas/meeting-content';
import {
  backfillProjections,
  editMeetingDoc,
  keepProjection,
  projectWorkspace,
  saveProjection,
} from '../../../src-renderer/src/features/meeting/content-projection';
import { MeetingWorkspace } from '../../../src-shared/workspace/meeting-doc';
import { fakeDexieStorage, uniqueDbName } from './support/fake-idb';
import { openMemoryDb } from './support/render-app';
import { sampleDocs } from './support/sample-docs';

const ME = 'me@example.com';
const ADA = 'ada@example.com';
let db: DuetDatabase | undefined;
afterEach(async () => {
  await db?.close();
  db = undefined;
});

let n = 0;
const uniqueId = () => `m-proj-${Date.now()}-${n++}`;

function workspace(): MeetingWorkspace {
  const ws = new MeetingWorkspace(new Y.Doc(), ME);
  ws.setMeta({ title: '1:1', start: 0, end: 1, participants: [ME, ADA] });
  return ws;
}

it('projects topics, items (assignee, due, roll-over mark) and the notes; counts open items', () => {
  const ws = workspace();
  ws.add('topics', 'Roadmap');
  const a = ws.add('items', 'Send the plan', { assignee: ADA, due: '2030-01-10' });
  const b = ws.add('items', 'Book the room');
  ws.setDone('items', b, true);
  // A roll-over mark as a peer writes it; a malformed one is ignored.
  (ws.doc.getMap('items').get(a) as Y.Map<unknown>).set('rolledFrom', '2029-12-31');
  const t = ws.add('topics', 'Odd');
  (ws.doc.getMap('topics').get(t) as Y.Map<unknown>).set('rolledFrom', 'yesterday');
  ws.notes.insert(0, 'plain line');

  const p = projectWorkspace(ws, 42);
  expect(p.topics.map((x) => [x.text, x.rolledFrom])).toEqual([
    ['Roadmap', ''],
    ['Odd', ''],
  ]);
  expect(p.items.map((x) => [x.text, x.done, x.assignee, x.due, x.rolledFrom])).toEqual([
    ['Send the plan', false, ADA, '2030-01-10', '2029-12-31'],
    ['Book the room', true, '', '', ''],
  ]);
  expect(p.openItems).toBe(1);
  expect(p.notesText).toBe('plain line');
  expect(p.updatedAt).toBe(42);
});

it('writes only when the content changed', async () => {
  db = await openMemoryDb();
  const ws = workspace();
  ws.add('items', 'One');
  await saveProjection(db, 'm-1', ws);
  const first = (await db.meetingContent.findOne('m-1').exec())!.toJSON();
  await new Promise((r) => setTimeout(r, 5));
  await saveProjection(db, 'm-1', ws);
  expect((await db.meetingContent.findOne('m-1').exec())!.updatedAt).toBe(first.updatedAt);
  ws.add('items', 'Two');
  await saveProjection(db, 'm-1', ws);
  expect((await db.meetingContent.findOne('m-1').exec())!.openItems).toBe(2);
});

it('keeps the projection while a doc is open, and flushes a pending change when stopped', async () => {
  db = await openMemoryDb();
  const ws = workspace();
  const stop = keepProjection(db, 'm-2', ws, 10_000);
  await expect.poll(async () => (await db!.meetingContent.findOne('m-2').exec())?.openItems).toBe(0);
  ws.add('items', 'Later');
  stop();
  await expect.poll(async () => (await db!.meetingContent.findOne('m-2').exec())?.openItems).toBe(1);
});

it('builds projections for local copies without one, and only for known meetings', async () => {
  db = await openMemoryDb();
  const known = uniqueId();
  const stranger = uniqueId();
  for (const id of [known, stranger]) {
    const doc = new Y.Doc();
    const local = new IndexeddbPersistence(`duet-meeting-${id}`, doc);
    await local.whenSynced;
    new MeetingWorkspace(doc, ADA).add('items', `Item of ${id}`);
    await local.destroy();
  }
  await db.meetings.insert({ ...sampleDocs.meetings, id: known });
  expect(await backfillProjections(db)).toBeGreaterThanOrEqual(1);
  expect((await db.meetingContent.findOne(known).exec())?.items.map((i) => i.text)).toEqual([
    `Item of ${known}`,
  ]);
  expect(await db.meetingContent.findOne(stranger).exec()).toBeNull();
  // A second pass has nothing to do for it.
  const before = (await db.meetingContent.findOne(known).exec())!.updatedAt;
  await backfillProjections(db);
  expect((await db.meetingContent.findOne(known).exec())!.updatedAt).toBe(before);
});

it('edits a meeting away from its page: the local copy and the projection take it (offline)', async () => {
  db = await openMemoryDb();
  const id = uniqueId();
  const doc = new Y.Doc();
  let local = new IndexeddbPersistence(`duet-meeting-${id}`, doc);
  await local.whenSynced;
  const itemId = new MeetingWorkspace(doc, ADA).add('items', 'Close the loop');
  await local.destroy();

  const out = await editMeetingDoc(db, id, ME, (ws) => ws.setDone('items', itemId, true), null);
  expect(out.synced).toBe(false);
  expect((await db.meetingContent.findOne(id).exec())?.openItems).toBe(0);

  const again = new Y.Doc();
  local = new IndexeddbPersistence(`duet-meeting-${id}`, again);
  await local.whenSynced;
  expect(new MeetingWorkspace(again, ME).items()[0]?.done).toBe(true);
  await local.destroy();

  // An edit the model refuses is the caller's error, and changes nothing.
  await expect(editMeetingDoc(db, id, ME, (ws) => ws.setDone('items', 'gone', true), null)).rejects.toThrow(
    'no longer exists',
  );
});

it('migrates a version-0 projection (before the roll-over’s movedTo mark) to the current one', async () => {
  const storage = fakeDexieStorage();
  const name = uniqueDbName('content-mig');
  const current = meetingContentCollection.schema as RxJsonSchema<Record<string, unknown>>;
  const strip = (entry: object) => {
    const { movedTo: _movedTo, ...rest } = entry as Record<string, unknown>;
    void _movedTo;
    return rest;
  };
  const entrySchema = (list: unknown) => {
    const items = (list as { items: { properties: Record<string, unknown>; required: string[] } }).items;
    return {
      ...(list as object),
      items: {
        ...items,
        properties: strip(items.properties),
        required: items.required.filter((r) => r !== 'movedTo'),
      },
    };
  };
  const v0: AnyCollectionDefinition = {
    schema: {
      ...current,
      version: 0,
      properties: {
        ...current.properties,
        topics: entrySchema(current.properties.topics),
        items: entrySchema(current.properties.items),
      },
    } as unknown as RxJsonSchema<Record<string, unknown>>,
    migrationStrategies: {},
  };
  const old = await openDatabase<Record<string, RxCollection<Record<string, unknown>>>>(
    { meetingContent: v0 },
    { storage, name },
  );
  const sample = sampleDocs.meetingContent;
  await old.collections.meetingContent!.insert({
    ...sample,
    topics: sample.topics.map(strip),
    items: sample.items.map(strip),
  });
  await old.close();
  const next = await openDatabase<{ meetingContent: RxCollection<MeetingContentDoc> }>(
    { meetingContent: meetingContentCollection },
    { storage, name },
  );
  try {
    expect((await next.meetingContent.findOne(sample.id).exec())?.toJSON()).toEqual(sample);
  } finally {
    await next.close();
  }
});

it('leaves an item that rolled on to the next meeting out of the open count', async () => {
  const ws = workspace();
  const id = ws.add('items', 'Moved on');
  (ws.doc.getMap('items').get(id) as Y.Map<unknown>).set('movedTo', '2030-01-14');
  const p = projectWorkspace(ws);
  expect(p.items[0]?.movedTo).toBe('2030-01-14');
  expect(p.openItems).toBe(0);
});
