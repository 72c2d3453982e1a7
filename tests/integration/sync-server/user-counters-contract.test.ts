// The per-user counters (rates, connection cap) behind one interface: this process's own, and
// Redis's for several processes (limits/user-counters.ts, cluster/redis-counters.ts). The same
// contract runs over both, against a real redis-server; then what only the shared one promises:
// two processes count together, a killed process's slots expire, and a Redis outage falls back
// to per-process counting instead of refusing everyone.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisUserCounters } from '../../../sync-server/cluster/redis-counters';
import { createJsonLogger } from '../../../sync-server/log';
import {
  LocalUserCounters,
  type RateBucket,
  type UserCounters,
} from '../../../sync-server/limits/user-counters';
import { startRedis, type Redis } from '../../../scripts/cluster/services';
import { REPO_ROOT, waitFor } from './support/harness';

let redis: Redis;
const opened: UserCounters[] = [];
const log = createJsonLogger('error');
beforeAll(async () => {
  redis = await startRedis();
}, 30_000);
afterAll(async () => {
  for (const c of opened) await c.close();
  await redis?.stop();
});

let unique = 0;
/** A fresh key per test, so nothing carries over between implementations or tests. */
const key = (what: string) => `${what}-${process.pid}-${++unique}@example.com`;

async function redisCounters(slotTtlMs?: number): Promise<RedisUserCounters> {
  const counters = new RedisUserCounters({ url: redis.url, log, slotTtlMs });
  opened.push(counters);
  await waitFor(
    () => (counters as unknown as { redis: { status: string } }).redis.status === 'ready',
    'redis',
  );
  return counters;
}

const implementations: Array<[string, () => Promise<UserCounters>]> = [
  ['local', async () => new LocalUserCounters()],
  ['redis', () => redisCounters()],
];

describe.each(implementations)('user counters contract: %s', (_name, open) => {
  it('gives a burst, then refuses with the seconds until the next token, then refills', async () => {
    const counters = await open();
    const bucket: RateBucket = { name: key('b'), burst: 3, perSecond: 10 };
    const user = key('u');
    const verdicts = [];
    for (let i = 0; i < 4; i++) verdicts.push(await counters.take(bucket, user));
    expect(verdicts.map((v) => v.ok)).toEqual([true, true, true, false]);
    expect(verdicts[3]).toEqual({ ok: false, retryAfterSeconds: 1 });
    await new Promise((r) => setTimeout(r, 250)); // 10/s: two tokens back
    expect((await counters.take(bucket, user)).ok).toBe(true);
  });

  it('keeps users and buckets apart, and a zero burst refuses everything', async () => {
    const counters = await open();
    const a: RateBucket = { name: key('a'), burst: 1, perSecond: 0.001 };
    const b: RateBucket = { name: key('b'), burst: 1, perSecond: 0.001 };
    const [u1, u2] = [key('u1'), key('u2')];
    expect((await counters.take(a, u1)).ok).toBe(true);
    expect((await counters.take(a, u1)).ok).toBe(false);
    expect((await counters.take(a, u2)).ok).toBe(true);
    expect((await counters.take(b, u1)).ok).toBe(true);
    const slow = await counters.take(a, u1);
    expect(slow.ok === false && slow.retryAfterSeconds).toBeGreaterThan(100);
    expect((await counters.take({ name: key('z'), burst: 0, perSecond: 1 }, u1)).ok).toBe(false);
  });

  it('holds at most max slots, exactly, under 40 concurrent asks; release frees one, once', async () => {
    const counters = await open();
    const user = key('u');
    const slots = await Promise.all(
      Array.from({ length: 40 }, () => counters.acquire('connections', user, 5)),
    );
    const held = slots.filter((s) => s !== undefined);
    expect(held).toHaveLength(5);
    expect(await counters.acquire('connections', key('other'), 5)).toBeDefined();
    held[0]!.release();
    held[0]!.release(); // idempotent: frees one slot, not two
    expect(await counters.acquire('connections', user, 5)).toBeDefined();
    expect(await counters.acquire('connections', user, 5)).toBeUndefined();
  });
});

