// The fast paths behind canonical output order and time parsing must agree exactly with the
// obvious slow versions (comparison sort; Date.parse / the strict ISO parser).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sortByTime } from '../../../src-shared/engine/order';
import { dayNumber, daysInMonth, fromDayNumber, instantOf, parseIso } from '../../../src-shared/engine/time';

interface Item {
  t: number;
  key: string;
  n: number;
}

const itemArb = fc.record({
  t: fc.oneof(fc.constantFrom(1_709_800_000_000, 1_709_800_000_500, 1_709_801_800_000), fc.integer({ min: 1_600_000_000_000, max: 1_800_000_000_000 })),
  key: fc.oneof(
    fc.string({ maxLength: 4 }),
    fc.string({ maxLength: 3 }).map((s) => `AAMkAGI2TG93AAAAAA=${s}`),
    fc.constantFrom('', 'a', 'ab', 'b', '\uffff', '\ud83d\ude00'),
  ),
  n: fc.integer({ min: 0, max: 3 }),
});

const naive = (items: Item[]) =>
  [...items].sort((a, b) => Math.floor(a.t / 1000) - Math.floor(b.t / 1000) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) || a.n - b.n || a.t - b.t);

describe('sortByTime', () => {
  it('equals a comparison sort by (second, key, tie), whatever the input order', () => {
    fc.assert(
      fc.property(fc.array(itemArb, { maxLength: 300 }), (items) => {
        const got = sortByTime(items, (x) => x.t, (x) => x.key, (a, b) => a.n - b.n || a.t - b.t);
        const want = naive(items);
        expect(got.map((x) => [Math.floor(x.t / 1000), x.key, x.n])).toEqual(want.map((x) => [Math.floor(x.t / 1000), x.key, x.n]));
        expect(sortByTime([...items].reverse(), (x) => x.t, (x) => x.key, (a, b) => a.n - b.n || a.t - b.t)).toEqual(got);
      }),
      { numRuns: 200 },
    );
  });

  it('sorts large groups sharing one second and a long common prefix', () => {
    const items: Item[] = Array.from({ length: 2000 }, (_, i) => ({ t: 1_709_800_000_000, key: `AAMkAGI2TG93AAAAAA=${(i * 7919) % 2000}`, n: 0 }));
    expect(sortByTime(items, (x) => x.t, (x) => x.key).map((x) => x.key)).toEqual(items.map((x) => x.key).sort());
  });
});

describe('time parsing', () => {
  it('instantOf agrees with parseIso and Date.parse on accepted strings', () => {
    const isoArb = fc
      .record({
        ms: fc.integer({ min: -62_000_000_000_000, max: 253_000_000_000_000 }),
        offset: fc.integer({ min: -14 * 4, max: 14 * 4 }).map((q) => q * 15),
        fraction: fc.constantFrom('', '.5', '.123', '.1234567', '.999999999'),
        z: fc.boolean(),
      })
      .map(({ ms, offset, fraction, z }) => {
        const local = new Date(ms + offset * 60_000).toISOString().slice(0, 19);
        if (z || offset === 0) return `${local}${fraction}Z`;
        const a = Math.abs(offset);
        return `${local}${fraction}${offset < 0 ? '-' : '+'}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
      });
    fc.assert(
      fc.property(isoArb, (s) => {
        expect(instantOf(s)).toBe(parseIso(s));
        expect(instantOf(s)).toBe(Date.parse(s));
      }),
      { numRuns: 500 },
    );
  });

  it.each([
    ['2024-03-10', Date.UTC(2024, 2, 10)],
    ['2024-03-10T10:00Z', Date.UTC(2024, 2, 10, 10)],
    ['0001-01-01T00:00:00Z', -62_135_596_800_000],
    ['2024-02-29T12:00:00+14:00', Date.UTC(2024, 1, 28, 22)],
  ])('%s', (s, ms) => {
    expect(parseIso(s)).toBe(ms);
    expect(instantOf(s)).toBe(ms);
  });

  it.each(['2023-02-29T10:00:00Z', '2024-13-01', '2024-03-10T24:00:00Z', '2024-03-10T10:00:00', '2024-03-10T10:00:00+1:00', '10 March 2024'])('refuses %s', (s) => {
    expect(parseIso(s)).toBeUndefined();
  });

  it('day numbers round-trip across leap years and centuries', () => {
    for (let d = dayNumber(1899, 12, 25); d < dayNumber(2101, 1, 5); d += 1) {
      const { year, month, day } = fromDayNumber(d);
      expect(dayNumber(year, month, day)).toBe(d);
      expect(day).toBeLessThanOrEqual(daysInMonth(year, month));
    }
    expect(daysInMonth(2000, 2)).toBe(29);
    expect(daysInMonth(1900, 2)).toBe(28);
  });
});
