// Which of a room's numbered updates (PostgreSQL storage) the in-memory doc holds. Numbers may
// arrive out of order (our own appends, other processes' via fan-out, catch-up reads); the
// tracker keeps the longest unbroken prefix, which is what a compaction may replace, and says
// whether anything is missing below the highest number seen.
export class SeqTracker {
  private readonly ahead = new Set<number>();
  private top: number;

  constructor(private prefix: number) {
    this.top = prefix;
  }

  /** Every number up to this one is in the doc. */
  get contiguous(): number {
    return this.prefix;
  }

  /** The highest number seen. */
  get highest(): number {
    return this.top;
  }

  /** Some number below `highest` has not arrived. */
  get hasGap(): boolean {
    return this.ahead.size > 0;
  }

  has(seq: number): boolean {
    return seq <= this.prefix || this.ahead.has(seq);
  }

  add(seq: number): void {
    if (seq > this.top) this.top = seq;
    if (seq <= this.prefix) return;
    this.ahead.add(seq);
    while (this.ahead.delete(this.prefix + 1)) this.prefix++;
  }

  /** A read from storage returned everything up to `seq` (a compacted state covers a range). */
  coverUpTo(seq: number): void {
    if (seq <= this.prefix) return;
    this.prefix = seq;
    if (seq > this.top) this.top = seq;
    for (const n of this.ahead) if (n <= seq) this.ahead.delete(n);
    while (this.ahead.delete(this.prefix + 1)) this.prefix++;
  }
}
