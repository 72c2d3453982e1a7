// A meeting, or a whole series, as Markdown (docs/architecture.md §5, "Export"): so the notes are
// the user's even without Duet. Pure: the shared notes are read straight from the Y.Doc's
// 'sharedNotes' fragment (TipTap/ProseMirror nodes, meeting-doc.ts), the agenda and action items
// from the typed model; private notes only when the caller passes them (the user ticked it).
import * as Y from 'yjs';
import { MeetingWorkspace, type ActionItem, type Topic } from './meeting-doc';

/** Characters that would start Markdown syntax inside ordinary text. */
const INLINE_SPECIAL = /[\\`*_[\]<>|~]/g;

/** Text as Markdown shows it literally: inline syntax escaped, and block syntax at a line start. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(INLINE_SPECIAL, (c) => `\\${c}`)
    .replace(/^(\s*)([#>+-])/gm, '$1\\$2')
    .replace(/^(\s*\d+)([.)])/gm, '$1\\$2');
}

/** Only web and mail links survive into the file, as in the editor (SharedNotesEditor's safeLink). */
function safeHref(href: unknown): string | null {
  if (typeof href !== 'string') return null;
  try {
    const url = new URL(href);
    return ['http:', 'https:', 'mailto:'].includes(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

interface Delta {
  insert?: unknown;
  attributes?: Record<string, unknown>;
}

/** One text node's formatted runs: bold, italic, strike, code and links. */
function inline(text: Y.XmlText): string {
  return (text.toDelta() as Delta[])
    .map((d) => {
      if (typeof d.insert !== 'string' || d.insert === '') return '';
      const a = d.attributes ?? {};
      if (a.code) return '`' + d.insert.replace(/`/g, 'ˋ') + '`';
      let out = escapeMarkdown(d.insert);
      // Markers wrap the words, not the spaces around them (`** bold**` is not bold in Markdown).
      const lead = /^\s*/.exec(out)![0];
      const trail = /\s*$/.exec(out.slice(lead.length))![0];
      let core = out.slice(lead.length, out.length - trail.length);
      if (!core) return out;
      if (a.bold) core = `**${core}**`;
      if (a.italic) core = `*${core}*`;
      if (a.strike) core = `~~${core}~~`;
      const link = a.link as { href?: unknown } | undefined;
      const href = link ? safeHref(link.href) : null;
      if (href) core = `[${core}](<${href.replace(/>/g, '%3E')}>)`;
      out = lead + core + trail;
      return out;
    })
    .join('');
}

function inlineOf(el: Y.XmlElement | Y.XmlFragment): string {
  return el
    .toArray()
    .map((c) =>
      c instanceof Y.XmlText
        ? inline(c)
        : c instanceof Y.XmlElement && c.nodeName === 'hardBreak'
          ? '  \n'
          : '',
    )
    .join('');
}

const indent = (text: string, by: string): string =>
  text
    .split('\n')
    .map((line, i) => (i === 0 || line === '' ? line : by + line))
    .join('\n');

/** Block nodes → Markdown blocks (joined by blank lines, list items by single newlines). */
function blocks(parent: Y.XmlElement | Y.XmlFragment): string[] {
  const out: string[] = [];
  for (const node of parent.toArray()) {
    if (node instanceof Y.XmlText) {
      const t = inline(node);
      if (t.trim()) out.push(t);
      continue;
    }
    if (!(node instanceof Y.XmlElement)) continue;
    out.push(block(node));
  }
  return out.filter((b) => b !== '');
}

function listItems(list: Y.XmlElement, marker: (i: number, item: Y.XmlElement) => string): string {
  return list
    .toArray()
    .filter((c): c is Y.XmlElement => c instanceof Y.XmlElement)
    .map((item, i) => {
      const m = marker(i, item);
      const body = blocks(item).join('\n');
      return m + indent(body, ' '.repeat(Math.min(m.length, 6)));
    })
    .join('\n');
}

function block(el: Y.XmlElement): string {
  switch (el.nodeName) {
    case 'paragraph':
      return inlineOf(el);
    case 'heading': {
      const level = Math.min(6, Math.max(1, Number(el.getAttribute('level')) || 1));
      // Notes headings sit under the export's own "Shared notes" heading (level 2).
      return `${'#'.repeat(Math.min(6, level + 2))} ${inlineOf(el)}`;
    }
    case 'bulletList':
      return listItems(el, () => '- ');
    case 'orderedList': {
      const start = Number(el.getAttribute('start')) || 1;
      return listItems(el, (i) => `${start + i}. `);
    }
    case 'taskList':
      return listItems(el, (_i, item) => {
        const checked = item.getAttribute('checked') as unknown;
        return checked === true || checked === 'true' ? '- [x] ' : '- [ ] ';
      });
    case 'blockquote':
      return blocks(el)
        .join('\n\n')
        .split('\n')
        .map((l) => (l ? `> ${l}` : '>'))
        .join('\n');
    case 'codeBlock': {
      const code = el
        .toArray()
        .map((c) => (c instanceof Y.XmlText ? c.toString() : ''))
        .join('');
      const fence = code.includes('```') ? '~~~~' : '```';
      return `${fence}\n${code}\n${fence}`;
    }
    case 'horizontalRule':
      return '---';
    default:
      // Anything newer than this exporter keeps its words.
      return blocks(el).join('\n\n');
  }
}

/** The rich shared notes as Markdown: headings, lists, checklists, links, emphasis, code. */
export function notesToMarkdown(fragment: Y.XmlFragment): string {
  return blocks(fragment).join('\n\n');
}

export interface ExportMeeting {
  title: string;
  start: number;
  end: number;
  /** The two participants, as names where known. */
  people: string[];
  doc: Y.Doc;
  /** The user's private notes, only when they chose to include them. */
  privateNotes?: string | null;
}

export interface ExportOptions {
  /** Formats instants in the user's zone and language; injectable for tests. */
  formatWhen: (start: number, end: number) => string;
  /** Email → name (the assignee is stored as an email). */
  nameOf: (email: string) => string;
}

function topicLine(t: Topic): string {
  return `- [${t.done ? 'x' : ' '}] ${escapeMarkdown(t.text)}`;
}

function itemLine(i: ActionItem, nameOf: (email: string) => string): string {
  const extra = [i.assignee ? `assigned to ${nameOf(i.assignee)}` : '', i.due ? `due ${i.due}` : '']
    .filter(Boolean)
    .join(', ');
  return `- [${i.done ? 'x' : ' '}] ${escapeMarkdown(i.text)}${extra ? ` (${escapeMarkdown(extra)})` : ''}`;
}

/**
 * One meeting: its title as a heading of `level`, then when and with whom, agenda (a checklist),
 * action items (a checklist with assignee and due date), shared notes and, only when passed,
 * the private notes.
 */
export function meetingToMarkdown(
  m: ExportMeeting,
  options: ExportOptions,
  { level = 1, heading }: { level?: number; heading?: string } = {},
): string {
  const ws = new MeetingWorkspace(m.doc, '');
  const h = (n: number) => '#'.repeat(Math.min(6, n));
  const when = options.formatWhen(m.start, m.end);
  const parts: string[] = [`${h(level)} ${escapeMarkdown(heading ?? (m.title || 'Meeting'))}`];
  const meta = [heading === undefined ? when : m.title, m.people.join(' and ')].filter(Boolean).join(' · ');
  if (meta) parts.push(escapeMarkdown(meta));
  const topics = ws.topics();
  parts.push(`${h(level + 1)} Agenda`, topics.length ? topics.map(topicLine).join('\n') : '_No topics._');
  const items = ws.items();
  parts.push(
    `${h(level + 1)} Action items`,
    items.length ? items.map((i) => itemLine(i, options.nameOf)).join('\n') : '_No action items._',
  );
  const plain = ws.notes.toString().trim();
  const rich = notesToMarkdown(ws.notesFragment);
  const notes = [rich, plain ? escapeMarkdown(plain) : ''].filter(Boolean).join('\n\n');
  parts.push(`${h(level + 1)} Shared notes`, notes || '_No shared notes._');
  if (m.privateNotes !== undefined) {
    const mine = (m.privateNotes ?? '').trim();
    parts.push(`${h(level + 1)} My private notes`, mine ? escapeMarkdown(mine) : '_No private notes._');
  }
  return parts.join('\n\n') + '\n';
}

/** A whole series: its meetings in time order, each a section under the series' title. */
export function seriesToMarkdown(title: string, meetings: ExportMeeting[], options: ExportOptions): string {
  const sorted = [...meetings].sort((a, b) => a.start - b.start);
  return [
    `# ${escapeMarkdown(title || 'Series')}`,
    `${sorted.length} ${sorted.length === 1 ? 'meeting' : 'meetings'}`,
    ...sorted.map((m) =>
      meetingToMarkdown(m, options, { level: 2, heading: options.formatWhen(m.start, m.end) }),
    ),
  ].join('\n\n');
}

/** A file name from a title and date: letters, digits, dashes; never a path. */
export function markdownFileName(title: string, start?: number): string {
  const base =
    title
      .normalize('NFKD')
      .replace(/[^\p{L}\p{N}]+/gu, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'meeting';
  const date = start === undefined ? '' : `-${new Date(start).toISOString().slice(0, 10)}`;
  return `${base}${date}.md`;
}
