// Where a series' page lives: '#/meetings/series/<series id>', inside Meetings (the section stays
// highlighted), read live from the hash so going from one series to another re-renders.
import { useSyncExternalStore } from 'react';

/** The hash that opens a series' page: inside Meetings, where series live. */
export const seriesHash = (id: string): string => `#/meetings/series/${encodeURIComponent(id)}`;

/** '#/meetings/series/<id>' → the id, else ''. */
export function seriesIdFromHash(hash: string): string {
  const m = /^#\/?meetings\/series\/([^/?]+)/.exec(hash);
  if (!m?.[1]) return '';
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return '';
  }
}

/** The series named by the URL hash, live across hash changes ('' when none). */
export function useSeriesIdFromHash(): string {
  return useSyncExternalStore(
    (cb) => {
      window.addEventListener('hashchange', cb);
      return () => window.removeEventListener('hashchange', cb);
    },
    () => seriesIdFromHash(window.location.hash),
  );
}
