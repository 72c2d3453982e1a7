// Canonical, chronological output order: by start second, then by a string key (ids), then by
// `tie`. A comparison sort of a million string ids costs more than the rest of a scan, so:
//  1. items are sorted by start second with a native typed-array sort (second and input index
//     packed into one float);
//  2. items sharing a second are sorted the same way on the first two UTF-16 code units where
//     their keys differ (skipping the group's common prefix: provider ids often share one);
//  3. only items that still tie are compared as strings.
// The result equals a plain comparison sort by (second, key, tie) and never depends on input order.

const SECOND = 1000;
const SMALL_GROUP = 8;

function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sortByTime<T>(
  items: readonly T[],
  timeOf: (item: T, index: number) => number,
  keyOf: (item: T) => string,
  tie?: (a: T, b: T) => number,
): T[] {
  const n = items.length;
  const seconds = new Float64Array(n);
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const s = Math.floor(timeOf(items[i] as T, i) / SECOND);
    seconds[i] = s;
    if (s < min) min = s;
    if (s > max) max = s;
  }
  const keys: string[] = new Array<string>(n);
  for (let i = 0; i < n; i++) keys[i] = keyOf(items[i] as T);
  const full = (a: number, b: number): number =>
    (seconds[a] as number) - (seconds[b] as number) ||
    cmpStr(keys[a] as string, keys[b] as string) ||
    (tie ? tie(items[a] as T, items[b] as T) : 0);

  const indexBits = 2 ** Math.max(1, Math.ceil(Math.log2(n + 1)));
  if (n < 2 || !Number.isFinite(min + max) || (max - min + 1) * indexBits > Number.MAX_SAFE_INTEGER) {
    return Array.from({ length: n }, (_, i) => i)
      .sort(full)
      .map((i) => items[i] as T);
  }
  const packed = new Float64Array(n);
  for (let i = 0; i < n; i++) packed[i] = ((seconds[i] as number) - min) * indexBits + i;
  packed.sort();
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = (packed[i] as number) % indexBits;

  let start = 0;
  while (start < n) {
    const second = seconds[order[start] as number];
    let end = start + 1;
    while (end < n && seconds[order[end] as number] === second) end++;
    if (end - start > 1) sortGroup(order, start, end, keys, full);
    start = end;
  }
  const out: T[] = new Array<T>(n);
  for (let i = 0; i < n; i++) out[i] = items[order[i] as number] as T;
  return out;
}

/** Sorts order[start, end) (items of one second) by key, then `full`. */
function sortGroup(order: Int32Array, start: number, end: number, keys: readonly string[], full: (a: number, b: number) => number): void {
  const g = end - start;
  if (g <= SMALL_GROUP) {
    // Insertion sort: most groups are a handful of items.
    for (let k = start + 1; k < end; k++) {
      const item = order[k] as number;
      let j = k - 1;
      while (j >= start && full(order[j] as number, item) > 0) {
        order[j + 1] = order[j] as number;
        j--;
      }
      order[j + 1] = item;
    }
    return;
  }
  if (g >= 2 ** 19) {
    order.set(Array.from(order.subarray(start, end)).sort(full), start);
    return;
  }
  // Common prefix of the group's keys: the two code units after it decide most comparisons.
  const first = keys[order[start] as number] as string;
  let prefix = first.length;
  for (let k = start + 1; k < end && prefix > 0; k++) {
    const key = keys[order[k] as number] as string;
    let p = 0;
    const limit = Math.min(prefix, key.length);
    while (p < limit && key.charCodeAt(p) === first.charCodeAt(p)) p++;
    prefix = p;
  }
  const bits = 2 ** Math.ceil(Math.log2(g + 1));
  // Code unit + 1 (0 = end of key) for two positions: 17 bits each, plus the local index.
  const unit = (key: string, at: number) => (at < key.length ? key.charCodeAt(at) + 1 : 0);
  const packed = new Float64Array(g);
  for (let k = 0; k < g; k++) {
    const key = keys[order[start + k] as number] as string;
    packed[k] = (unit(key, prefix) * 65537 + unit(key, prefix + 1)) * bits + k;
  }
  packed.sort();
  const local = order.slice(start, end);
  let runStart = 0;
  while (runStart < g) {
    const head = Math.floor((packed[runStart] as number) / bits);
    let runEnd = runStart + 1;
    while (runEnd < g && Math.floor((packed[runEnd] as number) / bits) === head) runEnd++;
    if (runEnd - runStart === 1) {
      order[start + runStart] = local[(packed[runStart] as number) % bits] as number;
    } else {
      const run: number[] = [];
      for (let k = runStart; k < runEnd; k++) run.push(local[(packed[k] as number) % bits] as number);
      run.sort(full);
      order.set(run, start + runStart);
    }
    runStart = runEnd;
  }
}
