// The cached calendar events (docs/architecture.md §2, §6): the normalized events main sent, per
// account, so detection can run again at once (a person added, a keyword changed) without asking
// the provider. Only what the normalizers produce is stored: never a description or body.
//
// Version 1 stores them in chunks: each document holds the account's events of one hash bucket
// (src-renderer/src/calendar/cache.ts), because one IndexedDB record per event made a first import
// of 2,000 events cost several times what fetching them did (bench/import.bench.ts). Version 0 held
// one event per document; its documents migrate to one-event chunks under their old ids, which
// every reader finds (`cacheDocIdsFor`) and the account's next batch regroups into buckets.
// Version 2 keeps a chunk's events as one JSON string: IndexedDB's structured clone, RxDB's Dexie
// field mapping and the change broadcast to other windows each walk every field of an object, and
// copy a string whole; storing 2,000 events cost less than half as much CPU (bench/import.bench.ts).
import type { CalendarEvent } from '../../../../src-shared/engine/model';
import { defineCollection, idField, timestampField } from './define';

export interface CachedEventChunkDoc {
  /** `chunkIdFor(accountId, bucket)`, or a version-0 document's id until its account's next batch. */
  id: string;
  accountId: string;
  /** JSON of the normalized events (src-shared/calendar/change-schema.ts) as they crossed the bridge, ordered by calendar and event id: read through `parseChunk` (src-renderer/src/calendar/cache.ts). */
  eventsJson: string;
  updatedAt: number;
}

interface CachedEventChunkDocV1 {
  id: string;
  accountId: string;
  events: CalendarEvent[];
  updatedAt: number;
}

interface CachedEventDocV0 {
  id: string;
  accountId: string;
  calendarId: string;
  eventId: string;
  event: CalendarEvent;
  updatedAt: number;
}

export const calendarEventsCollection = defineCollection<CachedEventChunkDoc>({
  schema: {
    title: 'calendar events',
    description: 'Normalized calendar events of the scan window, per connected account, in chunks (no descriptions)',
    version: 2,
    primaryKey: 'id',
    type: 'object',
    properties: {
      id: idField,
      accountId: { type: 'string', maxLength: 200 },
      eventsJson: { type: 'string' },
      updatedAt: timestampField,
    },
    required: ['id', 'accountId', 'eventsJson', 'updatedAt'],
    // Every run of the engine reads one account's chunks.
    indexes: ['accountId'],
  },
  migrationStrategies: {
    1: (old: CachedEventDocV0): CachedEventChunkDocV1 => ({
      id: old.id,
      accountId: old.accountId,
      events: [old.event],
      updatedAt: old.updatedAt,
    }),
    2: (old: CachedEventChunkDocV1): CachedEventChunkDoc => ({
      id: old.id,
      accountId: old.accountId,
      eventsJson: JSON.stringify(old.events),
      updatedAt: old.updatedAt,
    }),
  },
});
