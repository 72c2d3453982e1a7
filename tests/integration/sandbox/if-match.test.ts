// Conditional writes on both faces, as the providers answer them: a PATCH with If-Match carrying
// the etag read (Google `etag`, Graph `@odata.etag`) goes through while the event is unchanged and
// answers 412 once someone changed it; the `preconditionFailed` fault gives the same 412 on demand.
// Duet's imported-links writers rely on both (docs/architecture.md §6, "Links on imported events").
import { RetryHandlerOptions, type Client } from '@microsoft/microsoft-graph-client';
import type { calendar_v3 } from '@googleapis/calendar';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { googleCalendar, graphClient } from '../../support/sandbox-clients';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { MAYA, SAM, googleFailure, graphFailure } from './helpers';

let sb: TestSandbox;
let cal: calendar_v3.Calendar;
let graph: Client;
const noRetry = [new RetryHandlerOptions(0, 0)];

beforeAll(async () => {
  sb = await startTestSandbox();
  cal = googleCalendar(sb, await sb.accessToken(MAYA, 'google'));
  graph = graphClient(sb, await sb.accessToken(MAYA, 'microsoft'));
});
afterEach(() => sb.admin.clearFaults());
afterAll(() => sb.close());

async function freshEvent(summary: string): Promise<string> {
  const start = Date.now() + 3 * 86_400_000;
  const made = await sb.admin.createEvent({
    summary,
    start: { dateTime: new Date(start).toISOString() },
    end: { dateTime: new Date(start + 1_800_000).toISOString() },
    organizer: { email: MAYA },
    attendees: [{ email: MAYA, organizer: true, responseStatus: 'accepted' }, { email: SAM }],
  });
  return made.id;
}

describe('If-Match', () => {
  it('Google: the etag read writes; after another change it is 412 conditionNotMet', async () => {
    const id = await freshEvent('If-Match Google');
    const { data } = await cal.events.get({ calendarId: 'primary', eventId: id });
    await sb.admin.patchEvent(id, { description: 'changed by someone else' });
    const stale = await googleFailure(
      cal.events.patch({ calendarId: 'primary', eventId: id, requestBody: { description: 'mine' } }, { headers: { 'If-Match': data.etag as string }, retry: false }),
    );
    expect(stale.status).toBe(412);
    expect(stale.reason).toBe('conditionNotMet');
    const fresh = await cal.events.get({ calendarId: 'primary', eventId: id });
    expect(fresh.data.description).toBe('changed by someone else');
    const ok = await cal.events.patch(
      { calendarId: 'primary', eventId: id, requestBody: { description: 'mine' } },
      { headers: { 'If-Match': fresh.data.etag as string }, retry: false },
    );
    expect(ok.data.description).toBe('mine');
  });

  it('Graph: the @odata.etag read writes; after another change it is 412 ErrorIrresolvableConflict', async () => {
    const id = await freshEvent('If-Match Graph');
    const read = (await graph.api(`/me/events/${id}`).middlewareOptions(noRetry).get()) as { '@odata.etag': string };
    await sb.admin.patchEvent(id, { description: 'changed by someone else' });
    const stale = await graphFailure(
      graph.api(`/me/events/${id}`).middlewareOptions(noRetry).header('If-Match', read['@odata.etag']).patch({ subject: 'mine' }),
    );
    expect(stale.statusCode).toBe(412);
    expect(stale.code).toBe('ErrorIrresolvableConflict');
    const fresh = (await graph.api(`/me/events/${id}`).middlewareOptions(noRetry).get()) as { '@odata.etag': string; subject: string };
    expect(fresh.subject).toBe('If-Match Graph');
    const ok = (await graph.api(`/me/events/${id}`).middlewareOptions(noRetry).header('If-Match', fresh['@odata.etag']).patch({ subject: 'mine' })) as { subject: string };
    expect(ok.subject).toBe('mine');
  });

  it('the preconditionFailed fault answers 412 in each face’s shape, then lets the next request through', async () => {
    const id = await freshEvent('Fault 412');
    await sb.admin.fault({ kind: 'preconditionFailed', path: '/calendar/v3/calendars/', method: 'PATCH', count: 1 });
    const g = await googleFailure(cal.events.patch({ calendarId: 'primary', eventId: id, requestBody: { summary: 'x' } }, { retry: false }));
    expect([g.status, g.reason]).toEqual([412, 'conditionNotMet']);
    await sb.admin.fault({ kind: 'preconditionFailed', path: '/v1.0/me/events/', method: 'PATCH', count: 1 });
    const m = await graphFailure(graph.api(`/me/events/${id}`).middlewareOptions(noRetry).patch({ subject: 'y' }));
    expect([m.statusCode, m.code]).toEqual([412, 'ErrorIrresolvableConflict']);
    const ok = (await graph.api(`/me/events/${id}`).middlewareOptions(noRetry).patch({ subject: 'y' })) as { subject: string };
    expect(ok.subject).toBe('y');
  });
});
