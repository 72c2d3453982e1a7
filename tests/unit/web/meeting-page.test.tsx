// @vitest-environment happy-dom
// The meeting page as a user drives it, over a real RxDB, a real Y.Doc with its y-indexeddb copy
// (fake-indexeddb) and the test bridge: agenda, action items, authorship, links, private notes
// and presenting mode, and what survives closing the page.
import 'fake-indexeddb/auto';
import type { Editor } from '@tiptap/core';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import { MeetingsSection } from '../../../src-renderer/src/features/meetings/MeetingsSection';
import { privateNoteCodecs, readPrivateNote } from '../../../src-renderer/src/db/private-notes';
import type { DuetDatabase } from '../../../src-renderer/src/db/database';
import { meetingDocs } from '../../../src-renderer/src/features/meeting/meeting-doc-cache';
import { usePresenting } from '../../../src-renderer/src/state/presenting';
import { MeetingWorkspace } from '../../../src-shared/workspace/meeting-doc';
import { openMemoryDb, renderWithServices } from './support/render-app';
import { sampleDocs } from './support/sample-docs';
import { createTestBridge } from './support/test-bridge';

const ME = 'me@example.com';
const ADA = 'ada@example.com';
let db: DuetDatabase | undefined;

beforeEach(() => usePresenting.setState({ presenting: false }));
afterEach(async () => {
  cleanup();
  await db?.close();
  db = undefined;
});

/** A meeting id per test: the y-indexeddb database is named after it and outlives a test. */
let n = 0;
async function openPage(before?: (doc: Y.Doc) => void, patch: { roomId?: string } = {}) {
  const id = `m-page-${Date.now()}-${n++}`;
  if (before) {
    const doc = new Y.Doc();
    const local = new IndexeddbPersistence(`duet-meeting-${id}`, doc);
    await local.whenSynced;
    before(doc);
    await local.destroy();
  }
  db = await openMemoryDb();
  await db.meetings.insert({ ...sampleDocs.meetings, ...patch, id });
  const bridge = createTestBridge({
    accounts: {
      identity: () => ({
        email: ME,
        idToken: 'token',
        expiresAt: Date.now() + 3_600_000,
        issuer: 'https://issuer.test',
        accountId: ME,
      }),
    },
    // No sync server: the page must work locally and say so.
    sync: { serverInfo: () => ({ url: '', embedded: true, state: 'stopped' as const }) },
  });
  window.location.hash = `#/meetings/${encodeURIComponent(id)}`;
  const r = await renderWithServices(<MeetingsSection />, bridge, db);
  await screen.findByRole('heading', { name: sampleDocs.meetings.title });
  await screen.findByRole('region', { name: 'Agenda' });
  return { ...r, id, bridge };
}

const region = (name: string) => screen.getByRole('region', { name });

async function add(regionName: string, label: string, button: string, text: string) {
  const r = region(regionName);
  fireEvent.change(within(r).getByRole('textbox', { name: label }), { target: { value: text } });
  fireEvent.click(within(r).getByRole('button', { name: button }));
  await within(r).findByRole('listitem', { name: text });
}

it('adds, links, completes, reorders and deletes topics and action items; says Offline without a server', async () => {
  await openPage();
  expect(screen.getByText('Offline')).toBeTruthy();
  await screen.findByText(/sync server is not running/);
  await add('Agenda', 'New topic', 'Add topic', 'First topic');
  await add('Agenda', 'New topic', 'Add topic', 'https://example.com/plan');
  await add('Action items', 'New action item', 'Add action item', 'Write it up');

  const agenda = region('Agenda');
  expect(within(agenda).getByRole('link', { name: 'https://example.com/plan' }).getAttribute('href')).toBe(
    'https://example.com/plan',
  );
  const items = () =>
    within(agenda)
      .getAllByRole('listitem')
      .map((li) => li.getAttribute('aria-label'));
  expect(items()).toEqual(['First topic', 'https://example.com/plan']);
  fireEvent.keyDown(within(agenda).getByRole('listitem', { name: 'https://example.com/plan' }), {
    key: 'ArrowUp',
    altKey: true,
  });
  await waitFor(() => expect(items()).toEqual(['https://example.com/plan', 'First topic']));

  fireEvent.click(within(agenda).getByRole('checkbox', { name: 'Done: First topic' }));
  await waitFor(() =>
    expect(
      (within(agenda).getByRole('checkbox', { name: 'Done: First topic' }) as HTMLInputElement).checked,
    ).toBe(true),
  );

  // Empty text is refused with a message and nothing added.
  fireEvent.click(within(agenda).getByRole('button', { name: 'Add topic' }));
  await within(agenda).findByRole('alert');
  expect(items()).toHaveLength(2);

  const actions = region('Action items');
  fireEvent.click(
    within(within(actions).getByRole('listitem', { name: 'Write it up' })).getByRole('button', {
      name: 'Delete action item',
    }),
  );
  await waitFor(() => expect(within(actions).queryAllByRole('listitem')).toHaveLength(0));
});

