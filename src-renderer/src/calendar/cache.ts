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

/** Stores one batch in the cache and the account's bookkeeping (not its lastBatchId: see ingest.ts). */
export async function storeBatch(db: DuetDatabase, batch: CalendarBatch, now: number): Promise<StoredBatch> {
  const existing = await db.calendarEvents.find({ selector: { accountId: batch.accountId } }).exec();
  const byId = new Map(existing.map((d) => [d.id, d]));
  // By id, in arrival order (a Map keeps insertion order; deleting and setting again moves an
  // entry to the end, so later changes of one event win). A Map, not an array search: a first
  // import is thousands of events (bench/import.bench.ts).
  const upserts = new Map<string, CachedEventDoc>();
  const removals = new Set<string>();
  const present = new Set<string>();
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
      const stored = byId.get(id);
      if (stored && canonicalJson(stored.event) === canonicalJson(cancelled)) continue;
      upserts.set(id, { id, accountId: batch.accountId, calendarId: known.calendarId, eventId: known.id, event: cancelled, updatedAt: now });
      continue;
    }
    present.add(id);
    removals.delete(id);
    // Later changes of one event in a batch win.
    const event: CalendarEvent = { ...change, accountId: batch.accountId };
    const old = byId.get(id);
    upserts.delete(id);
    if (old && canonicalJson(old.event) === canonicalJson(event)) continue;
    upserts.set(id, { id, accountId: batch.accountId, calendarId: change.calendarId, eventId: change.id, event, updatedAt: now });
  }
  if (batch.replace) {
    // The batch is the account's whole window: whatever else is cached for it is gone.
    for (const id of byId.keys()) if (!present.has(id)) removals.add(id);
  }
  // New events are inserted (no read-before-write, no conflict handling), known ones upserted.
  const fresh: CachedEventDoc[] = [];
  const changed: CachedEventDoc[] = [];
  for (const doc of upserts.values()) (byId.has(doc.id) ? changed : fresh).push(doc);
  if (fresh.length > 0) assertBulk('storing calendar events', await db.calendarEvents.bulkInsert(fresh));
  if (changed.length > 0) assertBulk('storing calendar events', await db.calendarEvents.bulkUpsert(changed));
  if (removals.size > 0) assertBulk('removing calendar events', await db.calendarEvents.bulkRemove([...removals]));

  const account = await db.calendarAccounts.findOne(batch.accountId).exec();
  const complete = (account?.complete ?? false) || batch.replace;
  if (!account || account.self !== batch.self || account.provider !== batch.provider || account.complete !== complete) {
    const next: CalendarAccountDoc = {
      id: batch.accountId,
      provider: batch.provider,
      self: batch.self,
      complete,
      lastBatchId: account?.lastBatchId ?? '',
      summary: account?.summary ?? null,
      updatedAt: now,
    };
    await db.calendarAccounts.upsert(next);
  }
  return { changed: upserts.size + removals.size };
}
