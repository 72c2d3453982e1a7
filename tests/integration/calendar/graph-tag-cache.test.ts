// The Graph adapter reads Duet's tag with one GET per event the user organizes and keeps the
// answers (docs/architecture.md §6): kept per calendar and bounded by the window, so an app left
// running for months does not hold an answer for every event it ever saw. An incremental round
// forgets the events it reports removed, a full import every event it no longer lists; the tags
// of the events still there keep coming with them.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createGraphProvider } from '../../../src-main/calendar/graph-provider';
import type { SyncWindow } from '../../../src-main/calendar/provider';
import { isTombstone } from '../../../src-shared/calendar/change-schema';
import type { CalendarEvent } from '../../../src-shared/engine/model';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { MAYA, SAM } from '../../support/seed-people';

const DAY = 86_400_000;
let sb: TestSandbox;
beforeAll(async () => {
  sb = await startTestSandbox();
});
afterAll(() => sb?.close());

it('keeps tag answers only for the events the window still lists', async () => {
  const token = await sb.accessToken(MAYA, 'microsoft');
  const provider = createGraphProvider({
    graphBaseUrl: sb.graphBaseUrl,
    accessToken: () => Promise.resolve(token),
    accountId: MAYA,
    ownerEmail: MAYA,
    ca: readFileSync(sb.caCertPath, 'utf8'),
  });
  const calendarId = (await provider.listCalendars()).find((c) => c.primary)!.id;
  const now = Date.now();
  const window: SyncWindow = { from: now - 30 * DAY, to: now + 28 * DAY };
  const made = [];
  for (let i = 0; i < 3; i++) {
    const start = now + (2 + i) * DAY;
    made.push(
      await provider.createEvent({
        calendarId,
        duetMeetingId: `m-cache-${i}`,
        title: `1:1 cache ${i}`,
        start: new Date(start).toISOString(),
        end: new Date(start + 30 * 60_000).toISOString(),
        attendees: [SAM],
      }),
    );
  }
  const tagged = (changes: Awaited<ReturnType<typeof provider.fullImport>>['changes']) =>
    changes
      .filter((c): c is CalendarEvent => !isTombstone(c))
      .filter((e) => e.duetMeetingId?.startsWith('m-cache-'))
      .map((e) => e.duetMeetingId)
      .sort();

  const first = await provider.fullImport(calendarId, window);
  expect(tagged(first.changes)).toEqual(['m-cache-0', 'm-cache-1', 'm-cache-2']);
  const held = provider.cachedTags();
  expect(held).toBeGreaterThanOrEqual(3);

  // Reported removed by an incremental round: forgotten.
  await provider.cancelEvent(calendarId, made[0]!.id);
  await provider.changes(calendarId, first.cursor);
  expect(provider.cachedTags()).toBe(held - 1);

  // Gone without an incremental round seeing it: the next full import forgets it, and the tags of
  // the events still listed still come with them (from the kept answers).
  await provider.cancelEvent(calendarId, made[1]!.id);
  const again = await provider.fullImport(calendarId, window);
  expect(provider.cachedTags()).toBe(held - 2);
  expect(tagged(again.changes)).toEqual(['m-cache-2']);
});
