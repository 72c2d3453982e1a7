// The optional "Add the Duet link to 1:1 events I organize" (docs/architecture.md §6, "Links on
// imported events"). Off by default; turning it on is the user's consent to tag those events. Main
// keeps the setting and makes every write through a LinkWriter (link-writer.ts): one write per
// event adds the link and the tag together, each logged in the activity log. The renderer proposes
// the events (its detection knows which are imported 1:1s); the writers check on the event itself
// that the user organizes it and that nothing of Duet's is on it yet. Turning the option off
// finds every event carrying the option's mark, on every connected account, and takes the link
// and the tag out again, with progress; what fails is named and can be retried.
import {
  importedLinksState,
  type ImportedLinkFailure,
  type ImportedLinkItem,
  type ImportedLinksResult,
  type ImportedLinksState,
} from '../../src-shared/bridge/imported-links-contract';
import { z } from 'zod';
import type { KeyValueStore } from '../storage/types';
import type { AccountRecord, AccountsService } from '../services/types';
import type { ActivityLog } from './activity-log';
import { DEFAULT_BACKOFF, classify, retryDelay, type BackoffPolicy } from './backoff';
import { createGoogleLinkWriter } from './google-link-writer';
import { createGraphLinkWriter } from './graph-link-writer';
import type { LinkWriter } from './link-writer';
import { createProviderFor } from './provider-factory';
import { ProviderHttpError } from './provider';
import { GOOGLE_ROOT_URL, GRAPH_BASE_URL } from './sdk-clients';

const KEY = 'importedLinks';
/** A 429 or 5xx is tried this many times in all before the event is reported as failed. */
const ATTEMPTS = 4;

export interface ImportedLinksDeps {
  store: KeyValueStore;
  accounts: Pick<AccountsService, 'list' | 'getAccessToken' | 'endpoints'>;
  log: ActivityLog;
  /** A sync round after writes, so the tags flow back like any other change. */
  syncNow?: (accountId: string) => void;
  writerFor?: (account: AccountRecord) => LinkWriter;
  /** The account's calendar the imports read (its primary). */
  calendarOf?: (account: AccountRecord) => Promise<string>;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  backoff?: BackoffPolicy;
}

