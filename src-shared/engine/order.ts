// Canonical, chronological output order. A comparison sort over a million string ids costs
// more than the rest of a scan, so items are first ordered by start minute with a native
// typed-array sort (minute and input index packed into one float), and only items sharing a
// minute are compared with `tie` (which must be a total order, e.g. by unique id).

const INDEX_BITS = 2 ** 21;
const MINUTE = 60_000;

export function sortByTime<T>(items: readonly T[], timeOf: (item: T, index: number) => number, tie: (a: T, b: T) => number): T[] {
  const n = items.length;
  const times = new Float64Array(n);
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const t = timeOf(items[i] as T, i);
    times[i] = t;
    if (t < min) min = t;
    if (t > max) max = t;
  }
  const full = (a: number, b: number) => (times[a] as number) - (times[b] as number) || tie(items[a] as T, items[b] as T);
  const base = Math.floor(min / MINUTE);
  if (n < 2 || n >= INDEX_BITS || !Number.isFinite(min + max) || Math.floor(max / MINUTE) - base >= 2 ** 31) {
    return Array.from({ length: n }, (_, i) => i)
      .sort(full)
      .map((i) => items[i] as T);
  }
  const packed = new Float64Array(n);
  for (let i = 0; i < n; i++) packed[i] = (Math.floor((times[i] as number) / MINUTE) - base) * INDEX_BITS + i;
  packed.sort();
  const out: T[] = new Array<T>(n);
  let groupStart = 0;
  while (groupStart < n) {
    const minute = Math.floor((packed[groupStart] as number) / INDEX_BITS);
    let groupEnd = groupStart + 1;
    while (groupEnd < n && Math.floor((packed[groupEnd] as number) / INDEX_BITS) === minute) groupEnd++;
    if (groupEnd - groupStart === 1) {
      out[groupStart] = items[(packed[groupStart] as number) - minute * INDEX_BITS] as T;
    } else {
      const group: number[] = [];
      for (let k = groupStart; k < groupEnd; k++) group.push((packed[k] as number) - minute * INDEX_BITS);
      group.sort(full);
      for (let k = 0; k < group.length; k++) out[groupStart + k] = items[group[k] as number] as T;
    }
    groupStart = groupEnd;
  }
  return out;
}
