// @vitest-environment happy-dom
// A section's link in the sidebar, clicked while on a page inside that section (a meeting's page
// under Meetings), goes back to the section's start: the store's section does not change there,
// so without the link writing the hash the click did nothing.
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, expect, it } from 'vitest';
import { Sidebar } from '../../../src-renderer/src/app/Sidebar';
import type { DuetDatabase } from '../../../src-renderer/src/db/database';
import { useNavigation } from '../../../src-renderer/src/state/navigation';
import { renderWithServices } from './support/render-app';

let db: DuetDatabase | undefined;
afterEach(async () => {
  cleanup();
  await db?.close();
  window.location.hash = '';
});

it('"Meetings" on a meeting page goes back to the Meetings list', async () => {
  window.location.hash = '#/meetings/m-123';
  useNavigation.getState().go('meetings');
  db = (await renderWithServices(<Sidebar />)).db;
  fireEvent.click(screen.getByRole('link', { name: 'Meetings' }));
  expect(window.location.hash).toBe('#/meetings');
  expect(useNavigation.getState().section).toBe('meetings');
});

it("another section's link changes the section through the store, the hash left to it", async () => {
  window.location.hash = '#/meetings/m-123';
  useNavigation.getState().go('meetings');
  db = (await renderWithServices(<Sidebar />)).db;
  fireEvent.click(screen.getByRole('link', { name: 'Team' }));
  expect(useNavigation.getState().section).toBe('team');
  // No binding to the window in this test: the hash is the store's to write, so it is untouched.
  expect(window.location.hash).toBe('#/meetings/m-123');
});
