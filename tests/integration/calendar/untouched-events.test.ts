// Duet never creates, changes or deletes an event without its tag (docs/architecture.md §6). Every
// event is snapshotted, on both faces and in the sandbox's own store, before and after a run of
// scheduling, rescheduling and cancelling through both providers; everything but Duet's own events
// (and their exceptions) must be exactly as it was.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGoogleProvider } from '../../../src-main/calendar/google-provider';
import { createGraphProvider } from '../../../src-main/calendar/graph-provider';
import { NotAppManagedError, type CalendarProvider } from '../../../src-main/calendar/provider';
import { isTombstone } from '../../../src-shared/calendar/change-schema';
import type { CalendarEvent } from '../../../src-shared/engine/model';
import { googleCalendar } from '../../support/sandbox-clients';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { LEE, MAYA, NOOR, SAM } from '../../support/seed-people';

const DAY = 86_400_000;
let sb: TestSandbox;

beforeAll(async () => {
  sb = await startTestSandbox();
});
afterAll(() => sb?.close());

async function providers(): Promise<CalendarProvider[]> {
  const ca = readFileSync(sb.caCertPath, 'utf8');
  const google = await sb.accessToken(MAYA, 'google');
  const graph = await sb.accessToken(MAYA, 'microsoft');
  return [
    createGoogleProvider({
      rootUrl: sb.googleRootUrl,
      accessToken: () => Promise.resolve(google),
      accountId: MAYA,
      ca,
    }),
    createGraphProvider({
      graphBaseUrl: sb.graphBaseUrl,
      accessToken: () => Promise.resolve(graph),
      accountId: MAYA,
      ownerEmail: MAYA,
      ca,
    }),
  ];
}

interface Snapshot {
  /** The sandbox's stored events (every calendar, every person), by id. */
  store: Map<string, string>;
  /** What each face lists for Maya (Google masters and exceptions; Graph occurrences), by id. */
  faces: Map<string, string>;
}

/** Everything but Duet's own events: tagged masters and singles, and the instances of tagged series. */
async function snapshot(list: CalendarProvider[], tagged: Set<string>): Promise<Snapshot> {
  const { events } = await sb.admin.events();
  const store = new Map<string, string>();
  for (const e of events) {
    if (e.extendedProperties?.private?.duetMeetingId) tagged.add(e.id as string);
  }
  for (const e of events) {
    if (tagged.has(e.id as string) || (e.recurringEventId && tagged.has(e.recurringEventId))) continue;
    store.set(`${e.calendarId}:${e.id}`, JSON.stringify(e));
  }
  const faces = new Map<string, string>();
  const window = { from: Date.now() - 30 * DAY, to: Date.now() + 90 * DAY };
  for (const p of list) {
    const round = await p.fullImport('primary', window);
    for (const c of round.changes) {
      if (isTombstone(c)) continue;
      const e = c as CalendarEvent;
      if (e.duetMeetingId || tagged.has(e.id) || (e.recurringEventId && tagged.has(e.recurringEventId)))
        continue;
      // etag/changeKey and the rest are part of the picture: any write would change them.
      faces.set(`${p.provider}:${e.id}`, JSON.stringify(e));
    }
  }
  return { store, faces };
}

