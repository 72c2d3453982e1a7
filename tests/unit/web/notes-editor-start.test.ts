// @vitest-environment happy-dom
// The shared notes editor that starts with the fragment's content in its first state
// (createEditorOver) against the collaboration binding's own start (an empty document replaced
// by the fragment): the same document, no write to the doc just for opening it, and afterwards a
// real binding both ways (typing lands in the Y.Doc, another app's change lands in the editor).
import { Editor } from '@tiptap/core';
import { afterEach, expect, it } from 'vitest';
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import {
  createEditorOver,
  sharedNotesExtensions,
} from '../../../src-renderer/src/features/meeting/SharedNotesEditor';

const editors: Editor[] = [];
afterEach(() => {
  for (const e of editors.splice(0)) e.destroy();
  document.body.innerHTML = '';
});

const mount = () => {
  const element = document.createElement('div');
  document.body.append(element);
  return element;
};

/** Rich notes written by "the other app": every kind of block the toolbar makes, and a link. */
function richNotes(): Y.Doc {
  const source = new Y.Doc();
  const writer = new Editor({
    element: mount(),
    extensions: sharedNotesExtensions(source.getXmlFragment('sharedNotes'), new Awareness(source), {}),
  });
  writer.commands.setContent(
    '<h2>Plan</h2><p>See <a href="https://example.com/doc">the doc</a> and www.example.org</p>' +
      '<ul><li><p>one</p></li><li><p>two</p></li></ul><ol><li><p>first</p></li></ol>' +
      '<ul data-type="taskList"><li data-type="taskItem" data-checked="true"><p>done</p></li>' +
      '<li data-type="taskItem" data-checked="false"><p>open</p></li></ul>' +
      Array.from({ length: 50 }, (_, i) => `<p>line ${i}</p>`).join(''),
  );
  writer.destroy();
  return source;
}

const copyOf = (source: Y.Doc) => {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(source));
  return doc;
};

it('starts with the same document as the binding’s own start, without writing to the doc', async () => {
  const source = richNotes();
  const a = copyOf(source);
  const b = copyOf(source);
  const writes: Uint8Array[] = [];
  a.on('update', (u: Uint8Array) => writes.push(u));
  const fast = createEditorOver(
    a.getXmlFragment('sharedNotes'),
    new Awareness(a),
    { name: 'A' },
    { element: mount() },
  );
  const slow = new Editor({
    element: mount(),
    extensions: sharedNotesExtensions(b.getXmlFragment('sharedNotes'), new Awareness(b), { name: 'B' }),
  });
  editors.push(fast, slow);
  // Its content is there at once, before any timer runs.
  expect(fast.getText()).toContain('line 49');
  expect(fast.getJSON()).toEqual(slow.getJSON());
  expect(fast.getHTML()).toContain('href="https://example.com/doc"');
  expect(fast.view.dom.querySelectorAll('li[data-checked="true"]')).toHaveLength(1);
  await new Promise((r) => setTimeout(r, 20));
  expect(writes).toHaveLength(0);
  expect(a.getXmlFragment('sharedNotes').toJSON()).toBe(source.getXmlFragment('sharedNotes').toJSON());
});

it('is bound both ways: typing reaches the doc, the other app’s change reaches the editor', async () => {
  const source = richNotes();
  const mine = copyOf(source);
  const editor = createEditorOver(
    mine.getXmlFragment('sharedNotes'),
    new Awareness(mine),
    {},
    { element: mount() },
  );
  editors.push(editor);
  editor.commands.setTextSelection(editor.state.doc.content.size - 1);
  editor.commands.insertContent(' typed here');
  expect(mine.getXmlFragment('sharedNotes').toString()).toContain('line 49 typed here');

  // The other app edits the first heading; its update arrives here.
  const theirs = copyOf(source);
  Y.applyUpdate(theirs, Y.encodeStateAsUpdate(mine));
  const heading = theirs.getXmlFragment('sharedNotes').get(0) as Y.XmlElement;
  (heading.get(0) as Y.XmlText).insert(0, 'Our ');
  Y.applyUpdate(mine, Y.encodeStateAsUpdate(theirs, Y.encodeStateVector(mine)));
  expect(editor.view.dom.querySelector('h2')?.textContent).toBe('Our Plan');
  expect(editor.getText()).toContain('line 49 typed here');
});

it('an empty fragment takes the binding’s own start and can be typed into', () => {
  const doc = new Y.Doc();
  const editor = createEditorOver(
    doc.getXmlFragment('sharedNotes'),
    new Awareness(doc),
    {},
    { element: mount() },
  );
  editors.push(editor);
  expect(editor.view.dom.querySelectorAll('p')).toHaveLength(1);
  editor.commands.insertContent('first words');
  expect(doc.getXmlFragment('sharedNotes').toString()).toContain('first words');
});
