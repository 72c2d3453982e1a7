// @vitest-environment happy-dom
// The Meetings screen as a user drives it, over a real RxDB and the test bridge: tabs (upcoming,
// past, cancelled struck through, archived), the person filter, search as you type over the
// content projection of shared content, the calendar mark, a lost series link and Relink, and a
// windowed list of 5,000 meetings navigated by keyboard.
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { DuetDatabase } from '../../../src-renderer/src/db/database';
import type {
  MeetingContentDoc,
  MeetingDoc,
  PersonDoc,
  SeriesDoc,
} from '../../../src-renderer/src/db/schemas';
import type { IngestPort } from '../../../src-renderer/src/features/imports/ingest-port';
import { MeetingsSection } from '../../../src-renderer/src/features/meetings/MeetingsSection';
import { MeetingsView } from '../../../src-renderer/src/features/meetings/MeetingsView';
import { useMeetingsViewState } from '../../../src-renderer/src/features/meetings/view-state';
import { openMemoryDb, renderWithServices } from './support/render-app';
import { sampleDocs } from './support/sample-docs';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ME = 'me@example.com';
let db: DuetDatabase | undefined;

beforeEach(() => {
  useMeetingsViewState.getState().reset();
  window.location.hash = '#/meetings';
});
afterEach(async () => {
  cleanup();
  await db?.close();
  db = undefined;
});

const person = (id: string, name: string, email: string): PersonDoc => ({
  ...sampleDocs.people,
  id,
  name,
  email,
  aliases: [],
});

function meeting(
  id: string,
  title: string,
  other: string,
  start: number,
  patch: Partial<MeetingDoc> = {},
): MeetingDoc {
  return {
    ...sampleDocs.meetings,
    id,
    title,
    seriesId: '',
    participants: [other, ME].sort(),
    start,
    end: start + HOUR / 2,
    roomId: '',
    ...patch,
  };
}

const entry = (text: string, i: number) => ({
  id: `e${i}`,
  text,
  author: ME,
  done: false,
  order: i,
  rolledFrom: '',
  movedTo: '',
});
function content(id: string, topics: string[], items: string[], notesText: string): MeetingContentDoc {
  return {
    id,
    topics: topics.map(entry),
    items: items.map((t, i) => ({ ...entry(t, i), assignee: '', due: '' })),
    notesText,
    openItems: items.length,
    updatedAt: 1,
  };
}

const tab = (name: string) => screen.getByRole('tab', { name: new RegExp(`^${name}`) });
const rows = () => screen.queryAllByTestId('meeting');

async function setup(ingest: IngestPort | null = null) {
  db = await openMemoryDb();
  const now = Date.now();
  await db.people.bulkInsert([
    person('p-ada', 'Ada Lovelace', 'ada@example.com'),
    person('p-bob', 'Bob Stone', 'bob@example.com'),
  ]);
  const series: SeriesDoc = {
    ...sampleDocs.series,
    id: 's-ada',
    title: 'Ada / Me',
    participants: ['ada@example.com', ME],
    linkState: 'disconnected',
    calendarLink: sampleDocs.meetings.calendarLink!,
  };
  await db.series.insert(series);
  await db.meetings.bulkInsert([
    meeting('m-up-ada', 'Ada / Me', 'ada@example.com', now + DAY, { seriesId: 's-ada' }),
    meeting('m-up-bob', 'Bob sync', 'bob@example.com', now + 2 * DAY, {
      source: 'app',
      calendarLink: undefined,
    }),
    meeting('m-past-bob', 'Bob retro', 'bob@example.com', now - 3 * DAY),
    meeting('m-cancel', 'Bob planning', 'bob@example.com', now + 3 * DAY, {
      state: 'cancelled',
      linkState: 'unlinked',
    }),
    meeting('m-arch', 'Old Ada chat', 'ada@example.com', now - 40 * DAY, { state: 'archived' }),
  ]);
  await db.meetingContent.insert(
    content(
      'm-past-bob',
      ['Quarterly roadmap'],
      ['Send the deck'],
      'We agreed on the zeppelin launch\nNext time: budget',
    ),
  );
  const r = await renderWithServices(<MeetingsSection />, undefined, db, ingest);
  await screen.findByRole('tablist', { name: 'Meetings' });
  return r;
}

