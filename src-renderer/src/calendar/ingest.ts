// The renderer's calendar ingest (docs/architecture.md §2, §6). In the leading window only (RxDB
// leader election: one writer, the others follow through RxDB's cross-window events) it pulls
// batches from main, stores them in the event cache, runs the engine over the cache and writes the
// meetings and series, then acknowledges the batch. The account's cursor advances only on ok:true,
// so a batch that failed to store comes again, and storing it again duplicates nothing.
import type { Subscription } from 'rxjs';
import type { CalendarBatch, DuetApi } from '../../../src-shared/bridge/contract';
import type { DuetDatabase } from '../db/database';
import type { CalendarAccountDoc } from '../db/schemas';
import { applyBatch } from './apply-batch';
import { detectAccount, summaryOf, writeDetection, type SharedContentCheck } from './detect';
import { ingestStore, type IngestStore } from './ingest-store';
import type { ImportSummary } from './types';

export interface IngestBridge {
  calendar: Pick<DuetApi['calendar'], 'nextBatch' | 'ackBatch'>;
  on: DuetApi['on'];
}

export interface IngestOptions {
  store?: IngestStore;
  now?: () => number;
  /** Meetings whose Y.Doc has an agenda topic, action item or shared note (never deleted). */
  sharedContent?: SharedContentCheck;
  /** Delay before retrying after a failed batch; doubles up to 5 minutes. */
  retryMs?: number;
  /** Coalesces bursts of people/preferences edits into one re-detection. */
  debounceMs?: number;
}

export interface CalendarIngest {
  /** Re-runs detection over the cache at once (leader); resolves when written. A follower's call is a no-op: the leader sees the same change. */
  redetect(): Promise<void>;
  /** Resolves when nothing is queued or running (tests, and the "Sync now" spinner). */
  idle(): Promise<void>;
  stop(): Promise<void>;
  readonly store: IngestStore;
}

const MAX_RETRY_MS = 5 * 60_000;

export function startCalendarIngest(db: DuetDatabase, bridge: IngestBridge, options: IngestOptions = {}): CalendarIngest {
  const store = options.store ?? ingestStore;
  const now = options.now ?? Date.now;
  const baseRetry = options.retryMs ?? 5000;
  const debounceMs = options.debounceMs ?? 50;
  let stopped = false;
  let leader = false;
  let chain: Promise<void> = Promise.resolve();
  let retryMs = baseRetry;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let debounceTimer: ReturnType<typeof setTimeout> | undefined;
  let pumpQueued = false;
  const subs: Subscription[] = [];
  const offs: (() => void)[] = [];

  // Every window shows the summaries the leader stored.
  subs.push(
    db.calendarAccounts.find().$.subscribe((docs) => {
      const summaries: Record<string, ImportSummary> = {};
      for (const d of docs) if (d.summary) summaries[d.id] = d.summary as unknown as ImportSummary;
      store.setState({ summaries });
    }),
  );

  /** One job at a time, in order: batches and re-detections never interleave their writes. */
  const enqueue = (job: () => Promise<void>): Promise<void> => {
    const run = chain.then(async () => {
      if (stopped) return;
      store.setState({ busy: true });
      try {
        await job();
      } finally {
        store.setState({ busy: false });
      }
    });
    chain = run.catch(() => undefined);
    return run;
  };

  /**
   * Runs the engine over each account's cache and writes the outcome. `onlyIfChanged`: write
   * nothing (not even the summary) for an account whose meetings the run leaves as they are.
   */
  const detectAll = async (batchId: string, onlyAccount?: string, onlyIfChanged = false): Promise<void> => {
    const accounts = (await db.calendarAccounts.find().exec()).map((d) => d.toMutableJSON() as CalendarAccountDoc);
    for (const account of accounts) {
      if (onlyAccount !== undefined && account.id !== onlyAccount) continue;
      const at = now();
      const result = await detectAccount({ db, now: at, ...(options.sharedContent ? { sharedContent: options.sharedContent } : {}) }, account);
      if (onlyIfChanged && result.plan.meetings.length === 0 && result.plan.deletions.length === 0) continue;
      await writeDetection(db, account, result, summaryOf(account, result, account.id === onlyAccount ? batchId : '', at), account.id === onlyAccount ? batchId : '');
    }
  };

  const storeAll = (batch: CalendarBatch): Promise<void> =>
    applyBatch(db, batch, now(), options.sharedContent ? { sharedContent: options.sharedContent } : {});

  const scheduleRetry = () => {
    if (stopped || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      pump();
    }, retryMs);
    retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
  };

  /** Pulls and stores batches until main has none left (or one fails: then retry later). */
  const pump = (): void => {
    if (!leader || stopped || pumpQueued) return;
    pumpQueued = true;
    void enqueue(async () => {
      pumpQueued = false;
      for (;;) {
        if (stopped) return;
        const batch = await bridge.calendar.nextBatch();
        if (!batch) return;
        try {
          await storeAll(batch);
        } catch (err) {
          const message = err instanceof Error ? err.message : String(err);
          store.setState({ lastError: `Could not store calendar changes: ${message}` });
          await bridge.calendar.ackBatch({ batchId: batch.id, ok: false, error: message.slice(0, 2000) });
          scheduleRetry();
          return;
        }
        await bridge.calendar.ackBatch({ batchId: batch.id, ok: true });
        retryMs = baseRetry;
        store.setState({ lastError: '' });
      }
    }).catch((err: unknown) => {
      pumpQueued = false;
      // The bridge itself failed (main restarting, web host gone): try again later.
      store.setState({ lastError: err instanceof Error ? err.message : String(err) });
      scheduleRetry();
    });
  };

  const redetectNow = (): Promise<void> => (leader && !stopped ? enqueue(() => detectAll('')) : Promise.resolve());

  const redetectSoon = () => {
    if (!leader || stopped) return;
    if (debounceTimer) clearTimeout(debounceTimer);
    debounceTimer = setTimeout(() => {
      debounceTimer = undefined;
      redetectNow().catch((err: unknown) => store.setState({ lastError: err instanceof Error ? err.message : String(err) }));
    }, debounceMs);
  };

  void db.waitForLeadership().then(() => {
    if (stopped) return;
    leader = true;
    store.setState({ leader: true });
    offs.push(bridge.on('calendar.batchReady', () => pump()));
    // A person, alias, keyword or match mode changed (in any window): detect again.
    subs.push(db.people.$.subscribe(() => redetectSoon()));
    subs.push(db.preferences.$.subscribe(() => redetectSoon()));
    pump();
    // Catch up on a change no leader detected: a person added in a window that closed or reloaded
    // before its re-detection ran (the cache is already here, so no sync round is needed).
    // Quiet when nothing changes, so opening the app does not rewrite the import summaries.
    void enqueue(() => detectAll('', undefined, true)).catch((err: unknown) =>
      store.setState({ lastError: err instanceof Error ? err.message : String(err) }),
    );
  });

  return {
    store,
    redetect: redetectNow,
    idle: async () => {
      for (;;) {
        const current = chain;
        await current;
        if (current === chain && !pumpQueued && !debounceTimer) return;
      }
    },
    async stop() {
      stopped = true;
      if (retryTimer) clearTimeout(retryTimer);
      if (debounceTimer) clearTimeout(debounceTimer);
      for (const s of subs) s.unsubscribe();
      for (const off of offs) off();
      await chain;
    },
  };
}
