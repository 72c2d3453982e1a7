// What is still open in a meeting (the prep reminder lists it; the weekly summary counts action
// items): unfinished topics and action items of its shared Y.Doc, leaving out entries the
// roll-over already moved to the next meeting (`movedTo`, docs/architecture.md §5). Read from this
// device's local copies (y-indexeddb), as the ingest's content check does: the background sync
// (features/meeting/background-sync.ts) keeps the copies of the meetings around now up to date; a
// meeting with no copy here is left out rather than fetched.
import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import { MeetingWorkspace, type Entry } from '../../../../src-shared/workspace/meeting-doc';
import { localMeetingDocName } from '../meeting/shared-content';
import type { OpenEntries, OpenItemsReader } from './notifier';

/** Rolled on to the next meeting (its 'YYYY-MM-DD'): shown there, no longer open here. */
const moved = (e: Entry): boolean => Boolean(e.movedTo);

export function openEntriesOf(doc: Y.Doc): OpenEntries {
  const ws = new MeetingWorkspace(doc, '');
  const open = (list: readonly Entry[]) => list.filter((e) => !e.done && !moved(e)).map((e) => e.text);
  return { topics: open(ws.topics()), items: open(ws.items()) };
}

/** A reader over Y.Docs the caller holds (tests, or a window with the docs open). */
export function docsOpenItems(docFor: (meetingId: string) => Y.Doc | undefined): OpenItemsReader {
  return async (ids) => {
    const out = new Map<string, OpenEntries>();
    for (const id of ids) {
      const doc = docFor(id);
      if (doc) out.set(id, openEntriesOf(doc));
    }
    return out;
  };
}

export function localOpenItems(idb: IDBFactory | undefined = globalThis.indexedDB): OpenItemsReader {
  return async (ids) => {
    const out = new Map<string, OpenEntries>();
    if (!idb || typeof idb.databases !== 'function' || ids.length === 0) return out;
    const names = new Set((await idb.databases()).map((d) => d.name));
    for (const id of ids) {
      if (!names.has(localMeetingDocName(id))) continue;
      const doc = new Y.Doc();
      const local = new IndexeddbPersistence(localMeetingDocName(id), doc);
      try {
        await local.whenSynced;
        out.set(id, openEntriesOf(doc));
      } finally {
        await local.destroy();
        doc.destroy();
      }
    }
    return out;
  };
}
