// @vitest-environment happy-dom
// Links in the shared notes: http(s) and mailto only (safeLink), typed ones linked as you type, and
// no warning from the link scanner however many editors the app makes (linkify's scheme table is
// global: registering mailto, a scheme it already knows, warned on every editor made after the
// first link was scanned, and made a typed "mailto:…" address stay plain text).
import { Editor } from '@tiptap/core';
import { afterEach, expect, it, vi } from 'vitest';
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { sharedNotesExtensions } from '../../../src-renderer/src/features/meeting/SharedNotesEditor';

// linkify keeps the console.warn it found when loaded: recorded from before any import.
const warnings = vi.hoisted(() => {
  const seen: string[] = [];
  const original = console.warn.bind(console);
  console.warn = (...args: unknown[]) => {
    seen.push(String(args[0]));
    original(...args);
  };
  return seen;
});

const editors: Editor[] = [];
afterEach(() => {
  for (const e of editors.splice(0)) e.destroy();
  document.body.innerHTML = '';
});

/** An editor as the page makes one, once TipTap has run its extensions' onCreate (a task later). */
async function editor(): Promise<Editor> {
  const doc = new Y.Doc();
  const element = document.createElement('div');
  document.body.append(element);
  const e = new Editor({ element, extensions: sharedNotesExtensions(doc.getXmlFragment('sharedNotes'), new Awareness(doc), {}) });
  editors.push(e);
  await new Promise((resolve) => setTimeout(resolve, 0));
  return e;
}

const hrefs = (e: Editor) => [...e.view.dom.querySelectorAll('a')].map((a) => a.getAttribute('href'));

it('keeps http(s) and mailto links, drops others, links what is typed, and never warns', async () => {
  const first = await editor();
  first.commands.setContent(
    '<p><a href="mailto:sam@example.com">Sam</a> <a href="https://example.com/a">doc</a> <a href="javascript:alert(1)">x</a></p>',
  );
  expect(hrefs(first)).toEqual(['mailto:sam@example.com', 'https://example.com/a']);
  // Typed: autolink turns a finished address into a link (the scanner is initialized by now).
  first.commands.focus('end');
  first.commands.insertContent(' see mailto:noor@example.com ');
  expect(hrefs(first)).toContain('mailto:noor@example.com');
  // Another meeting's editor while this one is kept (the page keeps the last few, with their docs),
  // then one made after every editor was gone.
  const beside = await editor();
  beside.commands.setContent('<p>beside</p>');
  for (const e of editors.splice(0)) e.destroy();
  const second = await editor();
  second.commands.setContent('<p>write to <a href="mailto:ana@example.com">Ana</a> today</p>');
  second.commands.focus('end');
  second.commands.insertContent(' and https://example.org/x ');
  expect(hrefs(second)).toEqual(['mailto:ana@example.com', 'https://example.org/x']);
  expect(warnings.filter((m) => m.includes('linkify'))).toEqual([]);
});
