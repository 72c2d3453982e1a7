// @vitest-environment happy-dom
// The screens over many meetings, as a user sees them, over a real RxDB, real Y.Docs with their
// y-indexeddb copies (fake-indexeddb) and the test bridge: Up next's prep summaries and "Join",
// the Action items screen (grouped, sorted, completed into the meeting's Y.Doc, empty state), a
// person's history and open items, and a series' page.
import 'fake-indexeddb/auto';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, expect, it } from 'vitest';
import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import type { AccountInfo } from '../../../src-shared/bridge/contract';
import type { DuetDatabase } from '../../../src-renderer/src/db/database';
import type { MeetingDoc } from '../../../src-renderer/src/db/schemas';
import { bucketOf, chunkIdFor } from '../../../src-renderer/src/calendar/cache';
import { ActionItemsSection } from '../../../src-renderer/src/features/action-items/ActionItemsSection';
import { saveProjection } from '../../../src-renderer/src/features/meeting/content-projection';
import { MeetingsSection } from '../../../src-renderer/src/features/meetings/MeetingsSection';
import { TeamSection } from '../../../src-renderer/src/features/team/TeamSection';
import { UpNextSection } from '../../../src-renderer/src/features/up-next/UpNextSection';
import { MeetingWorkspace } from '../../../src-shared/workspace/meeting-doc';
import { openMemoryDb, renderWithServices } from './support/render-app';
import { sampleCalendarEvent, sampleDocs } from './support/sample-docs';
import { createTestBridge } from './support/test-bridge';

const ME = 'me@example.com';
const ADA = 'ada@example.com';
const BO = 'bo@example.com';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
let db: DuetDatabase | undefined;

afterEach(async () => {
  cleanup();
  await db?.close();
  db = undefined;
  window.location.hash = '';
});

const account: AccountInfo = {
  id: 'acc',
  provider: 'google',
  sandbox: true,
  email: ME,
  name: 'Me',
  status: 'connected',
  lastSyncAt: 0,
  lastError: '',
  progress: null,
  push: false,
  pollMinutes: 5,
};

let n = 0;
const meetingOf = (patch: Partial<MeetingDoc>): MeetingDoc => ({
  ...sampleDocs.meetings,
  id: `m-pages-${Date.now()}-${n++}`,
  roomId: '',
  ...patch,
});

/** Writes a meeting's local Y.Doc copy and its projection, as the meeting page would. */
async function withDoc(meeting: MeetingDoc, fill: (ws: MeetingWorkspace) => void): Promise<void> {
  const doc = new Y.Doc();
  const local = new IndexeddbPersistence(`duet-meeting-${meeting.id}`, doc);
  await local.whenSynced;
  const ws = new MeetingWorkspace(doc, ME);
  ws.setMeta({
    title: meeting.title,
    start: meeting.start,
    end: meeting.end,
    participants: meeting.participants,
  });
  fill(ws);
  await saveProjection(db!, meeting.id, ws);
  await local.destroy();
}

function markRolled(ws: MeetingWorkspace, kind: 'topics' | 'items', id: string, from: string) {
  (ws.doc.getMap(kind).get(id) as Y.Map<unknown>).set('rolledFrom', from);
}

async function seed() {
  db = await openMemoryDb();
  const now = Date.now();
  await db.people.bulkInsert([
    sampleDocs.people,
    { ...sampleDocs.people, id: 'p-bo', name: 'Bo Chen', email: BO, aliases: [] },
  ]);
  await db.series.insert(sampleDocs.series);
  const past = meetingOf({ title: 'Ada / Me', start: now - 3 * DAY, end: now - 3 * DAY + HOUR / 2 });
  // Live now, with a video link on its cached calendar event.
  const live = meetingOf({ title: 'Ada / Me', start: now - 60_000, end: now + HOUR / 2 });
  const bo = meetingOf({
    title: 'Bo / Me',
    seriesId: '',
    participants: [BO, ME],
    start: now - 10 * DAY,
    end: now - 10 * DAY + HOUR / 2,
  });
  await db.meetings.bulkInsert([past, live, bo]);
  const link = live.calendarLink!;
  await db.calendarEvents.insert({
    ...sampleDocs.calendarEvents,
    id: chunkIdFor(link.accountId, bucketOf(link.calendarId, link.eventId)),
    accountId: link.accountId,
    eventsJson: JSON.stringify([
      {
        ...sampleCalendarEvent,
        id: link.eventId,
        calendarId: link.calendarId,
        joinUrl: 'https://meet.google.com/abc-defg-hij',
      },
    ]),
  });
  await withDoc(past, (ws) => {
    ws.add('items', 'Send the plan', { assignee: ADA, due: '2030-01-10' });
    ws.setDone('items', ws.add('items', 'Already done'), true);
  });
  await withDoc(live, (ws) => {
    markRolled(ws, 'topics', ws.add('topics', 'Hiring'), '2030-01-01');
    ws.add('items', 'Book the offsite', { due: '2020-01-01' });
  });
  await withDoc(bo, (ws) => {
    ws.add('items', 'Review the budget');
  });
  const bridge = createTestBridge({ calendar: { syncNow: () => ({ started: true }) } });
  bridge.state.accounts = [account];
  return { bridge, past, live, bo };
}