it('offers no delete button on the other person’s topic, and keeps the doc across a reopen', async () => {
  const { id } = await openPage((doc) => {
    const ws = new MeetingWorkspace(doc, ADA);
    ws.add('topics', 'Ada’s topic');
  });
  const agenda = region('Agenda');
  const theirs = await within(agenda).findByRole('listitem', { name: 'Ada’s topic' });
  expect(within(theirs).queryByRole('button', { name: 'Delete topic' })).toBeNull();
  await add('Agenda', 'New topic', 'Add topic', 'My topic');
  const mine = within(agenda).getByRole('listitem', { name: 'My topic' });
  expect(within(mine).getByRole('button', { name: 'Delete topic' })).toBeTruthy();
  cleanup();

  // What the page wrote is in the meeting's local copy.
  const doc = new Y.Doc();
  const local = new IndexeddbPersistence(`duet-meeting-${id}`, doc);
  await local.whenSynced;
  const ws = new MeetingWorkspace(doc, ME);
  await waitFor(() =>
    expect(ws.topics().map((t) => [t.text, t.author])).toEqual([
      ['Ada’s topic', ADA],
      ['My topic', ME],
    ]),
  );
  expect(ws.meta()).toMatchObject({
    title: sampleDocs.meetings.title,
    participants: sampleDocs.meetings.participants,
  });
  await local.destroy();
});

it('keeps private notes in RxDB only, and removes them from the DOM while presenting', async () => {
  const { id, bridge } = await openPage();
  const notes = await screen.findByRole('textbox', { name: 'Private notes text' });
  fireEvent.change(notes, { target: { value: 'canary-private-7f3' } });
  const codecs = await privateNoteCodecs(bridge.api);
  await waitFor(async () =>
    expect(await readPrivateNote(db!.privateNotes, id, ME, { codecs })).toBe('canary-private-7f3'),
  );
  // Encrypted at rest: the stored document never holds the text.
  expect(JSON.stringify((await db!.privateNotes.find().exec()).map((d) => d.toJSON()))).not.toContain(
    'canary-private-7f3',
  );

  usePresenting.setState({ presenting: true });
  await waitFor(() => expect(screen.queryByRole('complementary', { name: 'Private notes' })).toBeNull());
  expect(document.body.innerHTML).not.toContain('canary-private-7f3');
  usePresenting.setState({ presenting: false });
  expect(
    ((await screen.findByRole('textbox', { name: 'Private notes text' })) as HTMLTextAreaElement).value,
  ).toBe('canary-private-7f3');

  // Never in the shared doc.
  cleanup();
  const doc = new Y.Doc();
  const local = new IndexeddbPersistence(`duet-meeting-${id}`, doc);
  await local.whenSynced;
  expect(new TextDecoder('latin1').decode(Y.encodeStateAsUpdate(doc))).not.toContain('canary-private-7f3');
  await local.destroy();
});

it('says when the meeting does not exist', async () => {
  db = await openMemoryDb();
  window.location.hash = '#/meetings/nope';
  await renderWithServices(<MeetingsSection />, createTestBridge(), db);
  await screen.findByRole('heading', { name: 'Meeting not found' });
});

