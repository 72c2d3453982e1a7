// The optional "Add the Duet link to 1:1 events I organize" (docs/architecture.md §6, "Links on
// imported events"), on both faces of the sandbox with the real SDKs: the provider's import, the
// app's detection (runDetection) and the renderer's choice of events (importedLinkCandidates), then
// main's service and its writers. On: the link and the tag go onto exactly the user's organized
// imported 1:1s, one write each, logged; every other event (organized by others, not a 1:1, Duet's
// own) is untouched; a re-run writes nothing. Off: every link and tag the option added is taken
// out, and each description comes back byte for byte. A 412 and 5xx mid-run are survived or named.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivityLog } from '../../../src-main/calendar/activity-log';
import { createGoogleLinkWriter } from '../../../src-main/calendar/google-link-writer';
import { createGoogleProvider } from '../../../src-main/calendar/google-provider';
import { createGraphLinkWriter } from '../../../src-main/calendar/graph-link-writer';
import { createGraphProvider } from '../../../src-main/calendar/graph-provider';
import { createImportedLinks, type ImportedLinksService } from '../../../src-main/calendar/imported-links';
import type { LinkWriter } from '../../../src-main/calendar/link-writer';
import type { CalendarProvider } from '../../../src-main/calendar/provider';
import type { AccountRecord } from '../../../src-main/services/types';
import type { KeyValueStore } from '../../../src-main/storage/types';
import { importedLinkCandidates } from '../../../src-renderer/src/features/imported-links/candidates';
import type { ImportedLinkItem } from '../../../src-shared/bridge/imported-links-contract';
import { isTombstone } from '../../../src-shared/calendar/change-schema';
import { duetLinkLine } from '../../../src-shared/calendar/duet-link-block';
import type { CalendarEvent } from '../../../src-shared/engine/model';
import { runDetection } from '../../../src-shared/meeting/detection';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { DANA, MAYA, PEOPLE, PRIYA, SAM, TOM } from '../engine-sandbox/seed-facts';

const DAY = 86_400_000;

function memoryStore(): KeyValueStore {
  const m = new Map<string, unknown>();
  return {
    get: <T>(k: string) => m.get(k) as T | undefined,
    set: (k, v) => void m.set(k, structuredClone(v)),
    delete: (k) => void m.delete(k),
  };
}

interface Face {
  name: 'google' | 'microsoft';
  provider: CalendarProvider;
  writer: LinkWriter;
  calendarId: string;
  /** The description (Google) or body content (Graph) as the face gives it. */
  body(eventId: string): Promise<string>;
  /** The PATCH path prefix for the sandbox's faults. */
  patchPath: string;
}

async function faceFor(sb: TestSandbox, name: 'google' | 'microsoft'): Promise<Face> {
  const ca = readFileSync(sb.caCertPath, 'utf8');
  const token = await sb.accessToken(MAYA, name);
  const accessToken = () => Promise.resolve(token);
  if (name === 'google') {
    const provider = createGoogleProvider({ rootUrl: sb.googleRootUrl, accessToken, accountId: 'acct', ca });
    const calendarId = (await provider.listCalendars()).find((c) => c.primary)?.id as string;
    return {
      name,
      provider,
      writer: createGoogleLinkWriter({ rootUrl: sb.googleRootUrl, accessToken, ownerEmail: MAYA, ca }),
      calendarId,
      async body(eventId) {
        const res = await fetchJson(sb, `${sb.googleRootUrl}calendar/v3/calendars/${encodeURIComponent(calendarId)}/events/${encodeURIComponent(eventId)}`, token);
        return (res as { description?: string }).description ?? '';
      },
      patchPath: '/calendar/v3/calendars/',
    };
  }
  const provider = createGraphProvider({ graphBaseUrl: sb.graphBaseUrl, accessToken, accountId: 'acct', ownerEmail: MAYA, ca });
  const calendarId = (await provider.listCalendars()).find((c) => c.primary)?.id as string;
  return {
    name,
    provider,
    writer: createGraphLinkWriter({ graphBaseUrl: sb.graphBaseUrl, accessToken, ca }),
    calendarId,
    async body(eventId) {
      const res = await fetchJson(sb, `${sb.graphBaseUrl}/me/calendars/${encodeURIComponent(calendarId)}/events/${encodeURIComponent(eventId)}?$select=body`, token);
      return (res as { body?: { content?: string } }).body?.content ?? '';
    },
    patchPath: '/v1.0/me/calendars/',
  };
}

