// @vitest-environment happy-dom
// Relink on the Meetings screen (docs/architecture.md §4 "Series links"), over a real RxDB, the real
// event cache and the real engine: a weekly 1:1 is ended by a "this and following" edit with two
// possible continuations, so the series is disconnected; Relink runs detection, cannot link, and
// opens "Relink series" with both recurring 1:1s; Escape closes it (focus back on Relink); choosing
// one records it, its meetings join the series, and further passes keep it.
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { CalendarBatch } from '../../../src-shared/bridge/contract';
import type { CalendarEvent } from '../../../src-shared/engine/model';
import { seriesIdFor } from '../../../src-shared/meeting/detection';
import { applyBatch } from '../../../src-renderer/src/calendar/apply-batch';
import { detectAccount, summaryOf, writeDetection } from '../../../src-renderer/src/calendar/detect';
import type { DuetDatabase } from '../../../src-renderer/src/db/database';
import type { IngestPort } from '../../../src-renderer/src/features/imports/ingest-port';
import { MeetingsSection } from '../../../src-renderer/src/features/meetings/MeetingsSection';
import { useMeetingsViewState } from '../../../src-renderer/src/features/meetings/view-state';
import { useToasts } from '../../../src-renderer/src/state/toasts';
import { openMemoryDb, renderWithServices } from './support/render-app';

const DAY = 86_400_000;
const MAYA = 'maya@example.com';
const LEE = 'lee@example.com';
const ACCOUNT = 'acct-1';
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

const compact = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').slice(0, 15) + 'Z';

function master(id: string, start: number, rule: string): CalendarEvent {
  return {
    id,
    iCalUID: `${id}@example`,
    calendarId: MAYA,
    primary: true,
    title: id === 'wk' ? 'Maya / Lee' : `Maya / Lee (${id})`,
    start: new Date(start).toISOString(),
    end: new Date(start + 30 * 60_000).toISOString(),
    timeZone: 'UTC',
    status: 'confirmed',
    organizer: MAYA,
    attendees: [
      { email: MAYA, response: 'accepted' },
      { email: LEE, response: 'accepted' },
    ],
    recurrence: [rule],
  };
}

let n = 0;
const batch = (changes: CalendarEvent[]): CalendarBatch => ({
  id: `b${++n}`,
  accountId: ACCOUNT,
  provider: 'google',
  self: MAYA,
  kind: 'full',
  replace: true,
  changes,
});

/** The ingest's "run detection again" over the real cache (what calendar/ingest.ts does as leader). */
function realIngest(database: DuetDatabase): IngestPort & { runs: number } {
  const port = {
    runs: 0,
    summaries: () => [],
    diagnostics: async () => [],
    subscribe: () => () => undefined,
    async redetect() {
      port.runs++;
      for (const doc of await database.calendarAccounts.find().exec()) {
        const account = doc.toMutableJSON();
        const now = Date.now();
        const result = await detectAccount({ db: database, now }, account);
        await writeDetection(database, account, result, summaryOf(account, result, '', now), '');
      }
    },
  };
  return port;
}

const seriesId = seriesIdFor('google', ACCOUNT, 'wk');

/** The weekly 1:1 with Lee, imported, then ended after this week's with two continuations. */
async function disconnectedSeries(database: DuetDatabase, now: number): Promise<{ base: number }> {
  await database.people.insert({ id: 'p-lee', name: 'Lee Park', email: LEE, aliases: [], managerEmail: '', startDate: '', directReport: true, createdAt: now, updatedAt: now });
  // Weekly at 15:00 UTC from two weeks ago; then ended after this week's, with two continuations.
  const base = Math.floor(now / DAY) * DAY - 14 * DAY + 15 * 3_600_000;
  await applyBatch(database, batch([master('wk', base, 'RRULE:FREQ=WEEKLY')]), now);
  expect((await database.series.findOne(seriesId).exec())?.linkState).toBe('linked');
  await applyBatch(database, batch(afterSplit(base)), now);
  expect((await database.series.findOne(seriesId).exec())?.linkState).toBe('disconnected');
  return { base };
}

const afterSplit = (base: number, withFridays = true): CalendarEvent[] => [
  master('wk', base, `RRULE:FREQ=WEEKLY;UNTIL=${compact(base + 21 * DAY - 1000)}`),
  master('thu', base + 22 * DAY, 'RRULE:FREQ=WEEKLY'),
  // Without Fridays, Saturdays: still two possible continuations.
  master(withFridays ? 'fri' : 'sat', base + (withFridays ? 23 : 24) * DAY, 'RRULE:FREQ=WEEKLY'),
];

