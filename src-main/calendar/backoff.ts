// How long to wait before retrying a failed sync (docs/architecture.md §6): a 429 waits exactly as
// long as its Retry-After says; a 5xx or a network failure backs off exponentially with jitter,
// so many clients failing together do not come back together.
import { ProviderHttpError, ProviderNetworkError } from './provider';

export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
  /** Network failures (offline) are retried at most this far apart, so reconnection is noticed soon. */
  offlineMaxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 2_000, maxMs: 5 * 60_000, offlineMaxMs: 60_000 };

export type FailureKind = 'rate-limited' | 'server' | 'offline' | 'other';

export function classify(err: unknown): FailureKind {
  if (err instanceof ProviderHttpError)
    return err.status === 429 ? 'rate-limited' : err.retryable ? 'server' : 'other';
  if (err instanceof ProviderNetworkError) return 'offline';
  return 'other';
}

/** Delay before attempt `attempt + 1` (attempt counts failures in a row, from 0). */
export function retryDelay(
  err: unknown,
  attempt: number,
  random: () => number,
  policy = DEFAULT_BACKOFF,
): number {
  const kind = classify(err);
  if (kind === 'rate-limited' && err instanceof ProviderHttpError && err.retryAfterMs !== undefined) {
    return err.retryAfterMs;
  }
  const cap = kind === 'offline' ? policy.offlineMaxMs : policy.maxMs;
  const ceiling = Math.min(cap, policy.baseMs * 2 ** Math.min(attempt, 20));
  // "Equal jitter": at least half the exponential step, so retries never bunch up at zero.
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
