// The rooms this app's meetings have had (held-rooms.ts): kept across a restart in the window's
// storage, per database, bounded, and unharmed by a damaged entry.
import { expect, it } from 'vitest';
import { memoryHeldRooms, storedHeldRooms } from '../../../src-renderer/src/features/meetings/held-rooms';

function fakeStorage(): Storage {
  const m = new Map<string, string>();
  return {
    get length() {
      return m.size;
    },
    clear: () => m.clear(),
    getItem: (k) => m.get(k) ?? null,
    key: (i) => [...m.keys()][i] ?? null,
    removeItem: (k) => void m.delete(k),
    setItem: (k, v) => void m.set(k, String(v)),
  };
}

it('remembers rooms across a restart, per database, and sees what another window added', () => {
  const storage = fakeStorage();
  const first = storedHeldRooms('duet-a', storage);
  first.add(['r1', 'r2']);
  const otherWindow = storedHeldRooms('duet-a', storage);
  otherWindow.add(['r3']);
  expect(first.has('r3')).toBe(true);
  const restarted = storedHeldRooms('duet-a', storage);
  expect(['r1', 'r2', 'r3', 'r4'].map((r) => restarted.has(r))).toEqual([true, true, true, false]);
  expect(storedHeldRooms('duet-b', storage).has('r1')).toBe(false);
});

it('forgets the oldest beyond its bound, and starts afresh from a damaged entry', () => {
  const storage = fakeStorage();
  const held = storedHeldRooms('duet-a', storage, 3);
  held.add(['a', 'b', 'c', 'd']);
  const again = storedHeldRooms('duet-a', storage, 3);
  expect(['a', 'b', 'c', 'd'].map((r) => again.has(r))).toEqual([false, true, true, true]);
  storage.setItem('duet.heldRooms.duet-a', '{not json');
  const fresh = storedHeldRooms('duet-a', storage, 3);
  expect(fresh.has('b')).toBe(false);
  fresh.add(['e']);
  expect(storedHeldRooms('duet-a', storage, 3).has('e')).toBe(true);
  const mem = memoryHeldRooms(2);
  mem.add(['x', 'y', 'z']);
  expect([mem.has('x'), mem.has('z')]).toEqual([false, true]);
});
