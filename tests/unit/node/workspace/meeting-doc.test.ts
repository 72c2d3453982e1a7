// The meeting workspace model over two real Y.Docs exchanging updates, as two apps do through the
// sync server: convergence, authorship rules, reordering, and hostile document content.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { MeetingWorkspace, WorkspaceError, linkOf } from '../../../../src-shared/workspace/meeting-doc';
import { roomKeyOf } from '../../../../src-shared/workspace/room-key';
import type { CalendarLink } from '../../../../src-shared/meeting/model';

const MANAGER = 'manager@example.com';
const REPORT = 'report@example.com';

/** Two docs wired together: every update of one is applied to the other. */
function pair(): { a: MeetingWorkspace; b: MeetingWorkspace; cut(): () => void } {
  const da = new Y.Doc();
  const db = new Y.Doc();
  let connected = true;
  da.on('update', (u: Uint8Array, origin: unknown) => {
    if (connected && origin !== 'peer') Y.applyUpdate(db, u, 'peer');
  });
  db.on('update', (u: Uint8Array, origin: unknown) => {
    if (connected && origin !== 'peer') Y.applyUpdate(da, u, 'peer');
  });
  return {
    a: new MeetingWorkspace(da, MANAGER),
    b: new MeetingWorkspace(db, REPORT.toUpperCase()),
    cut: () => {
      connected = false;
      // Reconnecting exchanges state vectors, as y-websocket's sync step does.
      return () => {
        connected = true;
        Y.applyUpdate(db, Y.encodeStateAsUpdate(da, Y.encodeStateVector(db)), 'peer');
        Y.applyUpdate(da, Y.encodeStateAsUpdate(db, Y.encodeStateVector(da)), 'peer');
      };
    },
  };
}

const meta = { title: '1:1 Manager / Report', start: 1_000, end: 2_000, participants: [MANAGER, REPORT] };

describe('MeetingWorkspace', () => {
  it('carries meta, topics, items and notes to the other doc', () => {
    const { a, b } = pair();
    a.setMeta(meta);
    const t = a.add('topics', '  Career goals ');
    b.add('items', 'Send the review', { assignee: MANAGER, due: '2026-12-09' });
    a.notes.insert(0, 'hello');
    expect(b.meta()).toEqual(meta);
    expect(b.topics()).toEqual([
      { id: t, text: 'Career goals', author: MANAGER, done: false, doneAt: 0, order: 1 },
    ]);
    expect(a.items()).toMatchObject([
      { text: 'Send the review', author: REPORT, assignee: MANAGER, due: '2026-12-09' },
    ]);
    expect(b.notes.toString()).toBe('hello');
  });

  it('setMeta writes nothing when nothing changed', () => {
    const { a } = pair();
    a.setMeta(meta);
    let updates = 0;
    a.observe(() => updates++);
    a.setMeta({ ...meta, participants: [...meta.participants] });
    expect(updates).toBe(0);
    a.setMeta({ ...meta, title: 'Renamed' });
    expect(updates).toBe(1);
  });

  it('lets only the author delete a topic, and either person delete an item', () => {
    const { a, b } = pair();
    a.setMeta(meta);
    const topic = a.add('topics', 'Mine');
    const item = a.add('items', 'Shared chore');
    expect(b.canDelete('topics', topic)).toBe(false);
    expect(() => b.delete('topics', topic)).toThrow(WorkspaceError);
    expect(a.topics()).toHaveLength(1);
    b.delete('items', item);
    expect(a.items()).toHaveLength(0);
    a.delete('topics', topic);
    expect(b.topics()).toHaveLength(0);
  });

  it('completes and reopens', () => {
    const { a, b } = pair();
    const id = a.add('topics', 'Done soon');
    b.setDone('topics', id, true);
    expect(a.topics()[0]).toMatchObject({ done: true });
    expect(a.topics()[0]!.doneAt).toBeGreaterThan(0);
    a.setDone('topics', id, false);
    expect(b.topics()[0]).toMatchObject({ done: false, doneAt: 0 });
  });

  it('reorders by moving one place, and ignores moves past either end', () => {
    const { a, b } = pair();
    const [x, y, z] = ['one', 'two', 'three'].map((t) => a.add('topics', t));
    b.move('topics', z!, -1);
    expect(a.topics().map((t) => t.id)).toEqual([x, z, y]);
    a.move('topics', x!, 1);
    expect(b.topics().map((t) => t.id)).toEqual([z, x, y]);
    a.move('topics', z!, -1);
    a.move('topics', y!, 1);
    expect(b.topics().map((t) => t.id)).toEqual([z, x, y]);
  });

  it('merges concurrent offline edits, adds from both sides kept in the same order on both', () => {
    const { a, b, cut } = pair();
    const shared = a.add('topics', 'Before');
    const reconnect = cut();
    a.add('topics', 'From manager');
    b.add('topics', 'From report');
    b.edit('topics', shared, 'Edited offline');
    a.setDone('topics', shared, true);
    reconnect();
    expect(a.topics()).toEqual(b.topics());
    expect(
      a
        .topics()
        .map((t) => t.text)
        .sort(),
    ).toEqual(['Edited offline', 'From manager', 'From report']);
    expect(a.topics().find((t) => t.id === shared)).toMatchObject({ text: 'Edited offline', done: true });
  });

  it('refuses empty text, bad due dates and assignees outside the meeting', () => {
    const { a } = pair();
    a.setMeta(meta);
    expect(() => a.add('topics', '   ')).toThrow(/empty/);
    expect(() => a.add('topics', 'x'.repeat(2001))).toThrow(/longer/);
    expect(() => a.add('items', 'x', { due: 'tomorrow' })).toThrow(/YYYY-MM-DD/);
    expect(() => a.add('items', 'x', { assignee: 'mallory@example.com' })).toThrow(/participants/);
    expect(() => a.edit('topics', 'no-such-id', 'x')).toThrow(/no longer exists/);
    expect(a.topics()).toEqual([]);
    expect(a.items()).toEqual([]);
  });

  it('reads a hostile document without throwing, skipping malformed entries', () => {
    const doc = new Y.Doc();
    const topics = doc.getMap<unknown>('topics');
    topics.set('plain', 'not a map');
    const noText = new Y.Map<unknown>();
    noText.set('text', 42);
    topics.set('no-text', noText);
    const odd = new Y.Map<unknown>();
    odd.set('text', 'ok');
    odd.set('order', 'NaN');
    odd.set('done', 'yes');
    topics.set('odd', odd);
    const m = doc.getMap<unknown>('meta');
    m.set('participants', ['a@example.com', 7]);
    m.set('start', Infinity);
    const ws = new MeetingWorkspace(doc, MANAGER);
    expect(ws.topics()).toEqual([{ id: 'odd', text: 'ok', author: '', done: false, doneAt: 0, order: 0 }]);
    expect(ws.meta()).toEqual({ title: '', start: 0, end: 0, participants: ['a@example.com'] });
    expect(ws.canDelete('topics', 'odd')).toBe(false);
  });
});

