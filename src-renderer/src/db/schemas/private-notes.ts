// A user's private notes on a meeting. They exist ONLY here: never in a Y.Doc, never sent over the
// bridge or to the sync server (docs/architecture.md §5).
//
// Encryption at rest is a later issue. The seam is `bodyScheme`: every body is written and read
// through a codec (src-renderer/src/db/private-note-codec.ts, used by ../private-notes.ts), today
// the 'plain' one. The encryption issue registers an encrypting codec and writes new bodies with
// it; old 'plain' bodies stay readable. No schema change is needed for that.
import { defineCollection, emailField, idField, timestampField } from './define';

export interface PrivateNoteDoc {
  /** `${meetingId}:${owner}` — one note per meeting and author. */
  id: string;
  meetingId: string;
  owner: string;
  /** The body as encoded by the codec named in `bodyScheme`. */
  body: string;
  bodyScheme: string;
  updatedAt: number;
}

export const privateNotesCollection = defineCollection<PrivateNoteDoc>({
  schema: {
    title: 'private notes',
    description: "The user's own notes on a meeting; local only",
    version: 0,
    primaryKey: 'id',
    type: 'object',
    properties: {
      id: { type: 'string', maxLength: 460 },
      meetingId: idField,
      owner: emailField,
      body: { type: 'string' },
      bodyScheme: { type: 'string', maxLength: 32 },
      updatedAt: timestampField,
    },
    required: ['id', 'meetingId', 'owner', 'body', 'bodyScheme', 'updatedAt'],
    indexes: ['meetingId'],
  },
  migrationStrategies: {},
});
