// The Microsoft Graph face through the real @microsoft/microsoft-graph-client (baseUrl +
// customHosts only): the same store as the Google face, in Graph's shapes.
import { ResponseType, type Client } from '@microsoft/microsoft-graph-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeGraphEvent, type GraphEvent as NormalizerInput } from '../../../src-shared/calendar/graph';
import { googleCalendar, graphClient } from '../../support/sandbox-clients';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { JONAS, LEE, MAYA, PRIYA, ROOM, SAM, days, graphFailure, iso } from './helpers';

type GraphEvent = Record<string, unknown> & {
  id: string;
  subject: string;
  type: string;
  seriesMasterId: string | null;
  start: { dateTime: string; timeZone: string };
  attendees: Array<{ type: string; status: { response: string }; emailAddress: { address: string } }>;
  singleValueExtendedProperties?: Array<{ id: string; value: string }>;
};

const PROP = 'String {66f5a359-4659-4830-9070-00047ec6ac6e} Name duetManaged';

let sb: TestSandbox;
let graph: Client;

beforeAll(async () => {
  sb = await startTestSandbox();
  graph = graphClient(sb, await sb.accessToken(MAYA, 'microsoft'));
});
afterAll(() => sb.close());

async function calendarView(fromMs: number, toMs: number, client: Client = graph): Promise<GraphEvent[]> {
  const out: GraphEvent[] = [];
  let res = await client.api('/me/calendarView').query({ startDateTime: iso(fromMs), endDateTime: iso(toMs) }).top(25).get();
  for (;;) {
    out.push(...(res.value as GraphEvent[]));
    if (!res['@odata.nextLink']) return out;
    res = await client.api(res['@odata.nextLink'] as string).get();
  }
}

describe('users and calendars', () => {
  it('answers /me and /me/calendars with the default calendar flagged', async () => {
    const me = await graph.api('/me').get();
    expect(me.mail).toBe(MAYA);
    expect(me.displayName).toBe('Maya Chen');
    const calendars = await graph.api('/me/calendars').get();
    const names = (calendars.value as Array<{ name: string; isDefaultCalendar: boolean }>).map((c) => [c.name, c.isDefaultCalendar]);
    expect(names).toEqual([
      ['Calendar', true],
      ['Maya – personal', false],
    ]);
  });

  it('refuses a missing or foreign token like Graph does', async () => {
    const anonymous = graphClient(sb, 'EwB.not-a-token');
    expect((await graphFailure(anonymous.api('/me').get())).statusCode).toBe(401);
    const googleToken = await sb.accessToken(MAYA, 'google');
    expect((await graphFailure(graphClient(sb, googleToken).api('/me').get())).code).toBe('InvalidAuthenticationToken');
    const narrow = graphClient(sb, await sb.accessToken(MAYA, 'microsoft', ['User.Read']));
    expect((await graphFailure(narrow.api('/me/events').get())).statusCode).toBe(403);
  });
});