it('Up next: a prep summary per meeting, Join while it is on, and Sync now', async () => {
  const { bridge } = await seed();
  await renderWithServices(<UpNextSection />, bridge, db);
  const card = await screen.findByRole('listitem', { name: /^Ada Lovelace, Today/ });
  const prep = within(card).getByRole('group', { name: 'Prep for Ada Lovelace' });
  await within(prep).findByText('2 open action items');
  expect(within(prep).getByText('Last 1:1 3 days ago')).toBeTruthy();
  expect(within(prep).getByText(/^1 topic rolled over from/)).toBeTruthy();
  const items = within(prep).getByRole('list', { name: 'Open action items with Ada Lovelace' });
  // Overdue first, then by due date; the done one and Bo's are not Ada's prep.
  expect(
    within(items)
      .getAllByRole('listitem')
      .map((li) => li.textContent),
  ).toEqual(['Book the offsite · due 2020-01-01', 'Send the plan · due 2030-01-10']);
  const join = await within(card).findByRole('button', { name: 'Join' });
  expect(join.getAttribute('href')).toBe('https://meet.google.com/abc-defg-hij');
  expect(within(card).getByRole('link', { name: 'Weekly' }).getAttribute('href')).toBe(
    '#/meetings/series/s-1',
  );

  fireEvent.click(await screen.findByRole('button', { name: 'Sync now' }));
  await waitFor(() =>
    expect(bridge.calls.some((c) => c.ns === 'calendar' && c.method === 'syncNow')).toBe(true),
  );
});

it('Up next says "Nothing rolled over" and "First 1:1" when there is no history, and has no Join before the start', async () => {
  db = await openMemoryDb();
  await db.people.insert(sampleDocs.people);
  const later = Date.now() + 2 * HOUR;
  await db.meetings.insert(meetingOf({ start: later, end: later + HOUR / 2 }));
  const bridge = createTestBridge();
  bridge.state.accounts = [account];
  await renderWithServices(<UpNextSection />, bridge, db);
  const card = await screen.findByTestId('meeting');
  expect(within(card).getByText('First 1:1 with Ada Lovelace')).toBeTruthy();
  expect(within(card).getByText('Nothing rolled over')).toBeTruthy();
  expect(within(card).getByText('No open action items')).toBeTruthy();
  expect(within(card).queryByRole('button', { name: 'Join' })).toBeNull();
});

it('Up next counts what rolled into a meeting that has nothing open', async () => {
  db = await openMemoryDb();
  await db.people.insert(sampleDocs.people);
  const later = Date.now() + 2 * HOUR;
  const meeting = meetingOf({ start: later, end: later + HOUR / 2 });
  await db.meetings.insert(meeting);
  await withDoc(meeting, (ws) => {
    markRolled(ws, 'topics', ws.add('topics', 'Career plan'), '2030-01-01');
    markRolled(ws, 'topics', ws.add('topics', 'Offsite'), '2029-12-25');
  });
  await renderWithServices(<UpNextSection />, createTestBridge(), db);
  const card = await screen.findByTestId('meeting');
  expect(await within(card).findByText(/^2 topics rolled over from/)).toBeTruthy();
  expect(within(card).getByText('No open action items')).toBeTruthy();
});

