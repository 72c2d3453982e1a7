// The runner of "Add the Duet link to 1:1 events I organize" (features/imported-links/link-runner.ts,
// docs/architecture.md §6 "Links on imported events"): in the leading window, over a real RxDB,
// it proposes the user's organized imported 1:1s to main only while the option is on, at once
// when it is turned on, and never the same proposal twice.
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ImportedLinksState } from '../../../src-shared/bridge/imported-links-contract';
import type { MeetingDoc } from '../../../src-shared/meeting/model';
import { openDuetDatabase, type DuetDatabase } from '../../../src-renderer/src/db/database';
import { startImportedLinks } from '../../../src-renderer/src/features/imported-links/link-runner';
import { uniqueDbName } from './support/fake-idb';
import { createTestBridge } from './support/test-bridge';

const ME = 'me@acme.test';
const ADA = 'ada@acme.test';
const NOW = Date.UTC(2030, 0, 10, 12);
const H = 3_600_000;

function meeting(id: string, start: number): MeetingDoc {
  return {
    id,
    seriesId: '',
    title: 'Ada / Me',
    start,
    end: start + H / 2,
    participants: [ADA, ME],
    owner: ME,
    source: 'calendar',
    calendarLink: {
      provider: 'google',
      accountId: 'acct',
      calendarId: ME,
      eventId: `evt-${id}`,
      iCalUID: `${id}@x`,
      recurringEventId: '',
      originalStart: 0,
      instanceStart: 0,
      etag: '"1"',
      managedByApp: false,
    },
    linkState: 'linked',
    state: 'scheduled',
    roomId: '',
    createdAt: 0,
    updatedAt: 0,
  };
}

describe('the runner', () => {
  let db: DuetDatabase | undefined;
  afterEach(async () => {
    await db?.close();
    db = undefined;
  });

  it('proposes only while the option is on: when turned on, after each change, again after a failed write', async () => {
    db = await openDuetDatabase({ storage: getRxStorageMemory(), name: uniqueDbName('links') });
    await db.calendarAccounts.insert({ id: 'acct', provider: 'google', self: ME, complete: true, lastBatchId: '', summary: null, updatedAt: 0 });
    await db.meetings.insert(meeting('one', NOW + 2 * H));
    const sent: unknown[] = [];
    let failNext = false;
    let state: ImportedLinksState = { enabled: false, running: null, done: 0, total: 0, failed: [] };
    const bridge = createTestBridge({
      importedLinks: {
        state: () => state,
        add: ({ items }) => {
          sent.push(items);
          const failed = failNext ? 1 : 0;
          failNext = false;
          return { added: items.length - failed, skipped: 0, failed };
        },
      },
    });
    const runner = startImportedLinks(db, bridge.api, { now: () => NOW, debounceMs: 5, retryMs: 20 });
    await db.waitForLeadership();
    await runner.runNow();
    expect(sent).toEqual([]);
    state = { ...state, enabled: true };
    bridge.emit('importedLinks.state', state);
    await vi.waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toEqual([{ accountId: 'acct', calendarId: ME, eventId: 'evt-one', meetingId: 'one' }]);
    // The same proposal again is not sent twice.
    await runner.runNow();
    expect(sent).toHaveLength(1);
    // A 1:1 the next sync brings in is proposed on that change, without anything else happening.
    await db.meetings.insert(meeting('two', NOW + 5 * H));
    await vi.waitFor(() => expect(sent).toHaveLength(2));
    expect(sent[1]).toContainEqual({ accountId: 'acct', calendarId: ME, eventId: 'evt-two', meetingId: 'two' });
    // Main could not write one: the same proposal goes again a little later.
    failNext = true;
    await db.meetings.insert(meeting('four', NOW + 7 * H));
    await vi.waitFor(() => expect(sent).toHaveLength(4));
    expect(sent[3]).toEqual(sent[2]);
    // Turned off: a change proposes nothing.
    state = { ...state, enabled: false };
    bridge.emit('importedLinks.state', state);
    await db.meetings.insert(meeting('three', NOW + 9 * H));
    await new Promise((r) => setTimeout(r, 50));
    await runner.runNow();
    expect(sent).toHaveLength(4);
    runner.stop();
  });
});

