// @vitest-environment happy-dom
// "Export as Markdown" on the meeting page, as a user drives it, over a real RxDB, the meeting's
// real local copy (y-indexeddb on fake-indexeddb) and the test bridge's private-notes key: the
// file holds the shared content, the private notes only when ticked, and a whole series on request.
import 'fake-indexeddb/auto';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, expect, it, vi } from 'vitest';
import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import type { DuetDatabase } from '../../../src-renderer/src/db/database';
import { privateNoteCodecs, writePrivateNote } from '../../../src-renderer/src/db/private-notes';
import { MeetingsSection } from '../../../src-renderer/src/features/meetings/MeetingsSection';
import { MeetingWorkspace } from '../../../src-shared/workspace/meeting-doc';
import { openMemoryDb, renderWithServices } from './support/render-app';
import { sampleDocs } from './support/sample-docs';
import { createTestBridge } from './support/test-bridge';

const ME = 'me@example.com';
let db: DuetDatabase | undefined;
afterEach(async () => {
  cleanup();
  vi.restoreAllMocks();
  await db?.close();
  db = undefined;
});

async function seedDoc(id: string, topic: string) {
  const doc = new Y.Doc();
  const local = new IndexeddbPersistence(`duet-meeting-${id}`, doc);
  await local.whenSynced;
  const ws = new MeetingWorkspace(doc, ME);
  ws.add('topics', topic);
  ws.add('items', `Follow up on ${topic}`);
  await local.destroy();
}

/** Every file handed to the browser, read back as text. */
function captureDownloads(): { files: () => Promise<{ name: string; text: string }[]> } {
  const blobs: Blob[] = [];
  const names: string[] = [];
  vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => {
    blobs.push(b as Blob);
    return `blob:test/${blobs.length}`;
  });
  vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    names.push(this.download);
  });
  return {
    files: async () => Promise.all(blobs.map(async (b, i) => ({ name: names[i]!, text: await b.text() }))),
  };
}

it('downloads the meeting as Markdown, with private notes only when ticked, or the whole series', async () => {
  const stamp = `${Date.now()}`;
  const first = `m-exp-a-${stamp}`;
  const second = `m-exp-b-${stamp}`;
  await seedDoc(first, 'Quarterly goals');
  await seedDoc(second, 'Hiring plan');
  db = await openMemoryDb();
  const t0 = sampleDocs.meetings.start;
  await db.meetings.bulkInsert([
    { ...sampleDocs.meetings, id: first },
    { ...sampleDocs.meetings, id: second, start: t0 + 7 * 86_400_000, end: t0 + 7 * 86_400_000 + 1_800_000 },
  ]);
  await db.people.insert(sampleDocs.people);
  await db.series.insert(sampleDocs.series);
  const bridge = createTestBridge({
    accounts: {
      identity: () => ({
        email: ME,
        idToken: 'token',
        expiresAt: Date.now() + 3_600_000,
        issuer: 'https://issuer.test',
        accountId: ME,
      }),
    },
    sync: { serverInfo: () => ({ url: '', embedded: true, state: 'stopped' as const }) },
  });
  const codecs = await privateNoteCodecs(bridge.api);
  await writePrivateNote(
    db.privateNotes,
    { meetingId: first, owner: ME, body: 'canary-private-x1' },
    { codecs },
  );
  const downloads = captureDownloads();

  window.location.hash = `#/meetings/${encodeURIComponent(first)}`;
  await renderWithServices(<MeetingsSection />, bridge, db);
  await screen.findByRole('region', { name: 'Agenda' });
  fireEvent.click(screen.getByRole('button', { name: 'Export as Markdown' }));
  const dialog = screen.getByRole('dialog', { name: 'Export as Markdown' });
  const tick = within(dialog).getByRole('checkbox', { name: 'Include my private notes' });
  expect((tick as HTMLInputElement).checked).toBe(false);
  fireEvent.click(within(dialog).getByRole('button', { name: 'Download' }));
  await within(dialog).findByText(/Saved as Ada-Me-2030-01-07\.md/);

  fireEvent.click(tick);
  fireEvent.click(within(dialog).getByRole('button', { name: 'Download' }));
  await waitFor(async () => expect(await downloads.files()).toHaveLength(2));

  fireEvent.click(tick);
  fireEvent.click(within(dialog).getByRole('radio', { name: 'The whole series' }));
  fireEvent.click(within(dialog).getByRole('button', { name: 'Download' }));
  await waitFor(async () => expect(await downloads.files()).toHaveLength(3));

  const [plain, withPrivate, series] = await downloads.files();
  expect(plain!.name).toBe('Ada-Me-2030-01-07.md');
  expect(plain!.text).toContain('# Ada / Me');
  expect(plain!.text).toContain('## Agenda\n\n- [ ] Quarterly goals');
  expect(plain!.text).toContain('## Action items\n\n- [ ] Follow up on Quarterly goals');
  expect(plain!.text).toContain('Ada Lovelace');
  expect(plain!.text).not.toContain('canary-private-x1');
  expect(plain!.text).not.toContain('My private notes');
  expect(withPrivate!.text).toContain('## My private notes\n\ncanary-private-x1');
  expect(series!.name).toBe('Ada-Me-series.md');
  expect(series!.text).toContain('2 meetings');
  expect(series!.text.indexOf('Quarterly goals')).toBeLessThan(series!.text.indexOf('Hiring plan'));
  expect(series!.text).not.toContain('canary-private-x1');
});

it('exports the whole series from the series page, without a choice of scope', async () => {
  const id = `m-exp-s-${Date.now()}`;
  await seedDoc(id, 'Team health');
  db = await openMemoryDb();
  await db.meetings.insert({ ...sampleDocs.meetings, id });
  await db.series.insert(sampleDocs.series);
  const downloads = captureDownloads();
  window.location.hash = `#/meetings/series/${sampleDocs.series.id}`;
  await renderWithServices(<MeetingsSection />, createTestBridge(), db);
  fireEvent.click(await screen.findByRole('button', { name: 'Export as Markdown' }));
  const dialog = screen.getByRole('dialog', { name: 'Export as Markdown' });
  expect(within(dialog).queryByRole('radio')).toBeNull();
  fireEvent.click(within(dialog).getByRole('button', { name: 'Download' }));
  await waitFor(async () => expect(await downloads.files()).toHaveLength(1));
  const [file] = await downloads.files();
  expect(file!.name).toBe('Ada-Me-series.md');
  expect(file!.text).toContain('1 meeting');
  expect(file!.text).toContain('- [ ] Team health');
});
