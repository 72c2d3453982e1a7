// Bytes the server holds in memory on behalf of clients (awareness states, replies waiting to be
// sent), counted three ways at once: per connection, per user and per process. Every limit is
// checked before anything is charged, so a refused charge changes nothing and the caller closes
// the offending connection; the other connections and users never notice (issue 12, item 1).
//
// The counters are per process, also with several processes (docs/architecture.md §7): they
// guard this process's memory, which another process's bytes do not use.
export interface ByteBudgetLimits {
  readonly perConnection: number;
  readonly perUser: number;
  readonly perProcess: number;
}

export type BudgetLevel = 'connection' | 'user' | 'process';

export class ByteBudget {
  private used = 0;
  private peak = 0;
  private refusals = 0;
  private readonly users = new Map<string, number>();

  constructor(readonly limits: ByteBudgetLimits) {}

  /** A fresh per-connection account for `user`. */
  account(user: string): ByteAccount {
    return new ByteAccount(this, user);
  }

  /** Counts only, for /healthz: never which users or rooms. */
  stats(): { usedBytes: number; peakBytes: number; users: number; refusals: number } {
    return { usedBytes: this.used, peakBytes: this.peak, users: this.users.size, refusals: this.refusals };
  }

  /** @internal the level that `bytes` more would exceed, or undefined (and charged). */
  charge(account: ByteAccount, bytes: number): BudgetLevel | undefined {
    const userUsed = this.users.get(account.user) ?? 0;
    const over: BudgetLevel | undefined =
      account.used + bytes > this.limits.perConnection
        ? 'connection'
        : userUsed + bytes > this.limits.perUser
          ? 'user'
          : this.used + bytes > this.limits.perProcess
            ? 'process'
            : undefined;
    if (over) {
      this.refusals++;
      return over;
    }
    this.users.set(account.user, userUsed + bytes);
    this.used += bytes;
    if (this.used > this.peak) this.peak = this.used;
    return undefined;
  }

  /** @internal */
  release(account: ByteAccount, bytes: number): void {
    const left = (this.users.get(account.user) ?? 0) - bytes;
    if (left <= 0) this.users.delete(account.user);
    else this.users.set(account.user, left);
    this.used -= bytes;
  }
}

/** One connection's share of a ByteBudget. */
export class ByteAccount {
  used = 0;

  constructor(
    private readonly budget: ByteBudget,
    readonly user: string,
  ) {}

  /** Charges `bytes`; returns the level it would exceed instead (nothing is charged then). */
  charge(bytes: number): BudgetLevel | undefined {
    if (bytes <= 0) return undefined;
    const over = this.budget.charge(this, bytes);
    if (!over) this.used += bytes;
    return over;
  }

  release(bytes: number): void {
    const n = Math.min(bytes, this.used);
    if (n <= 0) return;
    this.used -= n;
    this.budget.release(this, n);
  }

  /** Gives back everything (the connection is gone). */
  releaseAll(): void {
    this.release(this.used);
  }
}