describe('linkOf', () => {
  it('links a topic that is exactly one http(s) URL', () => {
    expect(linkOf(' https://example.com/doc ')).toBe('https://example.com/doc');
    expect(linkOf('see https://example.com')).toBeNull();
    expect(linkOf('javascript:alert(1)')).toBeNull();
    expect(linkOf('just words')).toBeNull();
  });
});

describe('roomKeyOf', () => {
  const link: CalendarLink = {
    provider: 'google',
    accountId: 'acc',
    calendarId: 'primary',
    eventId: 'e1',
    iCalUID: 'uid-1@google.com',
    recurringEventId: '',
    originalStart: 0,
    instanceStart: 0,
    etag: '',
    managedByApp: false,
  };
  it('is the UID for a one-off event and UID/original start (UTC ISO) for an occurrence', () => {
    expect(roomKeyOf({ calendarLink: link })).toBe('uid-1@google.com');
    const start = Date.UTC(2026, 11, 3, 15, 30);
    expect(roomKeyOf({ calendarLink: { ...link, originalStart: start } })).toBe(
      'uid-1@google.com/2026-12-03T15:30:00.000Z',
    );
    expect(roomKeyOf({ calendarLink: { ...link, instanceStart: start + 7 * 86_400_000 } })).toBe(
      'uid-1@google.com/2026-12-10T15:30:00.000Z',
    );
  });
  it('is null for an app meeting', () => {
    expect(roomKeyOf({})).toBeNull();
    expect(roomKeyOf({ calendarLink: { ...link, iCalUID: '' } })).toBeNull();
  });
});

describe('drop reordering and the rich shared notes', () => {
  it('moves an entry before another or to the end, and refuses a vanished target', () => {
    const { a, b } = pair();
    const [x, y, z] = ['one', 'two', 'three'].map((t) => a.add('items', t));
    b.moveTo('items', z!, x!);
    expect(a.items().map((t) => t.id)).toEqual([z, x, y]);
    a.moveTo('items', z!, null);
    expect(b.items().map((t) => t.id)).toEqual([x, y, z]);
    a.moveTo('items', x!, z!);
    expect(b.items().map((t) => t.id)).toEqual([y, x, z]);
    a.moveTo('items', x!, x!);
    expect(b.items().map((t) => t.id)).toEqual([y, x, z]);
    expect(() => a.moveTo('items', x!, 'gone')).toThrow(WorkspaceError);
    expect(() => a.moveTo('items', 'gone', null)).toThrow(WorkspaceError);
  });

  it('imports the plain notes once, as paragraphs, and the other app sees them', () => {
    const { a, b } = pair();
    a.notes.insert(0, 'first line\n\nthird line');
    expect(b.importPlainNotes()).toBe(true);
    expect(a.notesText()).toBe('first line\nthird line');
    expect(a.notes.toString()).toBe('');
    expect(a.notesFragment.length).toBe(3);
    // Nothing left to import, and rich notes are never overwritten.
    a.notes.insert(0, 'late plain text');
    expect(a.importPlainNotes()).toBe(false);
    expect(b.notesText()).toBe('first line\nthird line');
  });

  it('reads nested rich notes (lists, task items) as lines', () => {
    const { a, b } = pair();
    const heading = new Y.XmlElement('heading');
    heading.insert(0, [new Y.XmlText('Plan')]);
    const list = new Y.XmlElement('taskList');
    const item = new Y.XmlElement('taskItem');
    const para = new Y.XmlElement('paragraph');
    para.insert(0, [new Y.XmlText('ship it')]);
    item.insert(0, [para]);
    list.insert(0, [item]);
    a.notesFragment.insert(0, [heading, list]);
    expect(b.notesText()).toBe('Plan\nship it');
  });
});

describe('observing', () => {
  it('tells the lists about entries and meta, local or remote, and not about notes', () => {
    const { a, b } = pair();
    let calls = 0;
    const off = b.observeEntries(() => calls++);
    const id = a.add('topics', 'One');
    expect(calls).toBe(1);
    a.setDone('topics', id, true);
    a.add('items', 'Two');
    a.setMeta(meta);
    expect(calls).toBe(4);
    a.notes.insert(0, 'typing');
    const p = new Y.XmlElement('paragraph');
    a.notesFragment.insert(0, [p]);
    expect(calls).toBe(4);
    off();
    a.add('topics', 'Three');
    expect(calls).toBe(4);
  });
});
