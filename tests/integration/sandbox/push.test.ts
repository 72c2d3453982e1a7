// Push: Google watch channels (sync, then exists, with X-Goog-* headers) and Graph
// subscriptions (validation handshake, change and lifecycle notifications with clientState).
import type { Client } from '@microsoft/microsoft-graph-client';
import type { calendar_v3 } from '@googleapis/calendar';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { googleCalendar, graphClient } from '../../support/sandbox-clients';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { MAYA, SAM, days, googleFailure, graphFailure, iso, startReceiver, type Received } from './helpers';

let sb: TestSandbox;
let cal: calendar_v3.Calendar;
let graph: Client;
const receivers: Array<{ close(): Promise<void> }> = [];

beforeAll(async () => {
  sb = await startTestSandbox();
  cal = googleCalendar(sb, await sb.accessToken(MAYA, 'google'));
  graph = graphClient(sb, await sb.accessToken(MAYA, 'microsoft'));
});
afterEach(async () => {
  await sb.admin.clearFaults();
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});
afterAll(() => sb.close());

async function receiver(respond?: Parameters<typeof startReceiver>[0]) {
  const r = await startReceiver(respond);
  receivers.push(r);
  return r;
}

const inAnHour = (): { start: { dateTime: string }; end: { dateTime: string } } => {
  const start = Date.now() + days(1);
  return { start: { dateTime: iso(start) }, end: { dateTime: iso(start + 1_800_000) } };
};

describe('Google events.watch', () => {
  it('sends sync first, then exists on each change, with the X-Goog headers; channels.stop ends it', async () => {
    const hook = await receiver();
    const channel = await cal.events.watch({
      calendarId: 'primary',
      requestBody: { id: 'chan-1', type: 'web_hook', address: hook.url, token: 'tok=abc', params: { ttl: '3600' } },
    });
    expect(channel.data.kind).toBe('api#channel');
    expect(channel.data.id).toBe('chan-1');
    expect(channel.data.resourceId).toBeTruthy();
    expect(Number(channel.data.expiration)).toBeGreaterThan(Date.now() + 3_500_000);

    await hook.waitFor((r) => r.length >= 1);
    const sync = hook.received[0] as Received;
    expect(sync.method).toBe('POST');
    expect(sync.headers['x-goog-resource-state']).toBe('sync');
    expect(sync.headers['x-goog-message-number']).toBe('1');
    expect(sync.headers['x-goog-channel-id']).toBe('chan-1');
    expect(sync.headers['x-goog-channel-token']).toBe('tok=abc');
    expect(sync.headers['x-goog-resource-id']).toBe(channel.data.resourceId);
    expect(sync.headers['x-goog-resource-uri']).toContain('/calendar/v3/calendars/');

    await sb.admin.createEvent({ summary: 'Maya / Sam', attendees: [{ email: SAM }], ...inAnHour() });
    await hook.waitFor((r) => r.length >= 2);
    const exists = hook.received[1] as Received;
    expect(exists.headers['x-goog-resource-state']).toBe('exists');
    expect(exists.headers['x-goog-message-number']).toBe('2');

    // a change in someone else's calendar only does not notify this channel
    await sb.admin.createEvent({ as: SAM, summary: 'Sam alone', ...inAnHour() });
    // an API change does
    await cal.events.insert({ calendarId: 'primary', requestBody: { summary: 'API write', ...inAnHour() } });
    await hook.waitFor((r) => r.length >= 3);
    await sb.admin.push();
    expect(hook.received).toHaveLength(3);

    await cal.channels.stop({ requestBody: { id: 'chan-1', resourceId: channel.data.resourceId as string } });
    await sb.admin.createEvent({ summary: 'after stop', ...inAnHour() });
    await sb.admin.push();
    expect(hook.received).toHaveLength(3);
    expect((await googleFailure(cal.channels.stop({ requestBody: { id: 'chan-1', resourceId: channel.data.resourceId as string } }))).status).toBe(404);
  });

  it('refuses addresses off this machine, a missing id and duplicate channel ids', async () => {
    const offBox = await googleFailure(cal.events.watch({ calendarId: 'primary', requestBody: { id: 'c-2', type: 'web_hook', address: 'https://hooks.example.com/x' } }));
    expect(offBox.status).toBe(400);
    expect(JSON.stringify(offBox.data)).toContain('address');
    const hook = await receiver();
    const channel = await cal.events.watch({ calendarId: 'primary', requestBody: { id: 'c-3', type: 'web_hook', address: hook.url } });
    expect((await googleFailure(cal.events.watch({ calendarId: 'primary', requestBody: { id: 'c-3', type: 'web_hook', address: hook.url } }))).status).toBe(400);
    await cal.channels.stop({ requestBody: { id: 'c-3', resourceId: channel.data.resourceId as string } });
  });

  it('drops the next notifications when told to (dropPush fault)', async () => {
    const hook = await receiver();
    const channel = await cal.events.watch({ calendarId: 'primary', requestBody: { id: 'c-drop', type: 'web_hook', address: hook.url } });
    await hook.waitFor((r) => r.length === 1);
    await sb.admin.fault({ kind: 'dropPush', count: 2, target: hook.url });
    await sb.admin.createEvent({ summary: 'dropped 1', ...inAnHour() });
    await sb.admin.createEvent({ summary: 'dropped 2', ...inAnHour() });
    await sb.admin.createEvent({ summary: 'delivered', ...inAnHour() });
    await hook.waitFor((r) => r.length === 2);
    const push = await sb.admin.push();
    expect(push.deliveries.filter((d) => d.id === 'c-drop' && d.dropped)).toHaveLength(2);
    // message numbers keep counting across dropped messages, so a gap is visible
    expect(hook.received[1]?.headers['x-goog-message-number']).toBe('4');
    await cal.channels.stop({ requestBody: { id: 'c-drop', resourceId: channel.data.resourceId as string } });
  });
});

