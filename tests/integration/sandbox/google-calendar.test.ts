// The Google face through the real googleapis client (only rootUrl changed).
import type { calendar_v3 } from '@googleapis/calendar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { googleCalendar } from '../../support/sandbox-clients';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { ANA, JONAS, LEE, MAYA, PRIYA, ROOM, SAM, days, googleFailure, iso } from './helpers';

let sb: TestSandbox;
let cal: calendar_v3.Calendar;

beforeAll(async () => {
  sb = await startTestSandbox();
  cal = googleCalendar(sb, await sb.accessToken(MAYA, 'google'));
});
afterAll(() => sb.close());

async function listAll(params: calendar_v3.Params$Resource$Events$List): Promise<{ items: calendar_v3.Schema$Event[]; nextSyncToken?: string; pages: number }> {
  const items: calendar_v3.Schema$Event[] = [];
  let pageToken: string | undefined;
  let pages = 0;
  for (;;) {
    const res = await cal.events.list({ calendarId: 'primary', ...params, ...(pageToken ? { pageToken } : {}) });
    pages++;
    items.push(...(res.data.items ?? []));
    if (res.data.nextPageToken) {
      expect(res.data.nextSyncToken).toBeUndefined();
      pageToken = res.data.nextPageToken;
      continue;
    }
    return { items, pages, ...(res.data.nextSyncToken ? { nextSyncToken: res.data.nextSyncToken } : {}) };
  }
}

describe('calendarList', () => {
  it('lists the primary calendar with primary: true and the secondary one without', async () => {
    const res = await cal.calendarList.list();
    const items = res.data.items ?? [];
    expect(res.data.kind).toBe('calendar#calendarList');
    const primary = items.find((c) => c.primary);
    expect(primary?.id).toBe(MAYA);
    expect(items.filter((c) => !c.primary).map((c) => c.summary)).toEqual(['Maya – personal']);
  });

  it('answers 401 to a bad token and 404 to a calendar that is not yours', async () => {
    const stranger = googleCalendar(sb, 'ya29.not-a-token');
    expect((await googleFailure(stranger.calendarList.list())).status).toBe(401);
    expect((await googleFailure(cal.events.list({ calendarId: SAM }))).status).toBe(404);
  });

  it('checks scopes like Google: calendar.events cannot list calendars, readonly cannot write', async () => {
    const eventsOnly = googleCalendar(sb, await sb.accessToken(MAYA, 'google', ['https://www.googleapis.com/auth/calendar.events']));
    expect((await googleFailure(eventsOnly.calendarList.list())).reason).toBe('insufficientPermissions');
    expect((await eventsOnly.events.list({ calendarId: 'primary', maxResults: 1 })).status).toBe(200);
    const readonly = googleCalendar(sb, await sb.accessToken(MAYA, 'google', ['https://www.googleapis.com/auth/calendar.readonly']));
    const start = Date.now() + days(1);
    const write = await googleFailure(readonly.events.insert({ calendarId: 'primary', requestBody: { start: { dateTime: iso(start) }, end: { dateTime: iso(start + 60_000) } } }));
    expect(write.status).toBe(403);
  });
});

