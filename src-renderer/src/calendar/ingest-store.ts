// The ingest's state for the UI (zustand). Summaries come from RxDB, so every window shows the
// leader's latest; `leader`, `busy` and `lastError` are this window's own.
import { createStore, useStore, type StoreApi } from 'zustand';
import type { ImportSummary, IngestState } from './types';

export type IngestStore = StoreApi<IngestState>;

export const createIngestStore = (): IngestStore =>
  createStore<IngestState>()(() => ({ leader: false, busy: false, summaries: {}, lastError: '' }));

/** The app's one ingest store (startCalendarIngest writes to it unless given another). */
export const ingestStore: IngestStore = createIngestStore();

export function useIngest<T>(selector: (s: IngestState) => T): T {
  return useStore(ingestStore, selector);
}

export type { ImportSummary, IngestState };
