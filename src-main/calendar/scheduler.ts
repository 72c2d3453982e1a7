// The calendar sync service (docs/architecture.md §6): per connected account, an initial import
// of the scan window, then incremental rounds on push, on a poll (every `pollMinutes`) and on
// "Sync now", and a full reconcile every hour and whenever the window moves on to a new day.
//
// What a round reads becomes a batch for the renderer (`nextBatch`). The account's cursor (Google
// sync token, Graph delta link) is written to main's store only when the renderer acknowledges
// the batch as stored (`ackBatch(ok)`), and an account never has more than one batch
// outstanding: a crash at any point re-reads from the last stored cursor, so nothing is lost,
// and a full import is one `replace` batch, so nothing is duplicated.
import { randomUUID } from 'node:crypto';
import type { CalendarBatch, DirectoryPerson } from '../../src-shared/bridge/contract';
import type { CalendarChange } from '../../src-shared/engine/model';
import type { KeyValueStore } from '../storage/types';
import {
  ReconnectRequiredError,
  type AccountRecord,
  type AccountSyncStatus,
  type AccountsService,
  type CalendarSyncService,
} from '../services/types';
import { DEFAULT_BACKOFF, classify, retryDelay, type BackoffPolicy } from './backoff';
import { CursorExpiredError, type CalendarProvider, type SyncWindow } from './provider';
import { createProviderFor } from './provider-factory';
import { lazyProvider } from './lazy-provider';
import { createPushChannel, type PushChannelHandle } from './push-channel';
import type { RelayClient, RelayEvent, RelayListener } from './relay-client';
import { realTimers, type Timers } from './timers';

const MINUTE = 60_000;
const DAY = 86_400_000;

/** What main keeps per account (docs/architecture.md §2: main owns the cursors). */
export interface StoredCursor {
  calendarId: string;
  cursor: string;
  window: SyncWindow;
  lastFullAt: number;
  lastSyncAt: number;
}

export interface SchedulerOptions {
  accounts: Pick<AccountsService, 'list' | 'onChange' | 'getAccessToken' | 'endpoints'>;
  store: KeyValueStore;
  pollMinutes: () => number;
  /** The relay to register push channels with, or null when push cannot reach this app. */
  relay?: () => RelayClient | null;
  /** Whether push can work for this account (sandbox mode, or a public sync server). */
  pushAllowed?: (account: AccountRecord) => boolean;
  providerFor?: (account: AccountRecord) => CalendarProvider;
  timers?: Timers;
  random?: () => number;
  backoff?: BackoffPolicy;
  /** Scan window in days around now (docs/architecture.md §3). */
  pastDays?: number;
  futureDays?: number;
  reconcileMs?: number;
  /** Push channel lifetime and renewal margin (tests shorten them). */
  pushLifetimeMs?: number;
  pushRenewBeforeMs?: number;
}

type Want = 'none' | 'incremental' | 'full';

interface PendingBatch {
  batch: CalendarBatch;
  next: StoredCursor;
}

interface AccountSync {
  account: AccountRecord;
  provider: CalendarProvider;
  status: AccountSyncStatus;
  want: Want;
  running: boolean;
  pending: PendingBatch | null;
  failures: number;
  retryTimer: unknown;
  pollTimer: unknown;
  reconcileTimer: unknown;
  push: PushChannelHandle | null;
  /** Set when sign-in says the grant is gone: nothing runs until the account is reconnected. */
  blocked: boolean;
  stopped: boolean;
}

const cursorKey = (accountId: string) => `calendarSync.${accountId}`;

export interface CalendarSyncScheduler extends CalendarSyncService {
  /** Stops the account's push channel and forgets its cursor (before its grant is revoked). */
  forgetAccount(accountId: string): Promise<void>;
  /** Network is back (platform hint): retry offline accounts now. */
  resume(): void;
  /** The poll interval changed in Settings: the next poll is `pollMinutes` from now. */
  pollSettingChanged(): void;
}

