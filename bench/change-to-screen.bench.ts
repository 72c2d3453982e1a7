// Change-to-screen: a person moves a 1:1 in the sandbox calendar; how long until Duet's renderer
// shows the new time? The whole pipeline, nothing stubbed: the sandbox (in this process), the
// web-mode host pointed at it with --sandbox (its own process), Chromium driving the real UI.
// Maya connects the sandbox calendar from Settings → Calendars, adds the suggested team, then
// the bench moves one single 1:1 by a few minutes through the sandbox's admin API, EDITS times,
// and waits (page.waitForFunction) for the Meetings list to show the new time.
// First with push on (sandbox → sync server relay → scheduler → renderer), then with push
// dropped, where only the poll catches up: its floor is one minute (settings `pollMinutes` = 1,
// written into the host's settings file before it starts), so that phase measures fewer edits.
// Baseline, measured in the same run: the bare round trip, the admin edit until the provider's
// own API (the Google face, read with the SDK) returns the new start.
// Usage: npm run bench -- change-to-screen
//        (C2S_EDITS=50, C2S_DROPPED_EDITS=4 to change the counts; printed, never a gate)
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { chromium, type Page } from 'playwright-core';
// @ts-expect-error plain ESM helper without types
import { findChromium } from '../scripts/ensure-browser.mjs';
import { googleCalendarClient } from '../src-main/calendar/sdk-clients';
import { startSandbox } from '../sandbox/server';
import { SandboxAdmin } from '../tests/support/sandbox';
import { startWebHostProcess } from '../tests/e2e/support/web-host';

const EDITS = Number(process.env.C2S_EDITS ?? 50);
const DROPPED_EDITS = Number(process.env.C2S_DROPPED_EDITS ?? 4);
const MAYA = 'maya.chen@acme.test';
const SAM = 'sam.rivera@acme.test';
const MINUTE = 60_000;
const TITLE = 'Maya / Sam bench 1:1';

// The launch flags of playwright.config.ts: a closed network, no first-run noise.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1));
  return s[i] as number;
};
const ms = (x: number): string => (x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : `${x.toFixed(0)} ms`);

/** Resolves when some meeting row in the page shows [start, end] exactly as the UI formats it. */
function shows(page: Page, start: number, end: number, timeoutMs: number): Promise<unknown> {
  // No named function inside: tsx would wrap it in a `__name` helper the page does not have.
  // The format is meeting-format.ts timeRange's: the browser's locale, hour numeric, minute 2-digit.
  return page.waitForFunction(
    ([s, e]) => {
      const opts: Intl.DateTimeFormatOptions = { hour: 'numeric', minute: '2-digit' };
      const want = `${new Date(s).toLocaleTimeString(undefined, opts)} – ${new Date(e).toLocaleTimeString(undefined, opts)}`;
      // The Meetings list's row (.mrow__time) or Up next's (.meeting__time).
      return Array.from(
        document.querySelectorAll('[data-testid="meeting"] .mrow__time, [data-testid="meeting"] .meeting__time'),
      ).some(
        (el) => el.textContent === want,
      );
    },
    [start, end] as const,
    { timeout: timeoutMs }, // polled every animation frame
  );
}

