// The inbox as the UI reads it: every notification but the notifier's own state, newest first.
import { useMemo } from 'react';
import { useDb } from '../../app/services';
import { useLiveDocs } from '../../db/live-query';
import type { NotificationDoc } from '../../db/schemas';
import type { DuetDatabase } from '../../db/database';

export function inboxQuery(db: DuetDatabase) {
  return db.notifications.find({ selector: { kind: { $ne: 'state' } }, sort: [{ createdAt: 'desc' }], limit: 200 });
}

export function useInbox() {
  const db = useDb();
  const query = useMemo(() => inboxQuery(db), [db]);
  return useLiveDocs<NotificationDoc>(query);
}

export function useUnreadCount(): number {
  const db = useDb();
  const query = useMemo(() => db.notifications.find({ selector: { kind: { $ne: 'state' }, readAt: 0 } }), [db]);
  return useLiveDocs<NotificationDoc>(query).value.length;
}

export async function markRead(db: DuetDatabase, ids: readonly string[], now = Date.now()): Promise<void> {
  const docs = await db.notifications.findByIds([...ids]).exec();
  for (const doc of docs.values()) if (doc.readAt === 0) await doc.incrementalPatch({ readAt: now });
}
