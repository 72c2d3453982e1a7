// The shared notes (docs/architecture.md §5): TipTap bound to the meeting doc's 'sharedNotes'
// fragment (Collaboration), with the other person's caret and name drawn from presence
// (CollaborationCaret over the page's awareness). Headings, bullet/numbered lists, checklists and
// links; typing "## ", "- ", "1. " or "[ ] " at a line start does the same as the buttons. The
// editor's own undo is off: with Collaboration, undo is per-user through the Y.Doc.
import { Editor, type Extensions } from '@tiptap/core';
import { Collaboration } from '@tiptap/extension-collaboration';
import { CollaborationCaret } from '@tiptap/extension-collaboration-caret';
import { TaskItem, TaskList } from '@tiptap/extension-list';
import { StarterKit } from '@tiptap/starter-kit';
import { useEffect, useReducer, useRef, useState } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import type { MeetingWorkspace } from '../../../../src-shared/workspace/meeting-doc';
import type { Presence } from '../../../../src-shared/workspace/presence';

interface Props {
  workspace: MeetingWorkspace;
  presence: Presence;
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
        protocols: ['mailto'],
        isAllowedUri: (url) => safeLink(url) !== null,
        HTMLAttributes: { rel: 'noopener noreferrer nofollow', target: '_blank' },
      },
    }),
    TaskList,
    TaskItem.configure({ nested: true }),
    Collaboration.configure({ fragment }),
    // The caret extension needs only `provider.awareness`; the page's presence outlives any
    // one connection, so carets work the moment the connection (re)opens.
    CollaborationCaret.configure({ provider: { awareness }, user }),
  ];
}

export function SharedNotesEditor({ workspace, presence }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const [editor, setEditor] = useState<Editor | null>(null);
  const [, refresh] = useReducer((n: number) => n + 1, 0);
  const [linkDraft, setLinkDraft] = useState<string | null>(null);

  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const user = presence.awareness.getLocalState()?.user as Record<string, unknown> | undefined;
    const ed = new Editor({
      element,
      extensions: sharedNotesExtensions(workspace.notesFragment, presence.awareness, user ?? {}),
      editorProps: {
        attributes: {
          role: 'textbox',
          'aria-multiline': 'true',
          'aria-label': 'Shared notes text',
          class: 'notes-editor__content',
        },
      },
    });
    const onTransaction = () => refresh();
    ed.on('transaction', onTransaction);
    setEditor(ed);
    return () => {
      ed.off('transaction', onTransaction);
      ed.destroy();
      setEditor(null);
    };
  }, [workspace, presence]);

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
