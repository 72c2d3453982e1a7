/// <reference lib="dom" />
// A 1:1 between two apps (issue 10): Maya (manager) and Sam (her report) each run their own
// web-mode instance with their own data folder and sandbox sign-in, against one real sync server
// started here. Both import the seed calendar and open the same occurrence of their weekly 1:1,
// which both apps map to the same room (iCalendar UID + occurrence start). Topics, action items and
// shared notes typed by one appear for the other; presence and "Live" show; both go offline (the
// sync server stopped and the browser offline), edit, come back and converge; a reload keeps
// everything; presenting mode removes private notes from the DOM. Also: the calendar's links (Join,
// Open in calendar), a crafted Yjs update from a raw y-websocket client with Sam's token deleting
// Maya's topic (the server refuses it; the topic stays for both), and the private-note canary in
// no request the sandbox received (it records bodies for this spec).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { startSyncServer, type SyncServerHandle } from '../../sync-server';
import { startTestSandbox, type TestSandbox } from '../support/sandbox';
import { startWebHostProcess, type WebHostProcess } from './support/web-host';

const shots = 'tests/e2e/output/screenshots';
const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
const MAYA = 'maya.chen@acme.test';
const SAM = 'sam.rivera@acme.test';
const ZOOM = 'https://acme.zoom.us/j/5550100123';

let sandbox: TestSandbox | undefined;
let server: SyncServerHandle | undefined;
let serverPort = 0;
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
  sandbox = await startTestSandbox({ requireTrust: false, recordBodies: true });
  // The weekly 1:1 gets a Zoom link in its location (the series and its moved occurrence): the
  // meeting page shows it as "Join" whichever face (Google or Outlook) the apps read.
  for (const e of (await sandbox.admin.events()).events) {
    if (e.summary === 'Maya / Sam' && e.id) await sandbox.admin.patchEvent(e.id, { location: `Zoom: ${ZOOM}` });
  }
  serverData = mkdtempSync(join(tmpdir(), 'duet-e2e-sync-'));
  dirs.push(serverData);
  server = await startServer(0);
  serverPort = Number(new URL(server.url).port);
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

test.setTimeout(420_000); // two host starts, two sign-ins and imports, a server restart

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

/** Connects the sandbox calendar as `email` and takes the team suggestion named by `add`. */
async function signInAndImport(page: Page, email: string, add: string) {
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
  await page.getByTestId('team-suggestions').getByRole('button', { name: add, exact: true }).click();
  await expect(page.getByTestId('toast').filter({ hasText: /Added .* to your team/ })).toBeVisible({
    timeout: 30_000,
  });
}

