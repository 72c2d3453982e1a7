// The meeting page's doc cache over a real y-indexeddb (fake-indexeddb): a doc taken again is the
// same doc (no second read), only the few most recently left are kept, and a held doc picks up
// what another writer stored meanwhile.
import 'fake-indexeddb/auto';
import { afterEach, expect, it, vi } from 'vitest';
import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import {
  createMeetingDocCache,
  type MeetingDocCache,
} from '../../../src-renderer/src/features/meeting/meeting-doc-cache';
import { localMeetingDocName } from '../../../src-renderer/src/features/meeting/shared-content';

let cache: MeetingDocCache | undefined;
let n = 0;
const id = () => `m-cache-${Date.now()}-${n++}`;
afterEach(async () => {
  await cache?.clear();
  cache = undefined;
});

async function store(meetingId: string, write: (doc: Y.Doc) => void) {
  const doc = new Y.Doc();
  const local = new IndexeddbPersistence(localMeetingDocName(meetingId), doc);
  await local.whenSynced;
  write(doc);
  await local.destroy();
  doc.destroy();
}

it('loads the local copy once and hands the same doc back after a release', async () => {
  cache = createMeetingDocCache({ keep: 2 });
  const m = id();
  await store(m, (doc) => doc.getMap('topics').set('t1', new Y.Map()));
  const first = cache.acquire(m);
  expect(first.isLoaded()).toBe(false);
  await first.loaded;
  expect(first.isLoaded()).toBe(true);
  expect(first.doc.getMap('topics').has('t1')).toBe(true);
  first.release();
  first.release(); // twice is harmless
  expect(cache.peekLoaded(m)).toBe(true);
  const again = cache.acquire(m);
  expect(again.doc).toBe(first.doc);
  expect(again.isLoaded()).toBe(true);
  again.release();
});

it('keeps only the most recently left docs, never one in use', async () => {
  let t = 0;
  cache = createMeetingDocCache({ keep: 2, now: () => ++t });
  const ids = [id(), id(), id(), id()];
  const inUse = cache.acquire(ids[0]!);
  for (const m of ids.slice(1)) {
    const h = cache.acquire(m);
    await h.loaded;
    h.release();
  }
  // ids[1] was left first and is closed; ids[0] is held; ids[2], ids[3] are the two kept.
  expect(cache.size()).toBe(3);
  expect(cache.peekLoaded(ids[1]!)).toBe(false);
  expect(cache.peekLoaded(ids[3]!)).toBe(true);
  const reopened = cache.acquire(ids[1]!);
  expect(reopened.isLoaded()).toBe(false); // a fresh read
  await reopened.loaded;
  reopened.release();
  inUse.release();
});

it('a held doc taken again reads what another writer stored meanwhile', async () => {
  cache = createMeetingDocCache();
  const m = id();
  const h = cache.acquire(m);
  await h.loaded;
  h.doc.getMap('topics').set('mine', new Y.Map());
  h.release();
  await store(m, (doc) => doc.getMap('topics').set('theirs', new Y.Map()));
  const again = cache.acquire(m);
  await expect.poll(() => again.doc.getMap('topics').has('theirs')).toBe(true);
  expect(again.doc.getMap('topics').has('mine')).toBe(true);
  again.release();
});

it('keeps what a page builds with the doc until the doc is closed, then disposes it in reverse order', async () => {
  let t = 0;
  cache = createMeetingDocCache({ keep: 1, now: () => ++t });
  const [a, b] = [id(), id()];
  const disposed: string[] = [];
  const first = cache.acquire(a);
  const presence = first.keep(
    'presence',
    () => ({ name: 'presence' }),
    (v) => disposed.push(v.name),
  );
  first.keep(
    'editor',
    () => ({ name: 'editor' }),
    (v) => disposed.push(v.name),
  );
  first.release();
  expect(() =>
    first.keep(
      'late',
      () => 1,
      () => undefined,
    ),
  ).toThrow(/released/);

  // Taken again: the same objects, nothing made twice.
  const again = cache.acquire(a);
  let made = 0;
  expect(
    again.keep(
      'presence',
      () => ({ name: `second ${++made}` }),
      () => undefined,
    ),
  ).toBe(presence);
  expect(made).toBe(0);
  expect(again.kept<{ name: string }>('editor')?.name).toBe('editor');
  expect(again.kept('nothing')).toBeUndefined();
  again.release();
  expect(disposed).toEqual([]);

  // Another meeting left after it pushes it out of the cache (keep: 1): disposed, editor first.
  const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  const other = cache.acquire(b);
  other.keep(
    'editor',
    () => ({ name: 'other editor' }),
    () => {
      throw new Error('a failing dispose');
    },
  );
  other.release();
  expect(disposed).toEqual(['editor', 'presence']);
  expect(cache.peekLoaded(a)).toBe(false);
  const fresh = cache.acquire(a);
  expect(fresh.kept('presence')).toBeUndefined();
  fresh.release();
  // b, pushed out in turn, is closed although its dispose throws, and says so.
  expect(cache.size()).toBe(1);
  expect(errors).toHaveBeenCalledWith('meeting doc cache: dispose failed', expect.any(Error));
  errors.mockRestore();
});

it('stores what is written before its local copy is read in, and after', async () => {
  cache = createMeetingDocCache();
  const read = async (m: string) => {
    await cache!.clear();
    // Let y-indexeddb's writes land before reading the database afresh.
    await new Promise((r) => setTimeout(r, 50));
    const doc = new Y.Doc();
    const local = new IndexeddbPersistence(localMeetingDocName(m), doc);
    await local.whenSynced;
    const keys = [...doc.getMap('topics').keys()].sort();
    await local.destroy();
    return keys;
  };
  // Written after the copy is in: y-indexeddb's listener, off while it read, is back.
  const a = id();
  await store(a, (doc) => doc.getMap('topics').set('stored', new Y.Map()));
  const first = cache.acquire(a);
  await first.loaded;
  first.doc.getMap('topics').set('late', new Y.Map());
  first.release();
  expect(await read(a)).toEqual(['late', 'stored']);

  // Written before the copy is read in.
  const b = id();
  await store(b, (doc) => doc.getMap('topics').set('stored', new Y.Map()));
  const second = cache.acquire(b);
  second.doc.getMap('topics').set('early', new Y.Map());
  await second.loaded;
  second.release();
  expect(await read(b)).toEqual(['early', 'stored']);
});
