// A clock the test moves by hand, for the calendar scheduler (src-main/calendar/timers.ts): hours
// of polls, backoffs and channel renewals pass in one call, while HTTP to the sandbox stays real.
// The shape of src-main/calendar/timers.ts's Timers (and the renderer notifier's clock), written
// out here so renderer tests can use this clock without compiling main's Node-typed module.
interface Timers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

interface Pending {
  at: number;
  delay: number;
  fn: () => void;
}

export class ManualTimers implements Timers {
  private current: number;
  private readonly pending = new Set<Pending>();
  /** Every delay ever asked for, in order (backoff assertions read it). */
  readonly requested: number[] = [];

  constructor(start = Date.now()) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const p: Pending = { at: this.current + ms, delay: ms, fn };
    this.pending.add(p);
    this.requested.push(ms);
    return p;
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as Pending);
  }

  /** Delays of the timers still waiting, soonest first. */
  waiting(): number[] {
    return [...this.pending].map((p) => p.at - this.current).sort((a, b) => a - b);
  }

  /** Moves the clock on by `ms`, firing each due timer in time order (timers they set included). */
  advance(ms: number): void {
    const end = this.current + ms;
    for (;;) {
      const due = [...this.pending].filter((p) => p.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.pending.delete(due);
      this.current = Math.max(this.current, due.at);
      due.fn();
    }
    this.current = end;
  }
}
