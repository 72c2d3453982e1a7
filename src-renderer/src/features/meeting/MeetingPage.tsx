// The meeting page (docs/architecture.md §5): the shared agenda, action items and notes from the
// meeting's Y.Doc, and the user's private notes from RxDB beside them. Private notes are never
// rendered while presenting mode is on (removed from the DOM, not hidden with CSS).
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { MeetingDoc } from '../../../../src-shared/meeting/model';
import {
  linkOf,
  WorkspaceError,
  type Entry,
  type ListKind,
  type MeetingWorkspace,
} from '../../../../src-shared/workspace/meeting-doc';
import { useBridge, useDb } from '../../app/services';
import { cachedEventId } from '../../calendar/cache';
import type { CachedEventDoc } from '../../db/schemas/calendar-events';
import { useLiveDoc } from '../../db/live-query';
import { readPrivateNote, writePrivateNote } from '../../db/private-notes';
import { usePresenting } from '../../state/presenting';
import { timeRange } from '../meetings/meeting-format';
import { useIdentity, useMeetingWorkspace } from './use-meeting-workspace';

const CONNECTION_WORDS = { live: 'Live', syncing: 'Syncing', offline: 'Offline' } as const;

/** The hash that opens a meeting (the in-app form of `duet://meeting/<id>`). */
export const meetingHash = (id: string): string => `#/meetings/${encodeURIComponent(id)}`;

export function MeetingPage({ meetingId }: { meetingId: string }) {
  const bridge = useBridge();
  const db = useDb();
  const query = useMemo(() => db.meetings.findOne(meetingId), [db, meetingId]);
  const meeting = useLiveDoc<MeetingDoc>(query);
  const identity = useIdentity(bridge);
  const { workspace, connection, problem } = useMeetingWorkspace(bridge, db, meeting.value, identity);
  const presenting = usePresenting((s) => s.presenting);
  // The video link lives on the cached calendar event the meeting follows.
  const link = meeting.value?.calendarLink;
  const cachedId = link ? cachedEventId(link.accountId, link.calendarId, link.eventId) : '';
  const eventQuery = useMemo(() => (cachedId ? db.calendarEvents.findOne(cachedId) : null), [db, cachedId]);
  const joinUrl = useLiveDoc<CachedEventDoc>(eventQuery);

  if (!meeting.ready) return null;
  if (!meeting.value) {
    return (
      <div className="section">
        <h1 className="section__title">Meeting not found</h1>
        <p>
          <a href="#/meetings">Back to meetings</a>
        </p>
      </div>
    );
  }
  const m = meeting.value;
  const join = joinUrl.value?.event.joinUrl ? linkOf(joinUrl.value.event.joinUrl) : null;
  return (
    <div className="section meeting-page">
      <p>
        <a href="#/meetings">Back to meetings</a>
      </p>
      <h1 className="section__title" tabIndex={-1}>
        {m.title}
      </h1>
      <p className="meeting-page__when">
        {/* A linked meeting's time belongs to the calendar: shown, never edited here. */}
        <span>{new Date(m.start).toLocaleDateString()}</span> <span>{timeRange(m.start, m.end)}</span>
        {join ? (
          <a className="button" href={join} target="_blank" rel="noreferrer noopener" role="button">
            Join
          </a>
        ) : null}
      </p>
      <p className="meeting-page__connection">
        <span data-testid="connection">{CONNECTION_WORDS[connection]}</span>
        {problem ? <span className="muted"> — {problem}</span> : null}
      </p>
      {workspace ? (
        <div className="meeting-page__columns">
          <EntryList workspace={workspace} kind="topics" />
          <EntryList workspace={workspace} kind="items" />
          <SharedNotes workspace={workspace} />
        </div>
      ) : null}
      {presenting ? null : <PrivateNotes meetingId={m.id} owner={identity?.email ?? ''} />}
    </div>
  );
}

const WORDS = {
  topics: { region: 'Agenda', add: 'Add topic', del: 'Delete topic', label: 'New topic', noun: 'topic' },
  items: {
    region: 'Action items',
    add: 'Add action item',
    del: 'Delete action item',
    label: 'New action item',
    noun: 'action item',
  },
} as const;

