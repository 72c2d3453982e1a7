// The typed model over one meeting's shared Y.Doc (docs/architecture.md §5): agenda topics, action
// items, shared notes and the meeting's own title/time/participants, so the other person's app can
// show a meeting it learned of only from the sync server. Private notes are never here.
//
// Layout (the wire format both apps and the sync server agree on; change only additively):
//   'meta'    Y.Map  title, start, end (epoch ms), participants (string[])
//   'topics'  Y.Map<id, Y.Map>  text, author, done, doneAt, order
//   'items'   Y.Map<id, Y.Map>  text, author, done, doneAt, order, assignee, due
//             (topics and items may also carry the roll-over marks, roll-over.ts: 'rolledFrom':
//             'YYYY-MM-DD', the start date of the meeting an unfinished entry was first raised in,
//             the "from <date>" mark; 'movedTo': 'YYYY-MM-DD', on an entry that rolled on, the
//             start date of the meeting it moved to)
//   'notes'   Y.Text  shared notes as plain text (the first pass; read once into 'sharedNotes')
//   'sharedNotes'  Y.XmlFragment  shared notes as rich text (TipTap/ProseMirror nodes: paragraphs,
//             headings, bullet/ordered/task lists, link marks), edited by the notes editor
// Entries are keyed by id in a map with a fractional `order` rather than kept in a Y.Array, so a
// reorder is one field write that merges with the other person's concurrent edits instead of a
// delete + insert that could duplicate or lose the entry.
import * as Y from 'yjs';

export interface Entry {
  id: string;
  text: string;
  /** Lower-cased email of whoever added it; only they may delete a topic. */
  author: string;
  done: boolean;
  /** Epoch ms when completed, 0 when open. */
  doneAt: number;
  order: number;
  /**
   * 'YYYY-MM-DD': the start date of the meeting this entry rolled over from (the "from <date>"
   * mark, docs/architecture.md §5); absent when it was added here.
   */
  rolledFrom?: string;
  /**
   * 'YYYY-MM-DD': on an entry that rolled over to the next meeting of the series, that meeting's
   * start date (docs/architecture.md §5 "Roll-over"); the entry stays here, shown as moved.
   */
  movedTo?: string;
}
export type Topic = Entry;
export interface ActionItem extends Entry {
  /** Email of one of the two participants, '' for nobody. */
  assignee: string;
  /** Due date as YYYY-MM-DD, '' for none. */
  due: string;
}
export interface MeetingMeta {
  title: string;
  start: number;
  end: number;
  participants: string[];
}
export type ListKind = 'topics' | 'items';

export class WorkspaceError extends Error {}

const MAX_TEXT = 2000;
const DUE = /^\d{4}-\d{2}-\d{2}$/;

function cleanText(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) throw new WorkspaceError('Text is empty.');
  if (trimmed.length > MAX_TEXT) throw new WorkspaceError(`Text is longer than ${MAX_TEXT} characters.`);
  return trimmed;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** Reads one entry defensively: a peer's document may hold anything. */
function readEntry(id: string, m: unknown): Entry | null {
  if (!(m instanceof Y.Map)) return null;
  const text = str(m.get('text'));
  if (!text) return null;
  const entry: Entry = {
    id,
    text,
    author: str(m.get('author')),
    done: m.get('done') === true,
    doneAt: num(m.get('doneAt')),
    order: num(m.get('order')),
  };
  const from = str(m.get('rolledFrom'));
  if (DUE.test(from)) entry.rolledFrom = from;
  const moved = str(m.get('movedTo'));
  if (DUE.test(moved)) entry.movedTo = moved;
  return entry;
}

function newId(): string {
  return globalThis.crypto.randomUUID();
}

export class MeetingWorkspace {
  readonly doc: Y.Doc;
  /** Lower-cased email of the local user: the author of what they add. */
  readonly me: string;

  constructor(doc: Y.Doc, me: string) {
    this.doc = doc;
    this.me = me.trim().toLowerCase();
  }

  private list(kind: ListKind): Y.Map<Y.Map<unknown>> {
    return this.doc.getMap(kind);
  }
  /** The first pass's plain shared notes; new writing goes to `notesFragment`. */
  get notes(): Y.Text {
    return this.doc.getText('notes');
  }
  /** The rich shared notes the editor is bound to (docs/architecture.md §5). */
  get notesFragment(): Y.XmlFragment {
    return this.doc.getXmlFragment('sharedNotes');
  }