/** Opens the first upcoming occurrence of the weekly "Maya / Sam" (the same one in both apps). */
async function openWeekly(page: Page) {
  await nav(page, 'Meetings');
  const link = page.getByRole('link', { name: 'Maya / Sam', exact: true }).first();
  await expect(link).toBeVisible({ timeout: 60_000 });
  await link.click();
  await expect(page.getByRole('heading', { level: 1, name: 'Maya / Sam' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Agenda' })).toBeVisible();
}

const region = (page: Page, name: string) => page.getByRole('region', { name });
const status = (page: Page) => page.getByTestId('connection');

async function addEntry(page: Page, regionName: string, label: string, button: string, text: string) {
  const r = region(page, regionName);
  await r.getByRole('textbox', { name: label }).fill(text);
  await r.getByRole('button', { name: button }).click();
  await expect(r.getByRole('listitem', { name: text })).toBeVisible();
}
const addTopic = (page: Page, text: string) => addEntry(page, 'Agenda', 'New topic', 'Add topic', text);
const addItem = (page: Page, text: string) =>
  addEntry(page, 'Action items', 'New action item', 'Add action item', text);

/** Types at the end of the shared notes, as a person does. */
async function typeNotes(page: Page, text: string) {
  const editor = region(page, 'Shared notes').getByRole('textbox', { name: 'Shared notes text' });
  await editor.click();
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.type(text);
}
const notesOf = (page: Page) =>
  region(page, 'Shared notes').getByRole('textbox', { name: 'Shared notes text' });

/** A raw client (not the app) with `email`'s token deletes the topic `text`; resolves with the close code. */
async function craftedTopicDeletion(roomId: string, email: string, text: string): Promise<number> {
  const token = await sandbox!.idToken(email, { aud: 'duet-sandbox' });
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(server!.url, roomId, doc, {
    params: { token },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  try {
    await new Promise<void>((resolve) => provider.once('sync', () => resolve()));
    const closed = new Promise<number>((resolve) =>
      provider.on('connection-close', (event: CloseEvent | null) => resolve(event?.code ?? 0)),
    );
    const topics = doc.getMap<Y.Map<unknown>>('topics');
    const id = [...topics.entries()].find(([, t]) => t.get('text') === text)?.[0];
    expect(id).toBeTruthy();
    topics.delete(id!);
    return await closed;
  } finally {
    provider.destroy();
    provider.awareness.destroy();
    doc.destroy();
  }
}

/** The topics' texts in the room as the server holds them, read by a fresh raw client (Maya's token). */
async function topicsOnServer(roomId: string): Promise<string[]> {
  const token = await sandbox!.idToken(MAYA, { aud: 'duet-sandbox' });
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(server!.url, roomId, doc, {
    params: { token },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  try {
    await new Promise<void>((resolve) => provider.once('sync', () => resolve()));
    return [...doc.getMap<Y.Map<unknown>>('topics').values()].map((t) => String(t.get('text')));
  } finally {
    provider.destroy();
    provider.awareness.destroy();
    doc.destroy();
  }
}

test('a 1:1 live between Maya’s and Sam’s apps: agenda, items, notes, presence, offline, reload, presenting', async ({
  browser,
}) => {
  const maya = await openApp(browser, hosts[0]!);
  const sam = await openApp(browser, hosts[1]!);
  // Maya adds her reports; Sam adds his manager, whose 1:1s with him then count.
  await signInAndImport(maya.page, MAYA, 'Add all');
  await signInAndImport(sam.page, SAM, 'Add Maya Chen');
  const m = maya.page;
  const s = sam.page;
  await openWeekly(m);
  await openWeekly(s);
  await expect(status(m)).toHaveText('Live', { timeout: 30_000 });
  await expect(status(s)).toHaveText('Live', { timeout: 30_000 });

  // The time is the calendar's: read-only, with the event's own page and its video link.
  for (const p of [m, s]) {
    await expect(p.getByRole('link', { name: 'Open in calendar' })).toHaveAttribute(
      'href',
      // The sandbox's Outlook page (Graph webLink) or Google page (htmlLink), by the face signed in.
      /^https:\/\/127\.0\.0\.1:\d+\/(owa\/\?itemid=|calendar\/event\?eid=)/,
    );
    await expect(p.getByRole('button', { name: 'Join' })).toHaveAttribute('href', ZOOM);
  }

  // Each sees the other here.
  await expect(m.getByRole('list', { name: 'Who is here' })).toContainText('Sam Rivera is here');
  await expect(s.getByRole('list', { name: 'Who is here' })).toContainText('Maya Chen is here');

  // What one types appears for the other.
  await addTopic(m, 'Promotion case: next steps');
  await expect(
    region(s, 'Agenda').getByRole('listitem', { name: 'Promotion case: next steps' }),
  ).toBeVisible();
  await addTopic(s, 'https://example.com/design-doc');
  await expect(
    region(m, 'Agenda').getByRole('link', { name: 'https://example.com/design-doc' }),
  ).toBeVisible();
  await addItem(s, 'Draft the promotion packet');
  await expect(
    region(m, 'Action items').getByRole('listitem', { name: 'Draft the promotion packet' }),
  ).toBeVisible();
  // Reorder by drag (Maya) and by keyboard (Sam); assign an item: the other side follows.
  const agendaOrder = (p: Page) =>
    region(p, 'Agenda')
      .getByRole('listitem')
      .evaluateAll((lis) => lis.map((li) => li.getAttribute('aria-label')));
  await region(m, 'Agenda')
    .getByRole('listitem', { name: 'https://example.com/design-doc' })
    .dragTo(region(m, 'Agenda').getByRole('listitem', { name: 'Promotion case: next steps' }));
  await expect
    .poll(() => agendaOrder(s))
    .toEqual(['https://example.com/design-doc', 'Promotion case: next steps']);
  await region(s, 'Agenda').getByRole('listitem', { name: 'https://example.com/design-doc' }).focus();
  await s.keyboard.press('Alt+ArrowDown');
  await expect
    .poll(() => agendaOrder(m))
    .toEqual(['Promotion case: next steps', 'https://example.com/design-doc']);
  await region(m, 'Action items')
    .getByRole('combobox', { name: 'Assignee: Draft the promotion packet' })
    .selectOption(SAM);
  await expect(
    region(s, 'Action items').getByRole('combobox', { name: 'Assignee: Draft the promotion packet' }),
  ).toHaveValue(SAM);

  // Only the author may delete a topic: Sam has no delete button on Maya's.
  await expect(
    region(s, 'Agenda')
      .getByRole('listitem', { name: 'Promotion case: next steps' })
      .getByRole('button', { name: 'Delete topic' }),
  ).toHaveCount(0);
  // Nor can a modified client: a raw y-websocket client with Sam's token deletes it anyway, and
  // the server refuses the update (4422): neither stored nor relayed.
  const roomId = await status(m).getAttribute('data-room');
  expect(roomId).toBeTruthy();
  expect(await status(s).getAttribute('data-room')).toBe(roomId);
  expect(await craftedTopicDeletion(roomId!, SAM, 'Promotion case: next steps')).toBe(4422);
  for (const p of [m, s])
    await expect(region(p, 'Agenda').getByRole('listitem', { name: 'Promotion case: next steps' })).toBeVisible();
  expect(await topicsOnServer(roomId!)).toContain('Promotion case: next steps');

  await typeNotes(m, 'Goals for Q1');
  await region(m, 'Shared notes').getByRole('button', { name: 'Heading' }).click();
  await m.keyboard.press('End');
  await m.keyboard.press('Enter');
  await m.keyboard.type('[ ] ship the packet');
  await expect(notesOf(s)).toContainText('Goals for Q1');
  await expect(notesOf(s)).toContainText('ship the packet');
  await expect(notesOf(s).locator('h2')).toHaveText('Goals for Q1');
  await expect(notesOf(s).locator('ul[data-type="taskList"]')).toContainText('ship the packet');
  // Sam types in the notes too: Maya sees where he is, and his caret with his name.
  await typeNotes(s, ' (Sam: by Friday)');
  await expect(m.getByRole('list', { name: 'Who is here' })).toContainText(
    'Sam Rivera is here, typing in Shared notes',
  );
  await expect(notesOf(m).locator('.collaboration-carets__label')).toHaveText('Sam Rivera');
  await expect(notesOf(m)).toContainText('(Sam: by Friday)');

  await m.evaluate(() => window.scrollTo(0, 0));
  await m.screenshot({ path: `${shots}/meeting-live.png`, fullPage: true });
  // Maya's private note stays on her side.
  const privateBox = m.getByRole('complementary', { name: 'Private notes' }).getByRole('textbox');
  await privateBox.fill('canary-private-e2e-41');
  await expect(s.locator('body')).not.toContainText('canary-private-e2e-41');

  // Both offline: the sync server stops and both browsers lose the network.
  await server!.close();
  await maya.context.setOffline(true);
  await sam.context.setOffline(true);
  await expect(status(m)).toHaveText('Offline', { timeout: 30_000 });
  await expect(status(s)).toHaveText('Offline', { timeout: 30_000 });
  await addTopic(m, 'Written by Maya offline');
  await addItem(s, 'Written by Sam offline');
  await typeNotes(s, ' offline-note-from-sam');
  await region(m, 'Action items').getByRole('checkbox', { name: 'Done: Draft the promotion packet' }).check();

  // Back: the same server (same port, same data) and the network; both converge.
  server = await startServer(serverPort);
  await maya.context.setOffline(false);
  await sam.context.setOffline(false);
  await expect(status(m)).toHaveText('Live', { timeout: 60_000 });
  await expect(status(s)).toHaveText('Live', { timeout: 60_000 });
  for (const p of [m, s]) {
    await expect(region(p, 'Agenda').getByRole('listitem', { name: 'Written by Maya offline' })).toBeVisible({
      timeout: 30_000,
    });
    await expect(
      region(p, 'Action items').getByRole('listitem', { name: 'Written by Sam offline' }),
    ).toBeVisible({ timeout: 30_000 });
    await expect(
      region(p, 'Action items').getByRole('checkbox', { name: 'Done: Draft the promotion packet' }),
    ).toBeChecked();
    await expect(notesOf(p)).toContainText('offline-note-from-sam');
  }
  const order = async (p: Page) =>
    region(p, 'Agenda')
      .getByRole('listitem')
      .evaluateAll((lis) => lis.map((li) => li.getAttribute('aria-label')));
  expect(await order(m)).toEqual(await order(s));

  // A reload keeps everything, before and after the sync server answers.
  await s.reload();
  await expect(region(s, 'Agenda').getByRole('listitem', { name: 'Written by Maya offline' })).toBeVisible();
  await expect(notesOf(s)).toContainText('offline-note-from-sam');
  await expect(status(s)).toHaveText('Live', { timeout: 30_000 });
  await expect(s.locator('body')).not.toContainText('canary-private-e2e-41');
  await expect(region(s, 'Agenda').getByRole('listitem', { name: 'Promotion case: next steps' })).toBeVisible();

  // Presenting mode: Maya's private notes leave the DOM, and a status says so.
  await m.getByRole('button', { name: 'Presenting mode' }).click();
  await expect(m.getByRole('status').filter({ hasText: 'Presenting' })).toBeVisible();
  await expect(m.getByRole('complementary', { name: 'Private notes' })).toHaveCount(0);
  expect(await m.content()).not.toContain('canary-private-e2e-41');
  await m.evaluate(() => window.scrollTo(0, 0));
  await m.screenshot({ path: `${shots}/meeting-presenting.png`, fullPage: true });
  await m.getByRole('button', { name: 'Presenting mode' }).click();
  await expect(m.getByRole('complementary', { name: 'Private notes' }).getByRole('textbox')).toHaveValue(
    'canary-private-e2e-41',
  );
  // Web mode has no separate windows: no button for one.
  await expect(m.getByRole('button', { name: 'Open in own window' })).toHaveCount(0);

  // The canary never reached the sandbox: not in any request's query or body it received (and
  // the recording did see the apps' requests with bodies: sign-in's token exchanges).
  const recorded = await sandbox!.admin.recordedRequests();
  expect(recorded.bodiesComplete).toBe(true);
  expect(recorded.requests.filter((r) => r.body).length).toBeGreaterThan(0);
  expect(JSON.stringify(recorded.requests)).not.toContain('canary-private-e2e-41');

  // Up next, as Maya sees it after the meeting.
  await nav(m, 'Up next');
  await expect(m.getByRole('heading', { level: 1, name: 'Up next' })).toBeVisible();
  await m.screenshot({ path: `${shots}/up-next.png`, fullPage: true });

  await maya.context.close();
  await sam.context.close();
});