function EntryList({ workspace, kind }: { workspace: MeetingWorkspace; kind: ListKind }) {
  const words = WORDS[kind];
  const [draft, setDraft] = useState('');
  const [error, setError] = useState('');
  const entries: Entry[] = kind === 'topics' ? workspace.topics() : workspace.items();
  const act = (f: () => void) => {
    try {
      f();
      setError('');
    } catch (e) {
      setError(e instanceof WorkspaceError ? e.message : String(e));
    }
  };
  const onKey = (id: string) => (e: KeyboardEvent<HTMLLIElement>) => {
    // Alt+Arrow moves the focused entry, keeping focus on it.
    if (!e.altKey || (e.key !== 'ArrowUp' && e.key !== 'ArrowDown')) return;
    e.preventDefault();
    act(() => workspace.move(kind, id, e.key === 'ArrowUp' ? -1 : 1));
  };
  return (
    <section aria-label={words.region} className="meeting-list">
      <h2 className="subheading">{words.region}</h2>
      <ul>
        {entries.map((e) => {
          const href = linkOf(e.text);
          return (
            <li
              key={e.id}
              tabIndex={0}
              onKeyDown={onKey(e.id)}
              aria-label={e.text}
              className={e.done ? 'done' : ''}
            >
              <input
                type="checkbox"
                checked={e.done}
                aria-label={`Done: ${e.text}`}
                onChange={(ev) => act(() => workspace.setDone(kind, e.id, ev.target.checked))}
              />{' '}
              {href ? (
                <a href={href} target="_blank" rel="noreferrer noopener">
                  {e.text}
                </a>
              ) : (
                <span>{e.text}</span>
              )}{' '}
              <button
                type="button"
                aria-label={`Move up: ${e.text}`}
                onClick={() => act(() => workspace.move(kind, e.id, -1))}
              >
                ↑
              </button>
              <button
                type="button"
                aria-label={`Move down: ${e.text}`}
                onClick={() => act(() => workspace.move(kind, e.id, 1))}
              >
                ↓
              </button>
              {workspace.canDelete(kind, e.id) ? (
                <button
                  type="button"
                  aria-label={words.del}
                  onClick={() => act(() => workspace.delete(kind, e.id))}
                >
                  ✕
                </button>
              ) : null}
            </li>
          );
        })}
      </ul>
      <form
        onSubmit={(ev) => {
          ev.preventDefault();
          act(() => {
            workspace.add(kind, draft);
            setDraft('');
          });
        }}
      >
        <input aria-label={words.label} value={draft} onChange={(ev) => setDraft(ev.target.value)} />
        <button type="submit">{words.add}</button>
      </form>
      {error ? <p role="alert">{error}</p> : null}
    </section>
  );
}

/** Plain collaborative text bound to the doc's Y.Text: local edits become the minimal diff. */
function SharedNotes({ workspace }: { workspace: MeetingWorkspace }) {
  const text = workspace.notes;
  const value = text.toString();
  return (
    <section aria-label="Shared notes" className="meeting-notes">
      <h2 className="subheading">Shared notes</h2>
      <textarea
        aria-label="Shared notes text"
        value={value}
        onChange={(ev) => {
          const next = ev.target.value;
          const prev = text.toString();
          let start = 0;
          while (start < prev.length && start < next.length && prev[start] === next[start]) start++;
          let endPrev = prev.length;
          let endNext = next.length;
          while (endPrev > start && endNext > start && prev[endPrev - 1] === next[endNext - 1]) {
            endPrev--;
            endNext--;
          }
          workspace.doc.transact(() => {
            if (endPrev > start) text.delete(start, endPrev - start);
            if (endNext > start) text.insert(start, next.slice(start, endNext));
          });
        }}
      />
    </section>
  );
}

/** The user's own notes: RxDB only, through the codec seam (docs/architecture.md §5). */
function PrivateNotes({ meetingId, owner }: { meetingId: string; owner: string }) {
  const db = useDb();
  const [body, setBody] = useState<string | null>(null);
  const [error, setError] = useState('');
  const who = owner || 'me';
  const saving = useRef<Promise<void>>(Promise.resolve());
  useEffect(() => {
    let live = true;
    readPrivateNote(db.privateNotes, meetingId, who).then(
      (b) => live && setBody(b ?? ''),
      (e: unknown) => live && setError(`Could not read your private note: ${String(e)}`),
    );
    return () => {
      live = false;
    };
  }, [db, meetingId, who]);
  return (
    <aside aria-label="Private notes" className="meeting-private">
      <h2 className="subheading">Private notes</h2>
      <p className="muted">Only on this device. Hidden while presenting.</p>
      {body === null ? null : (
        <textarea
          aria-label="Private notes text"
          value={body}
          onChange={(ev) => {
            const next = ev.target.value;
            setBody(next);
            // Writes in order, so the last keystroke is the one stored.
            saving.current = saving.current
              .then(() => writePrivateNote(db.privateNotes, { meetingId, owner: who, body: next }))
              .then(
                () => setError(''),
                (e: unknown) => setError(`Not saved: ${String(e)}`),
              );
          }}
        />
      )}
      {error ? <p role="alert">{error}</p> : null}
    </aside>
  );
}
