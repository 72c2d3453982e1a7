/// <reference lib="dom" />
// Scheduling a first 1:1 series with the new hire, in sandbox mode: connect the sandbox calendar as
// Maya, add the team the directory suggests, open Noor's page (she started last week and has no
// 1:1 yet), "Schedule 1:1" weekly with a Teams link, then see it in Meetings, in the sandbox's own
// data (tagged, with the link back, invited, Teams), cancel one meeting of the series from her page,
// and both writes in Settings → Activity.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startTestSandbox, type TestSandbox } from '../support/sandbox';
import { startWebHostProcess, type WebHostProcess } from './support/web-host';

const shots = 'tests/e2e/output/screenshots';
const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
const NOOR = 'noor.haddad@acme.test';

let sandbox: TestSandbox | undefined;
let host: WebHostProcess | undefined;
let dataDir: string;

test.beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'duet-e2e-schedule-'));
  sandbox = await startTestSandbox({ requireTrust: false });
  host = await startWebHostProcess({ dataDir, build: false, args: ['--sandbox', sandbox.issuer] });
});
test.afterAll(async () => {
  await host?.stop();
  await sandbox?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

test.setTimeout(240_000); // a host start, a sign-in and a full import on a shared machine

const nav = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name, exact: true }).click();

test('schedule a weekly 1:1 with Teams for the new hire, from her page', async ({ browser }) => {
  const context = await browser.newContext({
    ignoreHTTPSErrors: true,
    timezoneId: timeZone,
    viewport: { width: 1280, height: 900 },
  });
  const page = await context.newPage();
  await page.goto(`${host!.url}#/settings`);

  // Connect the sandbox calendar as Maya.
  const popupOpened = page.waitForEvent('popup');
  await page.getByRole('button', { name: 'Connect sandbox calendar' }).click();
  const popup = await popupOpened;
  await popup.getByLabel(/maya\.chen@acme\.test/).check();
  await popup.getByRole('button', { name: 'Allow' }).click();
  await expect(page.getByTestId('sign-in-status')).toContainText('Connected to the sandbox calendar', {
    timeout: 30_000,
  });
  await popup.close();
  const account = page.getByRole('listitem', { name: 'maya.chen@acme.test' });
  await expect(account.getByTestId('import-summary')).toBeVisible({ timeout: 90_000 });

  // The directory suggests the new hire with the rest of Maya's reports.
  const suggestions = page.getByTestId('team-suggestions');
  await expect(suggestions.getByRole('button', { name: 'Add Noor Haddad' })).toBeVisible({ timeout: 30_000 });
  await suggestions.getByRole('button', { name: 'Add all' }).click();
  await expect(page.getByTestId('toast').filter({ hasText: /Added \d+ people to your team/ })).toBeVisible({
    timeout: 30_000,
  });

  // Team → Noor's page: no meetings yet.
  await nav(page, 'Team');
  await page.getByRole('link', { name: 'Noor Haddad' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Noor Haddad' })).toBeVisible();
  await expect(page.getByText('No meetings yet.')).toBeVisible();

  // Schedule 1:1: next week, 10:00, 30 minutes, weekly, Teams.
  await page.getByRole('button', { name: 'Schedule 1:1' }).click();
  const dialog = page.getByRole('dialog', { name: 'Schedule a 1:1 with Noor Haddad' });
  const date = await page.evaluate(() => {
    const d = new Date(Date.now() + 7 * 86_400_000);
    const p = (n: number) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
  });
  await dialog.getByLabel('Date').fill(date);
  await dialog.getByLabel('Time').fill('10:00');
  await dialog.getByLabel('Length').selectOption('30');
  await dialog.getByLabel('Repeat').selectOption({ label: 'Weekly' });
  await expect(dialog.getByLabel('Calendar')).toHaveValue(/.+/);
  await expect(dialog.getByLabel('Add a Microsoft Teams link')).toBeChecked();
  await page.screenshot({ path: `${shots}/schedule-form.png`, fullPage: true });
  await dialog.getByRole('button', { name: 'Schedule' }).click();
  await expect(
    page
      .getByTestId('toast')
      .filter({ hasText: 'Scheduled 1:1 with Noor Haddad, weekly, on your calendar with a video link.' }),
  ).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('person-meeting').first()).toContainText('1:1 with Noor Haddad');

  // The sandbox's own data: one weekly series, tagged, invited, with Teams and the link back.
  const stored = (await sandbox!.admin.events()).events.filter((e) => e.summary === '1:1 with Noor Haddad');
  expect(stored).toHaveLength(1);
  const series = stored[0]!;
  expect(series.recurrence?.[0]).toMatch(/^RRULE:FREQ=WEEKLY;BYDAY=/);
  expect(series.attendees?.map((a) => a.email)).toContain(NOOR);
  const meetingId = series.extendedProperties?.private?.duetMeetingId;
  expect(meetingId).toMatch(/^app-/);
  expect(series.description).toContain(`duet://meeting/${meetingId}`);
  expect(series.conferenceData?.conferenceSolution?.name).toMatch(/Teams/);
  expect(Date.parse(series.start?.dateTime as string)).toBe(
    await page.evaluate((d) => new Date(`${d}T10:00`).getTime(), date),
  );

  // Meetings: the series' meetings, by Noor's name, weekly, once the calendar round trip is in.
  await nav(page, 'Meetings');
  const noor = page.getByTestId('meeting').filter({ hasText: 'Noor Haddad' });
  await expect(noor.first()).toBeVisible({ timeout: 30_000 });
  await expect(noor.first().getByRole('link', { name: '1:1 with Noor Haddad' })).toBeVisible();
  await expect(noor.filter({ hasText: 'Weekly' }).first()).toBeVisible({ timeout: 60_000 });
  expect(await noor.count()).toBeGreaterThanOrEqual(2);
  // The meeting Duet made was linked to the first occurrence, not doubled by it: one a day at most.
  const noorDays = await noor.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-day')));
  expect(noorDays.every(Boolean)).toBe(true);
  expect(new Set(noorDays).size).toBe(noorDays.length);
  await page.screenshot({ path: `${shots}/meetings-scheduled.png`, fullPage: true });

  // Noor's page offers to move or cancel the meetings Duet put on the calendar; cancel the second.
  await nav(page, 'Team');
  await page.getByRole('link', { name: 'Noor Haddad' }).click();
  const cancelButtons = page.getByRole('button', { name: /^Cancel the meeting of / });
  await expect(cancelButtons.nth(1)).toBeVisible({ timeout: 30_000 });
  await cancelButtons.nth(1).click();
  await expect(page.getByTestId('toast').filter({ hasText: /Cancelled the meeting of/ })).toBeVisible({
    timeout: 30_000,
  });
  await expect
    .poll(
      async () =>
        (await sandbox!.admin.events()).events.filter(
          (e) => e.recurringEventId === series.id && e.status === 'cancelled',
        ).length,
      { timeout: 15_000 },
    )
    .toBe(1);

  // Settings → Activity: the write Duet made.
  await nav(page, 'Settings');
  const activity = page.getByRole('region', { name: 'Activity' });
  await expect(activity).toContainText('Created “1:1 with Noor Haddad” on maya.chen@acme.test (Microsoft)');
  await expect(activity).toContainText('Weekly from');
  await expect(activity).toContainText('Microsoft Teams');
  await expect(activity).toContainText('Cancelled one meeting');
  await activity.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${shots}/settings-activity.png`, fullPage: true });
  await context.close();
});
