// Which meetings have shared content in their Y.Doc (docs/architecture.md §4): an event cancelled
// or gone deletes its meeting only when the meeting has no content, and agenda topics, action
// items and shared notes are content as much as a private note is. The engine's ingest asks this
// (`sharedContent`) with every meeting id; only meetings whose local copy exists (y-indexeddb,
// `duet-meeting-<meeting id>`: opened at least once on this device) are opened, so a check over
// thousands of meetings costs one listing of the browser's databases and one read per opened one.
import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import { MeetingWorkspace } from '../../../../src-shared/workspace/meeting-doc';
import type { SharedContentCheck } from '../../calendar/detect';

export const localMeetingDocName = (meetingId: string): string => `duet-meeting-${meetingId}`;

/** True when the doc holds a topic, an action item or any shared notes (plain or rich). */
export function docHasContent(doc: Y.Doc): boolean {
  const ws = new MeetingWorkspace(doc, '');
  return (
    ws.topics().length > 0 || ws.items().length > 0 || ws.notes.length > 0 || ws.notesText().trim() !== ''
  );
}

export function ydocSharedContent(idb: IDBFactory = globalThis.indexedDB): SharedContentCheck {
  return async (meetingIds) => {
    const out = new Set<string>();
    // Without a way to list databases nothing is opened: the engine then keeps to private notes.
    if (!idb || typeof idb.databases !== 'function' || meetingIds.length === 0) return out;
    const names = new Set((await idb.databases()).map((d) => d.name));
    for (const id of meetingIds) {
      const name = localMeetingDocName(id);
      if (!names.has(name)) continue;
      const doc = new Y.Doc();
      const local = new IndexeddbPersistence(name, doc);
      try {
        await local.whenSynced;
        if (docHasContent(doc)) out.add(id);
      } finally {
        await local.destroy();
        doc.destroy();
      }
    }
    return out;
  };
}
