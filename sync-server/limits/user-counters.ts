// Per-user limits that must hold across every process serving the same users (issue 13): the
// rates (handshakes, HTTP requests, room creations) and the open-connection cap. One small
// interface, two implementations, one contract suite over both
// (tests/integration/sync-server/user-counters-contract.test.ts):
//   LocalUserCounters (here)             one process: the embedded default, nothing to install;
//   RedisUserCounters (cluster/…)        several processes: counted in Redis (docs/architecture.md §7).
// Per-address limits (handshakes and TCP connections per IP) and the byte budgets stay per
// process on purpose: behind a proxy every address is the proxy's, and the byte budgets protect
// each process's own memory.
import { RateLimiter } from './rate-limiter';

/** A token bucket shared by every key of one kind: `burst` at once, refilled at `perSecond`. */
export interface RateBucket {
  /** Names the bucket's keys apart from other buckets' (e.g. "handshake"). */
  readonly name: string;
  readonly burst: number;
  readonly perSecond: number;
}

/** Taken, or refused with the seconds until a token is back (for Retry-After). */
export type RateVerdict = { readonly ok: true } | { readonly ok: false; readonly retryAfterSeconds: number };

/** One held unit of a capped count; release() gives it back (idempotent). */
export interface Slot {
  release(): void;
}

export interface UserCounters {
  /** Takes one token from `key`'s bucket. */
  take(bucket: RateBucket, key: string): Promise<RateVerdict>;
  /** Holds one of `max` slots of `kind` for `key` until released; undefined when all are held. */
  acquire(kind: string, key: string, max: number): Promise<Slot | undefined>;
  /** Forgets full buckets (memory follows active keys); called by the server's sweep. */
  sweep(now?: number): void;
  close(): Promise<void>;
}

export class LocalUserCounters implements UserCounters {
  private readonly buckets = new Map<string, RateLimiter>();
  private readonly held = new Map<string, number>();

  take(bucket: RateBucket, key: string, now = Date.now()): Promise<RateVerdict> {
    return Promise.resolve(this.takeNow(bucket, key, now));
  }

  /** Synchronous form, for the Redis counters' fallback while Redis is away. */
  takeNow(bucket: RateBucket, key: string, now = Date.now()): RateVerdict {
    const limiter = this.limiter(bucket);
    if (limiter.take(key, now)) return { ok: true };
    return { ok: false, retryAfterSeconds: limiter.retryAfter(key) };
  }

  acquire(kind: string, key: string, max: number): Promise<Slot | undefined> {
    return Promise.resolve(this.acquireNow(kind, key, max));
  }

  acquireNow(kind: string, key: string, max: number): Slot | undefined {
    const id = `${kind}\u0000${key}`;
    const n = this.held.get(id) ?? 0;
    if (n >= max) return undefined;
    this.held.set(id, n + 1);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        const left = (this.held.get(id) ?? 1) - 1;
        if (left <= 0) this.held.delete(id);
        else this.held.set(id, left);
      },
    };
  }

  sweep(now = Date.now()): void {
    for (const limiter of this.buckets.values()) limiter.sweep(now);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  private limiter(bucket: RateBucket): RateLimiter {
    // One limiter per bucket name; its shape is fixed by the first caller (the server's limits).
    let limiter = this.buckets.get(bucket.name);
    if (!limiter) this.buckets.set(bucket.name, (limiter = new RateLimiter(bucket.burst, bucket.perSecond)));
    return limiter;
  }
}

/** The per-user rate buckets of the server's limits. */
export function userRateBuckets(limits: {
  readonly handshakesPerUserBurst: number;
  readonly handshakesPerUserPerSecond: number;
  readonly httpPerUserBurst: number;
  readonly httpPerUserPerSecond: number;
  readonly roomCreationsPerUserBurst: number;
  readonly roomCreationsPerUserPerSecond: number;
}): { handshake: RateBucket; http: RateBucket; roomCreation: RateBucket } {
  return {
    handshake: {
      name: 'handshake',
      burst: limits.handshakesPerUserBurst,
      perSecond: limits.handshakesPerUserPerSecond,
    },
    http: { name: 'http', burst: limits.httpPerUserBurst, perSecond: limits.httpPerUserPerSecond },
    roomCreation: {
      name: 'room-creation',
      burst: limits.roomCreationsPerUserBurst,
      perSecond: limits.roomCreationsPerUserPerSecond,
    },
  };
}