export function createCalendarScheduler(o: SchedulerOptions): CalendarSyncScheduler {
  const timers = o.timers ?? realTimers;
  const random = o.random ?? Math.random;
  const backoff = o.backoff ?? DEFAULT_BACKOFF;
  // Lazy: a sandbox account's endpoints may not exist yet when its sync starts (lazy-provider.ts).
  const providerFor = o.providerFor ?? ((a: AccountRecord) => lazyProvider(a.provider, () => createProviderFor(a, o.accounts)));
  const reconcileMs = o.reconcileMs ?? 60 * MINUTE;
  const pastDays = o.pastDays ?? 30;
  const futureDays = o.futureDays ?? 28;
  const syncs = new Map<string, AccountSync>();
  const queue: PendingBatch[] = [];
  const changeListeners = new Set<() => void>();
  const batchListeners = new Set<(accountId: string) => void>();
  let relayListener: RelayListener | null = null;
  let stopped = false;

  const emitChange = () => {
    for (const l of changeListeners) l();
  };
  const emitBatch = (accountId: string) => {
    for (const l of batchListeners) l(accountId);
  };

  const windowAt = (now: number): SyncWindow => ({ from: now - pastDays * DAY, to: now + futureDays * DAY });
  const dayOf = (ms: number) => Math.floor(ms / DAY);
  const readCursor = (accountId: string) => o.store.get<StoredCursor>(cursorKey(accountId));

  const clear = (handle: unknown) => {
    if (handle !== null && handle !== undefined) timers.clearTimeout(handle);
  };

  const setStatus = (s: AccountSync, patch: Partial<AccountSyncStatus>) => {
    s.status = { ...s.status, ...patch };
    emitChange();
  };

  // ---- timers ---------------------------------------------------------------------------

  const schedulePoll = (s: AccountSync) => {
    clear(s.pollTimer);
    s.pollTimer = timers.setTimeout(
      () => {
        s.pollTimer = null;
        request(s, 'incremental');
        schedulePoll(s);
      },
      Math.max(1, o.pollMinutes()) * MINUTE,
    );
  };

  const scheduleReconcile = (s: AccountSync) => {
    clear(s.reconcileTimer);
    s.reconcileTimer = timers.setTimeout(() => {
      s.reconcileTimer = null;
      request(s, 'full');
      scheduleReconcile(s);
    }, reconcileMs);
  };

  // ---- running rounds ---------------------------------------------------------------------

  const request = (s: AccountSync, want: Exclude<Want, 'none'>) => {
    if (s.stopped) return;
    if (want === 'full' || s.want === 'none') s.want = want;
    kick(s);
  };

  const kick = (s: AccountSync) => {
    if (stopped || s.stopped || s.blocked || s.running || s.pending || s.retryTimer !== null) return;
    if (s.want === 'none') return;
    void run(s);
  };

  const primaryCalendar = async (s: AccountSync, stored: StoredCursor | undefined): Promise<string> => {
    if (stored) return stored.calendarId;
    const calendars = await s.provider.listCalendars();
    const primary = calendars.find((c) => c.primary);
    if (!primary) throw new Error('The account has no primary calendar.');
    return primary.id;
  };

  const run = async (s: AccountSync): Promise<void> => {
    s.running = true;
    const want = s.want;
    s.want = 'none';
    try {
      const now = timers.now();
      let stored = readCursor(s.account.id);
      const hadCursor = stored !== undefined;
      // A new day moves the window on: events that just entered it are only found by a new round.
      const windowMoved = stored !== undefined && dayOf(stored.window.from) !== dayOf(windowAt(now).from);
      let full = want === 'full' || !stored || windowMoved;
      const calendarId = await primaryCalendar(s, stored);
      let changes: CalendarChange[] = [];
      let cursor = '';
      let window = stored?.window ?? windowAt(now);
      if (!full && stored) {
        setStatus(s, { state: 'syncing' });
        try {
          const round = await s.provider.changes(calendarId, stored.cursor);
          changes = round.changes;
          cursor = round.cursor;
        } catch (err) {
          if (!(err instanceof CursorExpiredError)) throw err;
          // The provider forgot the cursor (410): drop it and read everything again.
          o.store.delete(cursorKey(s.account.id));
          stored = undefined;
          full = true;
        }
      }
      if (full) {
        window = windowAt(now);
        setStatus(s, { state: 'syncing', progress: { pages: 0, events: 0 } });
        const round = await s.provider.fullImport(calendarId, window, (p) => setStatus(s, { progress: p }));
        changes = round.changes;
        cursor = round.cursor;
      }
      const next: StoredCursor = {
        calendarId,
        cursor,
        window,
        lastFullAt: full ? now : (stored?.lastFullAt ?? now),
        lastSyncAt: timers.now(),
      };
      // Stopped meanwhile (app quitting, account gone): what was read is dropped, nothing stored.
      if (s.stopped || stopped) return;
      s.failures = 0;
      if (!full && changes.length === 0) {
        // Nothing for the renderer to store: the cursor can move on at once.
        o.store.set(cursorKey(s.account.id), next);
        setStatus(s, { state: 'idle', lastSyncAt: next.lastSyncAt, lastError: '', progress: null });
        // The relay may have come up since the last try (the sync server starts after main).
        ensurePush(s);
      } else {
        const batch: CalendarBatch = {
          id: randomUUID(),
          accountId: s.account.id,
          provider: s.account.provider,
          self: s.account.email,
          kind: full ? (hadCursor ? 'full' : 'initial') : 'incremental',
          replace: full,
          changes,
        };
        s.pending = { batch, next };
        queue.push(s.pending);
        setStatus(s, { progress: null });
        emitBatch(s.account.id);
      }
    } catch (err) {
      if (s.stopped || stopped) return;
      // A failed full round stays full when retried.
      if (want === 'full') s.want = 'full';
      fail(s, err);
    } finally {
      s.running = false;
    }
    kick(s);
  };

  const fail = (s: AccountSync, err: unknown) => {
    if (err instanceof ReconnectRequiredError) {
      s.blocked = true;
      setStatus(s, { state: 'error', lastError: err.message, progress: null });
      return;
    }
    const kind = classify(err);
    const delay = retryDelay(err, s.failures, random, backoff);
    s.failures += 1;
    const seconds = Math.max(1, Math.round(delay / 1000));
    const words =
      kind === 'rate-limited'
        ? `The calendar provider asked Duet to slow down; retrying in ${seconds} s.`
        : kind === 'server'
          ? `The calendar provider is having trouble (${(err as Error).message}); retrying in ${seconds} s.`
          : kind === 'offline'
            ? 'The calendar provider cannot be reached; Duet retries when the network is back.'
            : `Calendar sync failed: ${err instanceof Error ? err.message : String(err)}`;
    setStatus(s, { state: kind === 'offline' ? 'offline' : 'error', lastError: words, progress: null });
    // Whatever was wanted is still wanted after the wait (a failed full import stays full).
    if (s.want === 'none') s.want = 'incremental';
    s.retryTimer = timers.setTimeout(() => {
      s.retryTimer = null;
      kick(s);
    }, delay);
  };

  // ---- push -------------------------------------------------------------------------------

  const ensurePush = (s: AccountSync) => {
    const relay = o.relay?.() ?? null;
    if (!relay || s.push || s.stopped || !(o.pushAllowed?.(s.account) ?? true)) return;
    const calendarId = readCursor(s.account.id)?.calendarId;
    if (!calendarId) return;
    if (!relayListener) relayListener = relay.listen(onRelayEvent, () => syncAllAfterReconnect());
    const push = createPushChannel({
      accountId: s.account.id,
      accountEmail: s.account.email,
      calendarId,
      provider: s.provider,
      relay,
      store: o.store,
      timers,
      ...(o.pushLifetimeMs !== undefined ? { lifetimeMs: o.pushLifetimeMs } : {}),
      ...(o.pushRenewBeforeMs !== undefined ? { renewBeforeMs: o.pushRenewBeforeMs } : {}),
      onError: () => setStatus(s, { push: false }),
      onChange: () => setStatus(s, { push: push.active }),
    });
    s.push = push;
    push.start().catch(() => {
      // Push is an optimisation: without it the poll still finds every change.
      if (s.push === push) s.push = null;
      setStatus(s, { push: false });
    });
  };

  /** The relay reconnected: anything notified meanwhile may have been missed. */
  const syncAllAfterReconnect = () => {
    for (const s of syncs.values()) if (s.push) request(s, 'incremental');
  };

  const onRelayEvent = (event: RelayEvent) => {
    for (const s of syncs.values()) {
      if (
        s.account.email.toLowerCase() !== event.account.toLowerCase() ||
        s.account.provider !== event.provider
      )
        continue;
      if (event.type === 'calendar.changed') {
        request(s, 'incremental');
      } else if (event.lifecycleEvent === 'reauthorizationRequired') {
        s.push?.renew().catch(() => setStatus(s, { push: false }));
      } else if (event.lifecycleEvent === 'subscriptionRemoved') {
        s.push?.reopen().catch(() => setStatus(s, { push: false }));
      } else if (event.lifecycleEvent === 'missed') {
        request(s, 'incremental');
      }
    }
  };

  // ---- accounts -----------------------------------------------------------------------------

  const startAccount = (account: AccountRecord) => {
    const stored = readCursor(account.id);
    const s: AccountSync = {
      account,
      provider: providerFor(account),
      status: {
        state: 'idle',
        lastSyncAt: stored?.lastSyncAt ?? 0,
        lastError: '',
        progress: null,
        push: false,
        pollMinutes: o.pollMinutes(),
      },
      want: 'none',
      running: false,
      pending: null,
      failures: 0,
      retryTimer: null,
      pollTimer: null,
      reconcileTimer: null,
      push: null,
      blocked: account.auth === 'needs-reconnect',
      stopped: false,
    };
    syncs.set(account.id, s);
    schedulePoll(s);
    scheduleReconcile(s);
    // A restart within the hour continues incrementally; otherwise (or never synced) in full.
    const fresh = stored && timers.now() - stored.lastFullAt < reconcileMs;
    request(s, fresh ? 'incremental' : 'full');
    if (stored) ensurePush(s);
  };

  const stopAccount = (s: AccountSync, detachOnly: boolean) => {
    s.stopped = true;
    clear(s.pollTimer);
    clear(s.reconcileTimer);
    clear(s.retryTimer);
    s.pollTimer = s.reconcileTimer = s.retryTimer = null;
    if (s.pending) {
      const i = queue.indexOf(s.pending);
      if (i >= 0) queue.splice(i, 1);
      s.pending = null;
    }
    if (detachOnly) s.push?.detach();
    syncs.delete(s.account.id);
  };

  const reconcileAccounts = () => {
    if (stopped) return;
    const current = new Map(o.accounts.list().map((a) => [a.id, a]));
    for (const [id, s] of syncs) {
      const now = current.get(id);
      if (!now) {
        // Gone without forgetAccount (e.g. removed elsewhere): stop what we can.
        stopAccount(s, false);
        void s.push?.stop().catch(() => undefined);
        o.store.delete(cursorKey(id));
        emitChange();
      } else {
        const wasBlocked = s.blocked;
        s.account = now;
        s.blocked = now.auth === 'needs-reconnect';
        if (wasBlocked && !s.blocked) {
          // Reconnected: a fresh provider (new tokens, maybe new endpoints) and a full round at once.
          s.provider = providerFor(now);
          // Its push channel may be dead (the in-app sandbox forgets its channels on restart, and
          // a kept channel would still look live): drop it; the round's end opens a new one.
          const old = s.push;
          s.push = null;
          if (old) void old.stop().catch(() => undefined);
          // Its cursor may be another endpoint's (a delta link names its host): read in full.
          o.store.delete(cursorKey(id));
          setStatus(s, { state: 'idle', lastError: '' });
          request(s, 'full');
        }
      }
    }
    for (const [id, account] of current) if (!syncs.has(id)) startAccount(account);
    emitChange();
  };

  const unsubscribeAccounts = o.accounts.onChange(reconcileAccounts);
  reconcileAccounts();

  const status = (accountId: string): AccountSyncStatus => {
    const s = syncs.get(accountId);
    const pollMinutes = o.pollMinutes();
    if (!s) return { state: 'idle', lastSyncAt: 0, lastError: '', progress: null, push: false, pollMinutes };
    // An account waiting to be reconnected receives nothing, whatever its channel says.
    return { ...s.status, push: !s.blocked && (s.push?.active ?? false), pollMinutes };
  };

  return {
    status,

    syncNow(accountId) {
      const targets = accountId
        ? [syncs.get(accountId)].filter((s): s is AccountSync => !!s)
        : [...syncs.values()];
      let started = false;
      for (const s of targets) {
        if (s.blocked) continue;
        // "Sync now" does not wait out a backoff the user is looking at.
        clear(s.retryTimer);
        s.retryTimer = null;
        request(s, 'incremental');
        started = true;
      }
      return started;
    },

    nextBatch: () => queue[0]?.batch ?? null,

    ackBatch(batchId, ok, error) {
      const i = queue.findIndex((p) => p.batch.id === batchId);
      if (i < 0) return;
      const [pending] = queue.splice(i, 1) as [PendingBatch];
      const s = syncs.get(pending.batch.accountId);
      if (!s || s.pending !== pending) return;
      s.pending = null;
      if (ok) {
        o.store.set(cursorKey(s.account.id), pending.next);
        setStatus(s, { state: 'idle', lastSyncAt: pending.next.lastSyncAt, lastError: '', progress: null });
        ensurePush(s);
        kick(s);
        return;
      }
      // The renderer could not store it: the cursor stays, and the same changes are read again.
      s.want = pending.batch.replace ? 'full' : s.want === 'full' ? 'full' : 'incremental';
      fail(s, new Error(`the app could not store the calendar changes${error ? ` (${error})` : ''}`));
    },

    async directory(accountId): Promise<DirectoryPerson[]> {
      const s = syncs.get(accountId);
      if (!s) return [];
      return s.provider.directory();
    },

    onChange(listener) {
      changeListeners.add(listener);
      return () => changeListeners.delete(listener);
    },

    onBatchReady(listener) {
      batchListeners.add(listener);
      return () => batchListeners.delete(listener);
    },

    async forgetAccount(accountId) {
      const s = syncs.get(accountId);
      o.store.delete(cursorKey(accountId));
      if (!s) return;
      stopAccount(s, false);
      await s.push?.stop().catch(() => undefined);
      emitChange();
    },

    pollSettingChanged() {
      for (const s of syncs.values()) schedulePoll(s);
      emitChange();
    },

    resume() {
      for (const s of syncs.values()) {
        if (s.status.state !== 'offline') continue;
        clear(s.retryTimer);
        s.retryTimer = null;
        kick(s);
      }
    },

    async stop() {
      stopped = true;
      unsubscribeAccounts();
      relayListener?.close();
      relayListener = null;
      // Channels stay open for the next start (their ids and expiries are stored).
      for (const s of [...syncs.values()]) stopAccount(s, true);
    },
  };
}
