/// <reference lib="dom" />
// The real renderer, served by the real web-mode host, in Chromium: every section reachable,
// the bridge alive (Settings shows data from main), the CSP in force, screenshots saved.
import { expect, test } from '@playwright/test';

const SECTIONS = ['Up next', 'Meetings', 'Team', 'Settings'] as const;
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
