// The meeting page's Y.Docs (docs/architecture.md §5), held a little longer than the page: the
// last few meetings left stay in memory with their local copy (y-indexeddb) attached, so going
// back to a meeting just seen (the list, then the meeting again) shows it without reading and
// decoding the whole document from IndexedDB again. A doc nobody holds is kept only while it is
// among the KEEP most recently left; the rest are closed.
//
// What a page builds over a doc and would build again on every visit (its presence, the notes
// editor with its view of the whole notes) can be kept with the doc (`keep`): it lives exactly as
// long as the doc stays here and is disposed before the doc is closed.
//
// Another writer of the same local copy (a second IndexeddbPersistence on the same database) is
// not seen live by a held doc, so taking a held doc again first reads what was stored since.
import { fetchUpdates, IndexeddbPersistence, storeState } from 'y-indexeddb';
import * as Y from 'yjs';
import { localMeetingDocName } from './shared-content';

export interface HeldMeetingDoc {
  readonly meetingId: string;
  readonly doc: Y.Doc;
  /** Resolves once the local copy is in the doc (at once where there is no IndexedDB). */
  readonly loaded: Promise<void>;
  /** True once `loaded` has resolved: a page can render a held doc in its first pass. */
  isLoaded(): boolean;
  /**
   * The object kept under `key` with this doc, made by `make` the first time; `dispose` runs when
   * the cache closes the doc (in the reverse order of making). Throws once released.
   */
  keep<T>(key: string, make: () => T, dispose: (value: T) => void): T;
  /** The object kept under `key`, if one was made. */
  kept<T>(key: string): T | undefined;
  /** Gives the doc back; the cache keeps or closes it. Calling it twice is harmless. */
  release(): void;
}

interface Kept {
  value: unknown;
  dispose: (value: unknown) => void;
}

interface Entry {
  doc: Y.Doc;
  local: IndexeddbPersistence | null;
  loaded: Promise<void>;
  isLoaded: boolean;
  users: number;
  /** What pages keep with the doc, by key, in the order made. */
  kept: Map<string, Kept>;
  /** When the last user released it (for the LRU among unused entries). */
  leftAt: number;
}

export interface MeetingDocCache {
  acquire(meetingId: string): HeldMeetingDoc;
  /** The held entry's load state, without taking it (for a first render). */
  peekLoaded(meetingId: string): boolean;
  /** A page holds the meeting's doc now (the background sync leaves it to the page). */
  isHeld(meetingId: string): boolean;
  /** Closes every doc nobody holds (tests; a database switch). */
  clear(): Promise<void>;
  size(): number;
}

/**
 * y-indexeddb listens for the doc's updates from the moment it is made, to store them; while it
 * reads the stored copy in, every update it applies is its own and is not stored again, yet Yjs
 * encodes each one in full for that listener: for a long meeting a good part of the time the
 * first open after a start takes. So its listener is off until the copy is in. Nothing is lost:
 * y-indexeddb stores the doc's whole state before applying what it read (so a write made before
 * the database opened is kept), the page writes only once the doc is loaded, and should anything
 * else write in between, the whole state is stored again once the listener is back.
 */
function readQuietly(local: IndexeddbPersistence): IndexeddbPersistence {
  const doc = local.doc;
  doc.off('update', local._storeUpdate);
  let othersWrote = false;
  const watch = (tr: Y.Transaction) => {
    if (tr.origin !== local && (tr.changed.size > 0 || tr.deleteSet.clients.size > 0)) othersWrote = true;
  };
  doc.on('afterTransaction', watch);
  void local.whenSynced.then(() => {
    doc.off('afterTransaction', watch);
    doc.on('update', local._storeUpdate);
    if (othersWrote) void storeState(local, true).catch(() => undefined);
  });
  return local;
}

export function createMeetingDocCache(
  options: {
    keep?: number;
    idb?: IDBFactory | undefined;
    now?: () => number;
  } = {},
): MeetingDocCache {
  const keep = options.keep ?? 3;
  const hasIdb = () => (options.idb ?? globalThis.indexedDB) !== undefined;
  const now = options.now ?? (() => performance.now());
  const entries = new Map<string, Entry>();

  const disposeKept = (e: Entry) => {
    const kept = [...e.kept.values()].reverse();
    e.kept.clear();
    for (const k of kept) {
      try {
        k.dispose(k.value);
      } catch (error) {
        // One failing dispose must not keep the doc open or skip the others.
        console.error('meeting doc cache: dispose failed', error);
      }
    }
  };
  const close = (id: string, e: Entry) => {
    entries.delete(id);
    disposeKept(e);
    void (e.local ? e.local.destroy() : Promise.resolve()).finally(() => e.doc.destroy());
  };
  const trim = () => {
    const unused = [...entries].filter(([, e]) => e.users === 0).sort((a, b) => b[1].leftAt - a[1].leftAt);
    for (const [id, e] of unused.slice(keep)) close(id, e);
  };

  const open = (meetingId: string): Entry => {
    const doc = new Y.Doc();
    const local = hasIdb()
      ? readQuietly(new IndexeddbPersistence(localMeetingDocName(meetingId), doc))
      : null;
    const entry: Entry = {
      doc,
      local,
      loaded: Promise.resolve(),
      isLoaded: false,
      users: 0,
      kept: new Map(),
      leftAt: 0,
    };
    entry.loaded = (local ? local.whenSynced.then(() => undefined) : Promise.resolve()).then(() => {
      entry.isLoaded = true;
    });
    return entry;
  };

  return {
    acquire(meetingId) {
      let entry = entries.get(meetingId);
      if (!entry) {
        entry = open(meetingId);
        entries.set(meetingId, entry);
      } else if (entry.users === 0 && entry.isLoaded && entry.local) {
        // Anything another writer stored while the doc sat here (applying what the doc already
        // has is a no-op, so re-reading its own writes costs only their decoding).
        void fetchUpdates(entry.local).catch(() => undefined);
      }
      entry.users++;
      const e = entry;
      let released = false;
      return {
        meetingId,
        doc: e.doc,
        loaded: e.loaded,
        isLoaded: () => e.isLoaded,
        keep<T>(key: string, make: () => T, dispose: (value: T) => void): T {
          if (released) throw new Error(`meeting doc ${meetingId} was released: nothing can be kept with it`);
          const found = e.kept.get(key);
          if (found) return found.value as T;
          const value = make();
          e.kept.set(key, { value, dispose: dispose as (value: unknown) => void });
          return value;
        },
        kept: <T>(key: string) => e.kept.get(key)?.value as T | undefined,
        release() {
          if (released) return;
          released = true;
          e.users--;
          if (e.users === 0) {
            e.leftAt = now();
            trim();
          }
        },
      };
    },
    peekLoaded: (meetingId) => entries.get(meetingId)?.isLoaded ?? false,
    isHeld: (meetingId) => (entries.get(meetingId)?.users ?? 0) > 0,
    async clear() {
      const unused = [...entries].filter(([, e]) => e.users === 0);
      await Promise.all(
        unused.map(async ([id, e]) => {
          entries.delete(id);
          disposeKept(e);
          await e.local?.destroy();
          e.doc.destroy();
        }),
      );
    },
    size: () => entries.size,
  };
}

/** The renderer's one cache: every meeting page takes its doc here. */
export const meetingDocs = createMeetingDocCache();