describe('user counters in Redis (several processes)', () => {
  it('two processes count one user together: rates and slots', async () => {
    const [p1, p2] = [await redisCounters(), await redisCounters()];
    const bucket: RateBucket = { name: key('b'), burst: 4, perSecond: 0.001 };
    const user = key('u');
    const verdicts = await Promise.all([p1, p2, p1, p2, p1, p2].map((p) => p.take(bucket, user)));
    expect(verdicts.filter((v) => v.ok)).toHaveLength(4);
    const slots = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? p1 : p2).acquire('connections', user, 3)),
    );
    expect(slots.filter(Boolean)).toHaveLength(3);
  });

  it('frees the slots of a process killed with -9 once they expire, and keeps live ones renewed', async () => {
    const user = key('u');
    const ttl = 1500;
    const live = await redisCounters(ttl);
    const mine = await live.acquire('connections', user, 3);
    expect(mine).toBeDefined();
    // Another process takes the other two slots, then dies without a word.
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        `import { RedisUserCounters } from './sync-server/cluster/redis-counters.ts';
         import { createJsonLogger } from './sync-server/log.ts';
         const c = new RedisUserCounters({ url: ${JSON.stringify(redis.url)}, log: createJsonLogger('error'), slotTtlMs: ${ttl} });
         const wait = () => new Promise((r) => setTimeout(r, 50));
         while (true) { try { if ((await c.acquire('connections', ${JSON.stringify(user)}, 3)) === undefined) break; } catch {} await wait(); }
         console.log('full');`,
      ],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve) =>
      createInterface({ input: child.stdout! }).once('line', () => resolve()),
    );
    expect(await live.acquire('connections', user, 3)).toBeUndefined();
    child.kill('SIGKILL');
    // Its two slots expire; ours, renewed, does not: two come back, not three.
    const oneFree = async () => {
      const slot = await live.acquire('connections', user, 2);
      slot?.release();
      return slot !== undefined;
    };
    await waitFor(oneFree, "the dead process's slots to expire", 5000);
    await new Promise((r) => setTimeout(r, ttl * 1.5));
    expect(await live.acquire('connections', user, 2)).toBeDefined();
    expect(await live.acquire('connections', user, 2)).toBeUndefined();
    mine!.release();
  }, 30_000);

  it('does not hold a check while Redis is connected but not answering (stopped)', async () => {
    const counters = await redisCounters();
    const bucket: RateBucket = { name: key('b'), burst: 1, perSecond: 0.001 };
    redis.service.child.kill('SIGSTOP');
    try {
      const started = Date.now();
      expect((await counters.take(bucket, key('u'))).ok).toBe(true);
      expect(await counters.acquire('connections', key('u'), 1)).toBeDefined();
      expect(Date.now() - started).toBeLessThan(5000);
      expect(counters.fallbacks).toBeGreaterThanOrEqual(1);
    } finally {
      redis.service.child.kill('SIGCONT');
    }
  }, 30_000);

  it('counts per process while Redis is away, and shares again once it is back', async () => {
    const counters = await redisCounters();
    const bucket: RateBucket = { name: key('b'), burst: 2, perSecond: 0.001 };
    const user = key('u');
    await redis.service.stop('SIGKILL');
    try {
      const during = [
        await counters.take(bucket, user),
        await counters.take(bucket, user),
        await counters.take(bucket, user),
      ];
      expect(during.map((v) => v.ok)).toEqual([true, true, false]);
      expect(counters.fallbacks).toBeGreaterThanOrEqual(3);
    } finally {
      await redis.relaunch();
    }
    await waitFor(
      () => (counters as unknown as { redis: { status: string } }).redis.status === 'ready',
      'reconnect',
      10_000,
    );
    const other = await redisCounters();
    const fresh = key('u');
    expect((await counters.take(bucket, fresh)).ok).toBe(true);
    expect((await other.take(bucket, fresh)).ok).toBe(true);
    expect((await counters.take(bucket, fresh)).ok).toBe(false);
  }, 30_000);
});
