// Admin API: scenarios visible through both faces, calendar edits "as a person in the UI",
// ID tokens for the sync server, reset, and 400s that name the field.
import type { Client } from '@microsoft/microsoft-graph-client';
import type { calendar_v3 } from '@googleapis/calendar';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Scenario } from '../../../sandbox/model';
import { googleCalendar, graphClient } from '../../support/sandbox-clients';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { days, graphFailure, iso } from './helpers';

const BOSS = 'kim@tiny.test';
const REPORT = 'ravi@tiny.test';
const ALIAS = 'r.kumar@tiny.test';
const OTHER = 'ola@tiny.test';

/** A Monday 09:00 UTC a few weeks back, so a weekly series has past and future instances. */
const START = (() => {
  const d = new Date(Date.now() - days(21));
  const monday = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - ((d.getUTCDay() + 6) % 7), 9);
  return monday;
})();

const scenario: Scenario = {
  me: BOSS,
  timeZone: 'UTC',
  people: [
    { email: BOSS, name: 'Kim Boss' },
    { email: REPORT, name: 'Ravi Kumar', aliases: [ALIAS] },
    { email: OTHER, name: 'Ola Other' },
  ],
  events: [
    {
      id: 'series0001',
      summary: 'Kim / Ravi',
      start: { dateTime: iso(START) },
      end: { dateTime: iso(START + 1_800_000) },
      recurrence: ['RRULE:FREQ=WEEKLY;BYDAY=MO'],
      attendees: [{ email: BOSS, organizer: true, responseStatus: 'accepted' }, { email: ALIAS }],
    },
  ],
};

let sb: TestSandbox;
let cal: calendar_v3.Calendar;
let graph: Client;

beforeAll(async () => {
  sb = await startTestSandbox({ seed: scenario });
  cal = googleCalendar(sb, await sb.accessToken(BOSS, 'google'));
  graph = graphClient(sb, await sb.accessToken(BOSS, 'microsoft'));
});
beforeEach(async () => {
  await sb.admin.scenario(scenario);
});
afterAll(() => sb.close());

async function googleInstances(): Promise<calendar_v3.Schema$Event[]> {
  const res = await cal.events.list({ calendarId: 'primary', singleEvents: true, orderBy: 'startTime', timeMin: iso(START - days(1)), timeMax: iso(START + days(70)), showDeleted: true });
  return res.data.items ?? [];
}

async function graphView(client: Client = graph): Promise<Array<Record<string, unknown> & { id: string; subject: string }>> {
  const res = await client.api('/me/calendarView').query({ startDateTime: iso(START - days(1)), endDateTime: iso(START + days(70)) }).top(100).get();
  return res.value;
}

describe('scenario', () => {
  it('is visible through both faces, each in its own shape, and in the invitee’s calendar under an alias', async () => {
    const g = await googleInstances();
    const m = await graphView();
    expect(g.length).toBe(10);
    expect(m.length).toBe(10);
    expect(m.map((e) => e.id)).toEqual(g.map((e) => e.id));
    expect(g[0]?.summary).toBe('Kim / Ravi');
    expect(m[0]?.subject).toBe('Kim / Ravi');
    expect(m[0]?.type).toBe('occurrence');
    const ravi = googleCalendar(sb, await sb.accessToken(REPORT, 'google'));
    const inRavis = await ravi.events.list({ calendarId: 'primary', singleEvents: true, timeMin: iso(START - days(1)), timeMax: iso(START + days(70)) });
    expect(inRavis.data.items).toHaveLength(10);
    expect(inRavis.data.items?.[0]?.attendees?.find((a) => a.email === ALIAS)?.self).toBe(true);
  });

  it('is refused with 400 naming the field when malformed, and the old state stays', async () => {
    const cases: Array<[unknown, string]> = [
      [{ people: 'x' }, 'people'],
      [{ people: [{ email: 'not-an-email' }] }, 'people[0].email'],
      [{ people: [{ email: BOSS }], events: [{ summary: 'x', start: { dateTime: 'soon' }, end: { dateTime: iso(START) } }] }, 'events[0].start'],
      [{ people: [{ email: BOSS }], events: [{ summary: 'x', start: { dateTime: iso(START) }, end: { dateTime: iso(START + 1000) }, attendees: [{ email: 5 }] }] }, 'events[0].attendees[0].email'],
      [{ people: [{ email: BOSS }], events: [{ summary: 'x', start: { dateTime: iso(START) }, end: { dateTime: iso(START + 1000) }, recurrence: ['FREQ=WEEKLY'] }] }, 'events[0].recurrence'],
      [{ people: [{ email: BOSS }], calendars: [{ id: 'c', owner: 'nobody@x.test' }] }, 'calendars[0].owner'],
      [{ people: [{ email: BOSS }], me: OTHER }, 'me'],
      [{ people: [{ email: BOSS, manager: OTHER }] }, 'people[0].manager'],
      [{ people: [{ email: BOSS, manager: BOSS }] }, 'people[0].manager'],
      [{ people: [{ email: BOSS, manager: 7 }] }, 'people[0].manager'],
      [{ people: [{ email: BOSS, hireDate: '2020-13-45' }] }, 'people[0].hireDate'],
    ];
    for (const [body, field] of cases) {
      const res = await sb.admin.call<{ error: string; field: string }>('POST', '/scenario', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.field).toBe(field);
      expect(res.body.error).toContain(field);
    }
    expect(await googleInstances()).toHaveLength(10);
  });
});