it('sorts meetings into Upcoming, Past, Cancelled (struck through) and Archived, with a calendar mark', async () => {
  await setup();
  expect(tab('Upcoming').getAttribute('aria-selected')).toBe('true');
  expect(tab('Upcoming').textContent).toContain('2');
  await waitFor(() => expect(rows()).toHaveLength(2));
  expect(rows()[0]!.textContent).toContain('Ada Lovelace');
  // The calendar meeting carries the mark; the app meeting does not.
  expect(within(rows()[0]!).getByRole('img', { name: 'From the sandbox calendar' })).toBeTruthy();
  expect(within(rows()[1]!).queryByRole('img')).toBeNull();

  fireEvent.click(tab('Past'));
  await waitFor(() => expect(rows()).toHaveLength(1));
  expect(rows()[0]!.textContent).toContain('Bob retro');

  fireEvent.click(tab('Cancelled'));
  await waitFor(() => expect(rows()).toHaveLength(1));
  const link = within(rows()[0]!).getByRole('link', { name: 'Bob planning (cancelled)' });
  expect(link.querySelector('s')?.textContent).toBe('Bob planning');

  fireEvent.click(tab('Archived'));
  await waitFor(() => expect(rows()).toHaveLength(1));
  expect(rows()[0]!.textContent).toContain('Old Ada chat');

  // Arrow keys move between tabs (the tabs pattern), selecting as they go.
  fireEvent.keyDown(tab('Archived'), { key: 'ArrowRight' });
  expect(tab('Upcoming').getAttribute('aria-selected')).toBe('true');
});

it('searches as you type across titles, agenda, action items and shared notes, and says where it matched', async () => {
  await setup();
  const box = screen.getByRole('searchbox', { name: 'Search meetings' });
  fireEvent.change(box, { target: { value: 'zeppelin' } });
  // The match is a past meeting: Upcoming says so and offers the tab it is in.
  await screen.findByText(/No upcoming meetings match “zeppelin”/);
  expect(tab('Past').textContent).toContain('1');
  fireEvent.click(screen.getByRole('button', { name: 'Past (1)' }));
  await waitFor(() => expect(rows()).toHaveLength(1));
  expect(rows()[0]!.textContent).toContain('Bob retro');
  expect(rows()[0]!.textContent).toContain('Shared notes: We agreed on the zeppelin launch');

  // Every word must be somewhere in the meeting; case and accents do not matter.
  fireEvent.change(box, { target: { value: 'DECK Róadmap' } });
  await waitFor(() => expect(rows()[0]?.textContent).toContain('Action items: Send the deck'));
  fireEvent.change(box, { target: { value: 'deck nowhere' } });
  await screen.findByText(/No past meetings match/);
  fireEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
  await waitFor(() => expect(rows()).toHaveLength(1));

  // Titles and names count too.
  fireEvent.click(tab('Upcoming'));
  fireEvent.change(box, { target: { value: 'lovelace' } });
  await waitFor(() => expect(rows()).toHaveLength(1));
  expect(rows()[0]!.textContent).toContain('Ada / Me');
});

it('learns new shared content as its projection changes', async () => {
  await setup();
  fireEvent.change(screen.getByRole('searchbox', { name: 'Search meetings' }), {
    target: { value: 'hovercraft' },
  });
  await screen.findByText(/No upcoming meetings match/);
  await act(() => db!.meetingContent.upsert(content('m-up-bob', [], ['Buy a hovercraft'], '')));

  await waitFor(() => expect(rows()).toHaveLength(1));
  expect(rows()[0]!.textContent).toContain('Action items: Buy a hovercraft');
});

it('filters by person, aliases included', async () => {
  await setup();
  fireEvent.change(screen.getByRole('combobox', { name: 'Person' }), { target: { value: 'p-bob' } });
  await waitFor(() => expect(rows()).toHaveLength(1));
  expect(rows()[0]!.textContent).toContain('Bob Stone');
  fireEvent.click(tab('Archived'));
  await screen.findByText(/No archived meetings match with Bob Stone/);
  await (await db!.people.findOne('p-bob').exec())!.incrementalPatch({ aliases: ['ada@example.com'] });
  await waitFor(() => expect(rows()).toHaveLength(1));
});

