// One contract over both CalendarProvider implementations (src-main/calendar), run against the
// sandbox with the real SDKs: listing, full import with paging and progress, incremental rounds,
// an expired cursor, rate limits and server errors, push through the sync server's relay, the
// write calls on app-managed events only, and the directory.
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createGoogleProvider } from '../../../src-main/calendar/google-provider';
import { createGraphProvider } from '../../../src-main/calendar/graph-provider';
import { parseDeepLink } from '../../../src-main/app/deep-link';
import {
  CursorExpiredError,
  NoSuchOccurrenceError,
  NotAppManagedError,
  ProviderHttpError,
  ProviderNetworkError,
  type CalendarProvider,
  type ProviderCalendar,
} from '../../../src-main/calendar/provider';
import { createRelayClient, type RelayEvent } from '../../../src-main/calendar/relay-client';
import { isTombstone } from '../../../src-shared/calendar/change-schema';
import type { CalendarChange, CalendarEvent } from '../../../src-shared/engine/model';
import { startSyncServer, type SyncServerHandle } from '../../../sync-server';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { ANA, DANA, JONAS, LEE, MAYA, NOOR, PRIYA, SAM, TOM } from '../../support/seed-people';

const DAY = 86_400_000;
const AUDIENCE = 'duet-sync';

let sb: TestSandbox;
let relay: SyncServerHandle;

beforeAll(async () => {
  sb = await startTestSandbox();
  relay = await startSyncServer({
    issuers: [sb.issuer],
    audiences: [AUDIENCE],
    trustedCertificates: [readFileSync(sb.caCertPath, 'utf8')],
    logLevel: 'silent',
  });
});
afterAll(async () => {
  await relay?.close();
  await sb?.close();
});
afterEach(() => sb.admin.clearFaults());

interface Face {
  name: 'google' | 'microsoft';
  make(email: string): Promise<CalendarProvider>;
  /** Where the sandbox's fault switches catch this provider's event reads. */
  readPath: string;
}

const FACES: Face[] = [
  {
    name: 'google',
    readPath: '/calendar/v3/calendars/',
    async make(email) {
      const token = await sb.accessToken(email, 'google');
      return createGoogleProvider({
        rootUrl: sb.googleRootUrl,
        accessToken: () => Promise.resolve(token),
        accountId: email,
        pageSize: 7,
        // The CA handed over explicitly, as the app does in sandbox mode.
        ca: readFileSync(sb.caCertPath, 'utf8'),
      });
    },
  },
  {
    name: 'microsoft',
    readPath: '/v1.0/me/calendars/',
    async make(email) {
      const token = await sb.accessToken(email, 'microsoft');
      return createGraphProvider({
        graphBaseUrl: sb.graphBaseUrl,
        accessToken: () => Promise.resolve(token),
        accountId: email,
        ownerEmail: email,
        pageSize: 7,
        ca: readFileSync(sb.caCertPath, 'utf8'),
      });
    },
  },
];

const window = () => ({ from: Date.now() - 30 * DAY, to: Date.now() + 28 * DAY });
const events = (changes: CalendarChange[]): CalendarEvent[] =>
  changes.filter((c): c is CalendarEvent => !isTombstone(c));
/** A removal reads as a tombstone, or (a cancelled occurrence that keeps its slot) as a cancelled event. */
const removes = (changes: CalendarChange[], id: string): boolean =>
  changes.some((c) => c.id === id && (isTombstone(c) || c.status === 'cancelled'));
const slot = (daysAhead: number, hour: number, minutes = 30) => {
  const start = new Date(Date.now() + daysAhead * DAY);
  start.setUTCHours(hour, 0, 0, 0);
  return { start: start.toISOString(), end: new Date(start.getTime() + minutes * 60_000).toISOString() };
};

