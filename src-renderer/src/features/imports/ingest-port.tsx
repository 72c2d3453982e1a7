// What the calendar screens need from the renderer's calendar ingest (src-renderer/src/calendar:
// batches → engine → RxDB, docs/architecture.md §3–§4): the last import's figures, the engine's
// verdict on every cached event, and "run detection again now". The screens depend on this small
// port only, so they are tested against the real engine without a provider, and the ingest can
// change inside without touching them.
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import type { CalendarEvent, ReasonCode, Suggestion } from '../../../../src-shared/engine/model';

/** The figures of one finished import (initial or full resync) of one account. */
export interface ImportSummary {
  accountId: string;
  finishedAt: number;
  eventsSeen: number;
  oneOnOnes: number;
  /** Events not taken, counted by reason (an event with two reasons counts under both). */
  skipped: Partial<Record<ReasonCode, number>>;
  /** The team was empty when this import started: the screen ends on team suggestions. */
  teamWasEmpty: boolean;
}

/** One cached event with the engine's decision on it. */
export interface DiagnosedEvent {
  event: CalendarEvent;
  oneOnOne: boolean;
  reasons: readonly ReasonCode[];
  /** The other participant of a two-person event, lower-cased. */
  counterpart?: string;
  /** Participant addresses that match nobody on the team. */
  unmatched?: readonly string[];
  /** The engine's guess of whose alias an unmatched address is. */
  suggestions?: readonly Suggestion[];
  /** The calendar owner (the account's email), lower-cased. */
  self: string;
}

export interface IngestPort {
  /** The latest import of each account, newest first. */
  summaries(): ImportSummary[];
  /** Every cached event of every account with its decision (events outside the window included). */
  diagnostics(): Promise<DiagnosedEvent[]>;
  /** Runs detection again over the cached events (after a person, alias or setting changed). */
  redetect(): Promise<void>;
  /** Called after every import, batch and re-detection. */
  subscribe(listener: () => void): () => void;
}

const IngestContext = createContext<IngestPort | null>(null);

export function IngestProvider({ ingest, children }: { ingest: IngestPort | null; children: ReactNode }) {
  return <IngestContext.Provider value={ingest}>{children}</IngestContext.Provider>;
}

/** Null where no ingest runs (tests of other screens, a window before the ingest started). */
export const useIngest = (): IngestPort | null => useContext(IngestContext);

/** A counter that moves on every ingest change: a dependency for effects that re-read it. */
export function useIngestVersion(ingest: IngestPort | null): number {
  const [version, setVersion] = useState(0);
  useEffect(() => ingest?.subscribe(() => setVersion((v) => v + 1)), [ingest]);
  return version;
}