describe('calendar edits as a person in the calendar UI', () => {
  it('creates an event (organizer listed as accepted attendee) that appears on both faces', async () => {
    const start = START + days(22);
    const made = await sb.admin.createEvent({ summary: 'Kim / Ola', start: { dateTime: iso(start) }, end: { dateTime: iso(start + 1_800_000) }, attendees: [{ email: OTHER }] });
    expect(made.event.attendees?.[0]).toMatchObject({ email: BOSS, organizer: true, responseStatus: 'accepted' });
    expect((await graph.api(`/me/events/${made.id}`).get()).subject).toBe('Kim / Ola');
    const ola = graphClient(sb, await sb.accessToken(OTHER, 'microsoft'));
    expect((await ola.api(`/me/events/${made.id}`).get()).isOrganizer).toBe(false);
  });

  it('moves and retitles one instance, cancels another, and deletes one', async () => {
    const [first, second, third] = (await googleInstances()).slice(4);
    if (!first?.id || !second?.id || !third?.id) throw new Error('not enough instances');
    const movedStart = Date.parse(first.start?.dateTime as string) + 86_400_000;
    await sb.admin.patchEvent(first.id, { summary: 'Kim / Ravi (Tuesday)', start: { dateTime: iso(movedStart) }, end: { dateTime: iso(movedStart + 1_800_000) } });
    await sb.admin.patchEvent(second.id, { action: 'cancel' });
    await sb.admin.deleteEvent(third.id);
    const g = await googleInstances();
    const moved = g.find((e) => e.id === first.id);
    expect(moved?.summary).toBe('Kim / Ravi (Tuesday)');
    expect(Date.parse(moved?.start?.dateTime as string)).toBe(movedStart);
    expect(moved?.originalStartTime?.dateTime).toBe(first.start?.dateTime);
    expect(g.find((e) => e.id === second.id)?.status).toBe('cancelled');
    expect(g.find((e) => e.id === third.id)?.status).toBe('cancelled');
    const m = await graphView();
    expect(m.find((e) => e.id === first.id)?.type).toBe('exception');
    expect(m.some((e) => e.id === second.id || e.id === third.id)).toBe(false);
    // the attendee still sees the cancelled instances, flagged
    const ravi = graphClient(sb, await sb.accessToken(REPORT, 'microsoft'));
    expect((await graphView(ravi)).find((e) => e.id === second.id)?.isCancelled).toBe(true);
  });

  it('records a decline and a third attendee', async () => {
    await sb.admin.patchEvent('series0001', { action: 'decline', email: REPORT });
    let master = await cal.events.get({ calendarId: 'primary', eventId: 'series0001' });
    expect(master.data.attendees?.find((a) => a.email === ALIAS)?.responseStatus).toBe('declined');
    await sb.admin.patchEvent('series0001', { action: 'addAttendee', email: OTHER });
    master = await cal.events.get({ calendarId: 'primary', eventId: 'series0001' });
    expect(master.data.attendees?.map((a) => a.email)).toEqual([BOSS, ALIAS, OTHER]);
    // and Ola now has the series in her calendar
    const ola = googleCalendar(sb, await sb.accessToken(OTHER, 'google'));
    expect((await ola.events.get({ calendarId: 'primary', eventId: 'series0001' })).data.summary).toBe('Kim / Ravi');
  });

  it('splits a series "this and following"', async () => {
    const instances = await googleInstances();
    const from = instances[5] as calendar_v3.Schema$Event;
    const newStart = Date.parse(from.start?.dateTime as string) + 3 * 3_600_000;
    const res = await sb.admin.patchEvent('series0001', {
      action: 'thisAndFollowing',
      from: from.id,
      changes: { summary: 'Kim / Ravi (afternoons)', start: { dateTime: iso(newStart) }, end: { dateTime: iso(newStart + 2_700_000) } },
    });
    const ended = res.ended as calendar_v3.Schema$Event;
    const created = res.created as calendar_v3.Schema$Event;
    expect(ended.recurrence?.[0]).toMatch(/UNTIL=/);
    expect(created.id).toMatch(/^series0001_R\d{8}T\d{6}$/);
    expect(created.iCalUID).not.toBe(ended.iCalUID);
    const after = (await googleInstances()).filter((e) => e.status !== 'cancelled');
    expect(after.filter((e) => e.recurringEventId === 'series0001')).toHaveLength(5);
    expect(after.filter((e) => e.recurringEventId === created.id).map((e) => e.summary)).toEqual(Array(5).fill('Kim / Ravi (afternoons)'));
    const master = await graph.api(`/me/events/${created.id}`).get();
    expect(master.type).toBe('seriesMaster');
    expect(master.recurrence.range.startDate).toBe(iso(newStart).slice(0, 10));
  });

  it('gives the old series of a split a Graph endDate on its last listed occurrence, not the split day', async () => {
    const from = (await googleInstances())[5] as calendar_v3.Schema$Event;
    const splitDay = (from.start?.dateTime as string).slice(0, 10);
    await sb.admin.patchEvent('series0001', { action: 'thisAndFollowing', from: from.id, changes: { summary: 'Kim / Ravi (later)' } });
    const master = await graph.api('/me/events/series0001').get();
    expect(master.recurrence.range.type).toBe('endDate');
    const listed = await graph
      .api('/me/events/series0001/instances')
      .query({ startDateTime: iso(START - days(1)), endDateTime: iso(START + days(70)) })
      .top(100)
      .get();
    const dates = (listed.value as Array<{ start: { dateTime: string } }>).map((e) => e.start.dateTime.slice(0, 10)).sort();
    expect(dates).toHaveLength(5);
    // UTC calendar, so the listed local dates are the pattern-zone dates
    expect(master.recurrence.range.endDate).toBe(dates[dates.length - 1]);
    expect(master.recurrence.range.endDate < splitDay).toBe(true);
  });

  it('moves a weekly BYDAY to the new weekday when a split starts the rest of the series on another day', async () => {
    const from = (await googleInstances())[5] as calendar_v3.Schema$Event;
    const tuesday = Date.parse(from.start?.dateTime as string) + days(1);
    const res = await sb.admin.patchEvent('series0001', {
      action: 'thisAndFollowing',
      from: from.id,
      changes: { start: { dateTime: iso(tuesday) }, end: { dateTime: iso(tuesday + 1_800_000) } },
    });
    const created = res.created as calendar_v3.Schema$Event;
    expect(created.recurrence).toEqual(['RRULE:FREQ=WEEKLY;BYDAY=TU']);
    const listed = await cal.events.instances({ calendarId: 'primary', eventId: created.id as string, timeMin: iso(START), timeMax: iso(START + days(70)) });
    const starts = (listed.data.items ?? []).map((e) => Date.parse(e.start?.dateTime as string));
    // every occurrence is a Tuesday 09:00 UTC, one week apart from the new first date
    expect(starts).toEqual(Array.from({ length: 5 }, (_, i) => tuesday + days(7 * i)));
    const master = await graph.api(`/me/events/${created.id}`).get();
    expect(master.recurrence.pattern.daysOfWeek).toEqual(['tuesday']);
    // a rule with several days is left as it was
    const series = scenario.events?.[0] as NonNullable<Scenario['events']>[number];
    await sb.admin.scenario({ ...scenario, events: [{ ...series, recurrence: ['RRULE:FREQ=WEEKLY;BYDAY=MO,TH'] }] });
    const again = (await googleInstances())[5] as calendar_v3.Schema$Event;
    const later = Date.parse(again.start?.dateTime as string) + days(1);
    const kept = await sb.admin.patchEvent('series0001', {
      action: 'thisAndFollowing',
      from: again.id,
      changes: { start: { dateTime: iso(later) }, end: { dateTime: iso(later + 1_800_000) } },
    });
    expect((kept.created as calendar_v3.Schema$Event).recurrence).toEqual(['RRULE:FREQ=WEEKLY;BYDAY=MO,TH']);
  });

  it('answers 400 naming the field for bad edits, 404 for unknown events', async () => {
    const cases: Array<[string, string, unknown, string]> = [
      ['POST', '/events', { summary: 'x', start: { dateTime: iso(START) } }, 'end'],
      ['POST', '/events', { summary: 'x', calendarId: 'nope', start: { dateTime: iso(START) }, end: { dateTime: iso(START + 1000) } }, 'calendarId'],
      ['PATCH', '/events/series0001', { action: 'decline', email: 'stranger@x.test' }, 'email'],
      ['PATCH', '/events/series0001', { action: 'teleport' }, 'action'],
      ['PATCH', '/events/series0001', { action: 'thisAndFollowing', from: 'yesterday' }, 'from'],
      ['PATCH', '/events/series0001', { visibility: 'secret' }, 'visibility'],
      ['POST', '/id-token', { email: 'nope' }, 'email'],
      ['POST', '/id-token', { email: BOSS, aud: '' }, 'aud'],
      ['POST', '/access-token', { email: BOSS, provider: 'yahoo' }, 'provider'],
      ['POST', '/settings', { autoApprove: 'yes' }, 'autoApprove'],
      ['POST', '/settings', { colour: 'red' }, 'colour'],
    ];
    for (const [method, path, body, field] of cases) {
      const res = await sb.admin.call<{ error: string; field: string }>(method, path, body);
      expect(res.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(400);
      expect(res.body.field).toBe(field);
    }
    expect((await sb.admin.call('PATCH', '/events/nosuchevent0', { summary: 'x' })).status).toBe(404);
  });
});

describe('id-token', () => {
  it('issues RS256 OpenID Connect ID tokens from the sandbox issuer, listed in its JWKS', async () => {
    const token = await sb.idToken(REPORT);
    expect(decodeProtectedHeader(token).alg).toBe('RS256');
    const jwks = createRemoteJWKSet(new URL(sb.jwksUrl));
    const { payload } = await jwtVerify(token, jwks, { issuer: sb.issuer, audience: 'duet-sync' });
    expect(payload).toMatchObject({ email: REPORT, email_verified: true, name: 'Ravi Kumar' });
    expect((payload.exp as number) - Date.now() / 1000).toBeGreaterThan(3000);

    const custom = await sb.idToken('someone@elsewhere.test', { aud: 'other-aud', emailVerified: false });
    const verified = await jwtVerify(custom, jwks, { issuer: sb.issuer, audience: 'other-aud' });
    expect(verified.payload.email_verified).toBe(false);

    const expired = await sb.idToken(REPORT, { expiresInSeconds: -60 });
    await expect(jwtVerify(expired, jwks, { issuer: sb.issuer, audience: 'duet-sync' })).rejects.toThrow(/exp/);
    const forged = await sb.idToken(REPORT, { unpublishedKey: true });
    await expect(jwtVerify(forged, jwks, { issuer: sb.issuer, audience: 'duet-sync' })).rejects.toThrow();
  });
});

describe('reset and revoke', () => {
  it('reset restores the start scenario and forgets tokens; revoke ends a user’s grants', async () => {
    await sb.admin.createEvent({ summary: 'temporary', start: { dateTime: iso(START + days(30)) }, end: { dateTime: iso(START + days(30) + 60_000) } });
    const token = await sb.accessToken(BOSS, 'microsoft');
    await sb.admin.reset();
    const events = await sb.admin.events();
    expect(events.events.map((e) => e.summary)).toEqual(['Kim / Ravi']);
    expect((await graphFailure(graphClient(sb, token).api('/me').get())).statusCode).toBe(401);
    const fresh = await sb.accessToken(BOSS, 'microsoft');
    expect((await graphClient(sb, fresh).api('/me').get()).mail).toBe(BOSS);
    await sb.admin.revoke(BOSS);
    expect((await graphFailure(graphClient(sb, fresh).api('/me').get())).statusCode).toBe(401);
    // keep the shared clients working for later tests
    cal = googleCalendar(sb, await sb.accessToken(BOSS, 'google'));
    graph = graphClient(sb, await sb.accessToken(BOSS, 'microsoft'));
  });
});
