/// <reference lib="dom" />
// "Add the Duet link to 1:1 events I organize" in sandbox mode (docs/architecture.md §6, "Links on
// imported events"): connect the sandbox calendar as Maya, add the team, tick the setting in
// Settings, see each write in Settings → Activity and in the sandbox's own data (the link in the
// description, the tag, only on 1:1s Maya organizes), then untick it: every link and tag is
// removed, logged, and each description is as it was.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { startTestSandbox, type TestSandbox } from '../support/sandbox';
import { setCheckedSettled } from './support/settled';
import { startWebHostProcess, type WebHostProcess } from './support/web-host';

const shots = 'tests/e2e/output/screenshots';
const MAYA = 'maya.chen@acme.test';

let sandbox: TestSandbox | undefined;
let host: WebHostProcess | undefined;
let dataDir: string;

test.beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'duet-e2e-link-'));
  sandbox = await startTestSandbox({ requireTrust: false });
  host = await startWebHostProcess({ dataDir, build: false, args: ['--sandbox', sandbox.issuer] });
});
test.afterAll(async () => {
  await host?.stop();
  await sandbox?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

test.setTimeout(120_000); // a host start, a sign-in and a full import on a shared machine

test('tick "Add the Duet link to 1:1 events I organize", see the writes, untick it', async ({ browser }) => {
  const stored = async () => (await sandbox!.admin.events()).events;
  const original = new Map((await stored()).map((e) => [e.id as string, e.description]));
  const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${host!.url}#/settings`);

  // Off by default.
  const option = page.getByRole('checkbox', { name: 'Add the Duet link to 1:1 events I organize' });
  await expect(option).not.toBeChecked();
  await expect(option).toHaveAccessibleDescription(/removes the line and the mark/);

  const popupOpened = page.waitForEvent('popup');
  await page.getByRole('button', { name: 'Connect sandbox calendar' }).click();
  const popup = await popupOpened;
  await popup.getByLabel(/maya\.chen@acme\.test/).check();
  await popup.getByRole('button', { name: 'Allow' }).click();
  await expect(page.getByTestId('sign-in-status')).toContainText('Connected to the sandbox calendar', {
    timeout: 30_000,
  });
  await popup.close();
  await expect(page.getByRole('listitem', { name: MAYA }).getByTestId('import-summary')).toBeVisible({
    timeout: 60_000,
  });
  const suggestions = page.getByTestId('team-suggestions');
  await expect(suggestions.getByRole('button', { name: 'Add all' })).toBeEnabled({ timeout: 30_000 });
  await suggestions.getByRole('button', { name: 'Add all' }).click();
  await expect(page.getByTestId('toast').filter({ hasText: /Added \d+ people to your team/ })).toBeVisible({
    timeout: 30_000,
  });

  // On: the writes, in the activity log and in the calendar.
  await setCheckedSettled(option, true);
  const activity = page.getByRole('region', { name: 'Activity' });
  await expect(activity).toContainText('Added the Duet link to “Maya / Sam” on maya.chen@acme.test', {
    timeout: 30_000,
  });
  await expect
    .poll(async () => (await stored()).filter((e) => e.extendedProperties?.private?.duetLinkAdded === '1').length, {
      timeout: 15_000,
    })
    .toBeGreaterThanOrEqual(3);
  const tagged = (await stored()).filter((e) => e.extendedProperties?.private?.duetLinkAdded === '1');
  for (const e of tagged) {
    expect(e.organizer?.email).toBe(MAYA);
    expect(e.description).toContain(`duet://meeting/${e.extendedProperties?.private?.duetMeetingId}`);
  }
  expect(tagged.map((e) => e.summary)).not.toContain('Priya / Maya');
  expect(tagged.map((e) => e.summary)).not.toContain('Platform team weekly');
  await activity.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${shots}/link-imported-on.png`, fullPage: true });

  // Off: everything it added is removed, with the log to show it.
  await setCheckedSettled(option, false);
  await expect(activity).toContainText('Removed the Duet link from “Maya / Sam”', { timeout: 30_000 });
  await expect
    .poll(async () => (await stored()).filter((e) => e.extendedProperties?.private?.duetLinkAdded).length, {
      timeout: 15_000,
    })
    .toBe(0);
  const after = await stored();
  for (const e of tagged) {
    const now = after.find((x) => x.id === e.id);
    // Graph has no "no body": one that had none reads back as an empty one.
    expect(now?.description ?? '', e.summary).toBe(original.get(e.id as string) ?? '');
    // Graph cannot delete a single-value extended property; Duet blanks it, which reads as no tag.
    expect(now?.extendedProperties?.private?.duetMeetingId ?? '').toBe('');
  }
  await expect(option).not.toBeChecked();
  await context.close();
});
