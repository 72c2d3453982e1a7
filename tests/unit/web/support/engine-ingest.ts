// An IngestPort for UI tests built on the real engine: the given events are "the cache", people and
// detection preferences are read from the test's RxDB, and every diagnostics() call runs `scan`.
// Only the provider side (batches from main) is left out; the verdicts are the engine's own.
import { scan, type CalendarEvent, type ReasonCode } from '../../../../src-shared/engine';
import type { DuetDatabase } from '../../../../src-renderer/src/db/database';
import type {
  DiagnosedEvent,
  ImportSummary,
  IngestPort,
} from '../../../../src-renderer/src/features/imports/ingest-port';
import {
  engineSettings,
  loadPreferences,
} from '../../../../src-renderer/src/features/settings/preferences-repo';

export interface EngineIngest extends IngestPort {
  redetects: number;
  /** Records an import of the current events, as the real ingest does after an initial batch. */
  finishImport(accountId: string, teamWasEmpty: boolean, at?: number): Promise<void>;
}

export function createEngineIngest(
  db: DuetDatabase,
  events: CalendarEvent[],
  options: { self: string; now: string },
): EngineIngest {
  const listeners = new Set<() => void>();
  const summaries: ImportSummary[] = [];
  const notify = () => listeners.forEach((l) => l());

  const diagnostics = async (): Promise<DiagnosedEvent[]> => {
    const people = (await db.people.find().exec()).map((p) => ({
      email: p.email,
      name: p.name,
      aliases: p.aliases,
    }));
    const prefs = await loadPreferences(db.preferences);
    const decisions = scan({
      now: options.now,
      self: options.self,
      people,
      settings: engineSettings(prefs),
      events,
    });
    const byId = new Map(events.map((e) => [e.id, e]));
    return decisions.events.map((d) => ({
      event: byId.get(d.id)!,
      oneOnOne: d.oneOnOne,
      reasons: d.reasons,
      self: options.self.toLowerCase(),
      ...(d.counterpart ? { counterpart: d.counterpart } : {}),
      ...(d.unmatched ? { unmatched: d.unmatched } : {}),
      ...(d.suggestions ? { suggestions: d.suggestions } : {}),
    }));
  };

  const port: EngineIngest = {
    redetects: 0,
    summaries: () => [...summaries].sort((a, b) => b.finishedAt - a.finishedAt),
    diagnostics,
    redetect: async () => {
      port.redetects++;
      notify();
    },
    subscribe: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    finishImport: async (accountId, teamWasEmpty, at = Date.now()) => {
      const d = await diagnostics();
      const skipped: Partial<Record<ReasonCode, number>> = {};
      for (const e of d) for (const r of e.reasons) skipped[r] = (skipped[r] ?? 0) + 1;
      const i = summaries.findIndex((s) => s.accountId === accountId);
      if (i >= 0) summaries.splice(i, 1);
      summaries.push({
        accountId,
        finishedAt: at,
        eventsSeen: d.length,
        oneOnOnes: d.filter((e) => e.oneOnOne).length,
        skipped,
        teamWasEmpty,
      });
      notify();
    },
  };
  return port;
}
