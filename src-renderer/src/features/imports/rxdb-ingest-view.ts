// The IngestPort over what the ingest stores in RxDB (src-renderer/src/calendar, docs/architecture.md
// §2, §6): the cached events and each account's bookkeeping. It works in every window, leader or
// not: verdicts come from running the engine's `scan` on the cache with the current team and
// preferences — the same pure function the ingest runs, so they agree — and a re-detection is the
// ingest's own, handed in by whoever created the ingest.
import { scan } from '../../../../src-shared/engine/scan';
import type { ReasonCode } from '../../../../src-shared/engine/model';
import { readCachedEvents } from '../../calendar/cache';
import type { DuetDatabase } from '../../db/database';
import { engineSettings, loadPreferences } from '../settings/preferences-repo';
import type { DiagnosedEvent, ImportSummary, IngestPort } from './ingest-port';

/** The stored summary (src-renderer/src/calendar/types.ts ImportSummary) as the screens read it. */
function toSummary(accountId: string, raw: Record<string, unknown> | null): ImportSummary | null {
  if (!raw) return null;
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  const skipped: Partial<Record<ReasonCode, number>> = {};
  if (raw.skipped && typeof raw.skipped === 'object')
    for (const [k, v] of Object.entries(raw.skipped as Record<string, unknown>))
      skipped[k as ReasonCode] = num(v);
  return {
    accountId,
    finishedAt: num(raw.at),
    eventsSeen: num(raw.eventsSeen),
    oneOnOnes: num(raw.oneOnOnes),
    skipped,
    teamWasEmpty: false,
  };
}

export interface RxdbIngestViewOptions {
  /** The ingest's re-detection (leader window); without it the view only re-reads. */
  redetect?: () => Promise<void>;
  now?: () => number;
}

export function createRxdbIngestView(
  db: DuetDatabase,
  options: RxdbIngestViewOptions = {},
): IngestPort & { close(): void } {
  const now = options.now ?? Date.now;
  const listeners = new Set<() => void>();
  let summaries: ImportSummary[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Many documents change in one batch: tell the screens once it settles.
  const notify = () => {
    clearTimeout(timer);
    timer = setTimeout(() => listeners.forEach((l) => l()), 30);
  };
  const subs = [
    db.calendarAccounts.find().$.subscribe((docs) => {
      summaries = docs
        .map((d) => toSummary(d.id, d.summary))
        .filter((s): s is ImportSummary => s !== null)
        .sort((a, b) => b.finishedAt - a.finishedAt);
      notify();
    }),
    db.calendarEvents.$.subscribe(notify),
    db.people.$.subscribe(notify),
    db.preferences.$.subscribe(notify),
  ];

  return {
    summaries: () => summaries,
    async diagnostics() {
      const [accounts, people, prefs] = await Promise.all([
        db.calendarAccounts.find().exec(),
        db.people.find().exec(),
        loadPreferences(db.preferences),
      ]);
      const team = people.map((p) => ({ email: p.email, name: p.name, aliases: [...p.aliases] }));
      const out: DiagnosedEvent[] = [];
      for (const account of accounts) {
        const events = await readCachedEvents(db, account.id);
        if (events.length === 0) continue;
        const decisions = scan({
          now: new Date(now()).toISOString(),
          self: account.self,
          people: team,
          settings: engineSettings(prefs),
          events,
        });
        const byId = new Map(events.map((e) => [e.id, e]));
        for (const d of decisions.events) {
          const event = byId.get(d.id);
          if (!event) continue;
          out.push({
            event,
            oneOnOne: d.oneOnOne,
            reasons: d.reasons,
            self: account.self.toLowerCase(),
            ...(d.counterpart ? { counterpart: d.counterpart } : {}),
            ...(d.unmatched ? { unmatched: d.unmatched } : {}),
            ...(d.suggestions ? { suggestions: d.suggestions } : {}),
          });
        }
      }
      return out;
    },
    async redetect() {
      await options.redetect?.();
      notify();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      clearTimeout(timer);
      for (const s of subs) s.unsubscribe();
      listeners.clear();
    },
  };
}
