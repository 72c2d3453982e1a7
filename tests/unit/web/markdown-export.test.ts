// @vitest-environment happy-dom
// Export as Markdown (docs/architecture.md §5, "Export"): shared notes written by the real
// editor (TipTap with Collaboration over the meeting doc's fragment, as the meeting page builds
// it) become Markdown headings, lists, checklists, links and emphasis; agenda and action items
// become checklists with assignee and due date; private notes only when passed.
import { Editor } from '@tiptap/core';
import { Collaboration } from '@tiptap/extension-collaboration';
import { TaskItem, TaskList } from '@tiptap/extension-list';
import { StarterKit } from '@tiptap/starter-kit';
import { afterEach, expect, it } from 'vitest';
import * as Y from 'yjs';
import { MeetingWorkspace } from '../../../src-shared/workspace/meeting-doc';
import {
  escapeMarkdown,
  markdownFileName,
  meetingToMarkdown,
  notesToMarkdown,
  seriesToMarkdown,
  type ExportOptions,
} from '../../../src-shared/workspace/markdown-export';

const editors: Editor[] = [];
afterEach(() => {
  for (const e of editors.splice(0)) e.destroy();
});

/** Writes `html` into the doc's shared notes through the editor the meeting page uses. */
function writeNotes(doc: Y.Doc, html: string): void {
  const ws = new MeetingWorkspace(doc, '');
  const editor = new Editor({
    element: document.createElement('div'),
    extensions: [
      StarterKit.configure({ undoRedo: false, heading: { levels: [1, 2, 3] } }),
      TaskList,
      TaskItem.configure({ nested: true }),
      Collaboration.configure({ fragment: ws.notesFragment }),
    ],
  });
  editors.push(editor);
  editor.commands.setContent(html);
}

const options: ExportOptions = {
  formatWhen: (start) => new Date(start).toISOString().slice(0, 16).replace('T', ' '),
  nameOf: (email) => ({ 'sam@x.test': 'Sam Rivera' })[email] ?? email,
};

it('turns headings, lists, checklists, links and emphasis into Markdown', () => {
  const doc = new Y.Doc();
  writeNotes(
    doc,
    [
      '<h1>Goals</h1>',
      '<p>Plain, <strong>bold</strong>, <em>italic</em>, <s>gone</s> and <code>x = 1</code>.</p>',
      '<h2>Links</h2>',
      '<p>See <a href="https://example.com/plan?a=1">the plan</a> and <a href="javascript:alert(1)">this</a>.</p>',
      '<ul><li><p>one</p><ul><li><p>nested</p></li></ul></li><li><p>two</p></li></ul>',
      '<ol><li><p>first</p></li><li><p>second</p></li></ol>',
      '<ul data-type="taskList"><li data-type="taskItem" data-checked="true"><p>done thing</p></li><li data-type="taskItem" data-checked="false"><p>open thing</p></li></ul>',
      '<blockquote><p>quoted</p></blockquote>',
    ].join(''),
  );
  const md = notesToMarkdown(new MeetingWorkspace(doc, '').notesFragment);
  expect(md.split('\n\n')).toEqual([
    // Under the export's "## Shared notes", the notes' own headings go two levels down.
    '### Goals',
    'Plain, **bold**, *italic*, ~~gone~~ and `x = 1`.',
    '#### Links',
    // Only web and mail links survive; anything else keeps its words.
    'See [the plan](<https://example.com/plan?a=1>) and this.',
    '- one\n  - nested\n- two',
    '1. first\n2. second',
    '- [x] done thing\n- [ ] open thing',
    '> quoted',
  ]);
});

it('escapes text that would otherwise be read as Markdown', () => {
  expect(escapeMarkdown('# not a heading')).toBe('\\# not a heading');
  expect(escapeMarkdown('- not a list')).toBe('\\- not a list');
  expect(escapeMarkdown('1. not numbered')).toBe('1\\. not numbered');
  expect(escapeMarkdown('*a* [b](c) <script>')).toBe('\\*a\\* \\[b\\](c) \\<script\\>');
  const doc = new Y.Doc();
  writeNotes(doc, '<p># hash and [link](javascript:x) *stars*</p>');
  expect(notesToMarkdown(new MeetingWorkspace(doc, '').notesFragment)).toBe(
    '\\# hash and \\[link\\](javascript:x) \\*stars\\*',
  );
});

function sampleMeeting(start: number, title = 'Maya / Sam') {
  const doc = new Y.Doc();
  const ws = new MeetingWorkspace(doc, 'maya@x.test');
  ws.setMeta({ title, start, end: start + 1_800_000, participants: ['maya@x.test', 'sam@x.test'] });
  ws.add('topics', 'Career goals');
  const done = ws.add('topics', 'Offsite');
  ws.setDone('topics', done, true);
  ws.add('items', 'Send the deck', { assignee: 'sam@x.test', due: '2030-01-10' });
  const item = ws.add('items', 'Book a room');
  ws.setDone('items', item, true);
  writeNotes(doc, '<h2>Notes</h2><p>Agreed on the <a href="https://example.com">budget</a>.</p>');
  return { title, start, end: start + 1_800_000, people: ['Maya Chen', 'Sam Rivera'], doc };
}

const T = Date.UTC(2030, 0, 7, 9, 0);

it('exports one meeting: agenda and action items as checklists, notes, private notes only when given', () => {
  const m = sampleMeeting(T);
  const md = meetingToMarkdown(m, options);
  expect(md).toBe(
    [
      '# Maya / Sam',
      '2030-01-07 09:00 · Maya Chen and Sam Rivera',
      '## Agenda',
      '- [ ] Career goals\n- [x] Offsite',
      '## Action items',
      '- [ ] Send the deck (assigned to Sam Rivera, due 2030-01-10)\n- [x] Book a room',
      '## Shared notes',
      '#### Notes\n\nAgreed on the [budget](<https://example.com/>).',
    ].join('\n\n') + '\n',
  );
  expect(md).not.toContain('My private notes');
  const withPrivate = meetingToMarkdown({ ...m, privateNotes: 'Ask about *the move*' }, options);
  expect(withPrivate).toContain('## My private notes\n\nAsk about \\*the move\\*\n');
  expect(meetingToMarkdown({ ...m, privateNotes: null }, options)).toContain(
    '## My private notes\n\n_No private notes._',
  );
});

it('exports a series: every meeting in time order under the series title', () => {
  const later = sampleMeeting(T + 7 * 86_400_000);
  const first = sampleMeeting(T);
  const md = seriesToMarkdown('Maya / Sam', [later, first], options);
  expect(
    md.startsWith(
      '# Maya / Sam\n\n2 meetings\n\n## 2030-01-07 09:00\n\nMaya / Sam · Maya Chen and Sam Rivera\n\n### Agenda',
    ),
  ).toBe(true);
  expect(md.indexOf('## 2030-01-07 09:00')).toBeLessThan(md.indexOf('## 2030-01-14 09:00'));
  expect(md.match(/### Shared notes/g)).toHaveLength(2);
});

it('names the file after the title and date, never a path', () => {
  expect(markdownFileName('Maya / Sam', T)).toBe('Maya-Sam-2030-01-07.md');
  expect(markdownFileName('../../etc/passwd')).toBe('etc-passwd.md');
  expect(markdownFileName('///')).toBe('meeting.md');
});
