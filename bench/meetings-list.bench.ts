// The Meetings list with 5,000 meetings (issue 10's figure: first render and a scroll, under
// 200 ms), in the real browser: Debian's Chromium through Playwright, driving the real component
// (features/meetings/MeetingsView.tsx with its windowed list, the app's stylesheet) in a page
// built by Vite from bench/meetings-list/ (harness.tsx) and served on loopback. Every time is
// taken inside the page (performance.now()).
//  - first render: createRoot + render of the whole screen (tabs, filters, the list) until laid
//    out (forced layout), and until the next frame;
//  - one scroll: scrollTop jumps to the middle of the list, until the rows there are in the DOM
//    and a frame has been painted;
//  - one keystroke of search over all 5,000 (titles, names, agenda, items, ~500 characters of
//    notes each) until the tab counts show the result.
// Baseline, same run and page: the first render of 50 meetings (below the windowing threshold,
// all rows in the DOM). Figures are medians over ROUNDS; ratios are against the baseline median.
// Not included: RxDB reading 5,000 documents (the screen's live query), measured by the import
// bench's store figures.
// Usage: npm run bench -- meetings-list   (ROUNDS=15, MEETINGS=5000 to change them)
import { createReadStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { chromium } from 'playwright-core';
import { build } from 'vite';
// @ts-expect-error plain ESM helper without types
import { findChromium } from '../scripts/ensure-browser.mjs';

const ROUNDS = Number(process.env.ROUNDS ?? 15);
const MEETINGS = Number(process.env.MEETINGS ?? 5000);
const BASELINE = 50;
const here = fileURLToPath(new URL('.', import.meta.url));
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

async function main(): Promise<void> {
  const executablePath = (findChromium as () => string | null)();
  if (!executablePath) throw new Error('No Chromium found: run `node scripts/ensure-browser.mjs` first.');
  const outDir = mkdtempSync(join(tmpdir(), 'duet-list-bench-'));
  await build({
    root: resolve(here, 'meetings-list'),
    base: './',
    logLevel: 'error',
    plugins: [react()],
    build: { outDir, emptyOutDir: true, minify: true },
  });
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(
      /^(\.\.[/\\])+/,
      '',
    );
    const file = join(outDir, path === '/' ? 'index.html' : path);
    if (!file.startsWith(outDir) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction(() => document.title === 'ready');
    // Strings, not functions: tsx would wrap a function in a helper the page does not have.
    const call = <T>(expr: string) => page.evaluate(`window.__bench.${expr}`) as Promise<T>;

    const base: number[] = [];
    const baseFrame: number[] = [];
    const first: number[] = [];
    const firstFrame: number[] = [];
    const scroll: number[] = [];
    const searchMs: number[] = [];
    let rows = 0;
    let shown = '';
    // One warm-up round of each, uncounted (JIT, style caches), then interleaved rounds, so a
    // busy moment on the machine lands on both sides of the ratio.
    await call(`render(${BASELINE})`);
    await call(`render(${MEETINGS})`);
    for (let i = 0; i < ROUNDS; i++) {
      const b50 = await call<{ sync: number; frame: number }>(`render(${BASELINE})`);
      base.push(b50.sync);
      baseFrame.push(b50.frame);
      const big = await call<{ sync: number; frame: number; rows: number }>(`render(${MEETINGS})`);
      first.push(big.sync);
      firstFrame.push(big.frame);
      rows = big.rows;
      const s = await call<{ ms: number }>(`scroll(${0.5 + (i % 5) / 20})`);
      scroll.push(s.ms);
      const q = await call<{ ms: number; upcoming: string }>(`search('zeppelin')`);
      searchMs.push(q.ms);
      shown = q.upcoming;
    }
    await call('unmount()');

    const b = median(base);
    const line = (name: string, xs: number[]) =>
      console.log(
        `${name.padEnd(46)} median ${median(xs).toFixed(1).padStart(7)} ms   min ${Math.min(...xs)
          .toFixed(1)
          .padStart(7)}   max ${Math.max(...xs)
          .toFixed(1)
          .padStart(7)}   ×${(median(xs) / b).toFixed(1)} baseline`,
      );
    console.log(
      `meetings list in Chromium, ${ROUNDS} rounds, ${MEETINGS} meetings (${rows} rows in the DOM)`,
    );
    line(`baseline: render ${BASELINE} meetings (laid out)`, base);
    line(`baseline: render ${BASELINE}, to next frame`, baseFrame);
    line(`first render of ${MEETINGS} (laid out)`, first);
    line(`first render of ${MEETINGS}, to next frame`, firstFrame);
    line('one scroll to the middle, rows painted', scroll);
    line(`search one word over ${MEETINGS} (tab shows "${shown.trim()}")`, searchMs);
    const worst = Math.max(median(firstFrame), median(scroll));
    console.log(`target: first render and a scroll under 200 ms → ${worst < 200 ? 'met' : 'not met'}`);
  } finally {
    await browser.close().catch(() => undefined);
    server.close();
    rmSync(outDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