describe.each(FACES)('CalendarProvider contract: $name', (face) => {
  let provider: CalendarProvider;
  let primary: ProviderCalendar;

  beforeAll(async () => {
    await sb.admin.reset();
    provider = await face.make(MAYA);
    const calendars = await provider.listCalendars();
    expect(calendars.filter((c) => c.primary)).toHaveLength(1);
    primary = calendars.find((c) => c.primary) as ProviderCalendar;
    // The seed's secondary calendar is listed too, never as primary.
    expect(calendars.length).toBeGreaterThan(1);
  });

  it('imports the whole window page by page, reporting progress, stamped with provider and account', async () => {
    const progress: Array<{ pages: number; events: number }> = [];
    const round = await provider.fullImport(primary.id, window(), (p) => progress.push(p));
    expect(round.cursor).toBeTruthy();
    expect(progress.length).toBeGreaterThan(2);
    expect(progress.map((p) => p.pages)).toEqual(progress.map((_, i) => i + 1));
    for (let i = 1; i < progress.length; i++)
      expect(progress[i]!.events).toBeGreaterThanOrEqual(progress[i - 1]!.events);
    expect(progress.at(-1)!.events).toBe(round.changes.length);
    const titles = new Set(events(round.changes).map((e) => e.title));
    for (const title of ['Maya / Sam', '1:1 Maya <> Lee', 'Priya / Maya', 'Dana / Maya 1:1'])
      expect(titles).toContain(title);
    for (const c of round.changes) {
      expect(c.provider).toBe(face.name);
      expect(c.accountId).toBe(MAYA);
      expect(c.calendarId).toBe(primary.id);
    }
    // What sync needs to key rooms and spot versions comes with every event.
    for (const e of events(round.changes)) {
      expect(e.iCalUID, e.id).toBeTruthy();
      expect(e.etag, e.id).toBeTruthy();
    }
    // No id twice in one import: a full import is one complete picture.
    expect(new Set(round.changes.map((c) => c.id)).size).toBe(round.changes.length);
  });

  it('reads created, moved and removed events incrementally, and nothing when nothing changed', async () => {
    const first = await provider.fullImport(primary.id, window());
    const quiet = await provider.changes(primary.id, first.cursor);
    expect(quiet.changes).toEqual([]);

    const when = slot(3, 15);
    const created = await sb.admin.createEvent({
      summary: 'Maya / Ana extra',
      attendees: [{ email: ANA }],
      start: { dateTime: when.start },
      end: { dateTime: when.end },
    });
    const r1 = await provider.changes(primary.id, quiet.cursor);
    const seen = events(r1.changes).find((e) => e.title === 'Maya / Ana extra');
    expect(seen).toBeDefined();
    expect(Date.parse(seen!.start)).toBe(Date.parse(when.start));

    const moved = slot(4, 16);
    await sb.admin.patchEvent(created.id, { start: { dateTime: moved.start }, end: { dateTime: moved.end } });
    const r2 = await provider.changes(primary.id, r1.cursor);
    const after = events(r2.changes).find((e) => e.id === seen!.id);
    expect(Date.parse(after!.start)).toBe(Date.parse(moved.start));

    await sb.admin.deleteEvent(created.id);
    const r3 = await provider.changes(primary.id, r2.cursor);
    expect(removes(r3.changes, seen!.id)).toBe(true);
  });

  it('says the cursor expired (410) so the caller resyncs in full', async () => {
    const first = await provider.fullImport(primary.id, window());
    await sb.admin.fault({ kind: 'expireTokens' });
    await expect(provider.changes(primary.id, first.cursor)).rejects.toBeInstanceOf(CursorExpiredError);
  });

  it('reports 429 with its Retry-After, and 5xx as retryable', async () => {
    await sb.admin.fault({ kind: 'rateLimit', path: face.readPath, count: 1, retryAfter: 7 });
    const limited = await provider.fullImport(primary.id, window()).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(ProviderHttpError);
    expect((limited as ProviderHttpError).status).toBe(429);
    expect((limited as ProviderHttpError).retryAfterMs).toBe(7000);
    expect((limited as ProviderHttpError).retryable).toBe(true);

    await sb.admin.fault({ kind: 'serverError', path: face.readPath, count: 1, status: 503 });
    const failed = await provider.fullImport(primary.id, window()).catch((e: unknown) => e);
    expect((failed as ProviderHttpError).status).toBe(503);
    expect((failed as ProviderHttpError).retryable).toBe(true);
    // The burst is over: the next call goes through.
    expect((await provider.fullImport(primary.id, window())).cursor).toBeTruthy();
  });

  it('reports an unreachable provider as a network failure', async () => {
    const dead =
      face.name === 'google'
        ? createGoogleProvider({
            rootUrl: 'https://127.0.0.1:9/',
            accessToken: () => Promise.resolve('x'),
            accountId: MAYA,
          })
        : createGraphProvider({
            graphBaseUrl: 'https://127.0.0.1:9/v1.0',
            accessToken: () => Promise.resolve('x'),
            accountId: MAYA,
            ownerEmail: MAYA,
          });
    await expect(dead.listCalendars()).rejects.toBeInstanceOf(ProviderNetworkError);
  });

  it('creates, moves and cancels an app-managed event, tagged, and refuses events Duet did not create', async () => {
    const when = slot(5, 14);
    const meetingId = `m-${face.name}-${Date.now()}`;
    const created = await provider.createEvent({
      calendarId: primary.id,
      duetMeetingId: meetingId,
      title: '1:1 with Sam Rivera',
      ...when,
      attendees: [SAM],
      description: 'duet://meeting/abc',
    });
    expect(created.title).toBe('1:1 with Sam Rivera');
    expect(created.attendees.map((a) => a.email.toLowerCase())).toContain(SAM);
    expect(Date.parse(created.start)).toBe(Date.parse(when.start));
    if (face.name === 'google') expect(created.duetMeetingId).toBe(meetingId);
    // The tag is stored as the provider's extended property.
    const raw = (await sb.admin.events()).events.find(
      (e) => e.id === created.id || created.id.startsWith(String(e.id)),
    );
    expect(raw?.extendedProperties?.private?.duetMeetingId).toBe(meetingId);

    const moved = slot(6, 9);
    const updated = await provider.updateEvent(primary.id, created.id, { ...moved, title: '1:1 with Sam' });
    expect(Date.parse(updated.start)).toBe(Date.parse(moved.start));
    expect(updated.title).toBe('1:1 with Sam');

    const cursor = (await provider.fullImport(primary.id, window())).cursor;
    await provider.cancelEvent(primary.id, created.id);
    expect(removes((await provider.changes(primary.id, cursor)).changes, created.id)).toBe(true);

    // A seed event (no tag): neither moved nor cancelled, and still there afterwards.
    const target = events((await provider.fullImport(primary.id, window())).changes).find(
      (e) => e.title === 'Maya / Sam',
    );
    expect(target).toBeDefined();
    await expect(provider.updateEvent(primary.id, target!.id, { title: 'hijacked' })).rejects.toBeInstanceOf(
      NotAppManagedError,
    );
    await expect(provider.cancelEvent(primary.id, target!.id)).rejects.toBeInstanceOf(NotAppManagedError);
    const still = events((await provider.fullImport(primary.id, window())).changes).find(
      (e) => e.id === target!.id,
    );
    expect(still?.title).toBe('Maya / Sam');
    expect(still?.status).not.toBe('cancelled');
  });

  it("lists Duet's tag on the events it made, every occurrence included, in full and incremental rounds; no other event", async () => {
    const zone = 'Europe/Berlin';
    const seriesId = `tagged-series-${face.name}-${Date.now()}`;
    const oneOffId = `tagged-one-${face.name}-${Date.now()}`;
    const cursor = (await provider.fullImport(primary.id, window())).cursor;
    const first = nextWallTime(2, 15, zone);
    const series = await provider.createEvent({
      calendarId: primary.id,
      duetMeetingId: seriesId,
      title: '1:1 with Noor Haddad',
      start: new Date(first).toISOString(),
      end: new Date(first + 30 * 60_000).toISOString(),
      attendees: [NOOR],
      description: `duet://meeting/${seriesId}`,
      repeat: 'weekly',
      timeZone: zone,
    });
    const one = await provider.createEvent({
      calendarId: primary.id,
      duetMeetingId: oneOffId,
      title: '1:1 with Sam Rivera',
      ...slot(4, 13),
      attendees: [SAM],
      description: `duet://meeting/${oneOffId}`,
    });
    const check = (changes: CalendarChange[], full: boolean) => {
      const listed = events(changes);
      const ofSeries = listed.filter((e) => e.id === series.id || e.recurringEventId === series.id);
      expect(ofSeries.length).toBeGreaterThan(0);
      for (const e of ofSeries) expect(e.duetMeetingId).toBe(seriesId);
      expect(listed.find((e) => e.id === one.id)?.duetMeetingId).toBe(oneOffId);
      // The seed's own events carry no tag.
      const others = listed.filter((e) => e.id !== one.id && e.id !== series.id && e.recurringEventId !== series.id);
      if (full) expect(others.length).toBeGreaterThan(0);
      for (const e of others) expect(e.duetMeetingId ?? '').toBe('');
    };
    check((await provider.changes(primary.id, cursor)).changes, false);
    check((await provider.fullImport(primary.id, window())).changes, true);
    await provider.cancelEvent(primary.id, series.id);
    await provider.cancelEvent(primary.id, one.id);
  });

  it('schedules a weekly series with a video link, moves it, one meeting of it, changes its repeat and cancels', async () => {
    const zone = 'Europe/Berlin';
    const meetingId = `app-${face.name}-${Date.now()}`;
    // Next Tuesday-ish at 10:00 Berlin time, 30 minutes.
    const first = nextWallTime(3, 10, zone);
    const created = await provider.createEvent({
      calendarId: primary.id,
      duetMeetingId: meetingId,
      title: '1:1 with Noor Haddad',
      start: new Date(first).toISOString(),
      end: new Date(first + 30 * 60_000).toISOString(),
      attendees: [NOOR],
      description: `Agenda and notes in Duet: duet://meeting/${meetingId}`,
      conference: true,
      repeat: 'weekly',
      timeZone: zone,
    });
    expect(created.title).toBe('1:1 with Noor Haddad');
    expect(created.recurrence?.join()).toMatch(/FREQ=WEEKLY/);
    // The provider made the video link: Meet through conferenceData, Teams through onlineMeeting.
    expect(created.joinUrl).toMatch(
      face.name === 'google' ? /^https:\/\/meet\.google\.com\// : /^https:\/\/teams\.microsoft\.com\//,
    );
    const raw = async () => (await sb.admin.events()).events;
    const master = (await raw()).find((e) => e.id === created.id);
    expect(master?.extendedProperties?.private?.duetMeetingId).toBe(meetingId);
    expect(master?.attendees?.map((a) => a.email)).toContain(NOOR);
    const link = /duet:\/\/meeting\/\S+/.exec(master?.description ?? '')?.[0];
    expect(link && parseDeepLink(link)).toEqual({ kind: 'meeting', meetingId });

    const starts = async (): Promise<number[]> => {
      // Ten weeks ahead: room for three meetings of a biweekly series.
      const round = await provider.fullImport(primary.id, { from: Date.now() - DAY, to: Date.now() + 70 * DAY });
      return expandStarts(events(round.changes), created.id, face.name, Date.now() + 70 * DAY);
    };
    const before = await starts();
    expect(before[0]).toBe(first);
    expect(before[1]).toBe(first + 7 * DAY);

    // Move the series a day later and an hour earlier: every meeting moves, the rule follows the weekday.
    const moved = first + DAY - 3_600_000;
    await provider.updateEvent(primary.id, created.id, {
      start: new Date(moved).toISOString(),
      end: new Date(moved + 30 * 60_000).toISOString(),
      repeat: 'weekly',
      timeZone: zone,
    });
    const afterMove = await starts();
    expect(afterMove.slice(0, 3)).toEqual([moved, moved + 7 * DAY, moved + 14 * DAY]);

    // Every 2 weeks from now on.
    await provider.updateEvent(primary.id, created.id, { repeat: 'biweekly' });
    const biweekly = await starts();
    expect(biweekly.slice(0, 3)).toEqual([moved, moved + 14 * DAY, moved + 28 * DAY]);

    // One meeting of the series moves (an exception); the others stay.
    const second = new Date(moved + 14 * DAY).toISOString();
    const exception = await provider.updateOccurrence(
      { calendarId: primary.id, seriesId: created.id, originalStart: second },
      {
        start: new Date(moved + 15 * DAY).toISOString(),
        end: new Date(moved + 15 * DAY + 30 * 60_000).toISOString(),
      },
    );
    expect(Date.parse(exception.start)).toBe(moved + 15 * DAY);
    expect(exception.recurringEventId).toBe(created.id);
    const withException = await starts();
    expect(withException.slice(0, 3)).toEqual([moved, moved + 15 * DAY, moved + 28 * DAY]);

    // One meeting cancelled: the series goes on without it.
    const third = { calendarId: primary.id, seriesId: created.id, originalStart: new Date(moved + 28 * DAY).toISOString() };
    await provider.cancelOccurrence(third);
    const withoutThird = await starts();
    expect(withoutThird).not.toContain(moved + 28 * DAY);
    expect(withoutThird).toContain(moved + 15 * DAY);
    await expect(provider.cancelOccurrence(third)).rejects.toBeInstanceOf(NoSuchOccurrenceError);
    // An original start the rule never produced is not a meeting of the series.
    await expect(
      provider.updateOccurrence(
        { calendarId: primary.id, seriesId: created.id, originalStart: new Date(moved + 3 * DAY).toISOString() },
        { start: new Date(moved).toISOString(), end: new Date(moved + 60_000).toISOString() },
      ),
    ).rejects.toBeInstanceOf(NoSuchOccurrenceError);

    // Cancelling the series removes it, exceptions included.
    const cursor = (await provider.fullImport(primary.id, window())).cursor;
    await provider.cancelEvent(primary.id, created.id);
    expect(await starts()).toEqual([]);
    expect((await provider.changes(primary.id, cursor)).changes.length).toBeGreaterThan(0);
  });

  it('a create sent again for the same meeting (a lost answer) makes one event; after a cancel, a new one', async () => {
    const when = slot(8, 13);
    const meetingId = `app-retry-${face.name}-${Date.now()}`;
    const input = {
      calendarId: primary.id,
      duetMeetingId: meetingId,
      title: '1:1 with Noor Haddad',
      ...when,
      attendees: [NOOR],
      repeat: 'weekly' as const,
      timeZone: 'UTC',
    };
    const first = await provider.createEvent(input);
    const again = await provider.createEvent(input);
    expect(again.id).toBe(first.id);
    const tagged = async () =>
      (await sb.admin.events()).events.filter(
        (e) => e.extendedProperties?.private?.duetMeetingId === meetingId && !e.recurringEventId,
      );
    expect((await tagged()).length).toBe(1);

    await provider.cancelEvent(primary.id, first.id);
    const anew = await provider.createEvent(input);
    expect(anew.id).not.toBe(first.id);
    const live = (await tagged()).filter((e) => e.status !== 'cancelled');
    expect(live.map((e) => e.id)).toEqual([anew.id]);
    await provider.cancelEvent(primary.id, anew.id);
  });

  it('schedules a one-off and monthly meetings, and refuses to touch a series Duet did not create', async () => {
    const zone = 'America/New_York';
    const oneOff = nextWallTime(4, 15, zone);
    const single = await provider.createEvent({
      calendarId: primary.id,
      duetMeetingId: `app-one-${face.name}-${Date.now()}`,
      title: '1:1 with Noor Haddad',
      start: new Date(oneOff).toISOString(),
      end: new Date(oneOff + 60 * 60_000).toISOString(),
      attendees: [NOOR],
      repeat: 'none',
      timeZone: zone,
    });
    expect(single.recurrence ?? []).toEqual([]);
    expect(single.joinUrl).toBeUndefined();
    expect(Date.parse(single.end) - Date.parse(single.start)).toBe(3_600_000);

    const monthly = await provider.createEvent({
      calendarId: primary.id,
      duetMeetingId: `app-month-${face.name}-${Date.now()}`,
      title: '1:1 with Noor Haddad',
      start: new Date(oneOff + DAY).toISOString(),
      end: new Date(oneOff + DAY + 30 * 60_000).toISOString(),
      attendees: [NOOR],
      repeat: 'monthly',
      timeZone: zone,
    });
    expect(monthly.recurrence?.join()).toMatch(/FREQ=MONTHLY/);
    await provider.cancelEvent(primary.id, monthly.id);
    await provider.cancelEvent(primary.id, single.id);

    // Sam's weekly series is the seed's, not Duet's: no occurrence of it is moved or cancelled.
    const round = await provider.fullImport(primary.id, window());
    const sam = events(round.changes).find((e) => e.title === 'Maya / Sam' && Date.parse(e.start) > Date.now());
    const seriesId = sam?.recurringEventId ?? sam?.id;
    expect(seriesId).toBeTruthy();
    const ref = { calendarId: primary.id, seriesId: seriesId!, originalStart: sam!.originalStart ?? sam!.start };
    await expect(
      provider.updateOccurrence(ref, { start: sam!.start, end: sam!.end }),
    ).rejects.toBeInstanceOf(NotAppManagedError);
    await expect(provider.cancelOccurrence(ref)).rejects.toBeInstanceOf(NotAppManagedError);
    await expect(provider.updateEvent(primary.id, seriesId!, { repeat: 'monthly' })).rejects.toBeInstanceOf(
      NotAppManagedError,
    );
  });

  it('delivers push through the relay, renews before expiry, and stops on unwatch', async () => {
    const idToken = await sb.idToken(MAYA, { aud: AUDIENCE });
    const client = createRelayClient({ url: relay.url, idToken: () => idToken, reconnectMs: 50 });
    const received: RelayEvent[] = [];
    let opened!: () => void;
    const open = new Promise<void>((resolve) => (opened = resolve));
    const listener = client.listen(
      (e) => received.push(e),
      () => opened(),
    );
    try {
      await open;
      const secret = `s-${face.name}-${Math.random().toString(36).slice(2)}`;
      const channelId = `c-${face.name}-${Date.now()}`;
      if (face.name === 'google') {
        await client.register({
          provider: 'google',
          channelId,
          token: secret,
          account: MAYA,
          calendarId: primary.id,
        });
      } else {
        await client.register({
          provider: 'microsoft',
          clientState: secret,
          account: MAYA,
          calendarId: primary.id,
        });
      }
      const channel = await provider.watch({
        calendarId: primary.id,
        address: client.hookAddress(face.name),
        channelId,
        secret,
        expiresAt: Date.now() + 2 * DAY,
      });
      expect(channel.expiresAt).toBeGreaterThan(Date.now() + DAY);
      const when = slot(2, 11);
      await sb.admin.createEvent({
        summary: 'push me',
        attendees: [{ email: SAM }],
        start: { dateTime: when.start },
        end: { dateTime: when.end },
      });
      await waitFor(() =>
        received.some((e) => e.type === 'calendar.changed' && e.provider === face.name && e.account === MAYA),
      );

      const renewed = await provider.renew(channel, Date.now() + 3 * DAY);
      if (face.name === 'google') {
        expect(renewed).toBeNull(); // Google channels are replaced, not extended
      } else {
        expect(renewed!.expiresAt).toBeGreaterThan(channel.expiresAt);
        expect(renewed!.id).toBe(channel.id);
      }

      await provider.unwatch(channel);
      const push = await sb.admin.push();
      const live = face.name === 'google' ? push.channels : push.subscriptions;
      expect((live as Array<{ id: string }>).some((c) => c.id === channel.id)).toBe(false);
      // Stopping twice is harmless.
      await provider.unwatch(channel);
    } finally {
      listener.close();
    }
  });

  it('answers the directory from the org chart (Microsoft), or with nothing (Google)', async () => {
    const people = await provider.directory();
    if (face.name === 'google') {
      expect(people).toEqual([]);
      return;
    }
    expect(people.filter((p) => p.relation === 'manager').map((p) => p.email)).toEqual([DANA]);
    const reports = people.filter((p) => p.relation === 'report');
    expect(reports.map((p) => p.email).sort()).toEqual([ANA, JONAS, LEE, NOOR, PRIYA, SAM, TOM].sort());
    expect(
      reports.every((p) => typeof p.hireDate === 'number' && p.hireDate > Date.parse('2000-01-01')),
    ).toBe(true);
    // Someone at the top of the chart has no manager: a 404 from Graph, not an error.
    const dana = await face.make(DANA);
    const hers = await dana.directory();
    expect(hers.some((p) => p.relation === 'manager')).toBe(false);
    expect(hers.map((p) => p.email)).toEqual([MAYA]);
  });
});

