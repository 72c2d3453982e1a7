/// <reference lib="dom" />
// The Meetings screen and Export as Markdown (issue 10), in web mode against the sandbox, through
// accessible names only: Maya connects the sandbox calendar, opens a one-off 1:1 with Sam and
// writes an agenda topic, shared notes and a private note; search finds the meeting by a word of
// its shared notes; the person filter keeps one person's meetings; the export downloads Markdown
// with the agenda and without the private note unless "Include my private notes" is ticked; the
// event cancelled in the calendar leaves the meeting (it has content) struck through under
// Cancelled.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startTestSandbox, type TestSandbox } from '../support/sandbox';
import { watchPage, type PageReport } from './support/page-report';
import { followLink } from './support/settled';
import { startWebHostProcess, type WebHostProcess } from './support/web-host';

const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
const MAYA = 'maya.chen@acme.test';
const SAM = 'sam.rivera@acme.test';
const TITLE = 'Maya / Sam planning';
const shots = 'tests/e2e/output/screenshots';

let sandbox: TestSandbox | undefined;
let host: WebHostProcess | undefined;
let dataDir: string;
let report: PageReport | undefined;

test.beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'duet-e2e-meetings-'));
  sandbox = await startTestSandbox({ requireTrust: false });
  host = await startWebHostProcess({ dataDir, build: false, args: ['--sandbox', sandbox.issuer] });
});
// Playwright reads the fixtures a hook needs from its first parameter's pattern: none here.
// eslint-disable-next-line no-empty-pattern
test.afterEach(async ({}, info) => {
  // CI keeps only the log: say what the page showed when a step failed.
  if (info.status !== info.expectedStatus && report) console.log(`What the page showed:\n${await report.describe()}`);
});
test.afterAll(async () => {
  await host?.stop();
  await sandbox?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

test.setTimeout(180_000); // a sign-in and an import on a shared machine; about 30 s when idle

const nav = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name, exact: true }).click();

async function download(page: Page, includePrivate: boolean): Promise<string> {
  const dialog = page.getByRole('dialog', { name: 'Export as Markdown' });
  const tick = dialog.getByRole('checkbox', { name: 'Include my private notes' });
  if (includePrivate) await tick.check();
  else await tick.uncheck();
  const pending = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Download' }).click();
  const file = await pending;
  expect(file.suggestedFilename()).toMatch(/^Maya-Sam-planning-\d{4}-\d{2}-\d{2}\.md$/);
  return readFileSync(await file.path(), 'utf8');
}

test('search by shared notes, filter by person, export as Markdown, a cancelled meeting struck through', async ({
  browser,
}) => {
  // A one-off 1:1 tomorrow at 10:00 in Maya's calendar, the meeting this test works on.
  const start = new Date();
  start.setDate(start.getDate() + 1);
  start.setHours(10, 0, 0, 0);
  const created = await sandbox!.admin.createEvent({
    summary: TITLE,
    organizer: { email: MAYA },
    attendees: [
      { email: MAYA, responseStatus: 'accepted' },
      { email: SAM, responseStatus: 'accepted' },
    ],
    start: { dateTime: start.toISOString() },
    end: { dateTime: new Date(start.getTime() + 30 * 60_000).toISOString() },
    calendarId: MAYA,
  });

  const context = await browser.newContext({ timezoneId: timeZone, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  report = watchPage(page);
  await page.goto(`${host!.url}#/settings`);
  const popupOpened = page.waitForEvent('popup');
  await page.getByRole('button', { name: 'Connect sandbox calendar' }).click();
  const popup = await popupOpened;
  await popup.getByLabel(/maya\.chen@acme\.test/).check();
  await popup.getByRole('button', { name: 'Allow' }).click();
  await page
    .getByTestId('team-suggestions')
    .getByRole('button', { name: 'Add all' })
    .click({ timeout: 90_000 });
  await popup.close();

  // Open the 1:1 and write in it.
  await nav(page, 'Meetings');
  await followLink(page.getByRole('link', { name: TITLE, exact: true }));
  const agenda = page.getByRole('region', { name: 'Agenda' });
  await expect(agenda.getByRole('textbox', { name: 'New topic' }), 'the meeting page opens').toBeVisible({
    timeout: 30_000,
  });
  await agenda.getByRole('textbox', { name: 'New topic' }).fill('Quarterly goals');
  await agenda.getByRole('button', { name: 'Add topic' }).click();
  await expect(agenda.getByRole('listitem', { name: 'Quarterly goals' })).toBeVisible();
  await page.getByRole('textbox', { name: 'Shared notes text' }).click();
  await page.keyboard.type('We agreed on the zeppelin launch');
  await page
    .getByRole('complementary', { name: 'Private notes' })
    .getByRole('textbox', { name: 'Private notes text' })
    .fill('canary-private-5e1');

  // Export: the agenda and notes are in the file; the private note only when ticked.
  await page.getByRole('button', { name: 'Export as Markdown' }).click();
  const without = await download(page, false);
  expect(without).toContain(`# ${TITLE}`);
  expect(without).toContain('## Agenda\n\n- [ ] Quarterly goals');
  expect(without).toContain('We agreed on the zeppelin launch');
  expect(without).not.toContain('canary-private-5e1');
  const withPrivate = await download(page, true);
  expect(withPrivate).toContain('## My private notes\n\ncanary-private-5e1');

  // Search finds it by a word of its shared notes, as you type, and says where.
  await page.getByRole('link', { name: 'Back to meetings' }).click();
  const search = page.getByRole('searchbox', { name: 'Search meetings' });
  await search.fill('zeppelin');
  const rows = page.getByRole('tabpanel').getByTestId('meeting');
  await expect(rows).toHaveCount(1);
  await expect(rows.first().getByRole('link', { name: TITLE, exact: true })).toBeVisible();
  await expect(rows.first()).toContainText('Shared notes: We agreed on the zeppelin launch');
  await page.screenshot({ path: `${shots}/meetings-search.png` });
  await search.fill('');

  // Filter by person: only Priya's 1:1s, then only Sam's.
  const person = page.getByRole('combobox', { name: 'Person' });
  await person.selectOption({ label: 'Priya Natarajan' });
  await expect(rows.first()).toContainText('Priya Natarajan');
  await expect(rows.filter({ hasText: 'Sam Rivera' })).toHaveCount(0);
  expect(await rows.count()).toBe(await rows.filter({ hasText: 'Priya Natarajan' }).count());
  await person.selectOption({ label: 'Sam Rivera' });
  await expect(rows.filter({ hasText: 'Priya Natarajan' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: TITLE, exact: true })).toBeVisible();
  await person.selectOption({ label: 'Everyone' });

  // The event is cancelled in the calendar: the meeting has content, so it stays, struck through.
  await sandbox!.admin.deleteEvent(created.id);
  await page.getByRole('tab', { name: /^Cancelled/ }).click();
  const link = page.getByRole('link', { name: `${TITLE} (cancelled)` });
  await expect(link).toBeVisible({ timeout: 60_000 }); // push, then the ingest
  await expect(link.locator('s')).toHaveText(TITLE);
  expect(await link.locator('s').evaluate((el) => getComputedStyle(el).textDecorationLine)).toContain(
    'line-through',
  );
  await page.screenshot({ path: `${shots}/meetings-cancelled.png` });
  await context.close();
});
