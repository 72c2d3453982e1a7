/// <reference lib="dom" />
// The real renderer, served by the real web-mode host, in Chromium: every section reachable,
// the bridge alive (Settings shows data from main), the CSP in force, screenshots saved.
import { expect, test } from '@playwright/test';

const SECTIONS = ['Up next', 'Meetings', 'Team', 'Settings', 'Inbox', 'Action items'] as const;
const shots = 'tests/e2e/output/screenshots';

const appUrl = () => {
  const url = process.env.DUET_E2E_URL;
  if (!url) throw new Error('DUET_E2E_URL is not set: the global setup did not start the web host.');
  return url;
};

test('web mode serves the app with the strict CSP and no console errors', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  const response = await page.goto(appUrl());
  expect(response?.status()).toBe(200);
  const csp = response?.headers()['content-security-policy'] ?? '';
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("frame-ancestors 'none'");
  await expect(page.getByRole('navigation', { name: 'Sections' })).toBeVisible();
  expect(errors).toEqual([]);
});

test('every section opens from the navigation, and a screenshot of each is saved', async ({ page }) => {
  await page.goto(appUrl());
  const nav = page.getByRole('navigation', { name: 'Sections' });
  for (const name of SECTIONS) {
    const item = nav.getByRole('button', { name, exact: true }).or(nav.getByRole('link', { name, exact: true }));
    await item.click();
    await expect(page.getByRole('heading', { level: 1, name, exact: true })).toBeVisible();
    await expect(item).toHaveAttribute('aria-current', 'page');
    await page.screenshot({ path: `${shots}/${name.toLowerCase().replace(/\s+/g, '-')}.png`, fullPage: true });
  }
});

test('keyboard shortcuts switch sections', async ({ page }) => {
  await page.goto(appUrl());
  await expect(page.getByRole('navigation', { name: 'Sections' })).toBeVisible();
  for (const [i, name] of SECTIONS.entries()) {
    await page.keyboard.press(`Control+${i + 1}`);
    await expect(page.getByRole('heading', { level: 1, name, exact: true })).toBeVisible();
  }
});

test('Settings shows what main reports over the bridge', async ({ page }) => {
  await page.goto(appUrl());
  await page.getByRole('navigation', { name: 'Sections' }).getByText('Settings', { exact: true }).click();
  // These strings come from main (calendar.providers), so they prove the WebSocket bridge works.
  await expect(page.getByText('Sandbox calendar', { exact: false }).first()).toBeVisible();
  await expect(page.getByText('Google Calendar', { exact: false }).first()).toBeVisible();
});

test('the bridge refuses a page that does not know the token', async ({ page }) => {
  await page.goto(appUrl());
  const outcome = await page.evaluate(async () => {
    const url = new URL('/bridge?token=wrong', document.location.href);
    url.protocol = 'ws:';
    return new Promise<string>((resolve) => {
      const ws = new WebSocket(url);
      ws.onopen = () => resolve('open');
      ws.onerror = () => resolve('refused');
    });
  });
  expect(outcome).toBe('refused');
});

test('the launch secret leaves the address bar, and a reload of the tab stays connected', async ({ page }) => {
  await page.goto(`${appUrl()}#/settings`);
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  expect(page.url()).not.toContain('token=');
  expect(new URL(page.url()).hash).toBe('#/settings');
  await page.reload();
  // Only main knows these strings: the reloaded tab reached the bridge with the kept secret.
  await expect(page.getByText('Sandbox calendar', { exact: false }).first()).toBeVisible();
});

test('a tab opened without the printed link explains what to open and reaches nothing', async ({ page }) => {
  const bridgeAttempts: string[] = [];
  page.on('websocket', (ws) => bridgeAttempts.push(ws.url()));
  const origin = new URL(appUrl()).origin;
  const response = await page.goto(`${origin}/`);
  // The page is the app's code only: neither the secret nor any data is in it.
  expect(await response?.text()).not.toContain(new URL(appUrl()).searchParams.get('token'));
  await expect(page.getByRole('alert')).toContainText('Open the link that `npm run start:web` printed');
  expect(bridgeAttempts).toEqual([]);
  // A link from another launch is refused outright.
  const stale = await page.goto(`${origin}/?token=from-an-earlier-launch`);
  expect(stale?.status()).toBe(401);
});

test('a person added on Team survives a reload (RxDB in IndexedDB) and delete can be undone', async ({ page }) => {
  await page.goto(`${appUrl()}#/team`);
  await expect(page.getByRole('heading', { level: 1, name: 'Team' })).toBeVisible();
  const people = [
    ['Sam Rivera', 'sam.rivera@acme.test', 'sam@acme-old.test'],
    ['Lee Park', 'lee.park@acme.test', ''],
    ['Ana Souza', 'ana.souza@acme.test', 'ana@acme.test'],
  ] as const;
  const form = page.getByRole('form', { name: 'Add a person' });
  for (const [name, email, aliases] of people) {
    await form.getByLabel('Name').fill(name);
    await form.getByLabel('Primary email').fill(email);
    await form.getByLabel('Aliases').fill(aliases);
    await form.getByRole('button', { name: 'Add person' }).click();
    await expect(page.getByTestId('person').filter({ hasText: email })).toBeVisible();
  }
  // The same address twice is refused with a message, and nothing is added.
  await form.getByLabel('Name').fill('Sam Again');
  await form.getByLabel('Primary email').fill('SAM@acme-old.test');
  await form.getByRole('button', { name: 'Add person' }).click();
  await expect(page.getByText(/already/i).first()).toBeVisible();
  await expect(page.getByTestId('person')).toHaveCount(3);

  await page.reload();
  await expect(page.getByTestId('person')).toHaveCount(3);
  await page.screenshot({ path: `${shots}/team-with-people.png`, fullPage: true });

  await page.getByRole('button', { name: 'Delete Lee Park' }).click();
  await expect(page.getByTestId('person')).toHaveCount(2);
  await page.getByTestId('toast').getByRole('button', { name: 'Undo' }).click();
  await expect(page.getByTestId('person').filter({ hasText: 'lee.park@acme.test' })).toBeVisible();
});
