// Work whose cost grows with a document rather than with the bytes a client sent (a sync reply
// is a copy of everything the requester lacks, issue 12 item 2) is not done inside the frame
// handler. A frame handler that did it would let one TCP read of many small requests hold the
// event loop for as long as the copies take, and every other user's edits would wait.
// Here, instead:
// - jobs run in slices of at most `sliceMs`, and the event loop turns between slices (I/O and
//   timers of everyone else run in between); a single job is never split;
// - users take turns: one job of each user with work, then the next round;
// - each user has a budget of bytes produced (a token bucket that may go into debt by the last
//   job's size); a user in debt waits while the others go on.
// Per process, like the other budgets in limits/.
export interface FairWorkLimits {
  /** Bytes a user's jobs may produce at once, then per second. */
  readonly bytesPerUserBurst: number;
  readonly bytesPerUserPerSecond: number;
  /** Work done before the event loop is given a turn (ms). */
  readonly sliceMs: number;
}

/** A job returns how many bytes it produced (0 when it did no real work). */
export type WorkJob = () => number;

interface Bucket {
  /** Byte tokens: up to the burst; below zero is debt. */
  tokens: number;
  at: number;
}

export class FairWorkQueue {
  // Users with queued jobs, in turn order (a Map keeps insertion order; a served user moves to
  // the back).
  private readonly queues = new Map<string, WorkJob[]>();
  // Byte budgets, kept after a user's queue empties until they are full again: a debt is not
  // forgotten because the user's last job ran.
  private readonly buckets = new Map<string, Bucket>();
  private scheduled = false;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private jobsRun = 0;
  private bytesProduced = 0;
  private deferrals = 0;
  private slowestSliceMs = 0;

  constructor(
    readonly limits: FairWorkLimits,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Queues `job` for `user`; it runs on a later turn of the event loop, never synchronously. */
  enqueue(user: string, job: WorkJob): void {
    if (this.closed) return;
    let jobs = this.queues.get(user);
    if (!jobs) this.queues.set(user, (jobs = []));
    jobs.push(job);
    this.schedule();
  }

  /** Counts for /healthz (never which users). */
  stats(): {
    queuedJobs: number;
    usersWaiting: number;
    jobsRun: number;
    bytesProduced: number;
    deferrals: number;
    slowestSliceMs: number;
  } {
    let queuedJobs = 0;
    for (const jobs of this.queues.values()) queuedJobs += jobs.length;
    return {
      queuedJobs,
      usersWaiting: this.queues.size,
      jobsRun: this.jobsRun,
      bytesProduced: this.bytesProduced,
      deferrals: this.deferrals,
      slowestSliceMs: Math.round(this.slowestSliceMs * 100) / 100,
    };
  }

  /** Drops every queued job (shutdown). */
  close(): void {
    this.closed = true;
    this.queues.clear();
    if (this.timer) clearTimeout(this.timer);
  }

  private schedule(): void {
    if (this.scheduled || this.closed) return;
    this.scheduled = true;
    setImmediate(() => this.runSlice());
  }

  /** The user's bucket, refilled up to `now`. */
  private bucket(user: string, now: number): Bucket {
    let bucket = this.buckets.get(user);
    if (!bucket) {
      bucket = { tokens: this.limits.bytesPerUserBurst, at: now };
      this.buckets.set(user, bucket);
      return bucket;
    }
    bucket.tokens = Math.min(
      this.limits.bytesPerUserBurst,
      bucket.tokens + ((now - bucket.at) / 1000) * this.limits.bytesPerUserPerSecond,
    );
    bucket.at = now;
    return bucket;
  }

  private runSlice(): void {
    this.scheduled = false;
    if (this.closed) return;
    const start = this.now();
    let ranAny = true;
    while (ranAny && this.queues.size > 0 && this.now() - start < this.limits.sliceMs) {
      ranAny = false;
      // One round: each user with work and no debt runs one job.
      for (const [user, jobs] of [...this.queues]) {
        const now = this.now();
        if (now - start >= this.limits.sliceMs) {
          ranAny = true; // out of time, not out of work
          break;
        }
        const bucket = this.bucket(user, now);
        if (bucket.tokens <= 0) continue;
        const job = jobs.shift()!;
        this.queues.delete(user);
        if (jobs.length > 0) this.queues.set(user, jobs); // to the back of the line
        let bytes = 0;
        try {
          bytes = job();
        } catch {
          // A job reports its own failures to its connection; one failing job stops nothing else.
        }
        bucket.tokens -= bytes;
        this.jobsRun++;
        this.bytesProduced += bytes;
        ranAny = true;
      }
    }
    const took = this.now() - start;
    if (took > this.slowestSliceMs) this.slowestSliceMs = took;
    this.forgetFullBuckets();
    if (this.queues.size === 0) return;
    if (ranAny) return this.schedule();
    // Everyone left is in debt: come back when the first of them has tokens again.
    this.deferrals++;
    const now = this.now();
    let wait = 60_000;
    for (const user of this.queues.keys()) {
      const { tokens } = this.bucket(user, now);
      if (this.limits.bytesPerUserPerSecond > 0)
        wait = Math.min(wait, ((1 - tokens) / this.limits.bytesPerUserPerSecond) * 1000);
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.schedule();
      },
      Math.max(1, Math.ceil(wait)),
    );
    this.timer.unref();
  }

  private forgetFullBuckets(): void {
    if (this.buckets.size <= this.queues.size + 64) return;
    const now = this.now();
    for (const [user, bucket] of this.buckets) {
      if (this.queues.has(user)) continue;
      if (
        bucket.tokens + ((now - bucket.at) / 1000) * this.limits.bytesPerUserPerSecond >=
        this.limits.bytesPerUserBurst
      )
        this.buckets.delete(user);
    }
  }
}
