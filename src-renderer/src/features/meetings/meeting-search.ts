// Full-text search over meetings (docs/architecture.md §5, "Search"): titles, the other person's
// name, and agenda, action items and shared notes as the content projection holds them
// (`meetingContent`, kept from each meeting's Y.Doc by features/meeting/content-projection.ts). Every word
// of the query must appear somewhere in the meeting (as the start of a word or inside one), case
// and accents ignored. Pure and synchronous: 5,000 meetings are scanned within a keystroke, so
// results follow the typing without a worker.
import type { MeetingContentDoc } from '../../db/schemas';

/** The searchable words of one meeting's shared content, one line per entry or block. */
export interface MeetingText {
  agenda: string;
  actionItems: string;
  notes: string;
}

export function meetingTextOf(
  content: Pick<MeetingContentDoc, 'topics' | 'items' | 'notesText'>,
): MeetingText {
  return {
    agenda: content.topics.map((t) => t.text).join('\n'),
    actionItems: content.items.map((i) => i.text).join('\n'),
    notes: content.notesText,
  };
}

export type SearchField = 'title' | 'person' | 'agenda' | 'actionItems' | 'notes';

export const FIELD_WORDS: Record<SearchField, string> = {
  title: 'Title',
  person: 'Person',
  agenda: 'Agenda',
  actionItems: 'Action items',
  notes: 'Shared notes',
};

/** One meeting's searchable text, folded once (not per keystroke). */
export interface SearchEntry {
  id: string;
  fields: Record<SearchField, string>;
  folded: Record<SearchField, string>;
}

export interface SearchHit {
  id: string;
  /** The first content field (agenda, items, notes) a query word was found in, if any. */
  field: SearchField;
  /** A short excerpt around the match in that field, in its original case. */
  snippet: string;
}

/** Lower case without accents: "Élan" and "elan" are one word to a searcher. */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

export function queryWords(query: string): string[] {
  return fold(query)
    .split(/[\s,;]+/)
    .map((w) => w.trim())
    .filter(Boolean)
    .slice(0, 12);
}

const FIELDS: SearchField[] = ['title', 'person', 'agenda', 'actionItems', 'notes'];
const CONTENT: SearchField[] = ['agenda', 'actionItems', 'notes'];
/** Title and name last, so a word found in both points at the content (the snippet says where). */
const SCAN: SearchField[] = [...CONTENT, 'title', 'person'];

export function searchEntry(
  id: string,
  title: string,
  person: string,
  text: MeetingText | undefined,
): SearchEntry {
  const fields: Record<SearchField, string> = {
    title,
    person,
    agenda: text?.agenda ?? '',
    actionItems: text?.actionItems ?? '',
    notes: text?.notes ?? '',
  };
  const folded = {} as Record<SearchField, string>;
  for (const f of FIELDS) folded[f] = fold(fields[f]);
  return { id, fields, folded };
}

/**
 * The entries matching every word of `query`, in the order given. An empty query matches none
 * (the caller shows the unfiltered list instead).
 */
export function search(entries: readonly SearchEntry[], query: string): Map<string, SearchHit> {
  const words = queryWords(query);
  const hits = new Map<string, SearchHit>();
  if (words.length === 0) return hits;
  outer: for (const e of entries) {
    let hitField: SearchField | null = null;
    let hitAt = -1;
    let hitWord = '';
    for (const w of words) {
      let found = false;
      for (const f of SCAN) {
        const at = e.folded[f].indexOf(w);
        if (at < 0) continue;
        found = true;
        if (hitField === null || (!CONTENT.includes(hitField) && CONTENT.includes(f))) {
          hitField = f;
          hitAt = at;
          hitWord = w;
        }
        break;
      }
      if (!found) continue outer;
    }
    if (hitField === null) continue;
    hits.set(e.id, {
      id: e.id,
      field: hitField,
      snippet: CONTENT.includes(hitField) ? excerpt(e.fields[hitField], hitAt, hitWord.length) : '',
    });
  }
  return hits;
}

/** About 80 characters of the line holding the match; folding keeps offsets for most text. */
function excerpt(text: string, at: number, length: number): string {
  const lineStart = text.lastIndexOf('\n', at) + 1;
  const nl = text.indexOf('\n', at + length);
  const lineEnd = nl < 0 ? text.length : nl;
  const from = Math.max(lineStart, at - 30);
  const to = Math.min(lineEnd, at + length + 50);
  return `${from > lineStart ? '…' : ''}${text.slice(from, to).trim()}${to < lineEnd ? '…' : ''}`;
}
