// The cached calendar events (docs/architecture.md §2, §6): the normalized events main sent, per
// account, so detection can run again at once (a person added, a keyword changed) without asking
// the provider. Only what the normalizers produce is stored: never a description or body.
import type { CalendarEvent } from '../../../../src-shared/engine/model';
import { defineCollection, idField, timestampField } from './define';

export interface CachedEventDoc {
  /** cachedEventId(accountId, calendarId, eventId): provider ids are too long to concatenate. */
  id: string;
  accountId: string;
  calendarId: string;
  eventId: string;
  /** The normalized event (src-shared/calendar/change-schema.ts), as it crossed the bridge. */
  event: CalendarEvent;
  updatedAt: number;
}

export const calendarEventsCollection = defineCollection<CachedEventDoc>({
  schema: {
    title: 'calendar events',
    description: 'Normalized calendar events of the scan window, per connected account (no descriptions)',
    version: 0,
    primaryKey: 'id',
    type: 'object',
    properties: {
      id: idField,
      accountId: { type: 'string', maxLength: 200 },
      calendarId: { type: 'string', maxLength: 1024 },
      eventId: { type: 'string', maxLength: 1024 },
      event: { type: 'object' },
      updatedAt: timestampField,
    },
    required: ['id', 'accountId', 'calendarId', 'eventId', 'event', 'updatedAt'],
    // Every run of the engine reads one account's events.
    indexes: ['accountId'],
  },
  migrationStrategies: {},
});
