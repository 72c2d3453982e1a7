// Local preferences of this installation (docs/architecture.md §2 "Settings"): how 1:1s are detected and how
// Duet reminds you. One document, id 'local'. The detection fields use the names and values of
// the engine's Settings (src-shared/engine/model.ts) so they pass to it unchanged. (Settings that main needs — server URL, client
// ids — live on the main side behind `duet.settings`, not here.)
import { MATCH_MODES, type MatchMode, type ResolvedSettings } from '../../../../src-shared/engine/model';
import { defineCollection, timestampField } from './define';

export type { MatchMode };

export interface TenureCadenceRule {
  /** Applies to reports who started less than this many days ago. */
  maxTenureDays: number;
  cadence: 'weekly' | 'biweekly' | 'triweekly' | 'monthly';
}

/** The engine's detection settings (keywords, match mode, scan window, duration range) plus the app's own. */
export interface PreferencesDoc extends ResolvedSettings {
  id: string;
  /** Minutes before a 1:1 to remind the user to prepare; 0 turns the reminder off. */
  prepareReminderMinutes: number;
  notificationsEnabled: boolean;
  /** Put a link back to the Duet meeting in events Duet creates. */
  linkInCalendarEvent: boolean;
  tenureCadenceRules: TenureCadenceRule[];
  updatedAt: number;
}

export const PREFERENCES_ID = 'local';

export const preferencesCollection = defineCollection<PreferencesDoc>({
  schema: {
    title: 'preferences',
    description: 'Local detection and notification preferences (one document)',
    version: 0,
    primaryKey: 'id',
    type: 'object',
    properties: {
      id: { type: 'string', maxLength: 32 },
      keywords: { type: 'array', items: { type: 'string', maxLength: 100 } },
      matchMode: { type: 'string', enum: [...MATCH_MODES] },
      pastDays: { type: 'integer', minimum: 0, maximum: 365 },
      futureDays: { type: 'integer', minimum: 0, maximum: 365 },
      minMinutes: { type: 'integer', minimum: 1, maximum: 1440 },
      maxMinutes: { type: 'integer', minimum: 1, maximum: 1440 },
      prepareReminderMinutes: { type: 'integer', minimum: 0, maximum: 10080 },
      notificationsEnabled: { type: 'boolean' },
      linkInCalendarEvent: { type: 'boolean' },
      tenureCadenceRules: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            maxTenureDays: { type: 'integer', minimum: 1 },
            cadence: { type: 'string', enum: ['weekly', 'biweekly', 'triweekly', 'monthly'] },
          },
          required: ['maxTenureDays', 'cadence'],
        },
      },
      updatedAt: timestampField,
    },
    required: [
      'id',
      'keywords',
      'matchMode',
      'pastDays',
      'futureDays',
      'minMinutes',
      'maxMinutes',
      'prepareReminderMinutes',
      'notificationsEnabled',
      'linkInCalendarEvent',
      'tenureCadenceRules',
      'updatedAt',
    ],
  },
  migrationStrategies: {},
});
