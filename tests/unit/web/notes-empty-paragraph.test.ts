// @vitest-environment happy-dom
// The shared notes' empty-paragraph glitch: with StarterKit's trailing node, a list (or heading) at
// the end of the notes made each app append its own empty paragraph when the change arrived, so
// empty paragraphs piled up at the end for both people (and the other person's next words landed
// after a blank line). Two real editors with the page's own extensions, over two Y.Docs whose
// updates cross with a delay, as they do through the sync server.
import { Editor } from '@tiptap/core';
import { afterEach, expect, it } from 'vitest';
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { sharedNotesExtensions } from '../../../src-renderer/src/features/meeting/SharedNotesEditor';

const editors: Editor[] = [];
afterEach(() => {
  for (const e of editors.splice(0)) e.destroy();
  document.body.innerHTML = '';
});

function editorOn(doc: Y.Doc, name: string) {
  const element = document.createElement('div');
  document.body.append(element);
  const editor = new Editor({
    element,
    extensions: sharedNotesExtensions(doc.getXmlFragment('sharedNotes'), new Awareness(doc), { name }),
  });
  editors.push(editor);
  return editor;
}

/** Two docs whose updates are delivered only on `flush()`: both sides act before seeing the other. */
function wire(a: Y.Doc, b: Y.Doc) {
  const queue: Array<() => void> = [];
  a.on('update', (u: Uint8Array, o: unknown) => o !== 'wire' && queue.push(() => Y.applyUpdate(b, u, 'wire')));
  b.on('update', (u: Uint8Array, o: unknown) => o !== 'wire' && queue.push(() => Y.applyUpdate(a, u, 'wire')));
  return async () => {
    for (let round = 0; round < 5 && queue.length; round++) {
      for (const deliver of queue.splice(0)) deliver();
      await new Promise((r) => setTimeout(r, 10));
    }
  };
}

const emptyParagraphs = (doc: Y.Doc) =>
  doc
    .getXmlFragment('sharedNotes')
    .toArray()
    .filter((n) => n instanceof Y.XmlElement && n.nodeName === 'paragraph' && n.length === 0).length;

it('a checklist or heading at the end adds no empty paragraph to the shared notes, on either side', async () => {
  const maya = new Y.Doc();
  const sam = new Y.Doc();
  const flush = wire(maya, sam);
  const m = editorOn(maya, 'Maya');
  const s = editorOn(sam, 'Sam');
  m.commands.insertContent('Goals for Q1');
  m.commands.toggleHeading({ level: 2 });
  await flush();
  m.commands.focus('end');
  m.commands.splitBlock();
  m.commands.insertContent('ship the packet');
  m.commands.toggleTaskList();
  await flush();
  expect(emptyParagraphs(maya)).toBe(0);
  expect(emptyParagraphs(sam)).toBe(0);
  expect(s.getHTML()).toBe(m.getHTML());
  // Sam adds at the end: his words join the checklist's line, not a new line after a blank one.
  s.commands.focus('end');
  s.commands.insertContent(' (Sam: by Friday)');
  await flush();
  expect(m.getText()).toContain('ship the packet (Sam: by Friday)');
  expect(emptyParagraphs(maya)).toBe(0);
});