describe('calendarView', () => {
  it('needs a window, pages with nextLink, and shows occurrences, exceptions and single events', async () => {
    const missing = await graphFailure(graph.api('/me/calendarView').get());
    expect(missing.statusCode).toBe(400);
    const now = Date.now();
    const events = await calendarView(now - days(28), now + days(28));
    expect(events.length).toBeGreaterThan(25); // more than one page
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    const sam = events.filter((e) => e.subject === 'Maya / Sam');
    expect(sam.every((e) => e.seriesMasterId && (e.type === 'occurrence' || e.type === 'exception'))).toBe(true);
    expect(sam.filter((e) => e.type === 'exception')).toHaveLength(1);
    expect(events.find((e) => e.subject === 'Coffee with Lee')?.type).toBe('singleInstance');
    // the cancelled occurrence is not in the organizer's view
    const jonas = events.filter((e) => e.subject === '1on1 Maya/Jonas');
    expect(jonas.every((e) => e.isCancelled === false)).toBe(true);
    // Graph writes local times with seven fractional digits, in UTC unless asked otherwise
    expect(sam[0]?.start.dateTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.0000000$/);
    expect(sam[0]?.start.timeZone).toBe('UTC');
  });

  it('supports $select, $orderby and $filter on the view', async () => {
    const now = Date.now();
    const res = await graph
      .api('/me/calendarView')
      .query({ startDateTime: iso(now - days(14)), endDateTime: iso(now + days(14)) })
      .select('subject,start,type')
      .orderby('start/dateTime desc')
      .filter("startswith(subject, 'Maya /') and type eq 'occurrence'")
      .top(100)
      .get();
    const list = res.value as GraphEvent[];
    expect(list.length).toBeGreaterThan(3);
    expect(list.every((e) => String(e.subject).startsWith('Maya /') && e.type === 'occurrence')).toBe(true);
    expect(Object.keys(list[0] ?? {}).sort()).toEqual(['@odata.etag', 'id', 'start', 'subject', 'type']);
    const starts = list.map((e) => e.start.dateTime);
    expect([...starts].sort().reverse()).toEqual(starts);
    const bad = await graphFailure(graph.api('/me/events').select('subjekt').get());
    expect(bad.statusCode).toBe(400);
  });

  it('honours Prefer outlook.timezone, echoing the Windows zone name as asked', async () => {
    const now = Date.now();
    const res = await graph
      .api('/me/calendarView')
      .header('Prefer', 'outlook.timezone="Pacific Standard Time"')
      .query({ startDateTime: iso(now), endDateTime: iso(now + days(7)) })
      .responseType(ResponseType.RAW)
      .get();
    expect(res.headers.get('preference-applied')).toBe('outlook.timezone="Pacific Standard Time"');
    const list = ((await res.json()) as { value: GraphEvent[] }).value;
    const first = list[0] as GraphEvent & { end: { dateTime: string; timeZone: string } };
    expect(first.start.timeZone).toBe('Pacific Standard Time');
    expect(first.end.timeZone).toBe('Pacific Standard Time');
    // the wall time is Pacific time, whatever the name
    const utc = await graph.api(`/me/events/${first.id}`).get();
    const la = new Intl.DateTimeFormat('sv-SE', { timeZone: 'America/Los_Angeles', dateStyle: 'short', timeStyle: 'medium' });
    expect(first.start.dateTime.slice(0, 19)).toBe(la.format(Date.parse(`${String(utc.start.dateTime).slice(0, 19)}Z`)).replace(' ', 'T'));
    // an IANA name is echoed as IANA
    const iana = await graph.api(`/me/events/${first.id}`).header('Prefer', 'outlook.timezone="Europe/Berlin"').get();
    expect(iana.start.timeZone).toBe('Europe/Berlin');
  });

  it('shows rooms as resource attendees, aliases, declines, and the attendee view of a series', async () => {
    const priyaView = graphClient(sb, await sb.accessToken(PRIYA, 'microsoft'));
    const now = Date.now();
    const mine = await calendarView(now - days(7), now + days(7), priyaView);
    const meeting = mine.find((e) => e.subject === 'Priya / Maya') as GraphEvent;
    expect(meeting.isOrganizer).toBe(true);
    expect(meeting.attendees.find((a) => a.emailAddress.address === ROOM)?.type).toBe('resource');
    expect(meeting.attendees.find((a) => a.emailAddress.address === MAYA)?.type).toBe('required');
    expect((meeting.locations as unknown[]).length).toBe(2);

    const mayas = await calendarView(now - days(7), now + days(7));
    const asAttendee = mayas.find((e) => e.subject === 'Priya / Maya') as GraphEvent;
    expect(asAttendee.isOrganizer).toBe(false);
    expect((asAttendee.responseStatus as { response: string }).response).toBe('accepted');
    const goals = mayas.find((e) => String(e.subject).includes('quarterly goals')) as GraphEvent;
    expect(goals.attendees.find((a) => a.emailAddress.address === JONAS)?.status.response).toBe('declined');
    const lee = await calendarView(now - days(28), now + days(28));
    expect(lee.find((e) => e.subject === '1:1 Maya <> Lee')?.attendees.map((a) => a.emailAddress.address)).toContain('lee@acme-labs.test');
  });
});

