// The sandbox's test mode that keeps request bodies (`recordBodies`): what the real Google SDK
// sent (an event's JSON, a query string) can be searched afterwards; off by default.
import { afterAll, expect, it } from 'vitest';
import { googleCalendar } from '../../support/sandbox-clients';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';

const ME = 'maya.chen@acme.test';
const started: TestSandbox[] = [];
afterAll(async () => {
  for (const sb of started) await sb.close();
});

async function createWith(sb: TestSandbox, canary: string) {
  const cal = googleCalendar(sb, await sb.accessToken(ME, 'google'));
  const start = Date.now() + 86_400_000;
  await cal.events.insert({
    calendarId: 'primary',
    requestBody: {
      summary: `Planning ${canary}`,
      start: { dateTime: new Date(start).toISOString() },
      end: { dateTime: new Date(start + 1_800_000).toISOString() },
    },
  });
  await cal.events.list({ calendarId: 'primary', q: `${canary}-query` });
}

it('records bodies and queries when asked, and says the record is complete', async () => {
  const sb = await startTestSandbox({ recordBodies: true });
  started.push(sb);
  await createWith(sb, 'canary-body-91');
  const { requests, bodiesComplete } = await sb.admin.recordedRequests();
  expect(bodiesComplete).toBe(true);
  const insert = requests.find((r) => r.method === 'POST' && r.path.endsWith('/events'));
  expect(insert?.body).toContain('canary-body-91');
  expect(requests.some((r) => r.query?.includes('canary-body-91-query'))).toBe(true);
});

it('keeps no bodies by default', async () => {
  const sb = await startTestSandbox();
  started.push(sb);
  await createWith(sb, 'canary-body-92');
  const { requests } = await sb.admin.recordedRequests();
  expect(requests.length).toBeGreaterThan(0);
  expect(JSON.stringify(requests)).not.toContain('canary-body-92');
});