async function fetchJson(sb: TestSandbox, url: string, token: string): Promise<unknown> {
  const { sandboxFetch } = await import('../../support/sandbox');
  const res = await sandboxFetch(sb.caCertPath)('GET', url, undefined, { authorization: `Bearer ${token}` });
  if (res.status !== 200) throw new Error(`GET ${url} -> ${res.status}`);
  return res.body;
}

/** What the app would propose: import, detect, choose (the renderer's own functions). */
async function proposals(face: Face, now: number): Promise<{ items: ImportedLinkItem[]; events: CalendarEvent[] }> {
  const round = await face.provider.fullImport(face.calendarId, { from: now - 30 * DAY, to: now + 28 * DAY });
  const events = round.changes.filter((c): c is CalendarEvent => !isTombstone(c));
  const { plan } = runDetection({
    accountId: 'acct',
    provider: face.name,
    self: MAYA,
    complete: true,
    events,
    people: PEOPLE,
    settings: {},
    now,
    meetings: [],
    series: [],
    withContent: new Set(),
  });
  return { items: importedLinkCandidates(plan.meetings, new Map([['acct', MAYA]]), now), events };
}

/** Every stored event (all calendars, all people) but the targets and their instances, by id. */
async function untouched(sb: TestSandbox, targets: ReadonlySet<string>): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const e of (await sb.admin.events()).events) {
    const id = e.id as string;
    if (targets.has(id) || (e.recurringEventId && targets.has(e.recurringEventId))) continue;
    out.set(`${e.calendarId}:${id}`, JSON.stringify(e));
  }
  return out;
}

const account = (name: 'google' | 'microsoft'): AccountRecord => ({
  id: 'acct',
  provider: name,
  sandbox: true,
  email: MAYA,
  name: 'Maya',
  auth: 'connected',
  connectedAt: 0,
});

function service(
  face: Face,
  log = createActivityLog(memoryStore()),
  store = memoryStore(),
): { links: ImportedLinksService; log: typeof log } {
  const links = createImportedLinks({
    store,
    accounts: {
      list: () => [account(face.name)],
      getAccessToken: () => Promise.reject(new Error('not used: the writer has its token')),
      endpoints: () => ({}),
    },
    log,
    writerFor: () => face.writer,
    calendarOf: () => Promise.resolve(face.calendarId),
    sleep: () => Promise.resolve(),
    random: () => 0,
    backoff: { baseMs: 1, maxMs: 4, offlineMaxMs: 4 },
  });
  return { links, log };
}

