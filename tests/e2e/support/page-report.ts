/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// What a page was showing and what it complained about, for the failure output of a spec: CI
// keeps only the printed log, so a hang ("waiting for getByRole(...)") says nothing by itself.
// Collects uncaught errors, console errors and crashes from the moment it is attached.
import type { Page } from '@playwright/test';

export interface PageReport {
  /** The address, headings, alerts and every error seen, as a few printable lines. */
  describe(): Promise<string>;
}

export function watchPage(page: Page): PageReport {
  const seen: string[] = [];
  page.on('pageerror', (e) => seen.push(`uncaught: ${e.stack ?? e.message}`));
  page.on('console', (m) => {
    // RxDB's notice about its free storage is printed on every start and says nothing.
    if ((m.type() === 'error' || m.type() === 'warning') && !m.text().includes('RxDB Open Core'))
      seen.push(`console.${m.type()}: ${m.text()}`);
  });
  page.on('crash', () => seen.push('the page crashed'));
  return {
    async describe() {
      // The page may be the thing that hangs: never wait on it for long.
      const shown = await Promise.race([
        page
          .evaluate(() => {
            const texts = (sel: string) =>
              [...document.querySelectorAll(sel)].map((el) => (el.textContent ?? '').trim().slice(0, 200));
            return { headings: texts('h1, h2'), alerts: texts('[role=alert], [role=status]') };
          })
          .catch((e: unknown) => ({ failed: String(e) })),
        new Promise((resolve) => setTimeout(() => resolve({ failed: 'the page did not answer in 3 s' }), 3000)),
      ]);
      return [
        `page: ${page.url()}`,
        `showing: ${JSON.stringify(shown)}`,
        ...(seen.length ? seen.slice(-30) : ['no errors seen']),
      ].join('\n');
    },
  };
}