describe('events.list', () => {
  it('expands recurring series into instances with recurringEventId and originalStartTime', async () => {
    const now = Date.now();
    const { items } = await listAll({ singleEvents: true, orderBy: 'startTime', timeMin: iso(now - days(28)), timeMax: iso(now + days(28)) });
    const samInstances = items.filter((e) => e.summary === 'Maya / Sam');
    expect(samInstances.length).toBeGreaterThanOrEqual(7);
    for (const e of samInstances) {
      expect(e.recurringEventId).toBeTruthy();
      expect(e.originalStartTime?.dateTime).toBeTruthy();
      expect(e.id).toBe(`${e.recurringEventId}_${new Date(e.originalStartTime?.dateTime as string).toISOString().replace(/[-:]/g, '').replace('.000', '')}`);
    }
    // one instance was moved: its start differs from its original start
    const moved = samInstances.filter((e) => e.start?.dateTime && Date.parse(e.start.dateTime) !== Date.parse(e.originalStartTime?.dateTime as string));
    expect(moved).toHaveLength(1);
    // ordered by start
    const starts = items.map((e) => Date.parse(e.start?.dateTime ?? `${e.start?.date}T00:00:00Z`));
    expect([...starts].sort((a, b) => a - b)).toEqual(starts);
    // timeMin/timeMax bound the list
    expect(items.every((e) => Date.parse(e.end?.dateTime ?? `${e.end?.date}T00:00:00Z`) > now - days(28) - days(1))).toBe(true);
  });

  it('lists masters with RRULE and their exceptions when singleEvents is false', async () => {
    const { items } = await listAll({});
    const master = items.find((e) => e.summary === 'Maya / Sam' && e.recurrence);
    expect(master?.recurrence?.[0]).toMatch(/^RRULE:FREQ=WEEKLY/);
    const exceptions = items.filter((e) => e.recurringEventId === master?.id);
    expect(exceptions).toHaveLength(1);
    // a cancelled exception is listed (status cancelled) without showDeleted, as Google does
    const jonasCancelled = items.filter((e) => e.summary === '1on1 Maya/Jonas' && e.status === 'cancelled');
    expect(jonasCancelled).toHaveLength(1);
    expect(jonasCancelled[0]?.recurringEventId).toBeTruthy();
  });

  it('leaves cancelled instances out of singleEvents lists unless showDeleted is set', async () => {
    const window = { singleEvents: true, timeMin: iso(Date.now() - days(1)), timeMax: iso(Date.now() + days(14)) };
    const plain = await listAll(window);
    const withDeleted = await listAll({ ...window, showDeleted: true });
    const jonas = (list: calendar_v3.Schema$Event[]) => list.filter((e) => e.summary === '1on1 Maya/Jonas');
    expect(jonas(plain.items).every((e) => e.status === 'confirmed')).toBe(true);
    expect(jonas(withDeleted.items).filter((e) => e.status === 'cancelled')).toHaveLength(1);
  });

  it('reports attendees as Google does: organizer, self, resource rooms, aliases, declines', async () => {
    const { items } = await listAll({});
    const priya = items.find((e) => e.summary === 'Priya / Maya');
    expect(priya?.organizer?.email).toBe(PRIYA);
    expect(priya?.organizer?.self).toBeUndefined();
    const room = priya?.attendees?.find((a) => a.email === ROOM);
    expect(room?.resource).toBe(true);
    expect(priya?.attendees?.find((a) => a.email === MAYA)?.self).toBe(true);
    const lee = items.find((e) => e.summary === '1:1 Maya <> Lee');
    expect(lee?.attendees?.map((a) => a.email)).toContain('lee@acme-labs.test');
    expect(lee?.organizer?.self).toBe(true);
    const declined = items.find((e) => e.summary?.includes('quarterly goals'));
    expect(declined?.attendees?.find((a) => a.email === JONAS)?.responseStatus).toBe('declined');
    const tom = items.find((e) => e.summary === 'Maya <> Tom 1:1');
    expect(tom?.visibility).toBe('private');
    expect(tom?.recurrence?.[0]).toContain('BYDAY=1TH');
    const focus = items.find((e) => e.summary === 'Focus time');
    expect(focus?.eventType).toBe('focusTime');
    expect(items.find((e) => e.summary === 'Company offsite')?.start?.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('shows the "this and following" split as an ended series and a new one', async () => {
    const { items } = await listAll({});
    const old = items.find((e) => e.summary === 'one-on-one: Ana & Maya');
    const next = items.find((e) => e.summary === 'Maya / Ana');
    expect(old?.recurrence?.[0]).toMatch(/UNTIL=\d{8}T\d{6}Z/);
    expect(next?.id).toBe(`${old?.id}_R${next?.id?.split('_R')[1]}`);
    expect(next?.attendees?.map((a) => a.email)).toContain(ANA);
  });

  it('pages with maxResults and pageToken, with the sync token only on the last page', async () => {
    const { items, pages, nextSyncToken } = await listAll({ maxResults: 4 });
    const all = await listAll({});
    expect(pages).toBeGreaterThan(2);
    expect(items.map((e) => e.id).sort()).toEqual(all.items.map((e) => e.id).sort());
    expect(nextSyncToken).toBeTruthy();
  });

  it('rejects maxResults 0 and orderBy=startTime without singleEvents', async () => {
    expect((await googleFailure(cal.events.list({ calendarId: 'primary', maxResults: 0 }))).status).toBe(400);
    expect((await googleFailure(cal.events.list({ calendarId: 'primary', orderBy: 'startTime' }))).status).toBe(400);
  });
});

describe('events write', () => {
  it('inserts, gets, patches, updates and deletes an event', async () => {
    const start = Date.now() + days(3);
    const inserted = await cal.events.insert({
      calendarId: 'primary',
      requestBody: {
        summary: 'Maya / Lee catch-up',
        start: { dateTime: iso(start), timeZone: 'Europe/Berlin' },
        end: { dateTime: iso(start + 1_800_000), timeZone: 'Europe/Berlin' },
        attendees: [{ email: LEE }, { email: 'guest@example.com', optional: true }],
        visibility: 'private',
      },
    });
    const id = inserted.data.id as string;
    expect(id).toMatch(/^[a-v0-9]{5,}$/);
    expect(inserted.data.organizer?.email).toBe(MAYA);
    expect(inserted.data.iCalUID).toBe(`${id}@google.com`);
    expect(inserted.data.attendees?.find((a) => a.email === 'guest@example.com')?.optional).toBe(true);
    expect(inserted.data.start?.timeZone).toBe('Europe/Berlin');

    const got = await cal.events.get({ calendarId: 'primary', eventId: id, timeZone: 'Europe/Berlin' });
    expect(got.data.summary).toBe('Maya / Lee catch-up');
    expect(got.data.start?.dateTime).toMatch(/\+0[12]:00$/);
    expect(Date.parse(got.data.start?.dateTime as string)).toBe(Math.floor(start / 1000) * 1000);

    const patched = await cal.events.patch({ calendarId: 'primary', eventId: id, requestBody: { summary: 'Maya / Lee (moved)', start: { dateTime: iso(start + 3_600_000) }, end: { dateTime: iso(start + 5_400_000) } } });
    expect(patched.data.summary).toBe('Maya / Lee (moved)');
    expect(patched.data.sequence).toBe(1);
    expect(patched.data.visibility).toBe('private');
    expect(patched.data.etag).not.toBe(got.data.etag);

    const updated = await cal.events.update({
      calendarId: 'primary',
      eventId: id,
      requestBody: { summary: 'Replaced', start: { dateTime: iso(start) }, end: { dateTime: iso(start + 600_000) } },
    });
    expect(updated.data.summary).toBe('Replaced');
    expect(updated.data.visibility).toBeUndefined();
    expect(updated.data.attendees).toBeUndefined();

    // the event appears in Lee's calendar too (he was invited before the update removed him)
    await cal.events.delete({ calendarId: 'primary', eventId: id });
    const deleted = await cal.events.get({ calendarId: 'primary', eventId: id });
    expect(deleted.data.status).toBe('cancelled');
    expect((await googleFailure(cal.events.delete({ calendarId: 'primary', eventId: id }))).status).toBe(410);
  });

  it('validates input: empty time range, bad attendee, unknown event', async () => {
    const start = Date.now() + days(1);
    const bad = await googleFailure(
      cal.events.insert({ calendarId: 'primary', requestBody: { summary: 'x', start: { dateTime: iso(start) }, end: { dateTime: iso(start - 1000) } } }),
    );
    expect(bad.status).toBe(400);
    const attendee = await googleFailure(
      cal.events.insert({ calendarId: 'primary', requestBody: { start: { dateTime: iso(start) }, end: { dateTime: iso(start + 1000) }, attendees: [{ email: 'nope' }] } }),
    );
    expect(attendee.status).toBe(400);
    expect(JSON.stringify(attendee.data)).toContain('attendees[0].email');
    expect((await googleFailure(cal.events.get({ calendarId: 'primary', eventId: 'doesnotexist0' }))).status).toBe(404);
  });

  it('edits one instance of a series (exception) and deletes another (cancelled instance)', async () => {
    const now = Date.now();
    const { items } = await listAll({ singleEvents: true, timeMin: iso(now), timeMax: iso(now + days(35)) });
    const team = items.filter((e) => e.summary === 'Platform team weekly');
    const [first, second] = team;
    if (!first?.id || !second?.id) throw new Error('seed has no upcoming team meetings');
    const edited = await cal.events.patch({ calendarId: 'primary', eventId: first.id, requestBody: { summary: 'Platform team weekly (demo day)' } });
    expect(edited.data.id).toBe(first.id);
    expect(edited.data.recurringEventId).toBe(first.recurringEventId);
    await cal.events.delete({ calendarId: 'primary', eventId: second.id });
    const after = await listAll({ singleEvents: true, timeMin: iso(now), timeMax: iso(now + days(35)) });
    const titles = after.items.filter((e) => e.recurringEventId === first.recurringEventId).map((e) => e.summary);
    expect(titles).toContain('Platform team weekly (demo day)');
    expect(after.items.find((e) => e.id === second.id)).toBeUndefined();
    const instances = await cal.events.instances({ calendarId: 'primary', eventId: first.recurringEventId as string, showDeleted: true, timeMin: iso(now), timeMax: iso(now + days(35)) });
    expect(instances.data.items?.find((e) => e.id === second.id)?.status).toBe('cancelled');
  });

  it('creates a Meet link from conferenceData.createRequest (conferenceDataVersion=1 only)', async () => {
    const start = Date.now() + days(2);
    const body = {
      summary: '1:1 Maya / Sam',
      start: { dateTime: iso(start) },
      end: { dateTime: iso(start + 1_800_000) },
      attendees: [{ email: SAM }],
      conferenceData: { createRequest: { requestId: 'req-1', conferenceSolutionKey: { type: 'hangoutsMeet' } } },
    };
    const ignored = await cal.events.insert({ calendarId: 'primary', requestBody: body });
    expect(ignored.data.conferenceData).toBeUndefined();
    const res = await cal.events.insert({ calendarId: 'primary', conferenceDataVersion: 1, requestBody: body });
    expect(res.data.hangoutLink).toMatch(/^https:\/\/meet\.google\.com\/[a-z]{3}-[a-z]{4}-[a-z]{3}$/);
    expect(res.data.conferenceData?.createRequest?.status?.statusCode).toBe('success');
    expect(res.data.conferenceData?.entryPoints?.[0]?.uri).toBe(res.data.hangoutLink);
  });

  it('finds one instance by originalStart, wherever it has moved', async () => {
    const start = Date.parse(iso(Date.now() + days(1)).slice(0, 13) + ':00:00Z');
    const master = await cal.events.insert({
      calendarId: 'primary',
      requestBody: {
        summary: 'weekly for originalStart',
        start: { dateTime: iso(start), timeZone: 'UTC' },
        end: { dateTime: iso(start + 1_800_000), timeZone: 'UTC' },
        recurrence: ['RRULE:FREQ=WEEKLY'],
      },
    });
    const second = iso(start + days(7));
    const found = await cal.events.instances({ calendarId: 'primary', eventId: master.data.id as string, originalStart: second });
    expect(found.data.items?.map((i) => i.originalStartTime?.dateTime).map((d) => Date.parse(d as string))).toEqual([Date.parse(second)]);
    await cal.events.patch({
      calendarId: 'primary',
      eventId: found.data.items?.[0]?.id as string,
      requestBody: { start: { dateTime: iso(start + days(9)) }, end: { dateTime: iso(start + days(9) + 1_800_000) } },
    });
    const moved = await cal.events.instances({ calendarId: 'primary', eventId: master.data.id as string, originalStart: second });
    expect(moved.data.items?.map((i) => Date.parse(i.start?.dateTime as string))).toEqual([start + days(9)]);
    const none = await cal.events.instances({ calendarId: 'primary', eventId: master.data.id as string, originalStart: iso(start + days(3)) });
    expect(none.data.items).toEqual([]);
  });

  it('stores extended properties and filters on privateExtendedProperty', async () => {
    const start = Date.now() + days(4);
    const made = await cal.events.insert({
      calendarId: 'primary',
      requestBody: {
        summary: '1:1 with Tom',
        start: { dateTime: iso(start) },
        end: { dateTime: iso(start + 1_800_000) },
        extendedProperties: { private: { duetManaged: 'true', duetMeetingId: 'm-42' }, shared: { visibleToAll: 'yes' } },
      },
    });
    const hit = await cal.events.list({ calendarId: 'primary', privateExtendedProperty: ['duetManaged=true'] });
    expect(hit.data.items?.map((e) => e.id)).toEqual([made.data.id]);
    const both = await cal.events.list({ calendarId: 'primary', privateExtendedProperty: ['duetManaged=true', 'duetMeetingId=m-0'] });
    expect(both.data.items).toEqual([]);
    const patched = await cal.events.patch({ calendarId: 'primary', eventId: made.data.id as string, requestBody: { extendedProperties: { private: { duetMeetingId: 'm-43' } } } });
    expect(patched.data.extendedProperties?.private).toEqual({ duetManaged: 'true', duetMeetingId: 'm-43' });
    expect(patched.data.extendedProperties?.shared).toEqual({ visibleToAll: 'yes' });
  });

  it('lets an attendee change only their own response', async () => {
    const samCal = googleCalendar(sb, await sb.accessToken(SAM, 'google'));
    const { items } = await listAll({ singleEvents: true, timeMin: iso(Date.now()), timeMax: iso(Date.now() + days(10)) });
    const instance = items.find((e) => e.summary === 'Maya / Sam');
    if (!instance?.id) throw new Error('no upcoming Maya / Sam');
    const forbidden = await googleFailure(samCal.events.patch({ calendarId: 'primary', eventId: instance.id, requestBody: { summary: 'hijacked' } }));
    expect(forbidden.status).toBe(403);
    await samCal.events.patch({ calendarId: 'primary', eventId: instance.id, requestBody: { attendees: [{ email: SAM, responseStatus: 'tentative' }] } });
    const seenByMaya = await cal.events.get({ calendarId: 'primary', eventId: instance.id });
    expect(seenByMaya.data.attendees?.find((a) => a.email === SAM)?.responseStatus).toBe('tentative');
  });
});

describe('incremental sync', () => {
  it('returns only changes since the token, deletions as cancelled; bad params 400; expired 410', async () => {
    const full = await listAll({});
    const token = full.nextSyncToken as string;
    expect(token).toBeTruthy();

    const nothing = await cal.events.list({ calendarId: 'primary', syncToken: token });
    expect(nothing.data.items).toEqual([]);
    expect(nothing.data.nextSyncToken).toBeTruthy();

    const retitle = full.items.find((e) => e.summary === 'Coffee with Lee') as calendar_v3.Schema$Event;
    const remove = full.items.find((e) => e.summary === 'Intro call: Maya / Jordan') as calendar_v3.Schema$Event;
    await sb.admin.patchEvent(retitle.id as string, { summary: 'Coffee with Lee (rescheduled)' });
    await sb.admin.deleteEvent(remove.id as string);
    const created = await sb.admin.createEvent({ summary: 'Maya / Priya ad hoc', start: { dateTime: iso(Date.now() + days(1)) }, end: { dateTime: iso(Date.now() + days(1) + 900_000) }, attendees: [{ email: PRIYA }] });

    const delta = await cal.events.list({ calendarId: 'primary', syncToken: nothing.data.nextSyncToken as string });
    const byId = new Map((delta.data.items ?? []).map((e) => [e.id, e]));
    expect([...byId.keys()].sort()).toEqual([retitle.id, remove.id, created.id].sort());
    expect(byId.get(retitle.id)?.summary).toBe('Coffee with Lee (rescheduled)');
    expect(byId.get(remove.id)?.status).toBe('cancelled');
    expect(byId.get(created.id)?.status).toBe('confirmed');

    const clash = await googleFailure(cal.events.list({ calendarId: 'primary', syncToken: delta.data.nextSyncToken as string, timeMin: iso(Date.now()) }));
    expect(clash.status).toBe(400);

    await sb.admin.fault({ kind: 'expireTokens' });
    const gone = await googleFailure(cal.events.list({ calendarId: 'primary', syncToken: delta.data.nextSyncToken as string }));
    expect(gone.status).toBe(410);
    expect(gone.reason).toBe('fullSyncRequired');
  });

  it('with singleEvents, a change to a series reports its instances, and a removed attendee sees them cancelled', async () => {
    const lee = googleCalendar(sb, await sb.accessToken(LEE, 'google'));
    const first = await lee.events.list({ calendarId: 'primary', singleEvents: true, maxResults: 2500 });
    const series = (first.data.items ?? []).filter((e) => e.summary === 'Sprint planning');
    expect(series.length).toBeGreaterThan(3);
    const masterId = series[0]?.recurringEventId as string;
    await sb.admin.patchEvent(masterId, { action: 'removeAttendee', email: LEE });
    const delta = await lee.events.list({ calendarId: 'primary', singleEvents: true, syncToken: first.data.nextSyncToken as string });
    const items = delta.data.items ?? [];
    expect(items.length).toBe(series.length);
    expect(items.every((e) => e.status === 'cancelled' && e.recurringEventId === masterId)).toBe(true);
  });
});

describe('page sizes and recurrence details (own scenario)', () => {
  let big: TestSandbox;
  let bigCal: calendar_v3.Calendar;
  const OWNER = 'owner@big.test';
  const base = Date.UTC(2031, 0, 6, 9); // a Monday

  beforeAll(async () => {
    const events = Array.from({ length: 2600 }, (_, i) => ({
      id: `bulk${String(i).padStart(5, '0')}`,
      summary: `Event ${i}`,
      start: { dateTime: iso(base + i * 3_600_000) },
      end: { dateTime: iso(base + i * 3_600_000 + 1_800_000) },
    }));
    big = await startTestSandbox({
      seed: {
        me: OWNER,
        timeZone: 'Europe/Berlin',
        people: [{ email: OWNER, name: 'Big Owner' }],
        events: [
          ...events,
          {
            id: 'seriesedate1',
            summary: 'Owner / Someone',
            start: { dateTime: '2031-01-06T10:00:00', timeZone: 'Europe/Berlin' },
            end: { dateTime: '2031-01-06T10:30:00', timeZone: 'Europe/Berlin' },
            recurrence: ['RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=6', 'EXDATE;TZID=Europe/Berlin:20310113T100000,20310127T100000'],
          },
        ],
      },
    });
    bigCal = googleCalendar(big, await big.accessToken(OWNER, 'google'));
  });
  afterAll(() => big.close());

  it('defaults maxResults to 250 and caps it at 2500', async () => {
    const first = await bigCal.events.list({ calendarId: 'primary' });
    expect(first.data.items).toHaveLength(250);
    expect(first.data.nextPageToken).toBeTruthy();
    const capped = await bigCal.events.list({ calendarId: 'primary', maxResults: 5000 });
    expect(capped.data.items).toHaveLength(2500);
    const rest = await bigCal.events.list({ calendarId: 'primary', maxResults: 5000, pageToken: capped.data.nextPageToken as string });
    expect(rest.data.items).toHaveLength(101);
    expect(rest.data.nextSyncToken).toBeTruthy();
  });

  it('applies EXDATE and COUNT, keeps wall-clock time across daylight saving, and answers partial responses', async () => {
    const res = await bigCal.events.instances({ calendarId: 'primary', eventId: 'seriesedate1', timeZone: 'Europe/Berlin' });
    const starts = (res.data.items ?? []).map((e) => e.start?.dateTime);
    expect(starts).toEqual(['2031-01-06T10:00:00+01:00', '2031-01-20T10:00:00+01:00', '2031-02-03T10:00:00+01:00', '2031-02-10T10:00:00+01:00']);
    const partial = await bigCal.events.list({ calendarId: 'primary', maxResults: 2, fields: 'items(id,summary),nextPageToken' });
    expect(Object.keys(partial.data).sort()).toEqual(['items', 'nextPageToken']);
    expect(Object.keys(partial.data.items?.[0] ?? {}).sort()).toEqual(['id', 'summary']);
  });
});
