// Reading and writing private notes. Only here, only local: nothing in this module puts a note on
// the bridge, in a Y.Doc or on the network (docs/architecture.md §5). Every save encrypts with
// main's key (`codecs.write`); a body stored by an older codec (plain) is read through the codec
// it names and is re-encrypted by the next save.
import type { RxCollection } from 'rxdb';
import type { DuetApi } from '../../../src-shared/bridge/contract';
import type { PrivateNoteDoc } from './schemas';
import { codecFor, codecsWithKey, importPrivateNoteKey, type PrivateNoteCodecs } from './private-note-codec';

export type PrivateNotes = RxCollection<PrivateNoteDoc>;

export const privateNoteId = (meetingId: string, owner: string): string =>
  `${meetingId}:${owner.toLowerCase()}`;

export async function writePrivateNote(
  notes: PrivateNotes,
  note: { meetingId: string; owner: string; body: string },
  options: { codecs: PrivateNoteCodecs; now?: () => number },
): Promise<void> {
  const codec = options.codecs.write;
  await notes.upsert({
    id: privateNoteId(note.meetingId, note.owner),
    meetingId: note.meetingId,
    owner: note.owner.toLowerCase(),
    body: await codec.encode(note.body),
    bodyScheme: codec.scheme,
    updatedAt: (options.now ?? Date.now)(),
  });
}

/** The note's plain text, or null when there is none. Throws PrivateNoteCodecError when unreadable. */
export async function readPrivateNote(
  notes: PrivateNotes,
  meetingId: string,
  owner: string,
  options: { codecs: PrivateNoteCodecs },
): Promise<string | null> {
  const doc = await notes.findOne(privateNoteId(meetingId, owner)).exec();
  if (!doc) return null;
  return codecFor(doc.bodyScheme, options.codecs.read).decode(doc.body);
}

// One import of main's key per bridge (per window); a failure is not kept, so the next try asks again.
const loaded = new WeakMap<DuetApi, Promise<PrivateNoteCodecs>>();

/** The codecs of this window: main's key, asked once through the bridge, kept in memory only. */
export function privateNoteCodecs(bridge: DuetApi): Promise<PrivateNoteCodecs> {
  let pending = loaded.get(bridge);
  if (!pending) {
    pending = bridge.privateNotes
      .key()
      .then(({ key }) => importPrivateNoteKey(key))
      .then(codecsWithKey);
    loaded.set(bridge, pending);
    pending.catch(() => loaded.delete(bridge));
  }
  return pending;
}
