// @vitest-environment happy-dom
// The meeting page's Archive / Unarchive / Delete (features/meeting/MeetingActions.tsx): offered
// when the data layer's rules allow them, shown disabled with the reason otherwise.
import 'fake-indexeddb/auto';
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, expect, it } from 'vitest';
import type { DuetDatabase } from '../../../src-renderer/src/db/database';
import { LOCAL_OWNER } from '../../../src-renderer/src/db/meeting-rules';
import { MeetingsSection } from '../../../src-renderer/src/features/meetings/MeetingsSection';
import type { MeetingDoc } from '../../../src-shared/meeting/model';
import { openMemoryDb, renderWithServices } from './support/render-app';
import { sampleDocs } from './support/sample-docs';
import { createTestBridge } from './support/test-bridge';

const HOUR = 3_600_000;
let db: DuetDatabase | undefined;
afterEach(async () => {
  cleanup();
  await db?.close();
  db = undefined;
});

let n = 0;
async function openMeeting(patch: Partial<MeetingDoc>): Promise<string> {
  const id = `m-actions-${Date.now()}-${n++}`;
  db = await openMemoryDb();
  const { calendarLink: _link, ...base } = sampleDocs.meetings;
  await db.meetings.insert({ ...base, source: 'app', linkState: 'unlinked', ...patch, id });
  window.location.hash = `#/meetings/${encodeURIComponent(id)}`;
  await renderWithServices(<MeetingsSection />, createTestBridge(), db);
  await screen.findByRole('group', { name: 'Meeting actions' });
  return id;
}

it('a past meeting: Archive, then Unarchive; Delete disabled, saying to archive instead', async () => {
  const start = Date.now() - 48 * HOUR;
  const id = await openMeeting({ start, end: start + HOUR, owner: LOCAL_OWNER });
  const del = screen.getByRole('button', { name: 'Delete' });
  expect(del).toHaveProperty('disabled', true);
  expect(del.getAttribute('aria-describedby')).toBe('delete-why');
  expect(screen.getByText('A meeting that has started cannot be deleted; archive it instead.')).toBeTruthy();
  fireEvent.click(screen.getByRole('button', { name: 'Archive' }));
  await screen.findByRole('button', { name: 'Unarchive' });
  expect((await db!.meetings.findOne(id).exec())!.state).toBe('archived');
  fireEvent.click(screen.getByRole('button', { name: 'Unarchive' }));
  await screen.findByRole('button', { name: 'Archive' });
  expect((await db!.meetings.findOne(id).exec())!.state).toBe('scheduled');
});

it("a coming meeting of one's own: Archive disabled with the reason; Delete asks, deletes, goes back to Meetings", async () => {
  const start = Date.now() + 48 * HOUR;
  const id = await openMeeting({ start, end: start + HOUR, owner: LOCAL_OWNER });
  expect(screen.getByRole('button', { name: 'Archive' })).toHaveProperty('disabled', true);
  expect(screen.getByText('Only a meeting that has ended can be archived.')).toBeTruthy();
  fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
  fireEvent.click(await screen.findByRole('button', { name: 'Yes, delete' }));
  await waitFor(() => expect(window.location.hash).toBe('#/meetings'));
  expect(await db!.meetings.findOne(id).exec()).toBeNull();
});

it("someone else's coming meeting: Delete disabled, naming the owner", async () => {
  const start = Date.now() + 48 * HOUR;
  await openMeeting({ start, end: start + HOUR, owner: 'ada@example.com' });
  expect(screen.getByRole('button', { name: 'Delete' })).toHaveProperty('disabled', true);
  expect(screen.getByText("Only the meeting's owner (ada@example.com) can delete it.")).toBeTruthy();
});
