// The cached calendar events (docs/architecture.md §2, §6): storing a batch from main, and reading
// the cache back. An account's events live in CACHE_BUCKETS chunk documents, an event's bucket a
// hash of its calendar and id (src-renderer/src/db/schemas/calendar-events.ts says why). Every
// write here is idempotent — storing the same batch twice leaves the same documents, and a chunk
// whose events did not change is not rewritten at all — so a batch whose storing failed half-way is
// simply stored again.
import type { CalendarBatch } from '../../../src-shared/bridge/contract';
import { isTombstone } from '../../../src-shared/calendar/change-schema';
import type { CalendarEvent } from '../../../src-shared/engine/model';
import { base32, sha256 } from '../../../src-shared/meeting/sha256';
import type { DuetDatabase } from '../db/database';
import type { CachedEventChunkDoc, CalendarAccountDoc } from '../db/schemas';

/** Chunks per account: small enough that storing one changed event rewrites a few dozen, large enough that a first import is a handful of records. */
export const CACHE_BUCKETS = 16;

/** The event's place in the cache: its calendar and provider id (provider ids reach 1 KB, so never part of a document id). */
export function eventKey(calendarId: string, eventId: string): string {
  return JSON.stringify([calendarId, eventId]);
}

/** FNV-1a over the event's key: stable across runs and platforms, cheap for thousands of events. */
export function bucketOf(calendarId: string, eventId: string): number {
  const key = eventKey(calendarId, eventId);
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % CACHE_BUCKETS;
}

const accountHashes = new Map<string, string>();
/** Account ids reach 200 characters; a screen asks for the same few on every render, so they are kept. */
function accountHash(accountId: string): string {
  let hash = accountHashes.get(accountId);
  if (hash === undefined) {
    hash = base32(sha256(new TextEncoder().encode(accountId))).slice(0, 26);
    if (accountHashes.size > 64) accountHashes.clear();
    accountHashes.set(accountId, hash);
  }
  return hash;
}

/** The id of one bucket's chunk of an account's cache. */
export function chunkIdFor(accountId: string, bucket: number): string {
  return `ec-${accountHash(accountId)}-${String(bucket).padStart(2, '0')}`;
}

/** Every chunk id an account's cache may use, by bucket. */
export function chunkIdsOf(accountId: string): string[] {
  const hash = accountHash(accountId);
  return Array.from({ length: CACHE_BUCKETS }, (_, b) => `ec-${hash}-${String(b).padStart(2, '0')}`);
}

/** The id a version-0 document (one event each) had; after migration it is a one-event chunk until its account's next batch. */
export function legacyCachedEventId(accountId: string, calendarId: string, eventId: string): string {
  return `ev-${base32(sha256(new TextEncoder().encode(JSON.stringify([accountId, calendarId, eventId])))).slice(0, 26)}`;
}

export interface CachedEventRef {
  accountId: string;
  calendarId: string;
  eventId: string;
}

/** The documents that may hold an event: its bucket's chunk, and its version-0 document. */
export function cacheDocIdsFor(ref: CachedEventRef): string[] {
  return [chunkIdFor(ref.accountId, bucketOf(ref.calendarId, ref.eventId)), legacyCachedEventId(ref.accountId, ref.calendarId, ref.eventId)];
}

/** A stored chunk with its events parsed. */
export interface CachedEventChunk {
  id: string;
  events: readonly CalendarEvent[];
}

/**
 * Parses a stored chunk. Duet writes only lists of events; anything else is a damaged store, and
 * gets a clear error rather than being read as "no events" (which would make meetings look gone).
 */
export function parseChunk(doc: Pick<CachedEventChunkDoc, 'id' | 'eventsJson'>): CachedEventChunk {
  let events: unknown;
  try {
    events = JSON.parse(doc.eventsJson);
  } catch {
    events = undefined;
  }
  const valid =
    Array.isArray(events) &&
    events.every((e: unknown) => typeof e === 'object' && e !== null && typeof (e as CalendarEvent).id === 'string' && typeof (e as CalendarEvent).calendarId === 'string');
  if (!valid) throw new Error(`The calendar event cache is damaged (document ${doc.id}); the next full sync of the account rewrites it.`);
  return { id: doc.id, events: events as CalendarEvent[] };
}

/** The cached event a link names, among chunks read by `cacheDocIdsFor` (or any superset of them). */
export function findCachedEvent(chunks: readonly CachedEventChunk[], ref: CachedEventRef): CalendarEvent | undefined {
  const ids = cacheDocIdsFor(ref);
  for (const id of ids) {
    const chunk = chunks.find((c) => c.id === id);
    const event = chunk?.events.find((e) => e.calendarId === ref.calendarId && e.id === ref.eventId);
    if (event) return event;
  }
  return undefined;
}

/**
 * One account's cached events by key, from its chunks. A version-0 document and a chunk can both
 * hold an event when a regrouping stopped between its insert and its removal: the chunk wins.
 */
function eventsOf(chunks: readonly CachedEventChunk[]): Map<string, CalendarEvent> {
  const out = new Map<string, CalendarEvent>();
  const ordered = [...chunks.filter((c) => c.id.startsWith('ec-')), ...chunks.filter((c) => !c.id.startsWith('ec-'))];
  for (const c of ordered)
    for (const e of c.events) {
      const key = eventKey(e.calendarId, e.id);
      if (!out.has(key)) out.set(key, e);
    }
  return out;
}

