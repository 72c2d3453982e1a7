/// <reference lib="dom" />
// "Shared with you" (issue 10): Maya's app gives her calendar 1:1s their rooms on a real sync
// server and writes each meeting's title, time and participants into its Y.Doc. Sam signs in to
// his own instance but does not add Maya to his team, so his detection takes none of their 1:1s;
// his Meetings list still shows them, marked "Shared with you", and one opens live. An action item
// Maya adds shows in Sam's Up next prep before he opens any of them (the background sync).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { startSyncServer, type SyncServerHandle } from '../../sync-server';
import { startTestSandbox, type TestSandbox } from '../support/sandbox';
import { followLink } from './support/settled';
import { startWebHostProcess, type WebHostProcess } from './support/web-host';

const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
const MAYA = 'maya.chen@acme.test';
const SAM = 'sam.rivera@acme.test';

let sandbox: TestSandbox | undefined;
let server: SyncServerHandle | undefined;
let serverData: string;
const hosts: WebHostProcess[] = [];
const dirs: string[] = [];

/** The sync server the apps share: LevelDB in a folder of its own, trusting the sandbox's sign-in. */
async function startServer(port: number): Promise<SyncServerHandle> {
  return startSyncServer({
    port,
    host: '127.0.0.1',
    dataDir: serverData,
    issuers: [sandbox!.issuer],
    microsoftIssuers: [`${sandbox!.microsoftAuthority}/v2.0`],
    audiences: ['duet-sandbox'],
    trustedCertificates: [readFileSync(sandbox!.caCertPath, 'utf8')],
    logLevel: 'warn',
  });
}

test.beforeAll(async () => {
  sandbox = await startTestSandbox({ requireTrust: false });
  serverData = mkdtempSync(join(tmpdir(), 'duet-e2e-sync-'));
  dirs.push(serverData);
  server = await startServer(0);
  for (const who of ['maya', 'sam']) {
    const dataDir = mkdtempSync(join(tmpdir(), `duet-e2e-${who}-`));
    dirs.push(dataDir);
    hosts.push(
      await startWebHostProcess({
        dataDir,
        build: false,
        args: ['--sandbox', sandbox.issuer, '--sync-server', server.url],
      }),
    );
  }
});
test.afterAll(async () => {
  for (const h of hosts) await h.stop();
  await server?.close();
  await sandbox?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

test.setTimeout(300_000); // two host starts, two sign-ins and imports

const nav = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name, exact: true }).click();

async function openApp(
  browser: Browser,
  host: WebHostProcess,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    ignoreHTTPSErrors: true,
    timezoneId: timeZone,
    viewport: { width: 1280, height: 900 },
  });
  const page = await context.newPage();
  await page.goto(`${host.url}#/settings`);
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  return { context, page };
}

/** Connects the sandbox calendar as `email` and, when `add` names one, takes that team suggestion. */
async function signInAndImport(page: Page, email: string, add?: string) {
  const popupOpened = page.waitForEvent('popup');
  await page.getByRole('button', { name: 'Connect sandbox calendar' }).click();
  const popup = await popupOpened;
  await popup.getByLabel(new RegExp(email.replace(/\./g, '\\.'))).check();
  await popup.getByRole('button', { name: 'Allow' }).click();
  await expect(page.getByTestId('sign-in-status')).toContainText('Connected to the sandbox calendar', {
    timeout: 60_000,
  });
  await popup.close();
  const account = page.getByRole('listitem', { name: email });
  await expect(account.getByTestId('import-summary')).toBeVisible({ timeout: 120_000 });
  if (!add) return;
  await page.getByTestId('team-suggestions').getByRole('button', { name: add, exact: true }).click();
  await expect(page.getByTestId('toast').filter({ hasText: /Added .* to your team/ })).toBeVisible({
    timeout: 30_000,
  });
}

test('a 1:1 Sam’s own detection did not take is listed for him as shared with him, and opens live', async ({
  browser,
}) => {
  const maya = await openApp(browser, hosts[0]!);
  const sam = await openApp(browser, hosts[1]!);
  await signInAndImport(maya.page, MAYA, 'Add all');
  await signInAndImport(sam.page, SAM); // Maya is not on Sam's team: his detection takes nothing
  const s = sam.page;
  await nav(s, 'Meetings');
  const shared = s
    .getByTestId('meeting')
    .filter({ hasText: 'Shared with you' })
    .filter({ hasText: 'Maya / Sam' });
  // Sam's app looks at the server at start, on changes and every few minutes; a reload is a start.
  await expect(async () => {
    await s.reload();
    await expect(shared.first()).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 120_000 });

  // Maya adds an action item to her next 1:1 with Sam; Sam's background sync brings it into his
  // Up next prep without him opening the meeting (docs/architecture.md §5 "Background sync").
  const m = maya.page;
  await nav(m, 'Meetings');
  await followLink(m.getByRole('link', { name: 'Maya / Sam', exact: true }).first());
  const items = m.getByRole('region', { name: 'Action items' });
  await items.getByRole('textbox', { name: 'New action item' }).fill('Bring the offsite budget');
  await items.getByRole('button', { name: 'Add action item' }).click();
  await expect(items.getByRole('listitem', { name: 'Bring the offsite budget' })).toBeVisible();
  await expect(m.getByTestId('connection')).toHaveText('Live', { timeout: 30_000 });
  // Passes run at start (a reload), on changes and every few minutes.
  await expect(async () => {
    await s.reload();
    await nav(s, 'Up next');
    await expect(s.getByRole('list', { name: /^Open action items with / }).first()).toContainText(
      'Bring the offsite budget',
      { timeout: 5_000 },
    );
  }).toPass({ timeout: 60_000 });

  await nav(s, 'Meetings');
  await followLink(shared.first().getByRole('link', { name: 'Maya / Sam', exact: true }));
  await expect(s.getByRole('heading', { level: 1, name: 'Maya / Sam' })).toBeVisible();
  await expect(s.getByTestId('connection')).toHaveText('Live', { timeout: 30_000 });
  await maya.context.close();
  await sam.context.close();
});
