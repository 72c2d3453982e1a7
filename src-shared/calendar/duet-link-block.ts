// The Duet link that the "add the Duet link to 1:1 events I organize" option writes into an
// imported event's description (Google) or body (Graph), and takes out again when the option is
// turned off (docs/architecture.md §6, "Links on imported events"). Pure: the block is one exact
// string appended in a known place, so removing it gives back the user's own text byte for byte;
// nothing else in the description is ever rewritten.
import { isMeetingId } from '../meeting/meeting-id';

export type BodyKind = 'text' | 'html';

/** The line Duet adds: the same words everywhere, so it can be found again exactly. */
export function duetLinkLine(meetingId: string): string {
  if (!isMeetingId(meetingId)) throw new Error(`Not a meeting id: ${JSON.stringify(meetingId)}`);
  return `Agenda, action items and shared notes for this 1:1 are in Duet: duet://meeting/${meetingId}`;
}

/** Graph's body is HTML: the line goes in a paragraph of its own. The id is [A-Za-z0-9_-]: nothing to escape. */
const htmlBlock = (meetingId: string) => `<p>${duetLinkLine(meetingId)}</p>`;

/** A Google description someone wrote in Calendar's editor is HTML; a plain one is text. */
const looksLikeHtml = (s: string) => /<(br|p|div|b|i|u|a|ul|ol|li|span)\b[^>]*>/i.test(s);

/** What separates the added line from the text before it, per the kind of text found. */
const TEXT_SEPARATORS = ['<br><br>', '\n\n'] as const;

/** True when `body` already holds this meeting's link (in the exact form Duet writes). */
export function hasDuetLink(kind: BodyKind, body: string | null | undefined, meetingId: string): boolean {
  const b = body ?? '';
  return kind === 'html' ? b.includes(htmlBlock(meetingId)) : b.includes(duetLinkLine(meetingId));
}

/**
 * The body with Duet's link added. Text: after a blank line (`<br><br>` when the description is
 * HTML), or alone when empty. HTML: a paragraph before the last `</body>`, or at the end.
 */
export function addDuetLink(kind: BodyKind, body: string | null | undefined, meetingId: string): string {
  const b = body ?? '';
  if (kind === 'html') {
    const block = htmlBlock(meetingId);
    const close = b.toLowerCase().lastIndexOf('</body>');
    return close < 0 ? b + block : b.slice(0, close) + block + b.slice(close);
  }
  const line = duetLinkLine(meetingId);
  if (b === '') return line;
  return b + (looksLikeHtml(b) ? TEXT_SEPARATORS[0] : TEXT_SEPARATORS[1]) + line;
}

export interface Removal {
  body: string;
  /** 'exact': the block as written; 'paragraph': a paragraph holding the link, re-serialized by the provider; 'absent': not there (edited away). */
  found: 'exact' | 'paragraph' | 'absent';
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The body with Duet's link taken out (the last one, with the separator Duet put before it).
 * What `addDuetLink` made comes back exactly as it was. A link the user edited away leaves the
 * body as it is ('absent').
 */
export function removeDuetLink(kind: BodyKind, body: string | null | undefined, meetingId: string): Removal {
  const b = body ?? '';
  if (kind === 'html') {
    const block = htmlBlock(meetingId);
    const at = b.lastIndexOf(block);
    if (at >= 0) return { body: b.slice(0, at) + b.slice(at + block.length), found: 'exact' };
    // Exchange re-serializes HTML it stores (attributes, whitespace, a <div> for a <p>): take out
    // the one element whose text is the line, and nothing around it.
    const line = escapeRegExp(duetLinkLine(meetingId));
    const element = new RegExp(`<(p|div)\\b[^>]*>\\s*(?:<span\\b[^>]*>\\s*)?${line}\\s*(?:</span>\\s*)?</\\1>(\\r?\\n)?`, 'gi');
    let last: RegExpExecArray | null = null;
    for (let m = element.exec(b); m; m = element.exec(b)) last = m;
    if (last) return { body: b.slice(0, last.index) + b.slice(last.index + last[0].length), found: 'paragraph' };
    return { body: b, found: 'absent' };
  }
  const line = duetLinkLine(meetingId);
  const at = b.lastIndexOf(line);
  if (at < 0) return { body: b, found: 'absent' };
  const after = b.slice(at + line.length);
  for (const sep of TEXT_SEPARATORS) {
    if (at >= sep.length && b.slice(at - sep.length, at) === sep)
      return { body: b.slice(0, at - sep.length) + after, found: 'exact' };
  }
  return { body: b.slice(0, at) + after, found: 'exact' };
}