/** One account's chunks, parsed; the ids of damaged ones apart (see parseChunk). */
async function readChunks(db: DuetDatabase, accountId: string): Promise<{ chunks: CachedEventChunk[]; damaged: string[]; errors: Error[] }> {
  const out = { chunks: [] as CachedEventChunk[], damaged: [] as string[], errors: [] as Error[] };
  for (const d of await db.calendarEvents.find({ selector: { accountId } }).exec()) {
    try {
      out.chunks.push(parseChunk(d));
    } catch (err) {
      out.damaged.push(d.id);
      out.errors.push(err as Error);
    }
  }
  return out;
}

/** Everything cached for one account: what the engine and the diagnostics run on. Throws when a chunk is damaged. */
export async function readCachedEvents(db: DuetDatabase, accountId: string): Promise<CalendarEvent[]> {
  const { chunks, errors } = await readChunks(db, accountId);
  if (errors[0]) throw errors[0];
  return [...eventsOf(chunks).values()];
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
  /** Cached documents (chunks) written or removed. */
  changed: number;
}

/** What storing a batch will do, worked out from one read of the account's cache. */
export interface CachePlan {
  /** New chunks: inserted (no read-before-write, no conflict handling). */
  fresh: CachedEventChunkDoc[];
  /** Known chunks whose events changed: upserted. */
  changed: CachedEventChunkDoc[];
  /** Chunks left empty, and version-0 documents regrouped into chunks. */
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
  const [{ chunks, damaged, errors }, stored] = await Promise.all([readChunks(db, batch.accountId), db.calendarAccounts.findOne(batch.accountId).exec()]);
  const ids = chunkIdsOf(batch.accountId);
  const existing = new Set([...chunks.map((c) => c.id), ...damaged]);
  const before = eventsOf(chunks);
  // Buckets whose chunk must be written again. A chunk holding an event of another bucket (a
  // version-0 document, say) is regrouped: its events' buckets are rewritten and it is removed.
  const dirty = new Set<number>();
  const removals = new Set<string>();
  // A damaged chunk: only a whole-window batch knows what it held, so only one rewrites it; any
  // other batch fails with the reason (main keeps its cursor; its next full sync heals the cache).
  if (errors[0] && !batch.replace) throw errors[0];
  for (const id of damaged) {
    const b = ids.indexOf(id);
    if (b >= 0) dirty.add(b);
    else removals.add(id);
  }
  for (const c of chunks) {
    let misplaced = false;
    for (const e of c.events) {
      const b = bucketOf(e.calendarId, e.id);
      if (ids[b] !== c.id) {
        dirty.add(b);
        misplaced = true;
      }
    }
    if (misplaced && !ids.includes(c.id)) removals.add(c.id);
    else if (misplaced) dirty.add(ids.indexOf(c.id));
  }
  // The event each key holds after the batch (unchanged ones included); later changes of one event win.
  const after = new Map(before);
  const touched = new Set<string>();
  for (const change of batch.changes) {
    const key = eventKey(change.calendarId, change.id);
    if (isTombstone(change)) {
      // A removed event stays cached as cancelled, so the engine removes its meeting even beyond
      // the window, where absence alone proves nothing (docs/architecture.md §4). The next
      // whole-window batch, which no longer lists it, drops it.
      const known = after.get(key);
      if (!known) continue;
      after.set(key, { ...known, status: 'cancelled' });
    } else {
      after.set(key, { ...change, accountId: batch.accountId });
    }
    touched.add(key);
  }
  if (batch.replace) {
    // The batch is the account's whole window: whatever else is cached for it is gone.
    for (const key of before.keys()) if (!touched.has(key)) after.delete(key);
  }
  for (const [key, old] of before) if (!after.has(key)) dirty.add(bucketOf(old.calendarId, old.id));
  for (const key of touched) {
    const event = after.get(key) as CalendarEvent;
    const old = before.get(key);
    // An unchanged event leaves its chunk alone: a poll that finds nothing new writes nothing.
    if (!old || canonicalJson(old) !== canonicalJson(event)) dirty.add(bucketOf(event.calendarId, event.id));
  }

  const groups = new Map<number, Array<[string, CalendarEvent]>>();
  for (const b of dirty) groups.set(b, []);
  for (const [key, event] of after) groups.get(bucketOf(event.calendarId, event.id))?.push([key, event]);
  const fresh: CachedEventChunkDoc[] = [];
  const changed: CachedEventChunkDoc[] = [];
  for (const [b, entries] of groups) {
    const id = ids[b] as string;
    if (entries.length === 0) {
      if (existing.has(id)) removals.add(id);
      continue;
    }
    entries.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
    const doc: CachedEventChunkDoc = { id, accountId: batch.accountId, eventsJson: JSON.stringify(entries.map(([, e]) => e)), updatedAt: now };
    (existing.has(id) ? changed : fresh).push(doc);
  }

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

/**
 * Writes a plan's chunks: one bulk write (one transaction) per kind of change, removals last, so a
 * write cut off after the inserts leaves a version-0 document beside its new chunk (read as one
 * event: see eventsOf), never an event missing from both.
 */
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
