// Reading and writing private notes. Only here, only local: nothing in this module touches the
// bridge, a Y.Doc or the network (docs/architecture.md §5).
import type { RxCollection } from 'rxdb';
import type { PrivateNoteDoc } from './schemas';
import {
  codecFor,
  defaultCodecs,
  writeCodec,
  type CodecRegistry,
  type PrivateNoteCodec,
} from './private-note-codec';

export type PrivateNotes = RxCollection<PrivateNoteDoc>;

export const privateNoteId = (meetingId: string, owner: string): string =>
  `${meetingId}:${owner.toLowerCase()}`;

export interface PrivateNoteOptions {
  codec?: PrivateNoteCodec;
  codecs?: CodecRegistry;
  now?: () => number;
}

export async function writePrivateNote(
  notes: PrivateNotes,
  note: { meetingId: string; owner: string; body: string },
  options: PrivateNoteOptions = {},
): Promise<void> {
  const codec = options.codec ?? writeCodec;
  await notes.upsert({
    id: privateNoteId(note.meetingId, note.owner),
    meetingId: note.meetingId,
    owner: note.owner.toLowerCase(),
    body: await codec.encode(note.body),
    bodyScheme: codec.scheme,
    updatedAt: (options.now ?? Date.now)(),
  });
}

/** The note's plain text, or null when there is none. */
export async function readPrivateNote(
  notes: PrivateNotes,
  meetingId: string,
  owner: string,
  options: Pick<PrivateNoteOptions, 'codecs'> = {},
): Promise<string | null> {
  const doc = await notes.findOne(privateNoteId(meetingId, owner)).exec();
  if (!doc) return null;
  return codecFor(doc.bodyScheme, options.codecs ?? defaultCodecs).decode(doc.body);
}
