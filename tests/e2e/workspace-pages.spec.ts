/// <reference lib="dom" />
// The screens over many meetings (issue 10, "The other screens"), in web mode against the sandbox,
// through their accessible names: Maya connects the sandbox calendar and adds her team; an action
// item added on her next 1:1 with Sam shows in that meeting's prep summary on Up next, on the
// series page and on Sam's person page (with the history of their 1:1s); on Action items she
// completes it and it is gone.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startTestSandbox, type TestSandbox } from '../support/sandbox';
import { followLink } from './support/settled';
import { startWebHostProcess, type WebHostProcess } from './support/web-host';

const shots = 'tests/e2e/output/screenshots';
const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
const ITEM = 'Send Sam the Q3 numbers';

let sandbox: TestSandbox | undefined;
let host: WebHostProcess | undefined;
let dataDir: string;

test.beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'duet-e2e-pages-'));
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

test('prep summary on Up next, the series and person pages, and completing an item on Action items', async ({
  browser,
}) => {
  const context = await browser.newContext({
    ignoreHTTPSErrors: true,
    timezoneId: timeZone,
    viewport: { width: 1280, height: 900 },
  });
  const page = await context.newPage();
  await page.goto(`${host!.url}#/settings`);
  const popupOpened = page.waitForEvent('popup');
  await page.getByRole('button', { name: 'Connect sandbox calendar' }).click();
  const popup = await popupOpened;
  await popup.getByLabel(/maya\.chen@acme\.test/).check();
  await popup.getByRole('button', { name: 'Allow' }).click();
  // The popup stays open until the app has the sign-in: closing it earlier can cut the redirect.
  await expect(page.getByTestId('sign-in-status')).toContainText('Connected to the sandbox calendar', {
    timeout: 60_000,
  });
  await popup.close().catch(() => undefined);
  const suggestions = page.getByTestId('team-suggestions');
  await expect(suggestions.getByRole('button', { name: 'Add all' })).toBeVisible({ timeout: 90_000 });
  await suggestions.getByRole('button', { name: 'Add all' }).click();

  // Up next: the next 1:1 with Sam, nothing open yet; add an item on its meeting page.
  await nav(page, 'Up next');
  const card = page.getByRole('listitem', { name: /^Sam Rivera, / }).first();
  const prep = card.getByRole('group', { name: 'Prep for Sam Rivera' });
  await expect(prep).toContainText('No open action items', { timeout: 30_000 });
  await expect(prep).toContainText(/Last 1:1 (\d+ days ago|yesterday|earlier today)/);
  await followLink(card.getByRole('link', { name: 'Maya / Sam', exact: true }));
  const actions = page.getByRole('region', { name: 'Action items' });
  await actions.getByRole('textbox', { name: 'New action item' }).fill(ITEM);
  await actions.getByRole('button', { name: 'Add action item' }).click();
  await expect(actions.getByRole('listitem', { name: ITEM })).toBeVisible();

  // Back on Up next, the prep summary has it.
  await nav(page, 'Up next');
  await expect(prep).toContainText('1 open action item', { timeout: 15_000 });
  await expect(prep.getByRole('list', { name: 'Open action items with Sam Rivera' })).toContainText(ITEM);
  await page.screenshot({ path: `${shots}/up-next-prep.png`, fullPage: true });

  // The series page, from the card's cadence: every meeting of the series and its open items.
  await card.getByRole('link', { name: 'Weekly' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Maya / Sam' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Open action items in Maya / Sam' })).toContainText(ITEM);
  await expect(page.getByTestId('history-meeting').first()).toBeVisible();
  expect(await page.getByTestId('history-meeting').count()).toBeGreaterThan(2);

  // Sam's page: their open items, and the history of their 1:1s linked to the meeting pages.
  await nav(page, 'Team');
  await page.getByRole('link', { name: 'Sam Rivera', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sam Rivera' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Open action items with Sam Rivera' })).toContainText(ITEM);
  const history = page.getByRole('list', { name: 'History' });
  await history.getByRole('link', { name: 'Maya / Sam' }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: 'Maya / Sam' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Agenda' })).toBeVisible();

  // Action items: grouped by person; completing the item removes it everywhere.
  await nav(page, 'Action items');
  const sam = page.getByRole('region', { name: 'Sam Rivera' });
  await expect(sam.getByRole('listitem', { name: ITEM })).toBeVisible();
  await page.screenshot({ path: `${shots}/action-items.png`, fullPage: true });
  await sam.getByRole('checkbox', { name: `Done: ${ITEM}` }).click();
  await expect(page.getByRole('listitem', { name: ITEM })).toHaveCount(0, { timeout: 15_000 });
  await expect(page.getByRole('heading', { name: 'Nothing open' })).toBeVisible();
  await nav(page, 'Up next');
  await expect(prep).toContainText('No open action items');
  await context.close();
});