describe('events', () => {
  it('lists series masters with a patternedRecurrence', async () => {
    const all: GraphEvent[] = [];
    let res = await graph.api('/me/events').get();
    for (;;) {
      all.push(...(res.value as GraphEvent[]));
      if (!res['@odata.nextLink']) break;
      res = await graph.api(res['@odata.nextLink'] as string).get();
    }
    const lee = all.find((e) => e.subject === '1:1 Maya <> Lee') as GraphEvent;
    expect(lee.type).toBe('seriesMaster');
    expect(lee.recurrence).toMatchObject({ pattern: { type: 'weekly', interval: 2, daysOfWeek: ['tuesday'] }, range: { type: 'noEnd' } });
    const tom = all.find((e) => e.subject === 'Maya <> Tom 1:1') as GraphEvent;
    expect(tom.recurrence).toMatchObject({ pattern: { type: 'relativeMonthly', daysOfWeek: ['thursday'], index: 'first' } });
    expect(tom.sensitivity).toBe('private');
    const ana = all.find((e) => e.subject === 'one-on-one: Ana & Maya') as GraphEvent;
    expect((ana.recurrence as { range: { type: string } }).range.type).toBe('endDate');
    expect(all.some((e) => e.type === 'occurrence' || e.type === 'exception')).toBe(false);
  });

  it('creates, reads, updates and deletes with single-value extended properties and a $filter on them', async () => {
    const start = Date.now() + days(2);
    const created = (await graph.api('/me/events').post({
      subject: '1:1 with Sam',
      start: { dateTime: iso(start).replace('Z', ''), timeZone: 'UTC' },
      end: { dateTime: iso(start + 1_800_000).replace('Z', ''), timeZone: 'UTC' },
      attendees: [{ emailAddress: { address: SAM, name: 'Sam Rivera' }, type: 'required' }],
      isOnlineMeeting: true,
      onlineMeetingProvider: 'teamsForBusiness',
      singleValueExtendedProperties: [{ id: PROP, value: 'meeting-7' }],
    })) as GraphEvent;
    expect(created.type).toBe('singleInstance');
    expect(created.isOnlineMeeting).toBe(true);
    expect(created.onlineMeetingProvider).toBe('teamsForBusiness');
    expect((created.onlineMeeting as { joinUrl: string }).joinUrl).toMatch(/^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//);
    expect(created.singleValueExtendedProperties).toBeUndefined();

    const filtered = await graph
      .api('/me/events')
      .filter(`singleValueExtendedProperties/Any(ep: ep/id eq '${PROP}' and ep/value eq 'meeting-7')`)
      .expand(`singleValueExtendedProperties($filter=id eq '${PROP}')`)
      .get();
    expect((filtered.value as GraphEvent[]).map((e) => e.id)).toEqual([created.id]);
    expect((filtered.value as GraphEvent[])[0]?.singleValueExtendedProperties).toEqual([{ id: PROP, value: 'meeting-7' }]);

    const updated = (await graph.api(`/me/events/${created.id}`).patch({ subject: '1:1 with Sam (moved)', start: { dateTime: iso(start + 3_600_000), timeZone: 'UTC' }, end: { dateTime: iso(start + 5_400_000), timeZone: 'UTC' } })) as GraphEvent;
    expect(updated.subject).toBe('1:1 with Sam (moved)');
    expect(updated.changeKey).not.toBe(created.changeKey);

    // The Google face sees the same event, with the property as a private extended property.
    const { data } = await (await import('../../support/sandbox-clients')).googleCalendar(sb, await sb.accessToken(MAYA, 'google')).events.get({ calendarId: 'primary', eventId: created.id });
    expect(data.summary).toBe('1:1 with Sam (moved)');
    expect(data.extendedProperties?.private?.duetManaged).toBe('meeting-7');
    expect(data.conferenceData?.conferenceSolution?.name).toBe('Microsoft Teams Meeting');

    await graph.api(`/me/events/${created.id}`).delete();
    expect((await graphFailure(graph.api(`/me/events/${created.id}`).get())).statusCode).toBe(404);
  });

  it('creates a weekly series and returns its occurrences with seriesMasterId', async () => {
    const monday = new Date(Date.now() + days(7));
    const start = Date.UTC(monday.getUTCFullYear(), monday.getUTCMonth(), monday.getUTCDate(), 15);
    const series = (await graph.api('/me/events').post({
      subject: 'Maya / Lee weekly',
      start: { dateTime: iso(start).slice(0, 19), timeZone: 'UTC' },
      end: { dateTime: iso(start + 1_800_000).slice(0, 19), timeZone: 'UTC' },
      attendees: [{ emailAddress: { address: LEE }, type: 'required' }],
      recurrence: {
        pattern: { type: 'weekly', interval: 1, daysOfWeek: [['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'][monday.getUTCDay()]] },
        range: { type: 'numbered', startDate: iso(start).slice(0, 10), numberOfOccurrences: 4 },
      },
    })) as GraphEvent;
    expect(series.type).toBe('seriesMaster');
    const instances = await graph.api(`/me/events/${series.id}/instances`).query({ startDateTime: iso(start - days(1)), endDateTime: iso(start + days(60)) }).get();
    const list = instances.value as GraphEvent[];
    expect(list).toHaveLength(4);
    expect(list.every((e) => e.seriesMasterId === series.id && e.type === 'occurrence')).toBe(true);
    // decline one occurrence as Lee: Maya sees his response on that occurrence only
    const leeGraph = graphClient(sb, await sb.accessToken(LEE, 'microsoft'));
    await leeGraph.api(`/me/events/${list[1]?.id}/decline`).post({ comment: 'away', sendResponse: true });
    const after = (await graph.api(`/me/events/${series.id}/instances`).query({ startDateTime: iso(start - days(1)), endDateTime: iso(start + days(60)) }).get()).value as GraphEvent[];
    expect(after.map((e) => e.attendees.find((a) => a.emailAddress.address === LEE)?.status.response)).toEqual(['notResponded', 'declined', 'notResponded', 'notResponded']);
    expect(after[1]?.type).toBe('exception');
  });

  it('keeps firstDayOfWeek as the rule week start, so INTERVAL skips the same weeks on both faces and in the normalizer', async () => {
    // RFC 5545's example: every other week on Tuesday and Sunday from Tue 1997-08-05, four times.
    const start = Date.UTC(1997, 7, 5, 9);
    const post = (firstDayOfWeek: string): Promise<GraphEvent & { recurrence: { pattern: { firstDayOfWeek: string } } }> =>
      graph.api('/me/events').post({
        subject: `Fortnightly (${firstDayOfWeek})`,
        start: { dateTime: iso(start).slice(0, 19), timeZone: 'UTC' },
        end: { dateTime: iso(start + 1_800_000).slice(0, 19), timeZone: 'UTC' },
        recurrence: {
          pattern: { type: 'weekly', interval: 2, daysOfWeek: ['tuesday', 'sunday'], firstDayOfWeek },
          range: { type: 'numbered', startDate: '1997-08-05', numberOfOccurrences: 4 },
        },
      });
    const dates = async (id: string): Promise<string[]> => {
      const res = await graph.api(`/me/events/${id}/instances`).query({ startDateTime: iso(start - days(1)), endDateTime: iso(start + days(60)) }).get();
      return (res.value as GraphEvent[]).map((e) => e.start.dateTime.slice(0, 10)).sort();
    };
    const sunday = await post('sunday');
    expect(sunday.recurrence.pattern.firstDayOfWeek).toBe('sunday');
    expect(await dates(sunday.id)).toEqual(['1997-08-05', '1997-08-17', '1997-08-19', '1997-08-31']);
    const monday = await post('monday');
    expect(monday.recurrence.pattern.firstDayOfWeek).toBe('monday');
    expect(await dates(monday.id)).toEqual(['1997-08-05', '1997-08-10', '1997-08-19', '1997-08-24']);
    const cal = { calendarId: 'primary', primary: true, ownerEmail: MAYA };
    expect(normalizeGraphEvent(sunday as unknown as NormalizerInput, cal)?.recurrence?.[0]).toMatch(/WKST=SU/);

    // a rule written without WKST (as Google writes them) is expanded with Monday weeks, and says so
    const google = googleCalendar(sb, await sb.accessToken(MAYA, 'google'));
    const plain = await google.events.insert({
      calendarId: 'primary',
      requestBody: {
        summary: 'Fortnightly (no WKST)',
        start: { dateTime: iso(start), timeZone: 'UTC' },
        end: { dateTime: iso(start + 1_800_000), timeZone: 'UTC' },
        recurrence: ['RRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU'],
      },
    });
    const seen = (await graph.api(`/me/events/${plain.data.id as string}`).get()) as GraphEvent;
    expect((seen.recurrence as { pattern: { firstDayOfWeek: string } }).pattern.firstDayOfWeek).toBe('monday');
    expect(await dates(seen.id)).toEqual(['1997-08-05', '1997-08-10', '1997-08-19', '1997-08-24']);
    expect(normalizeGraphEvent(seen as unknown as NormalizerInput, cal)?.recurrence?.[0]).toMatch(/WKST=MO/);
  });

  it('refuses unknown properties and bad extended property ids with 400', async () => {
    const start = Date.now() + days(1);
    const unknown = await graphFailure(graph.api('/me/events').post({ subject: 'x', colour: 'red', start: { dateTime: iso(start), timeZone: 'UTC' }, end: { dateTime: iso(start + 60_000), timeZone: 'UTC' } }));
    expect(unknown.statusCode).toBe(400);
    expect(unknown.message).toContain('colour');
    const badProp = await graphFailure(
      graph.api('/me/events').post({ subject: 'x', start: { dateTime: iso(start), timeZone: 'UTC' }, end: { dateTime: iso(start + 60_000), timeZone: 'UTC' }, singleValueExtendedProperties: [{ id: 'duetManaged', value: '1' }] }),
    );
    expect(badProp.statusCode).toBe(400);
  });
});

describe('calendarView/delta', () => {
  it('pages with maxpagesize, ends in a deltaLink, then reports changes and @removed; expired tokens answer 410', async () => {
    const now = Date.now();
    const window = { startDateTime: iso(now - days(7)), endDateTime: iso(now + days(21)) };
    const seen = new Map<string, GraphEvent>();
    let pages = 0;
    let res = await graph.api('/me/calendarView/delta').header('Prefer', 'odata.maxpagesize=5').query(window).get();
    for (;;) {
      pages++;
      for (const e of res.value as GraphEvent[]) seen.set(e.id, e);
      if (res['@odata.nextLink']) {
        expect(res['@odata.nextLink']).toContain('$skiptoken=');
        expect((res.value as unknown[]).length).toBe(5);
        // the page size of the round holds without repeating the Prefer header
        res = await graph.api(res['@odata.nextLink'] as string).get();
        continue;
      }
      break;
    }
    expect(pages).toBeGreaterThan(2);
    const deltaLink = res['@odata.deltaLink'] as string;
    expect(deltaLink).toContain('$deltatoken=');
    const view = await calendarView(now - days(7), now + days(21));
    expect([...seen.keys()].sort()).toEqual(view.map((e) => e.id).sort());

    const quiet = await graph.api(deltaLink).get();
    expect(quiet.value).toEqual([]);

    // a person edits the calendar: retitle one, delete one instance, cancel a single event
    const coffee = [...seen.values()].find((e) => e.subject === 'Coffee with Lee') as GraphEvent;
    const team = [...seen.values()].find((e) => e.subject === 'Platform team weekly' && Date.parse(`${e.start.dateTime.slice(0, 19)}Z`) > now) as GraphEvent;
    const goals = [...seen.values()].find((e) => String(e.subject).includes('quarterly goals')) as GraphEvent;
    await sb.admin.patchEvent(coffee.id, { summary: 'Coffee with Lee (patio)' });
    await sb.admin.deleteEvent(team.id);
    await sb.admin.patchEvent(goals.id, { action: 'cancel' });

    const changes = await graph.api(quiet['@odata.deltaLink'] as string).get();
    const byId = new Map((changes.value as GraphEvent[]).map((e) => [e.id, e]));
    expect(byId.get(coffee.id)?.subject).toBe('Coffee with Lee (patio)');
    expect(byId.get(team.id)?.['@removed']).toEqual({ reason: 'deleted' });
    expect(byId.get(goals.id)?.['@removed']).toEqual({ reason: 'deleted' });
    expect(byId.size).toBe(3);

    await sb.admin.fault({ kind: 'expireTokens' });
    const gone = await graphFailure(graph.api(changes['@odata.deltaLink'] as string).get());
    expect(gone.statusCode).toBe(410);
  });

  it('shows an event cancelled by its organizer as isCancelled to an attendee', async () => {
    const samGraph = graphClient(sb, await sb.accessToken(SAM, 'microsoft'));
    const start = Date.now() + days(3);
    const made = await sb.admin.createEvent({ summary: 'Maya / Sam extra', start: { dateTime: iso(start) }, end: { dateTime: iso(start + 1_800_000) }, attendees: [{ email: SAM }] });
    await sb.admin.patchEvent(made.id, { action: 'cancel' });
    const seenBySam = await samGraph.api(`/me/events/${made.id}`).get();
    expect(seenBySam.isCancelled).toBe(true);
    expect((await graphFailure(graph.api(`/me/events/${made.id}`).get())).statusCode).toBe(404);
  });
});