async function main(): Promise<void> {
  const executablePath = (findChromium as () => string | null)();
  if (!executablePath) throw new Error('No Chromium found: run `node scripts/ensure-browser.mjs` first.');

  const sb = await startSandbox({ autoApprove: true });
  const admin = new SandboxAdmin(sb.adminUrl, sb.caCertPath);
  const dataDir = mkdtempSync(join(tmpdir(), 'duet-c2s-'));
  // The poll's floor (one minute) for the push-dropped phase; settings.json is the host's store.
  writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ settings: { pollMinutes: 1 } }));
  const host = await startWebHostProcess({ dataDir, args: ['--sandbox', sb.issuer] });
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  try {
    // One single (non-recurring) 1:1 tomorrow at 10:00 local, the event every edit moves.
    const base = new Date();
    base.setDate(base.getDate() + 1);
    base.setHours(10, 0, 0, 0);
    const created = await admin.createEvent({
      summary: TITLE,
      organizer: { email: MAYA },
      attendees: [
        { email: MAYA, responseStatus: 'accepted' },
        { email: SAM, responseStatus: 'accepted' },
      ],
      start: { dateTime: new Date(base.getTime()).toISOString() },
      end: { dateTime: new Date(base.getTime() + 30 * MINUTE).toISOString() },
      calendarId: MAYA,
    });
    const eventId = (created as { id: string }).id;

    // A fresh profile: the sandbox's sign-in pages are plain http on loopback, no warning to skip.
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${host.url}#/settings`);
    // The sign-in opens in a new tab (web mode); the sandbox approves it by itself.
    const signInTab = context.waitForEvent('page', { timeout: 60_000 }).catch(() => null);
    await page.getByRole('button', { name: 'Connect sandbox calendar' }).click();
    const tab = await signInTab;
    const t0 = performance.now();
    await page
      .getByRole('button', { name: 'Add all' })
      .click({ timeout: 120_000 })
      .catch(async (err: unknown) => {
        // What the user would see instead: the page's words and the sign-in tab's.
        console.error(await page.innerText('body').catch(() => ''));
        console.error(tab ? await tab.innerText('body').catch(() => '') : '(no sign-in tab opened)');
        throw err;
      });
    console.log(`connected as Maya and imported in ${ms(performance.now() - t0)} (until "Add all")`);
    await tab?.close().catch(() => undefined);
    await page.goto(`${host.url}#/meetings`);
    // Baseline: the bare edit → provider-visible round trip (admin PATCH, then the SDK's GET).
    const ca = readFileSync(sb.caCertPath, 'utf8');
    const cal = googleCalendarClient(sb.googleRootUrl, await admin.accessToken(MAYA, 'google'), { retry: false, ca });
    let step = 0;
    let last = { start: base.getTime(), end: base.getTime() + 30 * MINUTE };
    const nextSlot = (): { start: number; end: number } => {
      // A distinct slot every time (3 minutes apart, cycling within the morning) so no earlier
      // state of the row can satisfy the wait.
      step++;
      const start = base.getTime() + ((step % 60) + 1) * 3 * MINUTE + (Math.floor(step / 60) % 2) * 4 * 60 * MINUTE;
      last = { start, end: start + 30 * MINUTE };
      return last;
    };
    const move = (slot: { start: number; end: number }) =>
      admin.patchEvent(eventId, {
        start: { dateTime: new Date(slot.start).toISOString() },
        end: { dateTime: new Date(slot.end).toISOString() },
      });

    // One untimed move first: the page reload above may land before "Add all" re-ran detection
    // (the window that leads next catches up), and this settles the row the edits then move.
    await move(nextSlot());
    await shows(page, last.start, last.end, 120_000);

    const baseline: number[] = [];
    for (let i = 0; i < EDITS; i++) {
      const slot = nextSlot();
      const t = performance.now();
      await move(slot);
      for (;;) {
        const { data } = await cal.events.get({ calendarId: MAYA, eventId });
        if (data.start?.dateTime && Date.parse(data.start.dateTime) === slot.start) break;
      }
      baseline.push(performance.now() - t);
    }
    // Let the renderer settle on the last baseline move before timing.
    await shows(page, last.start, last.end, 120_000);

    const measure = async (n: number, timeoutMs: number): Promise<number[]> => {
      const out: number[] = [];
      for (let i = 0; i < n; i++) {
        const slot = nextSlot();
        const t = performance.now();
        await move(slot);
        await shows(page, slot.start, slot.end, timeoutMs);
        out.push(performance.now() - t);
        if (process.env.C2S_DEBUG) {
          const deltas = (await admin.requests('/v1.0')).filter((r) => r.path.includes('delta')).length;
          const texts = await page.locator('[data-testid="meeting"]').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
          console.log(new Date().toISOString(), 'edit', new Date(slot.start).toTimeString().slice(0, 5), 'deltas so far', deltas, texts.filter((x) => /10:[12]/.test(x ?? '')));
        }
      }
      return out;
    };

    const withPush = await measure(EDITS, 30_000);
    // Push dropped: every notification the sandbox would send is lost; only the poll remains.
    await admin.fault({ kind: 'dropPush', count: 1_000_000 });
    const dropped = await measure(DROPPED_EDITS, 3 * MINUTE);
    if (process.env.C2S_DEBUG) {
      console.log(JSON.stringify(await admin.push(false), null, 1).slice(-3000));
      console.log(JSON.stringify((await admin.requests('/v1.0')).slice(-12)));
    }
    await admin.clearFaults();

    const b50 = quantile(baseline, 0.5);
    const row = (name: string, xs: number[]) =>
      console.log(
        `${name.padEnd(34)} n=${String(xs.length).padStart(2)}  p50 ${ms(quantile(xs, 0.5)).padStart(8)}  p95 ${ms(quantile(xs, 0.95)).padStart(8)}  max ${ms(Math.max(...xs)).padStart(8)}  p50 ×${(quantile(xs, 0.5) / b50).toFixed(1)} baseline`,
      );
    console.log('\nchange-to-screen (sandbox edit → the renderer shows the new time)');
    row('baseline: edit → provider API', baseline);
    row('with push', withPush);
    row('push dropped (poll every 1 min)', dropped);
    console.log(`target with push: p95 under 1 s → ${quantile(withPush, 0.95) < 1000 ? 'met' : 'not met'}`);
    await context.close();
  } finally {
    await browser.close().catch(() => undefined);
    await host.stop();
    await sb.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