export interface ImportedLinksService {
  state(): ImportedLinksState;
  setEnabled(enabled: boolean): Promise<ImportedLinksState>;
  add(items: ImportedLinkItem[]): Promise<ImportedLinksResult>;
  retry(): Promise<ImportedLinksState>;
  /** Resolves when no run is going (tests, and the web host's shutdown). */
  idle(): Promise<void>;
  onChange(listener: (s: ImportedLinksState) => void): () => void;
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export function writerForAccount(
  account: AccountRecord,
  accounts: Pick<AccountsService, 'getAccessToken' | 'endpoints'>,
): LinkWriter {
  const endpoints = accounts.endpoints(account.id);
  const accessToken = () => accounts.getAccessToken(account.id);
  const ca = endpoints.ca ? { ca: endpoints.ca } : {};
  return account.provider === 'google'
    ? createGoogleLinkWriter({
        rootUrl: endpoints.googleRootUrl ?? GOOGLE_ROOT_URL,
        accessToken,
        ownerEmail: account.email,
        ...ca,
      })
    : createGraphLinkWriter({ graphBaseUrl: endpoints.graphBaseUrl ?? GRAPH_BASE_URL, accessToken, ...ca });
}

export function createImportedLinks(deps: ImportedLinksDeps): ImportedLinksService {
  const writerFor = deps.writerFor ?? ((a: AccountRecord) => writerForAccount(a, deps.accounts));
  const calendarOf =
    deps.calendarOf ??
    (async (a: AccountRecord) => {
      const calendars = await createProviderFor(a, deps.accounts).listCalendars();
      const primary = calendars.find((c) => c.primary) ?? calendars[0];
      if (!primary) throw new Error('The account has no calendar.');
      return primary.id;
    });
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = deps.random ?? Math.random;
  const listeners = new Set<(s: ImportedLinksState) => void>();

  // Kept: `enabled`, and `pendingRemoval` from turning it off until a removal ran without
  // failures, so a removal cut short by quitting runs again next time. A damaged value reads as
  // off (never as consent).
  const stored = importedLinksState
    .pick({ enabled: true })
    .extend({ pendingRemoval: z.boolean().optional() })
    .safeParse(deps.store.get(KEY));
  let pendingRemoval = stored.success ? (stored.data.pendingRemoval ?? false) : false;
  const save = () => deps.store.set(KEY, { enabled: state.enabled, pendingRemoval });
  let state: ImportedLinksState = {
    enabled: stored.success ? stored.data.enabled : false,
    running: null,
    done: 0,
    total: 0,
    failed: [],
  };
  const set = (next: Partial<ImportedLinksState>) => {
    state = { ...state, ...next };
    for (const l of listeners) l(state);
  };
  // One run at a time, in order: an add queued behind a removal sees the option as it is then.
  let chain: Promise<unknown> = Promise.resolve();
  const queue = <T>(run: () => Promise<T>): Promise<T> => {
    const next = chain.then(run, run);
    chain = next.catch(() => undefined);
    return next;
  };

  const accountOf = (id: string) => deps.accounts.list().find((a) => a.id === id);

  /** 429 waits its Retry-After, a 5xx or a network failure backs off (backoff.ts); a 401 refreshes once. */
  const withRetry = async <T>(account: AccountRecord, run: () => Promise<T>): Promise<T> => {
    let refreshed = false;
    for (let attempt = 0; ; attempt++) {
      try {
        return await run();
      } catch (err) {
        if (err instanceof ProviderHttpError && err.status === 401 && !refreshed) {
          refreshed = true;
          await deps.accounts.getAccessToken(account.id, { forceRefresh: true });
          continue;
        }
        const kind = classify(err);
        if (kind === 'other' || attempt + 1 >= ATTEMPTS) throw err;
        await sleep(retryDelay(err, attempt, random, deps.backoff ?? DEFAULT_BACKOFF));
      }
    }
  };

  const entry = (account: AccountRecord) => ({
    accountId: account.id,
    provider: account.provider,
    accountEmail: account.email,
  });

  const addAll = async (items: ImportedLinkItem[]): Promise<ImportedLinksResult> => {
    const result = { added: 0, skipped: 0, failed: 0 };
    if (!state.enabled) throw new Error('Adding the Duet link to your 1:1 events is turned off in Settings.');
    // One write per event: a series' meetings all name their master once.
    const unique = [...new Map(items.map((i) => [`${i.accountId}\n${i.calendarId}\n${i.eventId}`, i])).values()];
    const failed: ImportedLinkFailure[] = [];
    const touched = new Set<string>();
    set({ running: 'adding', done: 0, total: unique.length, failed: [] });
    for (const item of unique) {
      const account = accountOf(item.accountId);
      if (!state.enabled) break;
      if (!account) {
        result.skipped += 1;
      } else {
        const writer = writerFor(account);
        try {
          const outcome = await withRetry(account, () => writer.add(item));
          if (outcome.kind === 'added') {
            result.added += 1;
            touched.add(account.id);
            deps.log.record({
              ...entry(account),
              action: 'add-link',
              ok: true,
              meetingId: item.meetingId,
              eventId: item.eventId,
              title: outcome.title,
              detail: `Added duet://meeting/${item.meetingId} to the description and tagged the event as Duet's (you turned this on in Settings)`,
              error: '',
            });
          } else result.skipped += 1;
        } catch (err) {
          result.failed += 1;
          failed.push({ accountId: account.id, eventId: item.eventId, title: '', error: message(err) });
          deps.log.record({
            ...entry(account),
            action: 'add-link',
            ok: false,
            meetingId: item.meetingId,
            eventId: item.eventId,
            title: '',
            detail: `Adding duet://meeting/${item.meetingId} and the tag; the event was left as it was`,
            error: message(err),
          });
        }
      }
      set({ done: state.done + 1 });
    }
    set({ running: null, failed });
    for (const id of touched) deps.syncNow?.(id);
    return result;
  };

  /** Every event carrying the option's mark, on every connected account, gets its link and tag back out. */
  const removeAll = async (): Promise<void> => {
    const failed: ImportedLinkFailure[] = [];
    set({ running: 'removing', done: 0, total: 0, failed: [] });
    const work: Array<{ account: AccountRecord; writer: LinkWriter; calendarId: string; eventId: string; meetingId: string; title: string }> = [];
    for (const account of deps.accounts.list()) {
      const writer = writerFor(account);
      try {
        const calendarId = await withRetry(account, () => calendarOf(account));
        for (const added of await withRetry(account, () => writer.listAdded(calendarId)))
          work.push({ account, writer, ...added });
      } catch (err) {
        failed.push({ accountId: account.id, eventId: '', title: `Every event on ${account.email}`, error: message(err) });
      }
    }
    set({ total: work.length });
    const touched = new Set<string>();
    for (const w of work) {
      try {
        const outcome = await withRetry(w.account, () => w.writer.remove(w.calendarId, w.eventId));
        if (outcome.kind === 'removed') {
          touched.add(w.account.id);
          deps.log.record({
            ...entry(w.account),
            action: 'remove-link',
            ok: true,
            meetingId: w.meetingId,
            eventId: w.eventId,
            title: outcome.title,
            detail:
              outcome.link === 'absent'
                ? 'Removed the Duet tag (the link was no longer in the description)'
                : `Removed duet://meeting/${w.meetingId} from the description and the Duet tag`,
            error: '',
          });
        }
      } catch (err) {
        failed.push({ accountId: w.account.id, eventId: w.eventId, title: w.title, error: message(err) });
        deps.log.record({
          ...entry(w.account),
          action: 'remove-link',
          ok: false,
          meetingId: w.meetingId,
          eventId: w.eventId,
          title: w.title,
          detail: `Removing duet://meeting/${w.meetingId} and the tag; the event was left as it was`,
          error: message(err),
        });
      }
      set({ done: state.done + 1 });
    }
    set({ running: null, failed });
    if (failed.length === 0 && !state.enabled) {
      pendingRemoval = false;
      save();
    }
    for (const id of touched) deps.syncNow?.(id);
  };

  let resumed = false;
  return {
    state() {
      // A removal the last run of the app did not finish goes on once a window asks (the
      // accounts and the sandbox are up by then).
      if (!resumed && pendingRemoval && !state.enabled) {
        resumed = true;
        void queue(removeAll);
      }
      return state;
    },
    setEnabled(enabled) {
      const was = state.enabled;
      if (was && !enabled) pendingRemoval = true;
      set({ enabled });
      save();
      // Turning it off undoes everything the option added; runs after any add in progress.
      if (was && !enabled) {
        resumed = true;
        void queue(removeAll);
      }
      return Promise.resolve(state);
    },
    add: (items) => queue(() => addAll(items)),
    retry() {
      if (!state.enabled) void queue(removeAll);
      return Promise.resolve(state);
    },
    idle: () => chain.then(() => undefined),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
