// Calendar sync as the app assembles it (createMainServices): sign in to the sandbox, the import
// arrives as one replace batch, the cursor is stored on ack, push is on in sandbox mode through
// the embedded sync server's relay, a sandbox edit reaches the app as a batch with no poll, and
// disconnect stops the channel. No test doubles: the real services, SDKs, relay and sandbox.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createNodePlatform } from '../../../src-main/platform/node';
import { createMainServices } from '../../../src-main/services/create';
import { startEmbeddedSyncServer } from '../../../src-main/services/embedded-sync';
import { jsonFileStore } from '../../../src-main/storage/json-file';
import type { CalendarBatch } from '../../../src-shared/bridge/contract';
import { isTombstone } from '../../../src-shared/calendar/change-schema';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { DANA, MAYA, SAM } from '../../support/seed-people';
import { playBrowser } from '../signin/support/harness';

let sb: TestSandbox;
let dir: string;
let services: Awaited<ReturnType<typeof createMainServices>>;

beforeAll(async () => {
  sb = await startTestSandbox();
  dir = mkdtempSync(join(tmpdir(), 'duet-app-sync-'));
  services = await createMainServices({
    mode: 'web',
    platform: createNodePlatform({ userData: dir, version: 'test' }),
    store: jsonFileStore(join(dir, 'settings.json')),
    startEmbeddedSyncServer: (trust) => startEmbeddedSyncServer(join(dir, 'sync-server'), trust),
    sandboxIssuer: sb.issuer,
    env: {},
  });
});
afterAll(async () => {
  await services?.stop();
  await sb?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function nextBatch(timeoutMs = 15_000): Promise<CalendarBatch> {
  await expect
    .poll(() => services.calendarSync.nextBatch(), { timeout: timeoutMs, interval: 20 })
    .not.toBeNull();
  return services.calendarSync.nextBatch() as CalendarBatch;
}

it('imports on connect, pushes edits through the embedded relay, and stops the channel on disconnect', async () => {
  await expect.poll(() => services.syncServer.info().state, { timeout: 10_000 }).toBe('running');
  const start = await services.accounts.connect('sandbox');
  await playBrowser(sb, start.authUrl, MAYA);
  await expect.poll(() => services.accounts.list().length, { timeout: 10_000 }).toBe(1);
  const account = services.accounts.list()[0]!;
  expect(account.provider).toBe('microsoft');

  const ready: string[] = [];
  services.calendarSync.onBatchReady((id) => ready.push(id));
  const initial = await nextBatch();
  expect(initial).toMatchObject({ accountId: account.id, kind: 'initial', replace: true, self: MAYA });
  const titles = initial.changes.filter((c) => !isTombstone(c)).map((c) => (c as { title: string }).title);
  expect(titles).toContain('Maya / Sam');
  expect(services.calendarSync.status(account.id).lastSyncAt).toBe(0);
  services.calendarSync.ackBatch(initial.id, true);
  expect(services.calendarSync.nextBatch()).toBeNull();
  expect(services.calendarSync.status(account.id).lastSyncAt).toBeGreaterThan(0);

  // Sandbox mode: push through the embedded server's relay.
  await expect.poll(() => services.calendarSync.status(account.id).push, { timeout: 10_000 }).toBe(true);
  const when = new Date(Date.now() + 2 * 86_400_000);
  when.setUTCHours(13, 0, 0, 0);
  await sb.admin.createEvent({
    summary: 'Maya / Sam pushed',
    attendees: [{ email: SAM }],
    start: { dateTime: when.toISOString() },
    end: { dateTime: new Date(when.getTime() + 1_800_000).toISOString() },
  });
  const pushed = await nextBatch(5_000);
  expect(pushed.kind).toBe('incremental');
  expect(pushed.changes.some((c) => !isTombstone(c) && c.title === 'Maya / Sam pushed')).toBe(true);
  expect(ready.length).toBeGreaterThanOrEqual(2);
  services.calendarSync.ackBatch(pushed.id, true);

  // The directory comes through the same account.
  const people = await services.calendarSync.directory(account.id);
  expect(people.find((p) => p.relation === 'manager')?.email).toBe(DANA);

  await services.accounts.disconnect(account.id);
  expect((await sb.admin.push()).subscriptions).toHaveLength(0);
  expect(services.calendarSync.syncNow(account.id)).toBe(false);
});

it('both sandbox faces sync with push on, and again after a restart on the same data (sandbox started after main)', async () => {
  const restartDir = mkdtempSync(join(tmpdir(), 'duet-app-sync-restart-'));
  const start = () =>
    createMainServices({
      mode: 'web',
      platform: createNodePlatform({ userData: restartDir, version: 'test' }),
      store: jsonFileStore(join(restartDir, 'settings.json')),
      startEmbeddedSyncServer: (trust) => startEmbeddedSyncServer(join(restartDir, 'sync-server'), trust),
      sandboxIssuer: sb.issuer,
      env: {},
    });
  /** Acknowledges every batch (as the renderer does) until each account has synced with push on. */
  const settle = async (app: Awaited<ReturnType<typeof start>>, count: number) => {
    await expect
      .poll(
        () => {
          const batch = app.calendarSync.nextBatch();
          if (batch) app.calendarSync.ackBatch(batch.id, true);
          const list = app.accounts.list();
          return list.length === count && list.every((a) => {
            const s = app.calendarSync.status(a.id);
            return s.lastSyncAt > 0 && s.push && s.lastError === '';
          });
        },
        { timeout: 30_000, interval: 50 },
      )
      .toBe(true);
  };
  let app = await start();
  try {
    await expect.poll(() => app.syncServer.info().state, { timeout: 10_000 }).toBe('running');
    await playBrowser(sb, (await app.accounts.connect('sandbox')).authUrl, MAYA);
    await expect.poll(() => app.accounts.list().length, { timeout: 10_000 }).toBe(1);
    await playBrowser(sb, (await app.accounts.connect('google')).authUrl, SAM);
    await settle(app, 2);
    expect(app.accounts.list().map((a) => [a.provider, a.sandbox]).sort()).toEqual([
      ['google', true],
      ['microsoft', true],
    ]);
    await app.stop();

    // The second start finds two sandbox accounts before the sandbox service has read the
    // sandbox's endpoints: it must start anyway, and both accounts sync again with push on.
    app = await start();
    expect(app.sandbox.current()).toBeNull();
    await settle(app, 2);
  } finally {
    await app.stop();
    rmSync(restartDir, { recursive: true, force: true });
  }
}, 60_000);

it('with the in-app sandbox: a restart asks to reconnect (it forgot the sign-in), and after Reconnect sync and push work again', async () => {
  const restartDir = mkdtempSync(join(tmpdir(), 'duet-app-sync-inapp-'));
  // No sandboxIssuer: the sandbox runs inside main, started on first use, as for a newcomer.
  const start = () =>
    createMainServices({
      mode: 'web',
      platform: createNodePlatform({ userData: restartDir, version: 'test' }),
      store: jsonFileStore(join(restartDir, 'settings.json')),
      startEmbeddedSyncServer: (trust) => startEmbeddedSyncServer(join(restartDir, 'sync-server'), trust),
      env: {},
    });
  const synced = (app: Awaited<ReturnType<typeof start>>) => {
    const batch = app.calendarSync.nextBatch();
    if (batch) app.calendarSync.ackBatch(batch.id, true);
    const [a] = app.accounts.list();
    const s = a && app.calendarSync.status(a.id);
    return !!s && a.auth === 'connected' && s.lastSyncAt > 0 && s.push && s.lastError === '';
  };
  let app = await start();
  try {
    await expect.poll(() => app.syncServer.info().state, { timeout: 10_000 }).toBe('running');
    await playBrowser(sb, (await app.accounts.connect('sandbox')).authUrl, MAYA);
    await expect.poll(() => synced(app), { timeout: 30_000, interval: 50 }).toBe(true);
    await app.stop();

    app = await start();
    const id = app.accounts.list()[0]!.id;
    await expect.poll(() => app.accounts.list()[0]?.auth, { timeout: 30_000 }).toBe('needs-reconnect');
    expect(app.calendarSync.status(id).push).toBe(false);
    await playBrowser(sb, (await app.accounts.connect('sandbox', id)).authUrl, MAYA);
    await expect.poll(() => synced(app), { timeout: 30_000, interval: 50 }).toBe(true);
    expect(app.accounts.list().map((a) => a.id)).toEqual([id]);
  } finally {
    await app.stop();
    rmSync(restartDir, { recursive: true, force: true });
  }
}, 90_000);