it('edits, assigns, dates and drags entries', async () => {
  await openPage();
  await add('Agenda', 'New topic', 'Add topic', 'Alpha');
  await add('Agenda', 'New topic', 'Add topic', 'Beta');
  await add('Action items', 'New action item', 'Add action item', 'Send the doc');
  const agenda = region('Agenda');
  fireEvent.click(
    within(within(agenda).getByRole('listitem', { name: 'Alpha' })).getByRole('button', {
      name: 'Edit topic',
    }),
  );
  const box = within(agenda).getByRole('textbox', { name: 'Text of the topic' });
  fireEvent.change(box, { target: { value: 'Alpha, edited' } });
  fireEvent.click(within(agenda).getByRole('button', { name: 'Save' }));
  await within(agenda).findByRole('listitem', { name: 'Alpha, edited' });

  // Drag Beta onto Alpha: Beta lands before it.
  const beta = within(agenda).getByRole('listitem', { name: 'Beta' });
  fireEvent.dragStart(beta, { dataTransfer: { setData: () => undefined, effectAllowed: '' } });
  fireEvent.drop(within(agenda).getByRole('listitem', { name: 'Alpha, edited' }));
  await waitFor(() =>
    expect(
      within(agenda)
        .getAllByRole('listitem')
        .map((li) => li.getAttribute('aria-label')),
    ).toEqual(['Beta', 'Alpha, edited']),
  );

  const actions = region('Action items');
  const assignee = within(actions).getByRole('combobox', {
    name: 'Assignee: Send the doc',
  }) as HTMLSelectElement;
  expect([...assignee.options].map((o) => o.value)).toEqual(['', ...sampleDocs.meetings.participants]);
  fireEvent.change(assignee, { target: { value: sampleDocs.meetings.participants[1] } });
  await waitFor(() => expect(assignee.value).toBe(sampleDocs.meetings.participants[1]));
  const due = within(actions).getByLabelText('Due: Send the doc') as HTMLInputElement;
  fireEvent.change(due, { target: { value: '2026-12-24' } });
  await waitFor(() => expect(due.value).toBe('2026-12-24'));
});

it('shows the shared notes in the rich editor, importing the first pass’s plain notes once', async () => {
  await openPage(
    (doc) => {
      doc.getText('notes').insert(0, 'plain line one\nplain line two');
    },
    { roomId: '' },
  );
  const notes = region('Shared notes');
  const editor = await within(notes).findByRole('textbox', { name: 'Shared notes text' });
  await waitFor(() => expect(editor.textContent).toContain('plain line two'));
  expect(editor.querySelectorAll('p')).toHaveLength(2);
  for (const name of ['Heading', 'Bullet list', 'Numbered list', 'Checklist', 'Link'])
    expect(within(notes).getByRole('button', { name })).toBeTruthy();
  // Alone: nobody else is shown.
  expect(screen.getByText('Only you are here.')).toBeTruthy();
});

it('does not import plain notes of a shared meeting while it cannot see the other app’s copy', async () => {
  await openPage((doc) => {
    doc.getText('notes').insert(0, 'waiting for live');
  });
  const editor = await within(region('Shared notes')).findByRole('textbox', { name: 'Shared notes text' });
  await new Promise((r) => setTimeout(r, 200));
  expect(editor.textContent).not.toContain('waiting for live');
});

it('going back to a meeting shows the same notes editor, with what changed meanwhile, still bound to the doc', async () => {
  const { id } = await openPage((doc) => {
    const p = new Y.XmlElement('paragraph');
    p.insert(0, [new Y.XmlText('written before')]);
    doc.getXmlFragment('sharedNotes').insert(0, [p]);
  });
  const first = await within(region('Shared notes')).findByRole('textbox', { name: 'Shared notes text' });
  await waitFor(() => expect(first.textContent).toContain('written before'));

  window.location.hash = '#/meetings';
  await waitFor(() => expect(screen.queryByRole('region', { name: 'Shared notes' })).toBeNull());
  // The other app's words arrive while the page is closed (into the doc the cache keeps).
  const held = meetingDocs.acquire(id);
  const p = new Y.XmlElement('paragraph');
  p.insert(0, [new Y.XmlText('arrived while away')]);
  held.doc.getXmlFragment('sharedNotes').push([p]);

  window.location.hash = `#/meetings/${encodeURIComponent(id)}`;
  const again = await within(await screen.findByRole('region', { name: 'Shared notes' })).findByRole(
    'textbox',
    {
      name: 'Shared notes text',
    },
  );
  // The same editor, moved back in, not a second one built.
  expect(again).toBe(first);
  expect(again.textContent).toContain('arrived while away');
  expect(document.querySelectorAll('[aria-label="Shared notes text"]')).toHaveLength(1);
  // Typing still lands in the doc.
  (again as HTMLElement & { editor: Editor }).editor.commands.insertContent('typed on return');
  expect(held.doc.getXmlFragment('sharedNotes').toString()).toContain('typed on return');
  held.release();
});
