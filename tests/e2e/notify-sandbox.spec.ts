/// <reference lib="dom" />
// Reminders and cadence in sandbox mode (docs/architecture.md §5): connect the sandbox calendar as
// Maya and add the team the directory suggests; Team shows each report's cadence, and the new hire
// (started last week, never met, weekly expected) as overdue; a 1:1 scheduled half an hour ahead
// brings a prep reminder into the Inbox, counted in the sidebar until it is marked read.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startTestSandbox, type TestSandbox } from '../support/sandbox';
import { startWebHostProcess, type WebHostProcess } from './support/web-host';

const shots = 'tests/e2e/output/screenshots';
const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

let sandbox: TestSandbox | undefined;
let host: WebHostProcess | undefined;
let dataDir: string;

test.beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'duet-e2e-notify-'));
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

test('Team shows cadence and the overdue new hire; a prep reminder lands in the Inbox', async ({ browser }) => {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, timezoneId: timeZone, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${host!.url}#/settings`);
  const popupOpened = page.waitForEvent('popup');
  await page.getByRole('button', { name: 'Connect sandbox calendar' }).click();
  const popup = await popupOpened;
  await popup.getByLabel(/maya\.chen@acme\.test/).check();
  await popup.getByRole('button', { name: 'Allow' }).click();
  // The popup stays open until the app has the sign-in: closing it mid-redirect once hung the
  // close itself for the rest of the test's time.
  await expect(page.getByTestId('sign-in-status')).toContainText('Connected to the sandbox calendar', {
    timeout: 60_000,
  });
  await popup.close().catch(() => undefined);
  const suggestions = page.getByTestId('team-suggestions');
  await expect(suggestions.getByRole('button', { name: 'Add all' })).toBeVisible({ timeout: 90_000 });
  await suggestions.getByRole('button', { name: 'Add all' }).click();

  // Team: everyone's cadence with its chart; Noor (hire date from the directory) is overdue.
  await nav(page, 'Team');
  const row = (name: string) => page.getByTestId('person').filter({ has: page.getByRole('link', { name, exact: true }) });
  await expect(row('Noor Haddad').getByTestId('cadence')).toContainText('never met · expected weekly', { timeout: 30_000 });
  await expect(row('Noor Haddad').getByText('Overdue')).toBeVisible();
  await expect(row('Noor Haddad').getByLabel('Start date of Noor Haddad')).not.toHaveValue('');
  await expect(row('Sam Rivera').getByRole('img', { name: /^Meetings with Sam Rivera over the last 90 days: \d+ held/ })).toBeVisible();
  await page.screenshot({ path: `${shots}/team-cadence.png`, fullPage: true });

  // A 1:1 with Noor half an hour from now (rounded up to 5 minutes): the reminder is due at once.
  await row('Noor Haddad').getByRole('link', { name: 'Noor Haddad' }).click();
  await page.getByRole('button', { name: 'Schedule 1:1' }).click();
  const dialog = page.getByRole('dialog', { name: 'Schedule a 1:1 with Noor Haddad' });
  const when = await page.evaluate(() => {
    const d = new Date(Math.ceil((Date.now() + 30 * 60_000) / 300_000) * 300_000);
    const p = (n: number) => String(n).padStart(2, '0');
    return { date: `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`, time: `${p(d.getHours())}:${p(d.getMinutes())}` };
  });
  await dialog.getByLabel('Date').fill(when.date);
  await dialog.getByLabel('Time').fill(when.time);
  await dialog.getByLabel('Repeat').selectOption({ label: 'Does not repeat' });
  await dialog.getByRole('button', { name: 'Schedule' }).click();
  await expect(page.getByTestId('toast').filter({ hasText: 'Scheduled 1:1 with Noor Haddad' })).toBeVisible({ timeout: 30_000 });

  const inboxLink = page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Inbox', exact: true });
  await expect(inboxLink.getByTestId('inbox-unread')).toHaveText(/^[1-9]\d*$/, { timeout: 30_000 });
  await inboxLink.click();
  const reminder = page.getByTestId('inbox-item').filter({ hasText: /1:1 with Noor Haddad in \d+ minutes/ });
  await expect(reminder).toHaveCount(1);
  await expect(reminder).toContainText('No open items yet');
  await page.screenshot({ path: `${shots}/inbox-reminder.png`, fullPage: true });
  await reminder.getByRole('button', { name: /^Mark .* read$/ }).click();
  await expect(reminder.getByRole('button', { name: /^Mark .* read$/ })).toHaveCount(0);
  await context.close();
});