describe('Graph subscriptions', () => {
  const expiry = (minutes: number): string => new Date(Date.now() + minutes * 60_000).toISOString();

  it('validates the endpoint, then delivers change notifications with clientState', async () => {
    const hook = await receiver();
    const sub = await graph.api('/subscriptions').post({
      changeType: 'created,updated,deleted',
      notificationUrl: hook.url,
      resource: 'me/events',
      expirationDateTime: expiry(60),
      clientState: 'secret-123',
    });
    expect(sub.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(sub.clientState).toBe('secret-123');
    const validation = hook.received[0] as Received;
    const token = new URL(validation.url, 'http://x').searchParams.get('validationToken');
    expect(token).toContain('Validation: Testing client application reachability');

    const made = await sb.admin.createEvent({ summary: 'Maya / Sam', attendees: [{ email: SAM }], ...inAnHour() });
    await sb.admin.patchEvent(made.id, { summary: 'Maya / Sam (moved)' });
    await sb.admin.deleteEvent(made.id);
    await hook.waitFor((r) => r.length >= 4);
    const notes = hook.received.slice(1).map((r) => JSON.parse(r.body) as { value: Array<Record<string, unknown>> });
    const flat = notes.flatMap((n) => n.value);
    expect(flat.map((n) => n.changeType)).toEqual(['created', 'updated', 'deleted']);
    for (const n of flat) {
      expect(n.clientState).toBe('secret-123');
      expect(n.subscriptionId).toBe(sub.id);
      expect((n.resourceData as { id: string }).id).toBe(made.id);
      expect(n.tenantId).toBe(sb.tenantId);
    }

    // renew within 10080 minutes; beyond is refused
    const renewed = await graph.api(`/subscriptions/${sub.id}`).patch({ expirationDateTime: expiry(10_000) });
    expect(Date.parse(renewed.expirationDateTime)).toBeGreaterThan(Date.now() + 9_999 * 60_000);
    expect((await graphFailure(graph.api(`/subscriptions/${sub.id}`).patch({ expirationDateTime: expiry(10_081) }))).statusCode).toBe(400);

    await graph.api(`/subscriptions/${sub.id}`).delete();
    await sb.admin.createEvent({ summary: 'after delete', ...inAnHour() });
    await sb.admin.push();
    expect(hook.received).toHaveLength(4);
  });

  it('fails creation when the endpoint does not echo the token, or does not answer in time', async () => {
    const wrong = await receiver((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('not the token');
    });
    const bad = await graphFailure(graph.api('/subscriptions').post({ changeType: 'created', notificationUrl: wrong.url, resource: 'me/events', expirationDateTime: expiry(30) }));
    expect(bad.statusCode).toBe(400);
    expect(bad.code).toBe('ValidationError');

    await sb.admin.settings({ handshakeTimeoutMs: 300 });
    try {
      const silent = await receiver(() => {
        /* never answers */
      });
      const started = Date.now();
      const slow = await graphFailure(graph.api('/subscriptions').post({ changeType: 'created', notificationUrl: silent.url, resource: 'me/events', expirationDateTime: expiry(30) }));
      expect(slow.statusCode).toBe(400);
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await sb.admin.settings({ handshakeTimeoutMs: 10_000 });
    }
    const tooLong = await graphFailure(graph.api('/subscriptions').post({ changeType: 'created', notificationUrl: wrong.url, resource: 'me/events', expirationDateTime: expiry(20_000) }));
    expect(tooLong.statusCode).toBe(400);
    expect((await sb.admin.push()).subscriptions).toHaveLength(0);
  });

  it('sends lifecycle notifications (reauthorizationRequired, missed, subscriptionRemoved) to the lifecycle URL', async () => {
    const hook = await receiver();
    const life = await receiver();
    const sub = await graph.api('/subscriptions').post({
      changeType: 'updated',
      notificationUrl: hook.url,
      lifecycleNotificationUrl: life.url,
      resource: 'me/events',
      expirationDateTime: expiry(120),
      clientState: 'cs',
    });
    await sb.admin.lifecycle(sub.id, 'reauthorizationRequired');
    await sb.admin.lifecycle(sub.id, 'missed');
    await sb.admin.lifecycle(sub.id, 'subscriptionRemoved');
    await life.waitFor((r) => r.length >= 4); // validation + three events
    const events = life.received.slice(1).map((r) => (JSON.parse(r.body) as { value: Array<{ lifecycleEvent: string; clientState: string }> }).value[0]);
    expect(events.map((e) => e?.lifecycleEvent)).toEqual(['reauthorizationRequired', 'missed', 'subscriptionRemoved']);
    expect(events.every((e) => e?.clientState === 'cs')).toBe(true);
    expect((await graphFailure(graph.api(`/subscriptions/${sub.id}`).get())).statusCode).toBe(404);
  });

  it('drops Graph notifications under the dropPush fault', async () => {
    const hook = await receiver();
    const sub = await graph.api('/subscriptions').post({ changeType: 'created', notificationUrl: hook.url, resource: 'me/events', expirationDateTime: expiry(60) });
    await sb.admin.fault({ kind: 'dropPush', count: 1, target: hook.url });
    await sb.admin.createEvent({ summary: 'lost', ...inAnHour() });
    await sb.admin.createEvent({ summary: 'seen', ...inAnHour() });
    await hook.waitFor((r) => r.length >= 2);
    await sb.admin.push();
    expect(hook.received).toHaveLength(2);
    const push = await sb.admin.push();
    expect(push.deliveries.filter((d) => d.id === sub.id && d.dropped)).toHaveLength(1);
  });
});
