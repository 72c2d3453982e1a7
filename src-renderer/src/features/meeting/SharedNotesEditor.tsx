// The shared notes (docs/architecture.md §5): TipTap bound to the meeting doc's 'sharedNotes'
// fragment (Collaboration), with the other person's caret and name drawn from presence
// (CollaborationCaret over the page's awareness). Headings, bullet/numbered lists, checklists and
// links; typing "## ", "- ", "1. " or "[ ] " at a line start does the same as the buttons. The
// editor's own undo is off: with Collaboration, undo is per-user through the Y.Doc.
import { Editor, type Content, type EditorOptions, type Extensions } from '@tiptap/core';
import { Collaboration } from '@tiptap/extension-collaboration';
import { CollaborationCaret } from '@tiptap/extension-collaboration-caret';
import { TaskItem, TaskList } from '@tiptap/extension-list';
import { StarterKit } from '@tiptap/starter-kit';
import { initProseMirrorDoc, type ySyncPlugin } from '@tiptap/y-tiptap';
import { useLayoutEffect, useReducer, useRef, useState } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import type { MeetingWorkspace } from '../../../../src-shared/workspace/meeting-doc';
import type { Presence } from '../../../../src-shared/workspace/presence';
import type { HeldMeetingDoc } from './meeting-doc-cache';

interface Props {
  workspace: MeetingWorkspace;
  presence: Presence;
  /** The doc as the cache holds it: the editor is kept with it, so a page opened again reuses it. */
  held?: HeldMeetingDoc | null;
}

/** Only web links: a javascript: or data: address typed or pasted by anyone never becomes a link. */
export function safeLink(raw: string): string | null {
  const text = raw.trim();
  if (!text) return null;
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:/i.test(text) ? text : `https://${text}`);
    return url.protocol === 'https:' || url.protocol === 'http:' || url.protocol === 'mailto:'
      ? url.href
      : null;
  } catch {
    return null;
  }
}

/**
 * The editor's extensions, bound to the shared fragment and the page's awareness. StarterKit's
 * trailing node is off: it appends an empty paragraph after a list or heading at the end, and in a
 * shared document each app appends its own when the other's change arrives, so empty paragraphs
 * pile up at the end of the notes for both people.
 */
export function sharedNotesExtensions(
  fragment: Y.XmlFragment,
  awareness: Awareness,
  user: Record<string, unknown>,
  /** Given when the editor starts with the fragment's content already in its state. */
  mapping?: ProsemirrorMapping,
): Extensions {
  return [
    StarterKit.configure({
      undoRedo: false,
      trailingNode: false,
      heading: { levels: [1, 2, 3] },
      link: {
        openOnClick: false,
        autolink: true,
        defaultProtocol: 'https',
        // No `protocols`: the link scanner knows mailto already; registering it again breaks typed
        // mailto: links (tests/unit/web/notes-links.test.ts). What may be linked is safeLink's call.
        isAllowedUri: (url) => safeLink(url) !== null,
        HTMLAttributes: { rel: 'noopener noreferrer nofollow', target: '_blank' },
      },
    }),
    TaskList,
    TaskItem.configure({ nested: true }),
    Collaboration.configure(mapping ? { fragment, ySyncOptions: { mapping } } : { fragment }),
    // The caret extension needs only `provider.awareness`; the page's presence outlives any
    // one connection, so carets work the moment the connection (re)opens.
    CollaborationCaret.configure({ provider: { awareness }, user }),
  ];
}

/** An editor with its own element, mounted into a page by moving that element in and out. */
interface NotesEditor {
  editor: Editor;
  element: HTMLDivElement;
  /** True while a page shows it (one page at a time). */
  shown: boolean;
}

const EDITOR_KEY = 'notes-editor';

type ProsemirrorMapping = NonNullable<Parameters<typeof ySyncPlugin>[1]>['mapping'];

/**
 * An editor over `fragment` that starts with the fragment's content in its first state. Left to
 * itself, the collaboration binding starts from an empty document and then replaces it with the
 * whole fragment: the view is built twice over, and the replacement runs every plugin over the
 * whole notes (autolink even readies its link scanner). Here the content is read from the fragment
 * once, with the binding's mapping of Yjs types to nodes, as the binding itself documents
 * (`initProseMirrorDoc`), once the editor's schema exists and before its state does.
 */
export function createEditorOver(
  fragment: Y.XmlFragment,
  awareness: Awareness,
  user: Record<string, unknown>,
  options: { element: HTMLElement; editorProps?: EditorOptions['editorProps'] },
): Editor {
  // An empty fragment would give an empty, invalid document: that case takes the binding's path.
  if (fragment.length === 0) {
    return new Editor({ ...options, extensions: sharedNotesExtensions(fragment, awareness, user) });
  }
  // The binding keeps this map; it is filled before the binding's view reads it.
  const mapping: ProsemirrorMapping = new Map();
  return new Editor({
    ...options,
    extensions: sharedNotesExtensions(fragment, awareness, user, mapping),
    onBeforeCreate: ({ editor }) => {
      const start = initProseMirrorDoc(fragment, editor.schema);
      for (const [type, node] of start.mapping) mapping.set(type, node);
      // A ProseMirror node is taken as it is (TipTap's `Content` type does not list it): the same
      // node objects the mapping names.
      editor.options.content = start.doc as unknown as Content;
    },
  });
}

