// @vitest-environment happy-dom
// Team shows each person's cadence (figures, chart with its label, Overdue) and takes a start
// date that changes the suggestion; the Inbox lists notifications, the sidebar counts the unread,
// and marking read clears the count (docs/architecture.md §5).
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, expect, it } from 'vitest';
import { Sidebar } from '../../../src-renderer/src/app/Sidebar';
import type { DuetDatabase } from '../../../src-renderer/src/db/database';
import type { MeetingDoc } from '../../../src-renderer/src/db/schemas';
import { InboxSection } from '../../../src-renderer/src/features/inbox/InboxSection';
import { TeamSection } from '../../../src-renderer/src/features/team/TeamSection';
import { renderWithServices } from './support/render-app';

const DAY = 86_400_000;
let db: DuetDatabase | undefined;
afterEach(async () => {
  cleanup();
  await db?.close();
});

const person = (id: string, name: string, email: string, startDate = '') => ({
  id, name, email, aliases: [], managerEmail: 'me@acme.io', startDate, directReport: true, createdAt: 0, updatedAt: 0,
});
const met = (id: string, email: string, daysAgo: number): MeetingDoc => {
  // Noon that many calendar days ago (the screen counts calendar days in the system's zone).
  const d = new Date();
  d.setDate(d.getDate() - daysAgo);
  d.setHours(12, 0, 0, 0);
  const start = d.getTime();
  return { id, seriesId: '', title: '1:1', start, end: start + 1_800_000, participants: [email, 'me@acme.io'].sort(), owner: 'me@acme.io', source: 'calendar', linkState: 'linked', state: 'scheduled', roomId: '', createdAt: 0, updatedAt: 0 };
};

it('Team: cadence per person, overdue beyond the expected interval, a start date moves the suggestion', async () => {
  const r = await renderWithServices(<TeamSection />);
  db = r.db;
  await db.people.bulkInsert([person('p-sam', 'Sam Rivera', 'sam@acme.io'), person('p-lee', 'Lee Park', 'lee@acme.io')]);
  await db.meetings.bulkInsert([met('a', 'sam@acme.io', 30), met('b', 'sam@acme.io', 20), met('c', 'sam@acme.io', 10), met('d', 'lee@acme.io', 3)]);
  const row = async (name: string) => (await screen.findByRole('link', { name })).closest('li') as HTMLElement;
  const sam = await row('Sam Rivera');
  await waitFor(() => expect(within(sam).getByTestId('cadence').textContent).toContain('3 in 90 days · every 10 days on average · last 10 days ago · expected every 2 weeks'));
  expect(within(sam).queryByText('Overdue')).toBeNull();
  expect(within(sam).getByRole('img').getAttribute('aria-label')).toBe(
    'Meetings with Sam Rivera over the last 90 days: 3 held, about 6 expected (every 2 weeks).',
  );
  // A new hire: weekly, so ten days since the last 1:1 is overdue.
  const since = new Date(Date.now() - 20 * DAY).toISOString().slice(0, 10);
  fireEvent.change(within(sam).getByLabelText('Start date of Sam Rivera'), { target: { value: since } });
  await waitFor(async () => expect((await db!.people.findOne('p-sam').exec())?.startDate).toBe(since));
  const samAgain = await row('Sam Rivera');
  await waitFor(() => expect(within(samAgain).getByText('Overdue')).toBeTruthy());
  expect(within(samAgain).getByTestId('cadence').textContent).toContain('expected weekly');
  // A future date is refused with a reason, and nothing is saved.
  fireEvent.change(within(samAgain).getByLabelText('Start date of Sam Rivera'), { target: { value: '2999-01-01' } });
  expect(await within(samAgain).findByRole('alert')).toHaveProperty('textContent', 'A start date cannot be in the future.');
  expect((await db.people.findOne('p-sam').exec())?.startDate).toBe(since);
  expect(within(await row('Lee Park')).queryByText('Overdue')).toBeNull();
});

it('Inbox: lists notifications, the sidebar counts the unread, Mark read clears them', async () => {
  const r = await renderWithServices(
    <>
      <Sidebar />
      <InboxSection />
    </>,
  );
  db = r.db;
  const n = (id: string, title: string, createdAt: number) => ({ id, kind: 'prep-reminder' as const, title, body: 'Open items: budget', href: '#/meetings/m1', dueAt: createdAt, createdAt, readAt: 0 });
  await db.notifications.bulkInsert([n('a', '1:1 with Sam Rivera in 1 hour', 2), n('b', 'Your week in 1:1s', 3)]);
  await db.notifications.insert({ ...n('notifier-state', '', 1), kind: 'state' });
  const link = screen.getByRole('link', { name: 'Inbox' });
  await waitFor(() => expect(within(link).getByTestId('inbox-unread').textContent).toBe('2'));
  expect(document.getElementById(link.getAttribute('aria-describedby') ?? '')?.textContent).toBe('2 unread');
  const items = await screen.findAllByTestId('inbox-item');
  expect(items.map((i) => within(i).getByRole('link').textContent)).toEqual(['Your week in 1:1s', '1:1 with Sam Rivera in 1 hour']);
  fireEvent.click(screen.getByRole('button', { name: 'Mark “Your week in 1:1s” read' }));
  await waitFor(() => expect(within(link).getByTestId('inbox-unread').textContent).toBe('1'));
  fireEvent.click(screen.getByRole('button', { name: 'Mark all read' }));
  await waitFor(() => expect(within(link).queryByTestId('inbox-unread')).toBeNull());
  expect(screen.getAllByTestId('inbox-item')).toHaveLength(2);
});

it('the directory fills a start date nobody entered, never one that was', async () => {
  const { openMemoryDb } = await import('./support/render-app');
  const { fillStartDatesFromDirectory } = await import('../../../src-renderer/src/features/team/team-repo');
  db = await openMemoryDb();
  await db.people.bulkInsert([
    { ...person('p-noor', 'Noor Haddad', 'noor@acme.io'), aliases: ['noor.h@acme.io'] },
    person('p-sam', 'Sam Rivera', 'sam@acme.io', '2021-06-14'),
    person('p-lee', 'Lee Park', 'lee@acme.io'),
  ]);
  const filled = await fillStartDatesFromDirectory(db.people, [
    { email: 'NOOR.H@acme.io', hireDate: Date.parse('2026-11-23T00:00:00Z') },
    { email: 'sam@acme.io', hireDate: Date.parse('2020-01-01T00:00:00Z') },
    { email: 'lee@acme.io' },
  ]);
  expect(filled).toEqual(['p-noor']);
  const dates = (await db.people.find().exec()).map((p) => [p.id, p.startDate]);
  expect(Object.fromEntries(dates)).toEqual({ 'p-noor': '2026-11-23', 'p-sam': '2021-06-14', 'p-lee': '' });
});
