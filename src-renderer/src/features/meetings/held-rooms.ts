// The rooms this app has had a meeting of its own in (docs/architecture.md §5, "Shared with you").
// A room stays on the sync server after its meeting goes here (the ingest removed it when its event
// was cancelled and it had no content, or the owner deleted it): without this memory the next
// rooms pass would find the room in GET /rooms and bring the meeting back as "shared with you".
//
// Kept in the window's localStorage, beside the app's IndexedDB database (same origin, same
// lifetime), per database name; bounded so it never grows without end.

export interface HeldRooms {
  has(roomId: string): boolean;
  add(roomIds: Iterable<string>): void;
}

/** Enough for years of weekly 1:1s with a large team; the oldest are forgotten first. */
export const HELD_ROOMS_LIMIT = 5000;

export function memoryHeldRooms(limit = HELD_ROOMS_LIMIT): HeldRooms {
  const rooms = new Set<string>();
  return {
    has: (id) => rooms.has(id),
    add(ids) {
      for (const id of ids) {
        rooms.delete(id);
        rooms.add(id);
      }
      for (const old of rooms) {
        if (rooms.size <= limit) break;
        rooms.delete(old);
      }
    },
  };
}

/** The store of one database, in `storage` (the window's localStorage); in memory without one. */
export function storedHeldRooms(dbName: string, storage: Storage | undefined, limit = HELD_ROOMS_LIMIT): HeldRooms {
  const key = `duet.heldRooms.${dbName}`;
  const mem = memoryHeldRooms(limit);
  if (!storage) return mem;
  try {
    const saved: unknown = JSON.parse(storage.getItem(key) ?? '[]');
    if (Array.isArray(saved)) mem.add(saved.filter((x): x is string => typeof x === 'string'));
  } catch {
    // A damaged entry: start afresh (at worst a deleted meeting is listed as shared once more).
  }
  const all: string[] = [];
  return {
    has(id) {
      // Another window of the app may have added it since.
      if (mem.has(id)) return true;
      try {
        const saved: unknown = JSON.parse(storage.getItem(key) ?? '[]');
        return Array.isArray(saved) && saved.includes(id);
      } catch {
        return false;
      }
    },
    add(ids) {
      const fresh = [...ids].filter((id) => !mem.has(id));
      if (fresh.length === 0) return;
      mem.add(fresh);
      all.length = 0;
      try {
        const saved: unknown = JSON.parse(storage.getItem(key) ?? '[]');
        if (Array.isArray(saved)) all.push(...saved.filter((x): x is string => typeof x === 'string' && !fresh.includes(x)));
      } catch {
        // as above
      }
      all.push(...fresh);
      try {
        storage.setItem(key, JSON.stringify(all.slice(-limit)));
      } catch {
        // Storage full or disabled: this window still remembers.
      }
    },
  };
}