describe('untouched events', () => {
  it('a run of scheduling, rescheduling and cancelling on both faces changes nothing but Duet’s events', async () => {
    const list = await providers();
    // Graph calls the primary calendar by its id; Google accepts 'primary'.
    const primaryOf = async (p: CalendarProvider) =>
      (await p.listCalendars()).find((c) => c.primary)?.id as string;
    const tagged = new Set<string>();
    const before = await snapshot(
      list.map((p) => ({ ...p, fullImport: async (_: string, w) => p.fullImport(await primaryOf(p), w) })),
      tagged,
    );
    expect(before.store.size).toBeGreaterThanOrEqual(20);
    expect(before.faces.size).toBeGreaterThan(20);

    let n = 0;
    for (const p of list) {
      const cal = await primaryOf(p);
      const base = Date.parse(new Date(Date.now() + 2 * DAY).toISOString().slice(0, 10) + 'T09:00:00Z');
      const made: CalendarEvent[] = [];
      for (const [who, repeat, conference] of [
        [NOOR, 'weekly', true],
        [SAM, 'none', false],
        [LEE, 'biweekly', true],
      ] as const) {
        const start = base + n++ * 3_600_000;
        made.push(
          await p.createEvent({
            calendarId: cal,
            duetMeetingId: `app-untouched-${p.provider}-${n}`,
            title: `1:1 with ${who}`,
            start: new Date(start).toISOString(),
            end: new Date(start + 30 * 60_000).toISOString(),
            attendees: [who],
            description: `duet://meeting/app-untouched-${p.provider}-${n}`,
            conference,
            repeat,
            timeZone: 'Europe/Berlin',
          }),
        );
      }
      const [weekly, single, biweekly] = made as [CalendarEvent, CalendarEvent, CalendarEvent];
      tagged.add(weekly.id).add(single.id).add(biweekly.id);
      await p.updateEvent(cal, weekly.id, {
        start: new Date(Date.parse(weekly.start) + DAY).toISOString(),
        end: new Date(Date.parse(weekly.end) + DAY).toISOString(),
        repeat: 'weekly',
      });
      await p.updateEvent(cal, biweekly.id, { repeat: 'monthly' });
      await p.updateOccurrence(
        {
          calendarId: cal,
          seriesId: weekly.id,
          originalStart: new Date(Date.parse(weekly.start) + 8 * DAY).toISOString(),
        },
        {
          start: new Date(Date.parse(weekly.start) + 9 * DAY).toISOString(),
          end: new Date(Date.parse(weekly.end) + 9 * DAY).toISOString(),
        },
      );
      await p.cancelOccurrence({
        calendarId: cal,
        seriesId: weekly.id,
        originalStart: new Date(Date.parse(weekly.start) + 15 * DAY).toISOString(),
      });
      await p.updateEvent(cal, single.id, {
        start: new Date(Date.parse(single.start) + 2 * DAY).toISOString(),
        end: new Date(Date.parse(single.end) + 2 * DAY).toISOString(),
      });
      await p.cancelEvent(cal, single.id);
      await p.cancelEvent(cal, biweekly.id);

      // Attempts on events Duet did not make are refused before anything is written.
      const seed = (
        await p.fullImport(cal, { from: Date.now() - DAY, to: Date.now() + 14 * DAY })
      ).changes.filter((c): c is CalendarEvent => !isTombstone(c) && !(c as CalendarEvent).duetMeetingId);
      const victim = seed.find((e) => e.title === 'Maya / Sam') as CalendarEvent;
      await expect(p.cancelEvent(cal, victim.recurringEventId ?? victim.id)).rejects.toBeInstanceOf(
        NotAppManagedError,
      );
      await expect(
        p.updateEvent(cal, victim.id, { start: victim.start, end: victim.end, repeat: 'monthly' }),
      ).rejects.toBeInstanceOf(NotAppManagedError);
    }

    // Duet's events really were written (the snapshot is not blind).
    const google = googleCalendar(sb, await sb.accessToken(MAYA, 'google'));
    const mine = await google.events.list({
      calendarId: 'primary',
      privateExtendedProperty: ['duetMeetingId=app-untouched-google-1'],
    });
    // The series, its moved meeting and its cancelled one (exceptions keep the series' tag).
    expect(mine.data.items?.filter((e) => e.recurrence?.length)).toHaveLength(1);
    expect(mine.data.items?.filter((e) => e.recurringEventId)).toHaveLength(2);

    const after = await snapshot(
      list.map((p) => ({ ...p, fullImport: async (_: string, w) => p.fullImport(await primaryOf(p), w) })),
      tagged,
    );
    expect([...after.store.keys()].sort()).toEqual([...before.store.keys()].sort());
    for (const [id, json] of before.store) expect(after.store.get(id), id).toBe(json);
    expect([...after.faces.keys()].sort()).toEqual([...before.faces.keys()].sort());
    for (const [id, json] of before.faces) expect(after.faces.get(id), id).toBe(json);
  });
});
