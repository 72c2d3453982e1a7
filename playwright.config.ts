import { defineConfig } from '@playwright/test';
// @ts-expect-error plain ESM helper without types
import { findChromium } from './scripts/ensure-browser.mjs';

const executablePath: string | undefined = findChromium() ?? undefined;

export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'tests/e2e/output/results',
  globalSetup: './tests/e2e/global-setup.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  // Generous: the suite shares small machines with builds and other suites, where a page with
  // IndexedDB and a full-page screenshot has taken 30-40 s; a real hang still fails.
  timeout: 60_000,
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      ...(executablePath ? { executablePath } : {}),
      // A closed network: without these Chromium keeps dialling Google services and logging refusals.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});
