// What the renderer's calendar ingest offers the UI (docs/architecture.md §2, §6). The ingest
// (ingest.ts) runs in the leading window only; every window reads these through the store
// (ingest-store.ts) and the read-only queries, which work in any window.
import type { ReasonCode, Suggestion } from '../../../src-shared/engine/model';

/** After each stored batch, and after each re-detection: what the engine made of the cache. */
export interface ImportSummary {
  accountId: string;
  /** Events of the account in the cache (recurring masters count once). */
  eventsSeen: number;
  /** Events taken as 1:1s (a recurring 1:1 master counts once). */
  oneOnOnes: number;
  /** 1:1 occurrences in the scan window (each meeting-to-be). */
  occurrences: number;
  /** Events not taken, by reason code; an event with several reasons counts under each. */
  skipped: Partial<Record<ReasonCode, number>>;
  /** Meetings created, linked/updated, unlinked (kept, cancelled) and deleted by this run. */
  changes: { created: number; updated: number; unlinked: number; deleted: number };
  /** The batch that led to it ('' for a re-detection). */
  batchId: string;
  /** Epoch ms. */
  at: number;
}

/** One event in the window that did not become a 1:1, with why and how to fix it. */
export interface DiagnosticEntry {
  accountId: string;
  eventId: string;
  title: string;
  /** ISO start of the event (of its first occurrence for a recurring master). */
  start: string;
  reasons: readonly ReasonCode[];
  /** Addresses that match nobody on the team. */
  unmatched: string[];
  /** "Add as alias of …": an unmatched address and the primary email of the person it likely is. */
  aliasSuggestions: Suggestion[];
  /** The other human participant, when there is exactly one besides the user. */
  counterpart?: string;
}

/** Someone the user has two-person events with who is not on the team yet. */
export interface TeamSuggestion {
  email: string;
  /** Display name where the calendar gave one, else the address's local part. */
  name: string;
  /** Two-person events with them in the window. */
  events: number;
  accountId: string;
}

export interface IngestState {
  /** This window is the one writing (RxDB leader election). */
  leader: boolean;
  /** A batch or re-detection is being applied. */
  busy: boolean;
  /** The latest summary per account. */
  summaries: Record<string, ImportSummary>;
  /** The last failure in words ('' = none); the batch is retried. */
  lastError: string;
}
