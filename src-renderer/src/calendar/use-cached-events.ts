// The cached calendar events some screen needs (the meeting page's Join and "Open in calendar", Up
// next's Join): a live query over the few chunks that may hold them (docs/architecture.md §6), so a
// calendar change reaches the screen without a reload.
import { useCallback, useMemo } from 'react';
import type { CalendarEvent } from '../../../src-shared/engine/model';
import { useDb } from '../app/services';
import { useLiveDocs } from '../db/live-query';
import type { CachedEventChunkDoc } from '../db/schemas';
import { cacheDocIdsFor, findCachedEvent, parseChunk, type CachedEventChunk, type CachedEventRef } from './cache';

/** Returns a lookup of the cached event each of `refs` names (undefined until read, or when not cached). */
export function useCachedEvents(refs: readonly CachedEventRef[]): (ref: CachedEventRef) => CalendarEvent | undefined {
  const db = useDb();
  const key = [...new Set(refs.flatMap(cacheDocIdsFor))].sort().join('\n');
  const query = useMemo(
    () => (key ? db.calendarEvents.find({ selector: { id: { $in: key.split('\n') } } }) : null),
    [db, key],
  );
  const docs = useLiveDocs<CachedEventChunkDoc>(query);
  const chunks = useMemo(
    () =>
      docs.value.flatMap((d): CachedEventChunk[] => {
        try {
          return [parseChunk(d)];
        } catch {
          // A damaged chunk hides its events' links until the next full sync rewrites it.
          return [];
        }
      }),
    [docs.value],
  );
  return useCallback((ref: CachedEventRef) => findCachedEvent(chunks, ref), [chunks]);
}
