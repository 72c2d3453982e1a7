// The calendar screens' view of what the ingest stored: summaries from each account's bookkeeping,
// and verdicts from the engine over the cached events with the current team and preferences.
import { afterEach, expect, it } from 'vitest';
import type { CalendarEvent } from '../../../src-shared/engine/model';
import { bucketOf, chunkIdFor } from '../../../src-renderer/src/calendar/cache';
import type { DuetDatabase } from '../../../src-renderer/src/db/database';
import { createRxdbIngestView } from '../../../src-renderer/src/features/imports/rxdb-ingest-view';
import { savePreferences } from '../../../src-renderer/src/features/settings/preferences-repo';
import { addPerson } from '../../../src-renderer/src/features/team/team-repo';
import { fixtureCalendar, SELF } from './support/calendar-fixtures';
import { openMemoryDb } from './support/render-app';

let db: DuetDatabase | undefined;
let view: ReturnType<typeof createRxdbIngestView> | undefined;
afterEach(async () => {
  view?.close();
  await db?.close();
});

async function seeded() {
  db = await openMemoryDb();
  const events = fixtureCalendar();
  await db.calendarAccounts.insert({
    id: 'acc-maya',
    provider: 'microsoft',
    self: SELF,
    complete: true,
    lastBatchId: 'b1',
    summary: {
      accountId: 'acc-maya',
      eventsSeen: 6,
      oneOnOnes: 0,
      skipped: { UNKNOWN_PERSON: 5, NOT_TWO_PEOPLE: 1 },
      at: 1234,
    },
    updatedAt: 1,
  });
  // Each event in its bucket's chunk, as the ingest stores them (src-renderer/src/calendar/cache.ts).
  const chunks = new Map<string, CalendarEvent[]>();
  for (const event of events) {
    const id = chunkIdFor('acc-maya', bucketOf(event.calendarId, event.id));
    chunks.set(id, [...(chunks.get(id) ?? []), event]);
  }
  await db.calendarEvents.bulkInsert([...chunks].map(([id, evs]) => ({ id, accountId: 'acc-maya', eventsJson: JSON.stringify(evs), updatedAt: 1 })));
  return db;
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
};

it('reads the stored summary and judges the cached events with the current team and preferences', async () => {
  const db = await seeded();
  let changes = 0;
  let redetected = 0;
  view = createRxdbIngestView(db, { redetect: async () => void redetected++ });
  view.subscribe(() => changes++);
  await until(() => view!.summaries().length === 1);
  expect(view.summaries()[0]).toMatchObject({
    accountId: 'acc-maya',
    eventsSeen: 6,
    finishedAt: 1234,
    skipped: { UNKNOWN_PERSON: 5 },
  });

  const first = await view.diagnostics();
  expect(first.map((d) => [d.event.id, d.oneOnOne])).toContainEqual(['sam-1', false]);
  expect(first.find((d) => d.event.id === 'sam-1')?.unmatched).toEqual(['sam.rivera@acme.test']);
  expect(first.every((d) => d.self === SELF)).toBe(true);

  const before = changes;
  await addPerson(db.people, {
    name: 'Sam Rivera',
    email: 'sam.rivera@acme.test',
    aliases: '',
    directReport: true,
  });
  await until(() => changes > before);
  const after = await view.diagnostics();
  expect(after.find((d) => d.event.id === 'sam-1')?.oneOnOne).toBe(true);
  expect(after.find((d) => d.event.id === 'coffee')?.reasons).toEqual(['NO_KEYWORD']);

  await savePreferences(db.preferences, { matchMode: 'two-person' });
  expect((await view.diagnostics()).find((d) => d.event.id === 'coffee')?.oneOnOne).toBe(true);

  await view.redetect();
  expect(redetected).toBe(1);
});

it('has nothing to say before any import', async () => {
  db = await openMemoryDb();
  view = createRxdbIngestView(db);
  expect(await view.diagnostics()).toEqual([]);
  expect(view.summaries()).toEqual([]);
});
