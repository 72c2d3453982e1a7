// The host killed for real (SIGKILL of its OS process) after the first page of an import, then
// started again on the same data folder: the cursor was never stored, the new process imports the
// whole window again as one replace batch, nothing lost, nothing twice (docs/architecture.md §6).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createGraphProvider } from '../../../src-main/calendar/graph-provider';
import { createNodePlatform } from '../../../src-main/platform/node';
import { createMainServices } from '../../../src-main/services/create';
import { startEmbeddedSyncServer } from '../../../src-main/services/embedded-sync';
import { jsonFileStore } from '../../../src-main/storage/json-file';
import { isTombstone } from '../../../src-shared/calendar/change-schema';
import { defaultScenario } from '../../../sandbox/seed';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { MAYA, SAM } from '../../support/seed-people';
import { playBrowser } from '../signin/support/harness';

const HOST = join(import.meta.dirname, 'support', 'host-process.ts');
const DAY = 86_400_000;

let sb: TestSandbox;
let dir: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  // The seed, plus enough events for several pages of Graph's calendarView/delta (the product asks
  // 100 a page), loaded with the seed rather than one admin call each.
  const seed = defaultScenario(new Date());
  const base = Date.now() - 20 * DAY;
  const events = (seed.events ??= []);
  for (let i = 0; i < 160; i++) {
    const start = new Date(base + i * 6 * 3_600_000);
    events.push({
      summary: `Working session ${i}`,
      organizer: { email: MAYA },
      attendees: [{ email: MAYA }, { email: SAM }],
      start: { dateTime: start.toISOString() },
      end: { dateTime: new Date(start.getTime() + 1_800_000).toISOString() },
      calendarId: MAYA,
    });
  }
  sb = await startTestSandbox({ seed });
  dir = mkdtempSync(join(tmpdir(), 'duet-host-killed-'));
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await sb?.close();
  rmSync(dir, { recursive: true, force: true });
});

function host(mode: 'freeze' | 'ack'): { child: ChildProcess; lines: AsyncIterator<string>; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', HOST, dir, sb.issuer, mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, lines: createInterface({ input: child.stdout! })[Symbol.asyncIterator](), exited };
}

async function nextLine(lines: AsyncIterator<string>, timeoutMs = 30_000): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no output from the host within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const r = await Promise.race([lines.next(), timeout]);
    if (r.done) throw new Error('the host ended its output');
    return r.value;
  } finally {
    clearTimeout(timer);
  }
}

const cursorKeys = (): string[] => {
  const stored = JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8')) as Record<string, unknown>;
  return Object.keys(stored).filter((k) => k.startsWith('calendarSync.'));
};

it('SIGKILL after the first page of an import, restart: the whole window once, no loss, no duplicate', async () => {
  // Sign in (Microsoft face of the sandbox) and stop before anything is acknowledged.
  const first = await createMainServices({
    mode: 'web',
    platform: createNodePlatform({ userData: dir, version: 'test' }),
    store: jsonFileStore(join(dir, 'settings.json')),
    startEmbeddedSyncServer: (trust) => startEmbeddedSyncServer(join(dir, 'sync-server'), trust),
    sandboxIssuer: sb.issuer,
    env: {},
  });
  await playBrowser(sb, (await first.accounts.connect('sandbox')).authUrl, MAYA);
  await expect.poll(() => first.accounts.list().length, { timeout: 10_000 }).toBe(1);
  await first.stop();
  expect(cursorKeys()).toEqual([]);

  // A host that is killed after the first page of its import.
  const frozen = host('freeze');
  expect(await nextLine(frozen.lines)).toBe('page 1');
  frozen.child.kill('SIGKILL');
  expect(await frozen.exited).toBeNull();
  expect(cursorKeys()).toEqual([]);

  // Restarted on the same folder: one replace batch with every event of the window, once.
  const again = host('ack');
  const batch = JSON.parse(await nextLine(again.lines)) as { kind: string; replace: boolean; ids: string[] };
  expect(batch).toMatchObject({ kind: 'initial', replace: true });
  expect(new Set(batch.ids).size).toBe(batch.ids.length);
  expect(await nextLine(again.lines)).toBe('synced');
  expect(await again.exited).toBe(0);
  expect(cursorKeys()).toHaveLength(1);

  const token = await sb.accessToken(MAYA, 'microsoft');
  const provider = createGraphProvider({ graphBaseUrl: sb.graphBaseUrl, accessToken: () => Promise.resolve(token), accountId: MAYA, ownerEmail: MAYA });
  const calendarId = (await provider.listCalendars()).find((c) => c.primary)!.id;
  const now = Date.now();
  const truth = (await provider.fullImport(calendarId, { from: now - 30 * DAY, to: now + 28 * DAY })).changes.filter((c) => !isTombstone(c)).map((c) => c.id);
  expect(truth.length).toBeGreaterThan(150);
  expect([...batch.ids].sort()).toEqual([...truth].sort());
}, 90_000);