it('warns about a series whose calendar link is lost; Relink runs detection and says what came of it', async () => {
  let calls = 0;
  const ingest: IngestPort = {
    summaries: () => [],
    diagnostics: async () => [],
    redetect: async () => {
      calls++;
      // The second run finds the recurring event again (the engine links the series).
      if (calls === 2)
        await (await db!.series.findOne('s-ada').exec())!.incrementalPatch({ linkState: 'linked' });
    },
    subscribe: () => () => undefined,
  };
  await setup(ingest);
  const warning = screen.getByRole('region', { name: 'Calendar links lost' });
  expect(warning.textContent).toContain('Ada / Me with Ada Lovelace is no longer linked');
  expect(within(rows()[0]!).getByText('Calendar link lost')).toBeTruthy();

  fireEvent.click(within(warning).getByRole('button', { name: 'Relink' }));
  await within(warning).findByText(/still not among your calendar’s 1:1s/);
  expect(within(warning).getByRole('link', { name: 'Why isn’t my 1:1 showing?' })).toBeTruthy();
  fireEvent.click(within(warning).getByRole('button', { name: 'Relink' }));
  await waitFor(() => expect(screen.queryByRole('region', { name: 'Calendar links lost' })).toBeNull());
  expect(calls).toBe(2);
  expect(within(rows()[0]!).queryByText('Calendar link lost')).toBeNull();
});

it('has an empty state for a tab with nothing in it', async () => {
  db = await openMemoryDb();
  await db.meetings.insert(meeting('m-1', 'Only past', 'ada@example.com', Date.now() - DAY));
  await renderWithServices(<MeetingsSection />, undefined, db);
  await screen.findByText('Nothing scheduled.');
  fireEvent.click(tab('Cancelled'));
  await screen.findByText('No cancelled meetings.');
});

it('renders a window of 5,000 meetings and moves through them by keyboard', () => {
  const now = Date.now();
  const people = Array.from({ length: 50 }, (_, i) => person(`p${i}`, `Person ${i}`, `p${i}@example.com`));
  const meetings = Array.from({ length: 5000 }, (_, i) =>
    meeting(
      `m${String(i).padStart(4, '0')}`,
      `1:1 number ${i}`,
      `p${i % 50}@example.com`,
      now + (i + 1) * HOUR,
    ),
  );
  render(
    <MeetingsView
      meetings={meetings}
      context={{ people, series: new Map(), selves: new Set([ME]) }}
      texts={new Map()}
      now={now}
    />,
  );
  const list = screen.getByRole('list', { name: 'Upcoming meetings' });
  const items = within(list).getAllByRole('listitem');
  // A window, not the whole list; each row knows its place in all 5,000.
  expect(items.length).toBeGreaterThan(5);
  expect(items.length).toBeLessThan(40);
  expect(items[0]!.getAttribute('aria-setsize')).toBe('5000');

  const firstLink = within(items[0]!).getByRole('link', { name: '1:1 number 0' });
  expect(firstLink.tabIndex).toBe(0);
  expect(within(items[1]!).getByRole('link').tabIndex).toBe(-1);
  firstLink.focus();
  fireEvent.keyDown(firstLink, { key: 'ArrowDown' });
  expect(document.activeElement?.textContent).toBe('1:1 number 1');
  fireEvent.keyDown(document.activeElement!, { key: 'End' });
  expect(document.activeElement?.textContent).toBe('1:1 number 4999');
  const last = document.activeElement!.closest('[role="listitem"]')!;
  expect(last.getAttribute('aria-posinset')).toBe('5000');
  expect(within(list).getAllByRole('listitem').length).toBeLessThan(40);
  fireEvent.keyDown(document.activeElement!, { key: 'PageUp' });
  expect(document.activeElement?.textContent).toMatch(/^1:1 number 49\d\d$/);
  fireEvent.keyDown(document.activeElement!, { key: 'Home' });
  expect(document.activeElement?.textContent).toBe('1:1 number 0');
});