for (const name of ['google', 'microsoft'] as const) {
  describe(`the Duet link on imported 1:1s, ${name === 'google' ? 'Google' : 'Microsoft'} face`, () => {
    let sb: TestSandbox;
    let face: Face;
    const now = Date.now();

    beforeAll(async () => {
      // One sandbox per face: both faces show one store, and each run writes to it.
      sb = await startTestSandbox();
      face = await faceFor(sb, name);
    });
    afterAll(() => sb?.close());

    it('on: link and tag on exactly the organized imported 1:1s, once; off: both gone, bodies restored', async () => {
      const { items, events } = await proposals(face, now);
      const titleOf = (id: string) => events.find((e) => e.id === id || e.recurringEventId === id)?.title;
      // The seed's 1:1s Maya organizes; Priya's and Dana's are theirs; team meetings are no 1:1s.
      const titles = items.map((i) => titleOf(i.eventId)).sort();
      expect(titles).toContain('Maya / Sam');
      expect(titles).not.toContain('Priya / Maya');
      expect(titles).not.toContain('Dana / Maya 1:1');
      expect(titles).not.toContain('Platform team weekly');
      expect(titles).not.toContain('Coffee with Lee');
      // One write per event: the weekly series with Sam is one item, not one per occurrence.
      expect(items.filter((i) => titleOf(i.eventId) === 'Maya / Sam')).toHaveLength(1);
      expect(new Set(items.map((i) => i.eventId)).size).toBe(items.length);
      const targets = new Set(items.map((i) => i.eventId));
      expect(targets.size).toBeGreaterThanOrEqual(3);

      // Descriptions of every shape the user may have: HTML with a body element, text ending in a
      // newline, text with a line like Duet's own in it, and none at all.
      const [a, b, c] = items as [ImportedLinkItem, ImportedLinkItem, ImportedLinkItem];
      const originals = new Map<string, string>([
        [a.eventId, '<html><head></head><body><p>Agenda: <b>growth</b> &amp; goals</p>\r\n</body></html>'],
        [b.eventId, 'Notes doc: https://docs.example/1\n\n'],
        [c.eventId, `My own copy: ${duetLinkLine(c.meetingId)}`],
      ]);
      for (const [id, text] of originals) await sb.admin.patchEvent(id, { description: text });
      for (const i of items) if (!originals.has(i.eventId)) originals.set(i.eventId, await face.body(i.eventId));

      const before = await untouched(sb, targets);
      const others = [...before.values()].map((j) => JSON.parse(j) as { summary?: string; organizer?: { email?: string } });
      // The snapshot holds what must not move: events organized by others and non-1:1s among them.
      expect(others.some((e) => e.organizer?.email === PRIYA)).toBe(true);
      expect(others.some((e) => e.organizer?.email === DANA)).toBe(true);
      expect(others.some((e) => e.summary === 'Platform team weekly')).toBe(true);

      // A Duet-made event and an event someone else organizes are refused by the writer itself.
      const made = await face.provider.createEvent({
        calendarId: face.calendarId,
        duetMeetingId: 'app-made-1',
        title: `1:1 with ${SAM}`,
        start: new Date(now + 3 * DAY).toISOString(),
        end: new Date(now + 3 * DAY + 1_800_000).toISOString(),
        attendees: [SAM],
        description: 'duet://meeting/app-made-1',
      });
      const priyas = events.find((e) => e.title === 'Priya / Maya') as CalendarEvent;
      const { links, log } = service(face);
      await links.setEnabled(true);
      const first = await links.add([
        ...items,
        { accountId: 'acct', calendarId: face.calendarId, eventId: made.id, meetingId: 'cal-x' },
        { accountId: 'acct', calendarId: face.calendarId, eventId: priyas.recurringEventId ?? priyas.id, meetingId: 'cal-y' },
      ]);
      expect(first).toEqual({ added: items.length, skipped: 2, failed: 0 });
      expect(log.list().filter((e) => e.action === 'add-link' && e.ok)).toHaveLength(items.length);

      // Each target: the link once, the tag as the app reads it.
      for (const i of items) {
        const body = await face.body(i.eventId);
        expect(body.split(`duet://meeting/${i.meetingId}`).length - 1).toBe(i === c ? 2 : 1);
      }
      // A new provider: the Graph adapter keeps the tags it read for its life (an incremental
      // round, as the app runs after these writes, reads the changed events' tags again).
      const reread = await proposals(await faceFor(sb, name), now);
      expect(reread.items).toEqual([]);
      for (const i of items) {
        const ev = reread.events.find((e) => e.id === i.eventId || e.recurringEventId === i.eventId);
        expect(ev?.duetMeetingId, i.eventId).toBe(i.meetingId);
      }
      const afterOn = await untouched(sb, new Set([...targets, made.id]));
      before.forEach((json, id) => expect(afterOn.get(id), id).toBe(json));

      // A 1:1 the next sync brings in, while the option is on: proposed alone, and written.
      const start = now + 4 * DAY;
      const fresh = await sb.admin.createEvent({
        summary: 'Maya / Tom catch-up',
        start: { dateTime: new Date(start).toISOString() },
        end: { dateTime: new Date(start + 1_800_000).toISOString() },
        organizer: { email: MAYA },
        attendees: [{ email: MAYA, organizer: true, responseStatus: 'accepted' }, { email: TOM, responseStatus: 'accepted' }],
      });
      const next = await proposals(await faceFor(sb, name), now);
      expect(next.items.map((i) => i.eventId)).toEqual([fresh.id]);
      const all = [...items, ...next.items];
      originals.set(fresh.id, await face.body(fresh.id));
      expect(await links.add(next.items)).toEqual({ added: 1, skipped: 0, failed: 0 });
      expect(await face.body(fresh.id)).toContain(`duet://meeting/${next.items[0]?.meetingId}`);

      // Idempotent: the same proposal again writes nothing.
      const stored = JSON.stringify((await sb.admin.events()).events);
      expect(await links.add(all)).toEqual({ added: 0, skipped: all.length, failed: 0 });
      expect(JSON.stringify((await sb.admin.events()).events)).toBe(stored);

      // Off: found by the mark, taken out, logged; every body as it was, byte for byte.
      await links.setEnabled(false);
      await links.idle();
      expect(links.state()).toMatchObject({ enabled: false, running: null, failed: [], total: all.length, done: all.length });
      expect(log.list().filter((e) => e.action === 'remove-link' && e.ok)).toHaveLength(all.length);
      for (const i of all) expect(await face.body(i.eventId), i.eventId).toBe(originals.get(i.eventId));
      const afterOff = await proposals(await faceFor(sb, name), now);
      for (const i of all) {
        const ev = afterOff.events.find((e) => e.id === i.eventId || e.recurringEventId === i.eventId);
        expect(ev?.duetMeetingId, i.eventId).toBeUndefined();
      }
      // Duet's own event keeps its tag: removal goes by the option's mark, not by the tag.
      expect(afterOff.events.find((e) => e.id === made.id)?.duetMeetingId).toBe('app-made-1');
      const end = await untouched(sb, new Set([...targets, made.id]));
      before.forEach((json, id) => expect(end.get(id), id).toBe(json));
      // Adding is refused while off.
      await expect(links.add(items)).rejects.toThrow(/turned off/);
    });

    it('a 412 is read again and retried once, a second one leaves the event; a 5xx is retried; a failed removal is named and retried', async () => {
      await sb.admin.reset();
      face = await faceFor(sb, name);
      const { items } = await proposals(face, now);
      const [a, b, c] = items as [ImportedLinkItem, ImportedLinkItem, ImportedLinkItem];
      const store = memoryStore();
      const { links, log } = service(face, undefined, store);
      await links.setEnabled(true);

      // One 412: the event changed between read and write; read again, write once more.
      await sb.admin.fault({ kind: 'preconditionFailed', path: face.patchPath, method: 'PATCH', count: 1 });
      expect(await links.add([a])).toEqual({ added: 1, skipped: 0, failed: 0 });

      // Two 412s in a row: logged as an error, the event left as it was.
      const bBefore = JSON.stringify((await sb.admin.events()).events.find((e) => e.id === b.eventId));
      await sb.admin.fault({ kind: 'preconditionFailed', path: face.patchPath, method: 'PATCH', count: 2 });
      expect(await links.add([b])).toEqual({ added: 0, skipped: 0, failed: 1 });
      expect(JSON.stringify((await sb.admin.events()).events.find((e) => e.id === b.eventId))).toBe(bBefore);
      const failed = log.list().find((e) => e.action === 'add-link' && !e.ok);
      expect(failed?.eventId).toBe(b.eventId);
      expect(failed?.error).toMatch(/changed while Duet was writing/);
      expect(links.state().failed.map((f) => f.eventId)).toEqual([b.eventId]);

      // A 503 mid-run is retried after a backoff; the run goes on.
      await sb.admin.fault({ kind: 'serverError', path: face.patchPath, method: 'PATCH', status: 503, count: 1 });
      expect(await links.add([b, c])).toEqual({ added: 2, skipped: 0, failed: 0 });

      // Off while the provider keeps failing one write: named, left as it is, then retried.
      await sb.admin.fault({ kind: 'serverError', path: face.patchPath, method: 'PATCH', status: 500, count: 4 });
      await links.setEnabled(false);
      await links.idle();
      expect(links.state().failed).toHaveLength(1);
      expect(links.state().failed[0]?.title).not.toBe('');
      expect(await face.writer.listAdded(face.calendarId)).toHaveLength(1);
      // Retry while it still fails: named again, nothing lost.
      await sb.admin.fault({ kind: 'serverError', path: face.patchPath, method: 'PATCH', status: 500, count: 4 });
      await links.retry();
      await links.idle();
      expect(links.state().failed).toHaveLength(1);
      // The app quits here; the next start finishes the removal once a window asks for the state.
      const restarted = service(face, undefined, store).links;
      expect(restarted.state()).toMatchObject({ enabled: false });
      await restarted.idle();
      expect(restarted.state().failed).toEqual([]);
      expect(await face.writer.listAdded(face.calendarId)).toEqual([]);
      // And once done, a further start has nothing to resume.
      expect(service(face, undefined, store).links.state().running).toBeNull();
    });
  });
}
