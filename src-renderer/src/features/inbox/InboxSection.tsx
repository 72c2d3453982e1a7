// The in-app inbox (docs/architecture.md §5 "Notifications"): every notification Duet showed, so
// one missed outside the app (or never shown: no permission, web mode) is still here. Each opens
// its meeting (or Team) and can be marked read; "Mark all read" clears the count.
import { useDb } from '../../app/services';
import { EmptyState } from '../../ui/EmptyState';
import { SectionPage } from '../../ui/SectionPage';
import { markRead, useInbox } from './use-inbox';

const KIND_LABEL: Record<string, string> = {
  'new-meeting': 'New 1:1',
  'new-series': 'New series',
  'prep-reminder': 'Prep reminder',
  'weekly-summary': 'Weekly summary',
};

export function InboxSection() {
  const db = useDb();
  const inbox = useInbox();
  const unread = inbox.value.filter((n) => n.readAt === 0);
  return (
    <SectionPage
      title="Inbox"
      description="Reminders, new 1:1s and your weekly summary."
      actions={
        unread.length > 0 ? (
          <button type="button" className="button" onClick={() => void markRead(db, unread.map((n) => n.id))}>
            Mark all read
          </button>
        ) : null
      }
    >
      {!inbox.ready ? null : inbox.value.length === 0 ? (
        <EmptyState title="Nothing here yet">
          Prep reminders, new 1:1s others set up with you and your Sunday summary will appear here.
        </EmptyState>
      ) : (
        <ul className="inbox" aria-label="Notifications">
          {inbox.value.map((n) => (
            <li key={n.id} className={`inbox__item${n.readAt === 0 ? ' inbox__item--unread' : ''}`} data-testid="inbox-item">
              <div className="inbox__meta">
                <span className="badge">{KIND_LABEL[n.kind] ?? n.kind}</span>{' '}
                <time dateTime={new Date(n.createdAt).toISOString()}>
                  {new Date(n.createdAt).toLocaleString(undefined, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' })}
                </time>
                {n.readAt === 0 ? <span className="visually-hidden"> (unread)</span> : null}
              </div>
              <div className="inbox__title">{n.href ? <a href={n.href} onClick={() => void markRead(db, [n.id])}>{n.title}</a> : n.title}</div>
              <p className="inbox__body">{n.body}</p>
              {n.readAt === 0 ? (
                <button type="button" className="button button--small" aria-label={`Mark “${n.title}” read`} onClick={() => void markRead(db, [n.id])}>
                  Mark read
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </SectionPage>
  );
}
