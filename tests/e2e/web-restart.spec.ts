/// <reference lib="dom" />
// The harness promise other suites rely on: a restart with the same --port and --data shows
// everything as before. The renderer's data lives in the browser under the page's origin
// (http://127.0.0.1:PORT), which a new launch secret does not change.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { startWebHostProcess, type WebHostProcess } from './support/web-host';

let dataDir: string;
let host: WebHostProcess | undefined;

test.beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'duet-e2e-restart-'));
});
test.afterAll(async () => {
  await host?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

test.setTimeout(120_000); // two host starts (tsx compiling on a shared machine) inside one test

test('a restart with the same port and data folder shows the same team, under a new secret', async ({
  page,
}) => {
  host = await startWebHostProcess({ dataDir, build: false });
  const first = host;
  await page.goto(`${first.url}#/team`);
  const form = page.getByRole('form', { name: 'Add a person' });
  await form.getByLabel('Name').fill('Rita Okafor');
  await form.getByLabel('Primary email').fill('rita.okafor@acme.test');
  await form.getByRole('button', { name: 'Add person' }).click();
  await expect(page.getByTestId('person').filter({ hasText: 'rita.okafor@acme.test' })).toBeVisible();

  await first.stop();
  host = await startWebHostProcess({ dataDir, port: first.port, build: false });
  expect(host.origin).toBe(first.origin);
  expect(host.secret).not.toBe(first.secret);

  await page.goto(`${host.url}#/team`);
  await expect(page.getByTestId('person').filter({ hasText: 'rita.okafor@acme.test' })).toBeVisible();
  // And the bridge answers under the new secret (Settings shows what main reports).
  await page.getByRole('navigation', { name: 'Sections' }).getByText('Settings', { exact: true }).click();
  await expect(page.getByText('Sandbox calendar', { exact: false }).first()).toBeVisible();
});
