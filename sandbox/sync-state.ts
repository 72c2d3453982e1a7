// Server-side state behind opaque tokens: Google sync tokens and page tokens, Graph delta and
// skip tokens. A sync/delta token holds a snapshot (id -> version) of what the client has
// seen; the next incremental call answers with the difference. Maps are bounded: the oldest
// tokens fall out and then answer 410, as real providers' tokens eventually do.
import { opaqueToken } from './ids';

export type Snapshot = Map<string, number>;

export interface GoogleSyncToken {
  calendarId: string;
  singleEvents: boolean;
  snapshot: Snapshot;
}

export interface DeltaToken {
  email: string;
  calendarId: string;
  fromMs: number;
  toMs: number;
  snapshot: Snapshot;
  /** Prefer odata.maxpagesize of the round that issued the token (kept for later rounds). */
  pageSize: number;
}

export interface PageCursor<T> {
  items: T[];
  offset: number;
  pageSize: number;
  /** What the last page carries (e.g. nextSyncToken / deltaLink payload). */
  tail: Record<string, unknown>;
}

class BoundedMap<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly cap: number) {}
  set(key: string, value: V): void {
    this.map.set(key, value);
    while (this.map.size > this.cap) {
      const oldest = this.map.keys().next().value as string;
      this.map.delete(oldest);
    }
  }
  get(key: string): V | undefined {
    return this.map.get(key);
  }
  delete(key: string): void {
    this.map.delete(key);
  }
  clear(): number {
    const n = this.map.size;
    this.map.clear();
    return n;
  }
}

export class SyncState {
  private readonly syncTokens = new BoundedMap<GoogleSyncToken>(2000);
  private readonly deltaTokens = new BoundedMap<DeltaToken>(2000);
  private readonly pages = new BoundedMap<PageCursor<unknown>>(2000);

  issueSyncToken(state: GoogleSyncToken): string {
    const token = opaqueToken('CP', 30);
    this.syncTokens.set(token, state);
    return token;
  }

  syncToken(token: string): GoogleSyncToken | undefined {
    return this.syncTokens.get(token);
  }

  issueDeltaToken(state: DeltaToken): string {
    const token = opaqueToken('', 36);
    this.deltaTokens.set(token, state);
    return token;
  }

  deltaToken(token: string): DeltaToken | undefined {
    return this.deltaTokens.get(token);
  }

  issuePage<T>(cursor: PageCursor<T>): string {
    const token = opaqueToken('', 30);
    this.pages.set(token, cursor as PageCursor<unknown>);
    return token;
  }

  page<T>(token: string): PageCursor<T> | undefined {
    return this.pages.get(token) as PageCursor<T> | undefined;
  }

  /** Expires every sync and delta token (the expireTokens fault, scenario loads). */
  expireAll(): number {
    return this.syncTokens.clear() + this.deltaTokens.clear();
  }

  clear(): void {
    this.expireAll();
    this.pages.clear();
  }
}

/** Compares two snapshots: ids new or changed since `before`, and ids gone. */
export function diffSnapshots(before: Snapshot, after: Snapshot): { changed: string[]; removed: string[] } {
  const changed: string[] = [];
  const removed: string[] = [];
  for (const [id, version] of after) if (before.get(id) !== version) changed.push(id);
  for (const id of before.keys()) if (!after.has(id)) removed.push(id);
  return { changed, removed };
}