it('Relink opens "Relink series" with the candidates; the choice links the series and is kept', async () => {
  db = await openMemoryDb();
  const now = Date.now();
  await disconnectedSeries(db, now);

  const ingest = realIngest(db);
  await renderWithServices(<MeetingsSection />, undefined, db, ingest);
  const warning = await screen.findByRole('region', { name: 'Calendar links lost' });
  expect(warning.textContent).toContain('Maya / Lee with Lee Park is no longer linked');
  const relink = within(warning).getByRole('button', { name: 'Relink' });

  // Detection alone cannot link it: the dialog offers both recurring 1:1s with Lee, soonest first.
  fireEvent.click(relink);
  let dialog = await within(warning).findByRole('dialog', { name: 'Relink series' });
  expect(ingest.runs).toBe(1);
  let radios = within(dialog).getAllByRole('radio');
  expect(radios.map((r) => r.closest('label')?.textContent)).toEqual([
    expect.stringContaining('Maya / Lee (thu)'),
    expect.stringContaining('Maya / Lee (fri)'),
  ]);
  expect(radios[0]!.closest('label')?.textContent).toMatch(/Weekly on \w+days, .* · next /);
  await waitFor(() => expect(document.activeElement).toBe(radios[0]));
  expect(radios[0]).toHaveProperty('checked', true);

  // Escape closes it and puts focus back on Relink.
  fireEvent.keyDown(radios[0]!, { key: 'Escape' });
  await waitFor(() => expect(within(warning).queryByRole('dialog')).toBeNull());
  await waitFor(() => expect(document.activeElement).toBe(within(warning).getByRole('button', { name: 'Relink' })));

  // Again, and choose Fridays.
  fireEvent.click(within(warning).getByRole('button', { name: 'Relink' }));
  dialog = await within(warning).findByRole('dialog', { name: 'Relink series' });
  radios = within(dialog).getAllByRole('radio');
  fireEvent.click(radios[1]!);
  expect(radios[1]).toHaveProperty('checked', true);
  fireEvent.click(within(dialog).getByRole('button', { name: 'Link' }));

  await waitFor(() => expect(screen.queryByRole('region', { name: 'Calendar links lost' })).toBeNull());
  const series = (await db.series.findOne(seriesId).exec())!.toMutableJSON();
  expect(series).toMatchObject({ linkState: 'linked', title: 'Maya / Lee (fri)', calendarLink: { eventId: 'fri' } });
  expect(useToasts.getState().toasts.map((t) => t.message)).toContain('Relinked: the series now follows “Maya / Lee (fri)”.');
  // Fridays' meetings are in the series now, beside its earlier ones; nothing was deleted.
  const meetings = (await db.meetings.find().exec()).map((m) => m.toMutableJSON());
  const fri = meetings.filter((m) => m.calendarLink?.recurringEventId === 'fri');
  expect(fri.length).toBeGreaterThan(0);
  expect(fri.every((m) => m.seriesId === seriesId)).toBe(true);
  expect(meetings.filter((m) => m.calendarLink?.recurringEventId === 'wk' && m.seriesId === seriesId)).toHaveLength(3);
  // Further passes keep the choice.
  const before = JSON.stringify(meetings);
  await ingest.redetect();
  expect((await db.series.findOne(seriesId).exec())?.calendarLink?.eventId).toBe('fri');
  expect(JSON.stringify((await db.meetings.find().exec()).map((m) => m.toMutableJSON()))).toBe(before);
});

it('refuses a choice whose event left the calendar while the dialog was open, and says so', async () => {
  db = await openMemoryDb();
  const now = Date.now();
  const { base } = await disconnectedSeries(db, now);
  await renderWithServices(<MeetingsSection />, undefined, db, realIngest(db));
  const warning = await screen.findByRole('region', { name: 'Calendar links lost' });
  fireEvent.click(within(warning).getByRole('button', { name: 'Relink' }));
  const dialog = await within(warning).findByRole('dialog', { name: 'Relink series' });
  fireEvent.click(within(dialog).getAllByRole('radio')[1]!);
  // Fridays are replaced by Saturdays in the calendar meanwhile.
  await applyBatch(db, batch(afterSplit(base, false)), now);
  fireEvent.click(within(dialog).getByRole('button', { name: 'Link' }));
  expect(await within(dialog).findByRole('alert')).toHaveProperty('textContent', '“Maya / Lee (fri)” is no longer among your calendar’s recurring 1:1s with this person.');
  expect(within(dialog).getAllByRole('radio').map((r) => r.closest('label')?.textContent)).toEqual([
    expect.stringContaining('Maya / Lee (thu)'),
    expect.stringContaining('Maya / Lee (sat)'),
  ]);
  expect((await db.series.findOne(seriesId).exec())?.toMutableJSON()).toMatchObject({ linkState: 'disconnected', calendarLink: { eventId: 'wk' } });
});
