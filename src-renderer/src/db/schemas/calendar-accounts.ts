// The ingest's bookkeeping per connected calendar account (docs/architecture.md §6): who the user
// is on that calendar (the engine's `self`), whether the cache holds the whole scan window yet,
// the last batch stored, and the last summary, which every window shows.
import { defineCollection, emailField, timestampField } from './define';

export interface CalendarAccountDoc {
  /** The account id main gave the batches. */
  id: string;
  provider: 'google' | 'microsoft';
  /** The account's email: the engine's `self`. */
  self: string;
  /** True once a `replace` batch was stored: only then is an event missing from the cache gone. */
  complete: boolean;
  /** The last batch stored ('' = none yet). */
  lastBatchId: string;
  /** ImportSummary (src-renderer/src/calendar/types.ts) of the last run, or null. */
  summary: Record<string, unknown> | null;
  updatedAt: number;
}

export const calendarAccountsCollection = defineCollection<CalendarAccountDoc>({
  schema: {
    title: 'calendar accounts',
    description: 'Per connected calendar account: the user address, cache completeness, last batch and summary',
    version: 0,
    primaryKey: 'id',
    type: 'object',
    properties: {
      id: { type: 'string', maxLength: 200 },
      provider: { type: 'string', enum: ['google', 'microsoft'] },
      self: emailField,
      complete: { type: 'boolean' },
      lastBatchId: { type: 'string', maxLength: 200 },
      summary: { type: ['object', 'null'] },
      updatedAt: timestampField,
    },
    required: ['id', 'provider', 'self', 'complete', 'lastBatchId', 'summary', 'updatedAt'],
  },
  migrationStrategies: {},
});
