// The cached calendar events (docs/architecture.md §2, §6): storing a batch from main. Every write
// here is idempotent — storing the same batch twice leaves the same documents, and an unchanged
// event is not rewritten at all — so a batch whose storing failed half-way is simply stored again.
import type { CalendarBatch } from '../../../src-shared/bridge/contract';
import { isTombstone } from '../../../src-shared/calendar/change-schema';
import type { CalendarEvent } from '../../../src-shared/engine/model';
import { base32, sha256 } from '../../../src-shared/meeting/sha256';
import type { DuetDatabase } from '../db/database';
import type { CachedEventDoc, CalendarAccountDoc } from '../db/schemas';

/** Provider event ids reach 1 KB: the cache key is a hash of account, calendar and event id. */
export function cachedEventId(accountId: string, calendarId: string, eventId: string): string {
  return `ev-${base32(sha256(new TextEncoder().encode(JSON.stringify([accountId, calendarId, eventId])))).slice(0, 26)}`;
}

/** Key order does not change an event, so it must not make it look changed. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.keys(v as Record<string, unknown>).sort().map((k) => [k, (v as Record<string, unknown>)[k]]))
      : v,
  );
}

/** Throws when any document of an RxDB bulk write failed (bulk writes report, they do not throw). */
export function assertBulk(what: string, result: { error: readonly unknown[] }): void {
  if (result.error.length > 0) {
    const first = result.error[0] as { status?: number; documentId?: string } | undefined;
    throw new Error(`${what}: ${result.error.length} document(s) not written (status ${first?.status ?? '?'} for ${first?.documentId ?? '?'})`);
  }
}

export interface StoredBatch {
  /** Cached documents written or removed. */
  changed: number;
}

/** What storing a batch will do, worked out from one read of the account's cache. */
export interface CachePlan {
  /** New events: inserted (no read-before-write, no conflict handling). */
  fresh: CachedEventDoc[];
  /** Known events that changed: upserted. */
  changed: CachedEventDoc[];
  removals: string[];
  /** The account's cache as it is once the plan is written: what the engine runs on. */
  events: CalendarEvent[];
  /** The account's bookkeeping after the batch (its lastBatchId and summary unchanged: see ingest.ts). */
  account: CalendarAccountDoc;
  /** The stored bookkeeping differs from `account`. */
  accountChanged: boolean;
}

/** Reads the account's cache once and plans the batch's writes; writes nothing. */
export async function planCacheWrite(db: DuetDatabase, batch: CalendarBatch, now: number): Promise<CachePlan> {
  const [existing, stored] = await Promise.all([
    db.calendarEvents.find({ selector: { accountId: batch.accountId } }).exec(),
    db.calendarAccounts.findOne(batch.accountId).exec(),
  ]);
  const byId = new Map(existing.map((d) => [d.id, d]));
  // By id, in arrival order (a Map keeps insertion order; deleting and setting again moves an
  // entry to the end, so later changes of one event win). A Map, not an array search: a first
  // import is thousands of events (bench/import.bench.ts).
  const upserts = new Map<string, CachedEventDoc>();
  const removals = new Set<string>();
  const present = new Set<string>();
  // The event each cache id holds after the batch (unchanged ones included).
  const after = new Map<string, CalendarEvent>();
  for (const [id, d] of byId) after.set(id, d.event);
  for (const change of batch.changes) {
    const id = cachedEventId(batch.accountId, change.calendarId, change.id);
    if (isTombstone(change)) {
      // A removed event stays cached as cancelled, so the engine removes its meeting even beyond
      // the window, where absence alone proves nothing (docs/architecture.md §4). The next
      // whole-window batch, which no longer lists it, drops it.
      const known = upserts.get(id)?.event ?? byId.get(id)?.event;
      if (!known) continue;
      const cancelled: CalendarEvent = { ...known, status: 'cancelled' };
      upserts.delete(id);
      present.add(id);
      removals.delete(id);
      after.set(id, cancelled);
      const old = byId.get(id);
      if (old && canonicalJson(old.event) === canonicalJson(cancelled)) continue;
      upserts.set(id, { id, accountId: batch.accountId, calendarId: known.calendarId, eventId: known.id, event: cancelled, updatedAt: now });
      continue;
    }
    present.add(id);
    removals.delete(id);
    // Later changes of one event in a batch win.
    const event: CalendarEvent = { ...change, accountId: batch.accountId };
    after.set(id, event);
    const old = byId.get(id);
    upserts.delete(id);
    if (old && canonicalJson(old.event) === canonicalJson(event)) continue;
    upserts.set(id, { id, accountId: batch.accountId, calendarId: change.calendarId, eventId: change.id, event, updatedAt: now });
  }
  if (batch.replace) {
    // The batch is the account's whole window: whatever else is cached for it is gone.
    for (const id of byId.keys()) if (!present.has(id)) removals.add(id);
  }
  for (const id of removals) after.delete(id);
  const fresh: CachedEventDoc[] = [];
  const changed: CachedEventDoc[] = [];
  for (const doc of upserts.values()) (byId.has(doc.id) ? changed : fresh).push(doc);

  const account = stored?.toMutableJSON();
  const complete = (account?.complete ?? false) || batch.replace;
  const next: CalendarAccountDoc = {
    id: batch.accountId,
    provider: batch.provider,
    self: batch.self,
    complete,
    lastBatchId: account?.lastBatchId ?? '',
    summary: account?.summary ?? null,
    updatedAt: account?.updatedAt ?? now,
  };
  const accountChanged = !account || account.self !== batch.self || account.provider !== batch.provider || account.complete !== complete;
  if (accountChanged) next.updatedAt = now;
  return { fresh, changed, removals: [...removals], events: [...after.values()], account: next, accountChanged };
}

/** Writes a plan's cache documents: one bulk write (one transaction) per kind of change. */
export async function writeCache(db: DuetDatabase, plan: CachePlan): Promise<StoredBatch> {
  if (plan.fresh.length > 0) assertBulk('storing calendar events', await db.calendarEvents.bulkInsert(plan.fresh));
  if (plan.changed.length > 0) assertBulk('storing calendar events', await db.calendarEvents.bulkUpsert(plan.changed));
  if (plan.removals.length > 0) assertBulk('removing calendar events', await db.calendarEvents.bulkRemove(plan.removals));
  return { changed: plan.fresh.length + plan.changed.length + plan.removals.length };
}

/** Stores one batch in the cache and the account's bookkeeping (not its lastBatchId: see ingest.ts). */
export async function storeBatch(db: DuetDatabase, batch: CalendarBatch, now: number): Promise<StoredBatch> {
  const plan = await planCacheWrite(db, batch, now);
  const stored = await writeCache(db, plan);
  if (plan.accountChanged) await db.calendarAccounts.upsert(plan.account);
  return stored;
}