function createNotesEditor(fragment: Y.XmlFragment, presence: Presence): NotesEditor {
  const element = document.createElement('div');
  element.className = 'notes-editor__mount';
  const user = presence.awareness.getLocalState()?.user as Record<string, unknown> | undefined;
  const editor = createEditorOver(fragment, presence.awareness, user ?? {}, {
    element,
    editorProps: {
      attributes: {
        role: 'textbox',
        'aria-multiline': 'true',
        'aria-label': 'Shared notes text',
        class: 'notes-editor__content',
        // What TipTap's tabindex plugin adds once the plugins are in: given from the start, the
        // view's attributes do not change when TipTap adds its plugins, so the view does not
        // walk the whole notes a second time.
        tabindex: '0',
      },
    },
  });
  return { editor, element, shown: false };
}

/**
 * The notes editor for this doc: the one kept with it in the cache (docs/architecture.md §5), built
 * on the first visit and moved into the page on the next ones, still bound to the doc and the
 * awareness, so it has followed every change while the page was closed. Building the view of a
 * long note is the page's slowest step; moving its element in costs next to nothing. A second
 * page on the same doc at the same time gets an editor of its own, destroyed when it closes.
 */
function takeNotesEditor(
  held: HeldMeetingDoc | null | undefined,
  fragment: Y.XmlFragment,
  presence: Presence,
): { notes: NotesEditor; giveBack: () => void } {
  const kept = held?.keep(
    EDITOR_KEY,
    () => createNotesEditor(fragment, presence),
    (n) => n.editor.destroy(),
  );
  if (kept && !kept.shown && !kept.editor.isDestroyed) {
    kept.shown = true;
    return {
      notes: kept,
      giveBack: () => {
        // Leaving with the caret in the notes: blur first, so the editor and the page's presence
        // do not think it still holds focus when it is shown again.
        if (kept.editor.view.hasFocus()) kept.editor.view.dom.blur();
        kept.element.remove();
        kept.shown = false;
      },
    };
  }
  const own = createNotesEditor(fragment, presence);
  return { notes: own, giveBack: () => own.editor.destroy() };
}

export function SharedNotesEditor({ workspace, presence, held }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const [editor, setEditor] = useState<Editor | null>(null);
  const [, refresh] = useReducer((n: number) => n + 1, 0);
  const [linkDraft, setLinkDraft] = useState<string | null>(null);
  // The same for every workspace over the doc (the identity arriving makes a new workspace).
  const fragment = workspace.notesFragment;

  // A layout effect: the editor is in the page before the browser paints it (a long note's view
  // is built here the first time; see takeNotesEditor).
  useLayoutEffect(() => {
    const element = host.current;
    if (!element) return;
    const { notes, giveBack } = takeNotesEditor(held, fragment, presence);
    element.append(notes.element);
    const ed = notes.editor;
    const onTransaction = () => refresh();
    ed.on('transaction', onTransaction);
    setEditor(ed);
    return () => {
      ed.off('transaction', onTransaction);
      giveBack();
      setEditor(null);
    };
  }, [held, fragment, presence]);

  const tools: Array<{ label: string; active: boolean; run: (e: Editor) => void }> = editor
    ? [
        {
          label: 'Heading',
          active: editor.isActive('heading', { level: 2 }),
          run: (e) => e.chain().focus().toggleHeading({ level: 2 }).run(),
        },
        {
          label: 'Bullet list',
          active: editor.isActive('bulletList'),
          run: (e) => e.chain().focus().toggleBulletList().run(),
        },
        {
          label: 'Numbered list',
          active: editor.isActive('orderedList'),
          run: (e) => e.chain().focus().toggleOrderedList().run(),
        },
        {
          label: 'Checklist',
          active: editor.isActive('taskList'),
          run: (e) => e.chain().focus().toggleTaskList().run(),
        },
      ]
    : [];

  const applyLink = () => {
    if (!editor || linkDraft === null) return;
    const href = safeLink(linkDraft);
    if (linkDraft.trim() === '') editor.chain().focus().extendMarkRange('link').unsetLink().run();
    else if (href) editor.chain().focus().extendMarkRange('link').setLink({ href }).run();
    else return;
    setLinkDraft(null);
  };

  return (
    <div className="notes-editor">
      <div role="toolbar" aria-label="Format shared notes" className="notes-editor__toolbar">
        {tools.map((t) => (
          <button
            key={t.label}
            type="button"
            aria-pressed={t.active}
            // Keep the text selection: the button acts on it.
            onMouseDown={(ev) => ev.preventDefault()}
            onClick={() => editor && t.run(editor)}
          >
            {t.label}
          </button>
        ))}
        {editor ? (
          <button
            type="button"
            aria-pressed={editor.isActive('link')}
            onMouseDown={(ev) => ev.preventDefault()}
            onClick={() => setLinkDraft((editor.getAttributes('link').href as string | undefined) ?? '')}
          >
            Link
          </button>
        ) : null}
      </div>
      {linkDraft !== null ? (
        <form
          className="notes-editor__link"
          onSubmit={(ev) => {
            ev.preventDefault();
            applyLink();
          }}
        >
          <input
            aria-label="Link address"
            autoFocus
            value={linkDraft}
            placeholder="https://…"
            onChange={(ev) => setLinkDraft(ev.target.value)}
            onKeyDown={(ev) => ev.key === 'Escape' && setLinkDraft(null)}
          />
          <button type="submit">Apply link</button>
          {linkDraft.trim() && !safeLink(linkDraft) ? (
            <span role="alert">Only web and mail addresses can be links.</span>
          ) : null}
        </form>
      ) : null}
      <div ref={host} className="notes-editor__surface" />
    </div>
  );
}
