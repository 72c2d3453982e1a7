// Per-user limits counted in Redis, so they hold across every process of a deployment
// (limits/user-counters.ts; docs/architecture.md §7). Each check is one Lua script, atomic in
// Redis whatever the number of processes asking at once.
//   rates        a hash per bucket and key {t: tokens, a: last refill ms}, expiring once it
//                would be full again (an idle user costs nothing);
//   connections  a sorted set per user of "<process>:<n>" scored by expiry. A process renews
//                the slots it holds every few seconds, so the slots of a process killed with -9
//                expire by themselves within SLOT_TTL_MS instead of locking the user out.
// Redis away (restart, network): the check falls back to this process's own counters, so an
// outage loosens a limit to per-process for its duration rather than refusing everybody.
// Renewals re-add every held slot, so counts are whole again shortly after Redis returns.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from '../log';
import {
  LocalUserCounters,
  type RateBucket,
  type RateVerdict,
  type Slot,
  type UserCounters,
} from '../limits/user-counters';

const PREFIX = 'duet:limit:';
export const SLOT_TTL_MS = 30_000;

// KEYS[1] bucket; ARGV burst, perSecond, now (ms). Returns {1, 0} or {0, seconds to wait}.
const TAKE = `
local burst = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local v = redis.call('HMGET', KEYS[1], 't', 'a')
local tokens = tonumber(v[1])
local at = tonumber(v[2])
if tokens == nil or at == nil then tokens = burst; at = now end
if now > at then tokens = math.min(burst, tokens + (now - at) / 1000 * rate) end
local ok = 0
if tokens >= 1 then tokens = tokens - 1; ok = 1 end
redis.call('HSET', KEYS[1], 't', tostring(tokens), 'a', tostring(math.max(now, at)))
local ttl = 86400000
if rate > 0 then ttl = math.ceil((burst - tokens) / rate * 1000) + 1000 end
redis.call('PEXPIRE', KEYS[1], ttl)
if ok == 1 then return {1, 0} end
local wait = 1
if rate > 0 then wait = math.max(1, math.ceil((1 - tokens) / rate)) end
return {0, wait}`;

// KEYS[1] slots; ARGV now, max, expiry, member. Returns 1 (held) or 0 (all taken).
const ACQUIRE = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[4])
redis.call('PEXPIREAT', KEYS[1], ARGV[3])
return 1`;

interface CounterCommands {
  duetTake(key: string, burst: number, perSecond: number, now: number): Promise<[number, number]>;
  duetAcquire(key: string, now: number, max: number, expiry: number, member: string): Promise<number>;
}

export interface RedisUserCountersOptions {
  readonly url: string;
  readonly log: Logger;
  /** How long a slot lives without renewal (default SLOT_TTL_MS); renewed every third of it. */
  readonly slotTtlMs?: number;
}

export class RedisUserCounters implements UserCounters {
  private readonly redis: Redis & CounterCommands;
  private readonly local = new LocalUserCounters();
  private readonly processId = randomBytes(6).toString('hex');
  private readonly ttl: number;
  /** Slots held in Redis by this process: member → key. */
  private readonly held = new Map<string, string>();
  private next = 0;
  private readonly renewal: NodeJS.Timeout;
  private warned = false;
  /** Checks answered by the local fallback because Redis was away (for tests and /healthz). */
  fallbacks = 0;

  constructor(private readonly options: RedisUserCountersOptions) {
    this.ttl = options.slotTtlMs ?? SLOT_TTL_MS;
    // No offline queue: while Redis is away a check fails at once and falls back.
    this.redis = new Redis(options.url, {
      retryStrategy: (times: number) => Math.min(2000, 50 * times),
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      // A Redis that is connected but not answering must not hold handshakes: fall back.
      commandTimeout: 1000,
    }) as Redis & CounterCommands;
    this.redis.defineCommand('duetTake', { numberOfKeys: 1, lua: TAKE });
    this.redis.defineCommand('duetAcquire', { numberOfKeys: 1, lua: ACQUIRE });
    this.redis.on('error', (error: Error) =>
      options.log.debug('redis error', { conn: 'limits', error: error.message }),
    );
    this.redis.on('ready', () => {
      this.warned = false;
      this.renew();
    });
    this.renewal = setInterval(() => this.renew(), Math.max(100, Math.floor(this.ttl / 3)));
    this.renewal.unref();
  }

  async take(bucket: RateBucket, key: string): Promise<RateVerdict> {
    const now = Date.now();
    if (this.redis.status === 'ready') {
      try {
        const [ok, wait] = await this.redis.duetTake(
          `${PREFIX}rate:${bucket.name}:${key}`,
          bucket.burst,
          bucket.perSecond,
          now,
        );
        return ok === 1 ? { ok: true } : { ok: false, retryAfterSeconds: Number(wait) };
      } catch (error) {
        this.fellBack(error);
      }
    } else this.fellBack();
    return this.local.takeNow(bucket, key, now);
  }

  async acquire(kind: string, key: string, max: number): Promise<Slot | undefined> {
    if (this.redis.status === 'ready') {
      const slotsKey = `${PREFIX}slots:${kind}:${key}`;
      const member = `${this.processId}:${++this.next}`;
      const now = Date.now();
      try {
        const got = await this.redis.duetAcquire(slotsKey, now, max, now + this.ttl, member);
        if (got !== 1) return undefined;
        this.held.set(member, slotsKey);
        return this.redisSlot(slotsKey, member);
      } catch (error) {
        this.fellBack(error);
      }
    } else this.fellBack();
    return this.local.acquireNow(kind, key, max);
  }

  sweep(now = Date.now()): void {
    this.local.sweep(now);
  }

  async close(): Promise<void> {
    clearInterval(this.renewal);
    // Give back what we hold, so a restarted process's users are not counted twice meanwhile.
    if (this.redis.status === 'ready' && this.held.size > 0) {
      const pipeline = this.redis.pipeline();
      for (const [member, key] of this.held) pipeline.zrem(key, member);
      await pipeline.exec().catch(() => undefined);
    }
    this.held.clear();
    this.redis.disconnect();
  }

  private redisSlot(key: string, member: string): Slot {
    return {
      release: () => {
        if (!this.held.delete(member)) return;
        // Lost with Redis away: the slot then simply expires (it is no longer renewed).
        if (this.redis.status === 'ready') this.redis.zrem(key, member).catch(() => undefined);
      },
    };
  }

  /** Pushes every held slot's expiry forward, re-adding it if Redis lost it (a restart). */
  private renew(): void {
    if (this.redis.status !== 'ready' || this.held.size === 0) return;
    const expiry = Date.now() + this.ttl;
    const pipeline = this.redis.pipeline();
    for (const [member, key] of this.held) {
      pipeline.zadd(key, expiry, member);
      pipeline.pexpireat(key, expiry);
    }
    pipeline.exec().catch(() => undefined);
  }

  private fellBack(error?: unknown): void {
    this.fallbacks++;
    if (this.warned) return;
    this.warned = true;
    this.options.log.warn('redis unavailable: per-user limits are counted per process until it is back', {
      error: error === undefined ? 'not connected' : String(error),
    });
  }
}
