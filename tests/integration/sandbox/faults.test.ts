// Fault switches seen through the real SDKs: 429 with Retry-After, 5xx, expired sync/delta
// tokens (410) — and what the SDKs' own retry logic makes of them.
import { RetryHandlerOptions, type Client } from '@microsoft/microsoft-graph-client';
import type { calendar_v3 } from '@googleapis/calendar';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { googleCalendar, googleOAuthClient, graphClient } from '../../support/sandbox-clients';
import { sandboxFetch, startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { MAYA, days, googleFailure, graphFailure, iso } from './helpers';

let sb: TestSandbox;
let cal: calendar_v3.Calendar;
let graph: Client;

beforeAll(async () => {
  sb = await startTestSandbox();
  cal = googleCalendar(sb, await sb.accessToken(MAYA, 'google'));
  graph = graphClient(sb, await sb.accessToken(MAYA, 'microsoft'));
});
afterEach(() => sb.admin.clearFaults());
afterAll(() => sb.close());

describe('rateLimit', () => {
  it('answers 429 with Retry-After in Google’s error shape', async () => {
    await sb.admin.fault({ kind: 'rateLimit', path: '/calendar/v3/calendars/primary/events', count: 1, retryAfter: 7 });
    const failure = await googleFailure(cal.events.list({ calendarId: 'primary' }, { retry: false }));
    expect(failure.status).toBe(429);
    expect(failure.reason).toBe('rateLimitExceeded');
    expect(failure.headers?.get('retry-after')).toBe('7');
    // count 1: the next request goes through
    const ok = await cal.events.list({ calendarId: 'primary', maxResults: 1 }, { retry: false });
    expect(ok.status).toBe(200);
  });

  it('lets the Google client retry its way through a short burst (its default retry policy)', async () => {
    await sb.admin.fault({ kind: 'rateLimit', path: '/calendar/v3/users/me/calendarList', count: 2, retryAfter: 1 });
    const res = await cal.calendarList.list();
    expect(res.status).toBe(200);
    const log = await sb.admin.requests('/calendar/v3/users/me/calendarList');
    expect(log.map((r) => r.status)).toEqual([429, 429, 200]);
  });

  it('is honoured by the Graph client’s RetryHandler via Retry-After', async () => {
    await sb.admin.fault({ kind: 'rateLimit', path: '/v1.0/me', method: 'GET', count: 1, retryAfter: 1 });
    const started = Date.now();
    const me = await graph.api('/me').get();
    expect(me.mail).toBe(MAYA);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    const log = await sb.admin.requests('/v1.0/me');
    expect(log.filter((r) => r.path === '/v1.0/me').map((r) => r.status)).toEqual([429, 200]);
    expect(log[0]?.fault).toBe('rateLimit');
  });

  it('reaches the token endpoint too (OAuth error shape), where google-auth-library retries', async () => {
    await sb.admin.fault({ kind: 'rateLimit', path: '/token', count: 1, retryAfter: 2 });
    const raw = await sandboxFetch(sb.caCertPath)<{ error: string }>('POST', sb.googleTokenUrl, 'grant_type=refresh_token', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(raw.status).toBe(429);
    expect(raw.headers['retry-after']).toBe('2');
    expect(raw.body.error).toBe('temporarily_unavailable');

    await sb.admin.fault({ kind: 'rateLimit', path: '/token', count: 1, retryAfter: 0 });
    const client = googleOAuthClient(sb, { clientId: 'x', redirectUri: 'http://127.0.0.1:9/cb' });
    const failure = await googleFailure(client.getToken({ code: 'whatever', codeVerifier: 'v' }));
    // the library retried the 429 and then got the real answer for a made-up code
    expect(failure.status).toBe(400);
    expect((await sb.admin.requests('/token')).map((r) => r.status)).toEqual([429, 429, 400]);
  });
});

describe('serverError', () => {
  it('answers 500 / 503 on both faces for the next N requests', async () => {
    await sb.admin.fault({ kind: 'serverError', path: '/calendar/v3/calendars/primary/events', count: 1 });
    const google = await googleFailure(cal.events.list({ calendarId: 'primary' }, { retry: false }));
    expect(google.status).toBe(500);
    expect(google.reason).toBe('backendError');

    await sb.admin.fault({ kind: 'serverError', path: '/v1.0/me/events', status: 503, count: 1 });
    // without its retries (they would wait out the outage), the Graph client sees the 503
    const failure = await graphFailure(graph.api('/me/events').middlewareOptions([new RetryHandlerOptions(0, 0)]).get());
    expect(failure.statusCode).toBe(503);
    expect(failure.code).toBe('serviceNotAvailable');
    expect((await sb.admin.requests('/v1.0/me/events')).filter((r) => r.fault === 'serverError')).toHaveLength(1);
    expect((await graph.api('/me/events').top(1).get()).value).toHaveLength(1);
  });
});

describe('expireTokens', () => {
  it('makes the next use of every sync token and delta link answer 410', async () => {
    const first = await cal.events.list({ calendarId: 'primary', maxResults: 2500 });
    const now = Date.now();
    let delta = await graph.api('/me/calendarView/delta').header('Prefer', 'odata.maxpagesize=1000').query({ startDateTime: iso(now), endDateTime: iso(now + days(7)) }).get();
    expect(delta['@odata.deltaLink']).toBeTruthy();
    // tokens work before the fault
    expect((await cal.events.list({ calendarId: 'primary', syncToken: first.data.nextSyncToken as string })).status).toBe(200);
    delta = await graph.api(delta['@odata.deltaLink'] as string).get();

    const result = await sb.admin.fault({ kind: 'expireTokens' });
    expect(result.expired).toBeGreaterThanOrEqual(2);
    const google = await googleFailure(cal.events.list({ calendarId: 'primary', syncToken: first.data.nextSyncToken as string }, { retry: false }));
    expect(google.status).toBe(410);
    expect(google.reason).toBe('fullSyncRequired');
    expect((await graphFailure(graph.api(delta['@odata.deltaLink'] as string).get())).statusCode).toBe(410);
  });
});

describe('fault input', () => {
  it('answers 400 naming the field', async () => {
    const cases: Array<[unknown, string]> = [
      [{ kind: 'meteorStrike' }, 'kind'],
      [{ kind: 'rateLimit' }, 'path'],
      [{ kind: 'rateLimit', path: '/v1.0/me', count: 0 }, 'count'],
      [{ kind: 'rateLimit', path: '/v1.0/me', retryAfter: -1 }, 'retryAfter'],
      [{ kind: 'serverError', path: '/v1.0/me', status: 404 }, 'status'],
      [{ kind: 'dropPush', target: 3 }, 'target'],
    ];
    for (const [body, field] of cases) {
      const res = await sb.admin.call<{ error: string; field: string }>('POST', '/faults', body);
      expect(res.status).toBe(400);
      expect(res.body.field).toBe(field);
      expect(res.body.error).toContain(field);
    }
  });
});
