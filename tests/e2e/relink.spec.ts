/// <reference lib="dom" />
// Relink in the app (docs/architecture.md §4 "Series links", §5 "Meetings screen"), web mode against
// the sandbox calendar (its Microsoft face: each occurrence listed on its own): Maya writes a topic
// in the coming meeting of her weekly 1:1 with Sam; in the calendar (the sandbox admin) the series
// is deleted and two new recurring 1:1s with Sam are made, so the series, which keeps that meeting
// for its content, is disconnected. Meetings warns with "Relink"; detection alone cannot link it,
// so Relink opens "Relink series" with both; Maya picks one; the series follows it (its meetings
// show the new times) and keeps its earlier meeting with its content.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startTestSandbox, type TestSandbox } from '../support/sandbox';
import { followLink } from './support/settled';
import { startWebHostProcess, type WebHostProcess } from './support/web-host';

const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
const TOPIC = 'Still here after the relink';
const NEW_TIME = 'Maya / Sam (new time)';
const PLANNING = 'Maya / Sam: planning';

let sandbox: TestSandbox | undefined;
let host: WebHostProcess | undefined;
let dataDir: string;

test.beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'duet-e2e-relink-'));
  sandbox = await startTestSandbox({ requireTrust: false });
  host = await startWebHostProcess({ dataDir, build: false, args: ['--sandbox', sandbox.issuer] });
});
test.afterAll(async () => {
  await host?.stop();
  await sandbox?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

test.setTimeout(180_000); // a host start, a sign-in and a full import on a shared machine

const nav = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name, exact: true }).click();

const ymd = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const DAY = 86_400_000;

test('a disconnected series is relinked to the recurring 1:1 the user picks; its meetings and their content stay', async ({ browser }) => {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, timezoneId: timeZone, locale: 'en-US' });
  const page = await context.newPage();
  await page.goto(`${host!.url}#/settings`);
  const popupOpened = page.waitForEvent('popup');
  await page.getByRole('button', { name: 'Connect sandbox calendar' }).click();
  const popup = await popupOpened;
  await popup.getByLabel(/maya\.chen@acme\.test/).check();
  await popup.getByRole('button', { name: 'Allow' }).click();
  const account = page.getByRole('listitem', { name: 'maya.chen@acme.test' });
  await expect(account.getByTestId('import-summary')).toBeVisible({ timeout: 90_000 });
  await popup.close();
  await page.getByTestId('team-suggestions').getByRole('button', { name: 'Add all' }).click();
  await expect(page.getByTestId('toast').filter({ hasText: /Added .* to your team/ })).toBeVisible({ timeout: 30_000 });

  // The coming "Maya / Sam" (within a week): a topic in it.
  await nav(page, 'Meetings');
  await followLink(page.getByRole('link', { name: 'Maya / Sam', exact: true }).first());
  const agenda = page.getByRole('region', { name: 'Agenda' });
  await agenda.getByRole('textbox', { name: 'New topic' }).fill(TOPIC);
  await agenda.getByRole('button', { name: 'Add topic' }).click();
  await expect(agenda.getByRole('listitem', { name: TOPIC })).toBeVisible();
  const withTopic = page.url();

  // In the calendar: the weekly series is deleted; two recurring 1:1s with Sam are made.
  const { events } = await sandbox!.admin.events();
  const weekly = events.find((e) => e.summary === 'Maya / Sam' && e.recurrence?.length);
  expect(weekly?.id).toBeTruthy();
  const zone = weekly!.start?.timeZone ?? 'UTC';
  await sandbox!.admin.deleteEvent(weekly!.id!);
  const recurring = (summary: string, days: number, time: string, endTime: string) =>
    sandbox!.admin.createEvent({
      summary,
      organizer: { email: 'maya.chen@acme.test' },
      attendees: [
        { email: 'maya.chen@acme.test', responseStatus: 'accepted' },
        { email: 'sam.rivera@acme.test', responseStatus: 'accepted' },
      ],
      start: { dateTime: `${ymd(Date.now() + days * DAY)}T${time}:00`, timeZone: zone },
      end: { dateTime: `${ymd(Date.now() + days * DAY)}T${endTime}:00`, timeZone: zone },
      recurrence: ['RRULE:FREQ=WEEKLY'],
      calendarId: 'maya.chen@acme.test',
    });
  await recurring(NEW_TIME, 2, '16:00', '16:30');
  await recurring(PLANNING, 3, '09:00', '09:30');

  // Meetings warns, once the change is in (push brings it; "Sync now" if it is slow).
  await nav(page, 'Meetings');
  const warning = page.getByRole('region', { name: 'Calendar links lost' });
  await expect(async () => {
    if (!(await warning.isVisible())) {
      await nav(page, 'Up next');
      await page.getByRole('button', { name: 'Sync now' }).first().click();
      await nav(page, 'Meetings');
    }
    await expect(warning).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 60_000 });
  await expect(warning).toContainText('with Sam Rivera is no longer linked to its calendar event');

  // Relink: detection cannot know which one continues it, so Maya picks.
  await warning.getByRole('button', { name: 'Relink' }).click();
  const dialog = page.getByRole('dialog', { name: 'Relink series' });
  await expect(dialog).toBeVisible({ timeout: 30_000 });
  await expect(dialog.getByRole('radio')).toHaveCount(2);
  await expect(dialog.getByRole('radio', { name: new RegExp(PLANNING) })).toBeVisible();
  await dialog.getByRole('radio', { name: new RegExp(NEW_TIME.replace(/[()/]/g, '\\$&')) }).check();
  await dialog.getByRole('button', { name: 'Link' }).click();
  await expect(page.getByTestId('toast').filter({ hasText: `Relinked: the series now follows “${NEW_TIME}”.` })).toBeVisible({ timeout: 30_000 });
  await expect(warning).toHaveCount(0);

  // The series follows the new event now: its meetings are in it, beside the series' earlier ones.
  const moved = page.getByTestId('meeting').filter({ hasText: NEW_TIME }).first();
  await moved.getByRole('link', { name: 'Weekly' }).click();
  await expect(page.getByRole('heading', { name: NEW_TIME, level: 1 })).toBeVisible();
  const upcoming = page.getByRole('region', { name: 'Upcoming' });
  await expect(upcoming.getByRole('link', { name: NEW_TIME, exact: true }).first()).toBeVisible();
  // The meeting with the topic: kept, struck through as its event went (docs/architecture.md §4).
  await expect(page.getByRole('region', { name: 'Earlier' }).getByRole('link', { name: 'Maya / Sam', exact: true })).toHaveCount(1);
  await expect(upcoming.getByRole('link', { name: PLANNING, exact: true })).toHaveCount(0);

  // The meeting written in before keeps its topic.
  await page.goto(withTopic);
  await expect(page.getByRole('region', { name: 'Agenda' }).getByRole('listitem', { name: TOPIC })).toBeVisible();
  await context.close();
});