/** Epoch ms of `hour`:00 local time in `zone`, `days` days from now (whole minutes, no seconds). */
function nextWallTime(days: number, hour: number, zone: string): number {
  const guess = new Date(Date.now() + days * DAY);
  guess.setUTCHours(hour, 0, 0, 0);
  // Correct by the zone's offset at that instant (twice, for a DST change in between).
  let ms = guess.getTime();
  for (let i = 0; i < 2; i++) ms = guess.getTime() - offsetMinutes(ms, zone) * 60_000;
  return ms;
}

function offsetMinutes(ms: number, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  }).formatToParts(new Date(ms));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
  return Math.round((asUtc - Math.floor(ms / 60_000) * 60_000) / 60_000);
}

/**
 * The starts (ascending) of a series' live meetings in an import: Google lists the master with its
 * rule (expanded here, weekly rules only, with exceptions applied), Graph every occurrence.
 */
function expandStarts(
  list: CalendarEvent[],
  seriesId: string,
  face: 'google' | 'microsoft',
  horizon: number,
): number[] {
  const mine = list.filter((e) => e.id === seriesId || e.recurringEventId === seriesId);
  if (face === 'microsoft')
    return mine
      .filter((e) => e.id !== seriesId && e.status !== 'cancelled')
      .map((e) => Date.parse(e.start))
      .sort((a, b) => a - b);
  const master = mine.find((e) => e.id === seriesId && e.status !== 'cancelled');
  if (!master) return [];
  const rule = master.recurrence?.find((l) => l.startsWith('RRULE:')) ?? '';
  const interval = Number(/INTERVAL=(\d+)/.exec(rule)?.[1] ?? 1);
  const exceptions = new Map(
    mine.filter((e) => e.id !== seriesId && e.originalStart).map((e) => [Date.parse(e.originalStart!), e]),
  );
  const out: number[] = [];
  for (let t = Date.parse(master.start); t <= horizon; t += interval * 7 * DAY) {
    const ex = exceptions.get(t);
    if (!ex) out.push(t);
    else if (ex.status !== 'cancelled') out.push(Date.parse(ex.start));
  }
  return out.sort((a, b) => a - b);
}

async function waitFor(probe: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
