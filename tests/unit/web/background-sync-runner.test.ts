// When the background sync of meeting docs runs (features/meeting/background-sync.ts,
// docs/architecture.md §5): only in the leading window, never signed out, and soon after the
// identity or the meetings change. What a pass does is tested against the real sync server in
// tests/integration/workspace/background-sync.test.ts.
import { afterEach, expect, it } from 'vitest';
import type { DuetDatabase } from '../../../src-renderer/src/db/database';
import {
  startBackgroundSync,
  type BackgroundSync,
} from '../../../src-renderer/src/features/meeting/background-sync';
import { openMemoryDb } from './support/render-app';
import { createTestBridge } from './support/test-bridge';

let db: DuetDatabase | undefined;
let runner: BackgroundSync | undefined;
afterEach(async () => {
  runner?.stop();
  await db?.close();
  db = undefined;
});

const HOUR = 3_600_000;
const signedOut = () =>
  createTestBridge({
    accounts: { identity: () => null },
    sync: { serverInfo: () => ({ url: '', embedded: true, state: 'stopped' as const }) },
  });
const identityCalls = (bridge: ReturnType<typeof createTestBridge>) =>
  bridge.calls.filter((c) => c.ns === 'accounts' && c.method === 'identity').length;
const until = async (probe: () => boolean) => {
  const deadline = Date.now() + 3000;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

it('does nothing in a window that does not lead', async () => {
  db = await openMemoryDb();
  const follower = new Proxy(db, {
    get: (target, key, receiver) =>
      key === 'waitForLeadership' ? () => new Promise<boolean>(() => undefined) : Reflect.get(target, key, receiver),
  });
  const bridge = signedOut();
  runner = startBackgroundSync(follower, bridge.api, { debounceMs: 5, intervalMs: HOUR });
  bridge.emit('accounts.identity', null);
  await new Promise((r) => setTimeout(r, 50));
  expect(await runner.syncNow()).toBeNull();
  expect(identityCalls(bridge)).toBe(0);
});

it('in the leader: a pass at start, after an identity change and after the meetings change; signed out it syncs nothing', async () => {
  db = await openMemoryDb();
  const bridge = signedOut();
  runner = startBackgroundSync(db, bridge.api, { debounceMs: 5, intervalMs: HOUR });
  await db.waitForLeadership();
  await until(() => identityCalls(bridge) === 1);
  expect(await runner.syncNow()).toEqual({ synced: [], skipped: [], failed: [] });
  const before = identityCalls(bridge);

  bridge.emit('accounts.identity', null);
  await until(() => identityCalls(bridge) === before + 1);

  await db.meetings.insert({
    id: 'm1',
    seriesId: '',
    title: '1:1',
    start: Date.now() + HOUR,
    end: Date.now() + 2 * HOUR,
    participants: ['a@example.com', 'b@example.com'],
    owner: 'a@example.com',
    source: 'app',
    linkState: 'unlinked',
    state: 'scheduled',
    roomId: 'r1',
    createdAt: 1,
    updatedAt: 1,
  });
  await until(() => identityCalls(bridge) === before + 2);
  // Signed out: the meeting's room is never contacted, nothing is projected.
  expect(await db.meetingContent.findOne('m1').exec()).toBeNull();
});
