// Storing one batch from main (docs/architecture.md §6): the event cache, the engine's meetings and
// series, then the account's bookkeeping. The ingest (ingest.ts) acknowledges the batch only after
// this resolves, so main advances the account's cursor only once everything is stored.
//
// Cost (bench/import.bench.ts): the cache is read once and written as a few chunks (cache.ts: 16
// per account, their events as JSON, only those whose events changed); the engine runs on the events in memory
// (not read back from the cache just written) while the cache write is in flight (IndexedDB does
// its work off the main thread in a browser); meetings are written only after the cache write
// succeeded, and the account document once, at the end.
import type { CalendarBatch } from '../../../src-shared/bridge/contract';
import type { DuetDatabase } from '../db/database';
import { planCacheWrite, writeCache } from './cache';
import { detectAccount, summaryOf, writeDetection, type SharedContentCheck } from './detect';

export interface BatchTimings {
  /** ms reading the cache and planning its writes. */
  plan: number;
  /** ms until both the cache write and the engine run finished. */
  cacheAndDetect: number;
  /** ms writing meetings, series and the account. */
  write: number;
}

export interface ApplyBatchOptions {
  sharedContent?: SharedContentCheck;
  /** Receives where the time went (the import bench). */
  onTimings?: (t: BatchTimings) => void;
}

export async function applyBatch(db: DuetDatabase, batch: CalendarBatch, now: number, options: ApplyBatchOptions = {}): Promise<void> {
  const t0 = performance.now();
  const plan = await planCacheWrite(db, batch, now);
  const t1 = performance.now();
  const [stored, detected] = await Promise.allSettled([
    writeCache(db, plan),
    detectAccount({ db, now, ...(options.sharedContent ? { sharedContent: options.sharedContent } : {}) }, plan.account, plan.events),
  ]);
  // Both settle before either failure is reported: a retry never overlaps a write still running.
  if (stored.status === 'rejected') throw stored.reason;
  if (detected.status === 'rejected') throw detected.reason;
  const t2 = performance.now();
  const result = detected.value;
  await writeDetection(db, plan.account, result, summaryOf(plan.account, result, batch.id, now), batch.id);
  options.onTimings?.({ plan: t1 - t0, cacheAndDetect: t2 - t1, write: performance.now() - t2 });
}
