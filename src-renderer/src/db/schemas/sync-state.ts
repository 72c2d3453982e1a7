// Incremental calendar sync bookkeeping, one document per account and calendar (docs/architecture.md §2, §6).
import { defineCollection, idField, timestampField } from './define';
import { calendarProviders, type CalendarProvider } from './meetings';

export interface SyncStateDoc {
  /** `${provider}:${accountId}:${calendarId}` */
  id: string;
  provider: CalendarProvider;
  accountId: string;
  calendarId: string;
  /** Google syncToken; '' when a full sync is needed. */
  syncToken: string;
  /** Graph delta link; '' when a full sync is needed. */
  deltaLink: string;
  /** 0 = never synced. */
  lastSyncAt: number;
  lastError: string;
  pushSubscriptionId: string;
  /** 0 = no push subscription. */
  pushExpiresAt: number;
  updatedAt: number;
}

export const syncStateCollection = defineCollection<SyncStateDoc>({
  schema: {
    title: 'sync state',
    description: 'Per calendar incremental sync tokens and push subscription state',
    version: 0,
    primaryKey: 'id',
    type: 'object',
    properties: {
      id: { type: 'string', maxLength: 800 },
      provider: { type: 'string', enum: [...calendarProviders] },
      accountId: idField,
      calendarId: { type: 'string', maxLength: 500 },
      syncToken: { type: 'string' },
      deltaLink: { type: 'string' },
      lastSyncAt: timestampField,
      lastError: { type: 'string' },
      pushSubscriptionId: { type: 'string' },
      pushExpiresAt: timestampField,
      updatedAt: timestampField,
    },
    required: [
      'id',
      'provider',
      'accountId',
      'calendarId',
      'syncToken',
      'deltaLink',
      'lastSyncAt',
      'lastError',
      'pushSubscriptionId',
      'pushExpiresAt',
      'updatedAt',
    ],
    indexes: ['accountId'],
  },
  migrationStrategies: {},
});
