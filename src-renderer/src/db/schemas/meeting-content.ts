// What each meeting's shared Y.Doc holds, as this device last saw it: a projection kept in RxDB so
// screens that show many meetings at once (Up next's prep summaries, a person's and a series' open
// items, Action items, the Meetings search) read one query instead of opening a Y.Doc, or a
// websocket, per meeting (docs/architecture.md §5). The Y.Doc stays the truth: this is rewritten
// from it whenever it changes here (features/meeting/content-projection.ts) and never edited.
import { defineCollection, idField, timestampField } from './define';

export interface ContentEntry {
  id: string;
  text: string;
  author: string;
  done: boolean;
  order: number;
  /** 'YYYY-MM-DD' of the meeting it rolled over from, '' when it was added here. */
  rolledFrom: string;
  /**
   * 'YYYY-MM-DD' of the next meeting it rolled over to, '' when it did not: the entry lives on
   * there, so it is not open here (its copy in the next meeting is).
   */
  movedTo: string;
}
export interface ContentItem extends ContentEntry {
  /** Email of one of the two participants, '' for nobody. */
  assignee: string;
  /** 'YYYY-MM-DD', '' for none. */
  due: string;
}
export interface MeetingContentDoc {
  /** The meeting's id. */
  id: string;
  topics: ContentEntry[];
  items: ContentItem[];
  /** The shared notes' words, one line per block (for search). */
  notesText: string;
  /** Action items neither done nor moved on: indexed, so "everything open" is one query. */
  openItems: number;
  updatedAt: number;
}

const text = { type: 'string', maxLength: 2000 } as const;
const entryProperties = {
  id: { type: 'string', maxLength: 128 },
  text,
  author: { type: 'string', maxLength: 320 },
  done: { type: 'boolean' },
  order: { type: 'number' },
  rolledFrom: { type: 'string', maxLength: 10 },
  movedTo: { type: 'string', maxLength: 10 },
} as const;
const entryRequired = ['id', 'text', 'author', 'done', 'order', 'rolledFrom', 'movedTo'];

export const meetingContentCollection = defineCollection<MeetingContentDoc>({
  schema: {
    title: 'meeting content',
    description: "A read-only projection of a meeting's shared Y.Doc, as this device holds it",
    version: 1,
    primaryKey: 'id',
    type: 'object',
    properties: {
      id: idField,
      topics: {
        type: 'array',
        items: { type: 'object', properties: entryProperties, required: entryRequired },
      },
      items: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            ...entryProperties,
            assignee: { type: 'string', maxLength: 320 },
            due: { type: 'string', maxLength: 10 },
          },
          required: [...entryRequired, 'assignee', 'due'],
        },
      },
      notesText: { type: 'string' },
      openItems: { type: 'number', minimum: 0, maximum: 1_000_000, multipleOf: 1 },
      updatedAt: timestampField,
    },
    required: ['id', 'topics', 'items', 'notesText', 'openItems', 'updatedAt'],
    indexes: ['openItems'],
  },
  migrationStrategies: {
    // 1: the roll-over's 'movedTo' mark. Unknown for stored projections: '' until the doc changes.
    1: (doc: { topics: object[]; items: object[] }) => ({
      ...doc,
      topics: doc.topics.map((t) => ({ ...t, movedTo: '' })),
      items: doc.items.map((i) => ({ ...i, movedTo: '' })),
    }),
  },
});