  /** The shared notes' words, one line per block: for search, export and tests. */
  notesText(): string {
    const lines: string[] = [];
    const walk = (node: Y.XmlElement | Y.XmlFragment) => {
      const own: string[] = [];
      for (const child of node.toArray()) {
        if (child instanceof Y.XmlText)
          own.push(
            child
              .toDelta()
              .map((d: { insert: unknown }) => str(d.insert))
              .join(''),
          );
        else if (child instanceof Y.XmlElement) walk(child);
      }
      if (own.length) lines.push(own.join(''));
    };
    walk(this.notesFragment);
    return lines.join('\n');
  }

  /**
   * Moves the plain notes of the first pass into the rich notes, once: only while the rich notes
   * are empty, each line a paragraph, clearing the plain text in the same transaction. Call it
   * when this app has everything the server has (live) or the meeting was never shared, so two
   * apps do not both import the same lines.
   */
  importPlainNotes(): boolean {
    const plain = this.notes.toString();
    if (!plain || this.notesFragment.length > 0) return false;
    this.doc.transact(() => {
      const paragraphs = plain.split('\n').map((line) => {
        const p = new Y.XmlElement('paragraph');
        if (line) p.insert(0, [new Y.XmlText(line)]);
        return p;
      });
      this.notesFragment.insert(0, paragraphs);
      this.notes.delete(0, this.notes.length);
    });
    return true;
  }
  private get metaMap(): Y.Map<unknown> {
    return this.doc.getMap('meta');
  }

  meta(): MeetingMeta {
    const m = this.metaMap;
    const participants = m.get('participants');
    return {
      title: str(m.get('title')),
      start: num(m.get('start')),
      end: num(m.get('end')),
      participants: Array.isArray(participants) ? participants.filter((p) => typeof p === 'string') : [],
    };
  }

  /** Writes only what differs, so two apps stamping the same meeting do not churn the doc. */
  setMeta(meta: MeetingMeta): void {
    const current = this.meta();
    this.doc.transact(() => {
      const m = this.metaMap;
      if (current.title !== meta.title) m.set('title', meta.title);
      if (current.start !== meta.start) m.set('start', meta.start);
      if (current.end !== meta.end) m.set('end', meta.end);
      if (current.participants.join('\n') !== meta.participants.join('\n'))
        m.set('participants', [...meta.participants]);
    });
  }

  topics(): Topic[] {
    return this.entries('topics');
  }

  items(): ActionItem[] {
    const list = this.list('items');
    return this.entries('items').map((e) => {
      const m = list.get(e.id)!;
      const due = str(m.get('due'));
      return { ...e, assignee: str(m.get('assignee')), due: DUE.test(due) ? due : '' };
    });
  }

  private entries(kind: ListKind): Entry[] {
    const out: Entry[] = [];
    for (const [id, m] of this.list(kind).entries()) {
      const e = readEntry(id, m);
      if (e) out.push(e);
    }
    // Ties (two entries added concurrently with the same order) break by id, the same on both sides.
    return out.sort((a, b) => a.order - b.order || (a.id < b.id ? -1 : 1));
  }

  add(kind: ListKind, text: string, extra: { assignee?: string; due?: string } = {}): string {
    const clean = cleanText(text);
    const current = this.entries(kind);
    const order = current.length ? current[current.length - 1]!.order + 1 : 1;
    const id = newId();
    const m = new Y.Map<unknown>();
    m.set('text', clean);
    m.set('author', this.me);
    m.set('done', false);
    m.set('doneAt', 0);
    m.set('order', order);
    if (kind === 'items') {
      m.set('assignee', this.checkAssignee(extra.assignee ?? ''));
      m.set('due', checkDue(extra.due ?? ''));
    }
    this.list(kind).set(id, m);
    return id;
  }

  private entry(kind: ListKind, id: string): Y.Map<unknown> {
    const m = this.list(kind).get(id);
    if (!(m instanceof Y.Map)) throw new WorkspaceError('That entry no longer exists.');
    return m;
  }

  edit(kind: ListKind, id: string, text: string): void {
    this.entry(kind, id).set('text', cleanText(text));
  }