it('Action items: grouped by person, soonest due first; completing one writes its meeting’s Y.Doc', async () => {
  const { bridge, live } = await seed();
  await renderWithServices(<ActionItemsSection />, bridge, db);
  const ada = await screen.findByRole('region', { name: 'Ada Lovelace' });
  const list = within(ada).getByRole('list', { name: 'Open action items with Ada Lovelace' });
  expect(
    within(list)
      .getAllByRole('listitem')
      .map((li) => li.getAttribute('aria-label')),
  ).toEqual(['Book the offsite', 'Send the plan']);
  expect(within(list).getByText(/^Overdue since/)).toBeTruthy();
  expect(screen.getByRole('region', { name: 'Bo Chen' })).toBeTruthy();
  expect(screen.queryByText('Already done')).toBeNull();

  fireEvent.click(within(list).getByRole('checkbox', { name: 'Done: Book the offsite' }));
  await waitFor(() => expect(within(list).queryByRole('listitem', { name: 'Book the offsite' })).toBeNull());
  // The meeting's own doc holds it (its local copy), so it syncs when the meeting connects.
  const doc = new Y.Doc();
  const local = new IndexeddbPersistence(`duet-meeting-${live.id}`, doc);
  await local.whenSynced;
  expect(new MeetingWorkspace(doc, ME).items().map((i) => [i.text, i.done])).toEqual([
    ['Book the offsite', true],
  ]);
  await local.destroy();
});

it('Action items: an empty state when nothing is open', async () => {
  db = await openMemoryDb();
  await renderWithServices(<ActionItemsSection />, createTestBridge(), db);
  expect(await screen.findByText('Nothing open')).toBeTruthy();
});

it('the person page shows the history of 1:1s, linked, and their open action items', async () => {
  const { bridge, past, live } = await seed();
  window.location.hash = '#/team/p-ada';
  await renderWithServices(<TeamSection />, bridge, db);
  const open = await screen.findByRole('list', { name: 'Open action items with Ada Lovelace' });
  await within(open).findByRole('listitem', { name: 'Send the plan' });
  expect(within(open).queryByRole('listitem', { name: 'Review the budget' })).toBeNull();
  const upcoming = screen.getByRole('list', { name: 'Upcoming' });
  expect(within(upcoming).getByRole('link', { name: 'Ada / Me' }).getAttribute('href')).toBe(
    `#/meetings/${live.id}`,
  );
  const history = screen.getByRole('list', { name: 'History' });
  expect(within(history).getByRole('link', { name: 'Ada / Me' }).getAttribute('href')).toBe(
    `#/meetings/${past.id}`,
  );
});

it('the series page lists every meeting of the series, its cadence and its open items', async () => {
  const { bridge, past, live, bo } = await seed();
  window.location.hash = '#/meetings/series/s-1';
  await renderWithServices(<MeetingsSection />, bridge, db);
  await screen.findByRole('heading', { level: 1, name: 'Ada / Me' });
  expect(screen.getByTestId('series-cadence').textContent).toBe('Weekly');
  // The cadence figures (how often they really meet) for the person across the table.
  expect(await screen.findByRole('region', { name: 'Cadence with Ada Lovelace' })).toBeTruthy();
  const rows = await screen.findAllByTestId('history-meeting');
  const hrefs = rows.map((r) => within(r).getByRole('link').getAttribute('href'));
  expect(hrefs).toEqual([`#/meetings/${live.id}`, `#/meetings/${past.id}`]);
  expect(hrefs).not.toContain(`#/meetings/${bo.id}`);
  const open = await screen.findByRole('list', { name: 'Open action items in Ada / Me' });
  await within(open).findByRole('listitem', { name: 'Book the offsite' });
  expect(within(open).getAllByRole('listitem')).toHaveLength(2);

  // A series found from a calendar may have no title of its own: its meetings' stands in.
  cleanup();
  await db!.series.upsert({ ...sampleDocs.series, title: '' });
  await renderWithServices(<MeetingsSection />, bridge, db);
  expect(await screen.findByRole('heading', { level: 1, name: 'Ada / Me' })).toBeTruthy();

  // An unknown series says so; a hostile hash opens nothing.
  cleanup();
  window.location.hash = '#/meetings/series/%E0%A4%A';
  await renderWithServices(<MeetingsSection />, bridge, db);
  expect(await screen.findByRole('heading', { level: 1 })).toBeTruthy();
  cleanup();
  window.location.hash = '#/meetings/series/nope';
  await renderWithServices(<MeetingsSection />, bridge, db);
  expect(await screen.findByRole('heading', { level: 1, name: 'Series not found' })).toBeTruthy();
});
