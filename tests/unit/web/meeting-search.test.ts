// The Meetings search (docs/architecture.md §5, "Search"): every word in some field, case and
// accents ignored, where it matched and an excerpt; hostile input is just text.
import { expect, it } from 'vitest';
import {
  fold,
  meetingTextOf,
  search,
  searchEntry,
} from '../../../src-renderer/src/features/meetings/meeting-search';
import { sampleDocs } from './support/sample-docs';

it('reads the content projection as lines of agenda, action items and notes', () => {
  const c = sampleDocs.meetingContent;
  const text = meetingTextOf(c);
  expect(text.agenda.split('\n')).toEqual(c.topics.map((t) => t.text));
  expect(text.actionItems.split('\n')).toEqual(c.items.map((i) => i.text));
  expect(text.notes).toBe(c.notesText);
});

it('matches every word in any field, case and accents ignored, and hostile input is just text', () => {
  const entries = [
    searchEntry('a', 'Ada / Me', 'Ada Lovelace', { agenda: 'Café budget', actionItems: '', notes: '' }),
    searchEntry('b', 'Bob sync', 'Bob Stone', {
      agenda: '',
      actionItems: 'Ship it',
      notes: 'Intro line\nthe budget (.*) [x and a long tail of words that goes on and on past the excerpt',
    }),
  ];
  expect(fold('CAFÉ Ñandú')).toBe('cafe nandu');
  expect([...search(entries, 'cafe ada').keys()]).toEqual(['a']);
  expect([...search(entries, 'budget').keys()]).toEqual(['a', 'b']);
  expect(search(entries, 'budget').get('a')).toMatchObject({ field: 'agenda', snippet: 'Café budget' });
  const b = search(entries, 'BUDGET').get('b')!;
  expect(b.field).toBe('notes');
  // The line holding the match, cut to an excerpt.
  expect(b.snippet.startsWith('the budget (.*) [x')).toBe(true);
  expect(b.snippet.endsWith('…')).toBe(true);
  expect(b.snippet).not.toContain('Intro');
  // A title-only match has no excerpt.
  expect(search(entries, 'sync').get('b')).toMatchObject({ field: 'title', snippet: '' });
  expect([...search(entries, '(.*)').keys()]).toEqual(['b']);
  expect([...search(entries, '   ').keys()]).toEqual([]);
  expect([...search(entries, 'ship nothing').keys()]).toEqual([]);
});