  setDone(kind: ListKind, id: string, done: boolean): void {
    const m = this.entry(kind, id);
    this.doc.transact(() => {
      m.set('done', done);
      m.set('doneAt', done ? Date.now() : 0);
    });
  }

  setAssignee(id: string, assignee: string): void {
    this.entry('items', id).set('assignee', this.checkAssignee(assignee));
  }

  setDue(id: string, due: string): void {
    this.entry('items', id).set('due', checkDue(due));
  }

  private checkAssignee(assignee: string): string {
    const a = assignee.trim().toLowerCase();
    if (a && !this.meta().participants.includes(a))
      throw new WorkspaceError('An action item can only be assigned to one of the two participants.');
    return a;
  }

  /** Topics: only their author deletes (docs/architecture.md §5). Action items: either person. */
  canDelete(kind: ListKind, id: string): boolean {
    if (kind === 'items') return true;
    const e = readEntry(id, this.list(kind).get(id));
    return !!e && canDeleteTopic(e, this.me);
  }

  delete(kind: ListKind, id: string): void {
    this.entry(kind, id);
    if (!this.canDelete(kind, id))
      throw new WorkspaceError('Only the person who added a topic can delete it.');
    this.list(kind).delete(id);
  }

  /** Moves an entry one place up (-1) or down (+1): it takes the midpoint past its neighbour. */
  move(kind: ListKind, id: string, direction: -1 | 1): void {
    const list = this.entries(kind);
    const i = list.findIndex((e) => e.id === id);
    if (i < 0) throw new WorkspaceError('That entry no longer exists.');
    const j = i + direction;
    if (j < 0 || j >= list.length) return;
    const beyond = list[j + direction];
    const neighbour = list[j]!.order;
    const order = beyond ? (neighbour + beyond.order) / 2 : neighbour + direction;
    this.entry(kind, id).set('order', order);
  }

  /**
   * Moves an entry to just before `beforeId` (null: to the end), as a drop does: one order write
   * between the two neighbours it lands between.
   */
  moveTo(kind: ListKind, id: string, beforeId: string | null): void {
    this.entry(kind, id);
    if (beforeId === id) return;
    const list = this.entries(kind).filter((e) => e.id !== id);
    const at = beforeId === null ? list.length : list.findIndex((e) => e.id === beforeId);
    if (at < 0) throw new WorkspaceError('That entry no longer exists.');
    const prev = list[at - 1];
    const next = list[at];
    const order =
      prev && next ? (prev.order + next.order) / 2 : prev ? prev.order + 1 : next ? next.order - 1 : 1;
    this.entry(kind, id).set('order', order);
  }

  /**
   * Calls `listener` after a change to the agenda, the action items or the meta, not to the
   * notes: the page's lists need not re-render on every keystroke in the notes editor, which
   * renders itself. Returns the unsubscribe.
   */
  observeEntries(listener: () => void): () => void {
    const on = () => listener();
    const types = [this.list('topics'), this.list('items'), this.metaMap];
    for (const t of types) t.observeDeep(on);
    return () => {
      for (const t of types) t.unobserveDeep(on);
    };
  }

  /** Calls `listener` after every change, local or remote; returns the unsubscribe. */
  observe(listener: () => void): () => void {
    const onUpdate = () => listener();
    this.doc.on('update', onUpdate);
    return () => this.doc.off('update', onUpdate);
  }
}

function checkDue(due: string): string {
  const d = due.trim();
  if (d && !DUE.test(d)) throw new WorkspaceError('A due date is written YYYY-MM-DD.');
  return d;
}

/**
 * Only a topic's author deletes it (docs/architecture.md §5). The page uses this to leave out the
 * "Delete topic" button; the model refuses the deletion, and the sync server refuses an update
 * that makes it anyway (sync-server/rooms/agenda-guard.ts), so all three agree.
 */
export function canDeleteTopic(topic: Pick<Topic, 'author'>, me: string): boolean {
  const who = me.trim().toLowerCase();
  return who !== '' && topic.author === who;
}

/** A topic or item whose whole text is one http(s) URL renders as a link. */
export function linkOf(text: string): string | null {
  const t = text.trim();
  if (/\s/.test(t)) return null;
  try {
    const url = new URL(t);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}
