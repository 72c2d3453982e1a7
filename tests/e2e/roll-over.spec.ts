/// <reference lib="dom" />
// Roll-over in the app (docs/architecture.md §5 "Roll-over"), web mode against the sandbox: Maya
// adds a topic to the next occurrence of her weekly 1:1 with Sam; the page's clock (Playwright's
// fake clock: test-only, nothing in the app) moves past that meeting's end plus three hours; the
// topic shows in the meeting after it, marked "from <date>", and in the first one as moved.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startTestSandbox, type TestSandbox } from '../support/sandbox';
import { startWebHostProcess, type WebHostProcess } from './support/web-host';

const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
const TOPIC = 'Carry this over';

let sandbox: TestSandbox | undefined;
let host: WebHostProcess | undefined;
let dataDir: string;

test.beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'duet-e2e-rollover-'));
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

/** The first upcoming "Maya / Sam" in Meetings. */
async function openFirstWeekly(page: Page) {
  const back = page.getByRole('link', { name: 'Back to meetings' });
  if (await back.isVisible()) await back.click();
  else await nav(page, 'Meetings');
  const link = page.getByRole('link', { name: 'Maya / Sam', exact: true }).first();
  await expect(link).toBeVisible({ timeout: 60_000 });
  await link.click();
  await expect(page.getByRole('region', { name: 'Agenda' })).toBeVisible();
}

test("an open topic rolls to the next meeting of the series, marked 'from <date>'", async ({ browser }) => {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, timezoneId: timeZone, locale: 'en-US' });
  const page = await context.newPage();
  // The page's clock starts at the real time and runs; the test moves it later.
  await page.clock.install();
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
  await expect(page.getByTestId('toast').filter({ hasText: /Added .* to your team/ })).toBeVisible({
    timeout: 30_000,
  });

  // The coming occurrence (it ends within a week): add a topic.
  await openFirstWeekly(page);
  const first = page.url();
  const agenda = page.getByRole('region', { name: 'Agenda' });
  await agenda.getByRole('textbox', { name: 'New topic' }).fill(TOPIC);
  await agenda.getByRole('button', { name: 'Add topic' }).click();
  await expect(agenda.getByRole('listitem', { name: TOPIC })).toBeVisible();
  const firstDate = await page.evaluate(() => document.querySelector('.meeting-page__when span')?.textContent ?? '');

  // A week, three hours and a minute later that meeting has ended more than three hours ago and
  // the next has not (it ends more than a week from now). The runner's minute timer fires once.
  await page.clock.fastForward(7 * 24 * 3_600_000 + 3 * 3_600_000 + 60_000);

  // The next occurrence is now the first upcoming one: the topic is there, from the first.
  await openFirstWeekly(page);
  expect(page.url()).not.toBe(first);
  const rolled = page.getByRole('region', { name: 'Agenda' }).getByRole('listitem', { name: TOPIC });
  const when = new Date(firstDate).toLocaleDateString('en-US', { month: 'short', day: 'numeric' });
  // The runner's pass may still be writing when the page opened the meeting: look again.
  await expect(async () => {
    if (!(await rolled.isVisible())) await page.reload();
    await expect(rolled).toContainText(`from ${when}`, { timeout: 3000 });
  }).toPass({ timeout: 45_000 });

  // The first meeting keeps it, marked as moved.
  await page.goto(first);
  await expect(
    page.getByRole('region', { name: 'Agenda' }).getByRole('listitem', { name: TOPIC }),
  ).toContainText('moved to');
  await context.close();
});
