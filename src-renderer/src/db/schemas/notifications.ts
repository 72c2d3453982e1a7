// The in-app inbox (docs/architecture.md §5 "Notifications"): every notification Duet shows, also
// kept here so it can be read later and marked read. Ids are the notifier's deterministic ids
// (src-shared/notify/plan.ts), so a second insert of one notification fails instead of
// duplicating it: the exactly-once guarantee across windows and runs. One document with kind
// 'state' holds the notifier's own bookkeeping (when it first ran) and is never listed.
import { defineCollection, timestampField } from './define';

export const notificationKinds = ['new-meeting', 'new-series', 'prep-reminder', 'weekly-summary', 'state'] as const;
export type NotificationDocKind = (typeof notificationKinds)[number];

export interface NotificationDoc {
  id: string;
  kind: NotificationDocKind;
  title: string;
  body: string;
  /** Where the inbox entry leads ('#/meetings/<id>', '#/team'), '' for nowhere. */
  href: string;
  /** When it was due (reminder time, summary slot, the meeting's arrival). */
  dueAt: number;
  /** When it was stored (and shown). */
  createdAt: number;
  /** 0 while unread. */
  readAt: number;
}

export const NOTIFIER_STATE_ID = 'notifier-state';

export const notificationsCollection = defineCollection<NotificationDoc>({
  schema: {
    title: 'notifications',
    description: 'The in-app inbox: notifications shown, read or not',
    version: 0,
    primaryKey: 'id',
    type: 'object',
    properties: {
      id: { type: 'string', maxLength: 300 },
      kind: { type: 'string', enum: [...notificationKinds] },
      title: { type: 'string', maxLength: 300 },
      body: { type: 'string', maxLength: 2000 },
      href: { type: 'string', maxLength: 400 },
      dueAt: timestampField,
      createdAt: timestampField,
      readAt: timestampField,
    },
    required: ['id', 'kind', 'title', 'body', 'href', 'dueAt', 'createdAt', 'readAt'],
    indexes: ['createdAt'],
  },
  migrationStrategies: {},
});
