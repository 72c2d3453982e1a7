// Disconnecting a calendar leaves the events Duet created in place (docs/architecture.md §2
// "Lifecycle rules"; the meetings are kept too: disconnect-keeps-meetings.test.ts). Main's
// services as the app assembles them, both sandbox faces: Maya schedules a 1:1 through each
// account, disconnects both, and every event Duet made is still there, tagged and not cancelled.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodePlatform } from '../../../src-main/platform/node';
import { createMainServices } from '../../../src-main/services/create';
import { startEmbeddedSyncServer } from '../../../src-main/services/embedded-sync';
import { jsonFileStore } from '../../../src-main/storage/json-file';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { MAYA, NOOR } from '../../support/seed-people';
import { playBrowser } from '../signin/support/harness';

type Services = Awaited<ReturnType<typeof createMainServices>>;
const DAY = 86_400_000;

describe('Disconnect keeps the events Duet created', () => {
  let sb: TestSandbox;
  let dir: string;
  let services: Services;

  beforeAll(async () => {
    sb = await startTestSandbox();
    dir = mkdtempSync(join(tmpdir(), 'duet-disconnect-events-'));
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

  it('on both faces: the created events stay, tagged, not cancelled', async () => {
    const ids: string[] = [];
    for (const provider of ['google', 'sandbox'] as const) {
      const start = await services.accounts.connect(provider);
      await playBrowser(sb, start.authUrl, MAYA);
      await expect.poll(() => services.accounts.list().length, { timeout: 10_000 }).toBe(ids.length + 1);
      const account = services.accounts.list().find((a) => !ids.includes(a.id))!;
      ids.push(account.id);
      const meetingId = `keep-${provider}-${Date.now()}`;
      await services.schedule.create({
        meetingId,
        accountId: account.id,
        personEmail: NOOR,
        personName: 'Noor Haddad',
        start: Math.ceil((Date.now() + 3 * DAY) / 3_600_000) * 3_600_000,
        minutes: 30,
        repeat: 'weekly',
        video: false,
        timeZone: 'Europe/Berlin',
      });
    }
    const tagged = async () =>
      (await sb.admin.events()).events.filter((e) =>
        String(e.extendedProperties?.private?.duetMeetingId ?? '').startsWith('keep-'),
      );
    const before = await tagged();
    expect(before).toHaveLength(2);

    for (const id of ids) await services.accounts.disconnect(id);
    expect(services.accounts.list()).toEqual([]);

    const after = await tagged();
    expect(after.map((e) => e.id).sort()).toEqual(before.map((e) => e.id).sort());
    for (const e of after) expect(e.status ?? 'confirmed').not.toBe('cancelled');
  });
});
