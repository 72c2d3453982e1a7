// The link block the "add the Duet link to 1:1 events I organize" option writes: whatever the
// description was, adding then removing gives it back byte for byte (docs/architecture.md §6).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDuetLink,
  duetLinkLine,
  hasDuetLink,
  removeDuetLink,
  type BodyKind,
} from '../../../src-shared/calendar/duet-link-block';

const ID = 'cal-abcdefghijklmnopqrstuvwxyz';
const LINE = duetLinkLine(ID);

describe('the Duet link block', () => {
  it('adds one line after a blank line to text, alone to an empty description, after <br><br> to HTML-ish text', () => {
    expect(addDuetLink('text', 'Notes', ID)).toBe(`Notes\n\n${LINE}`);
    expect(addDuetLink('text', '', ID)).toBe(LINE);
    expect(addDuetLink('text', undefined, ID)).toBe(LINE);
    expect(addDuetLink('text', '<b>Notes</b>', ID)).toBe(`<b>Notes</b><br><br>${LINE}`);
  });

  it('puts a paragraph before the last </body> of HTML, or at its end', () => {
    expect(addDuetLink('html', '<html><body><p>x</p></body></html>', ID)).toBe(
      `<html><body><p>x</p><p>${LINE}</p></body></html>`,
    );
    expect(addDuetLink('html', '<p>x</p>', ID)).toBe(`<p>x</p><p>${LINE}</p>`);
    expect(hasDuetLink('html', addDuetLink('html', '', ID), ID)).toBe(true);
  });

  it('round-trips any description exactly, the user’s own copy of the line included', () => {
    const pieces = fc.constantFrom('\n', '\r\n', '<br>', '<p>', '</p>', '</body>', '</BODY>', 'a', ' ', LINE, '&amp;', '<div>');
    const body = fc.array(fc.oneof(fc.string(), pieces), { maxLength: 12 }).map((a) => a.join(''));
    fc.assert(
      fc.property(body, fc.constantFrom<BodyKind>('text', 'html'), (original, kind) => {
        const added = addDuetLink(kind, original, ID);
        expect(hasDuetLink(kind, added, ID)).toBe(true);
        const removed = removeDuetLink(kind, added, ID);
        expect(removed.found).toBe('exact');
        expect(removed.body).toBe(original);
      }),
      { numRuns: 500 },
    );
  });

  it('takes out a paragraph the provider re-serialized, and leaves a body whose link was edited away', () => {
    const stored = `<html><body><div>x</div>\r\n<p class="MsoNormal" style="margin:0">${LINE}</p>\r\n</body></html>`;
    expect(removeDuetLink('html', stored, ID)).toEqual({ body: '<html><body><div>x</div>\r\n</body></html>', found: 'paragraph' });
    expect(removeDuetLink('html', '<p>mine</p>', ID)).toEqual({ body: '<p>mine</p>', found: 'absent' });
    expect(removeDuetLink('text', 'mine', ID)).toEqual({ body: 'mine', found: 'absent' });
  });

  it('refuses an id that is not a meeting id (nothing hostile reaches a description)', () => {
    for (const bad of ['', 'a b', '<script>', 'x"><img src=x>', 'a'.repeat(129)])
      expect(() => addDuetLink('html', '', bad)).toThrow(/Not a meeting id/);
  });
});
