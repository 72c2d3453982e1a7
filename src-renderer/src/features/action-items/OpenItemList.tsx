// A list of open action items, each with the meeting it belongs to, its assignee and due date, and
// a "Done" checkbox that completes it in that meeting's Y.Doc (complete-item.ts). Used by the
// Action items screen and the person and series pages.
import { useState } from 'react';
import { useBridge, useDb } from '../../app/services';
import type { PersonDoc } from '../../db/schemas';
import { useToasts } from '../../state/toasts';
import { meetingHash } from '../meeting/MeetingPage';
import { setItemDone } from './complete-item';
import { dueWords, localDay, type OpenItem } from './open-items';

interface OpenItemListProps {
  items: readonly OpenItem[];
  people: readonly PersonDoc[];
  selves: ReadonlySet<string>;
  now: number;
  /** Names the list for screen readers ("Open action items with Ada"). */
  label: string;
}

export function assigneeName(
  email: string,
  people: readonly PersonDoc[],
  selves: ReadonlySet<string>,
): string {
  if (!email) return '';
  if (selves.has(email)) return 'You';
  return people.find((p) => p.email === email || p.aliases.includes(email))?.name ?? email;
}

export function OpenItemList({ items, people, selves, now, label }: OpenItemListProps) {
  const db = useDb();
  const bridge = useBridge();
  const showToast = useToasts((s) => s.show);
  // Items being completed: their checkbox waits for the projection to drop them.
  const [pending, setPending] = useState<ReadonlySet<string>>(new Set());
  const today = localDay(now);

  const complete = (o: OpenItem) => {
    const key = `${o.meeting.id}/${o.item.id}`;
    setPending((p) => new Set(p).add(key));
    setItemDone(db, bridge, o.meeting, o.item.id, true).then(
      ({ synced }) =>
        showToast({
          message: synced
            ? `Done: ${o.item.text}`
            : `Done: ${o.item.text}. It reaches ${o.person} when ${o.meeting.title} is next online.`,
          action: {
            label: 'Undo',
            run: () => void setItemDone(db, bridge, o.meeting, o.item.id, false).catch(() => undefined),
          },
        }),
      (error: unknown) => {
        setPending((p) => {
          const next = new Set(p);
          next.delete(key);
          return next;
        });
        showToast({
          tone: 'error',
          message: `Could not complete “${o.item.text}”: ${error instanceof Error ? error.message : String(error)}`,
        });
      },
    );
  };

  return (
    <ul className="open-items" aria-label={label}>
      {items.map((o) => {
        const key = `${o.meeting.id}/${o.item.id}`;
        const due = dueWords(o.item.due, today);
        const who = assigneeName(o.item.assignee, people, selves);
        return (
          <li key={key} className="open-item" aria-label={o.item.text} data-testid="open-item">
            <input
              type="checkbox"
              checked={pending.has(key)}
              disabled={pending.has(key)}
              aria-label={`Done: ${o.item.text}`}
              onChange={() => complete(o)}
            />
            <div className="open-item__main">
              <span className="open-item__text">{o.item.text}</span>
              <span className="open-item__meta muted">
                <a href={meetingHash(o.meeting.id)}>
                  {o.meeting.title},{' '}
                  {new Date(o.meeting.start).toLocaleDateString(undefined, {
                    day: 'numeric',
                    month: 'short',
                  })}
                </a>
                {who ? ` · ${who}` : ''}
                {o.item.rolledFrom ? ` · from ${o.item.rolledFrom}` : ''}
              </span>
            </div>
            {due ? (
              <span className={`badge ${o.item.due < today ? 'badge--warning' : 'badge--muted'}`}>{due}</span>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}
