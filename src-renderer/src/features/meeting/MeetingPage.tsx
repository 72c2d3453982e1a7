// The meeting page (docs/architecture.md §5): the shared agenda, action items and notes from the
// meeting's Y.Doc, and the user's private notes from RxDB beside them. Private notes are never
// rendered while presenting mode is on (removed from the DOM, not hidden with CSS).
import { memo, useEffect, useMemo, useReducer, useState, type KeyboardEvent } from 'react';
import type { MeetingDoc } from '../../../../src-shared/meeting/model';
import {
  linkOf,
  WorkspaceError,
  type ActionItem,
  type Entry,
  type ListKind,
  type MeetingWorkspace,
} from '../../../../src-shared/workspace/meeting-doc';
import type { Place, Presence } from '../../../../src-shared/workspace/presence';
import { useBridge, useDb } from '../../app/services';
import { useCachedEvents } from '../../calendar/use-cached-events';
import { useLiveDoc } from '../../db/live-query';
import { usePresenting } from '../../state/presenting';
import { timeRange } from '../meetings/meeting-format';
import { seriesHash } from '../series/series-route';
import { MeetingActions } from './MeetingActions';
import { ExportMarkdown } from './ExportMarkdown';
import { PrivateNotes } from './PrivateNotes';
import type { HeldMeetingDoc } from './meeting-doc-cache';
import { SharedNotesEditor } from './SharedNotesEditor';
import { useIdentity, useMeetingWorkspace } from './use-meeting-workspace';

const CONNECTION_WORDS = { live: 'Live', syncing: 'Syncing', offline: 'Offline' } as const;
const CONNECTION_HINTS = {
  live: 'Connected to the sync server and up to date: edits reach the other person as you type.',
  syncing: 'Connected, catching up with the sync server.',
  offline: 'Not connected to the sync server: edits are kept here and merge when it is back.',
} as const;

/** The hash that opens a meeting (the in-app form of `duet://meeting/<id>`). */
export { meetingHash } from '../../../../src-shared/app/deep-link';

export function MeetingPage({ meetingId }: { meetingId: string }) {
  const bridge = useBridge();
  const db = useDb();
  const query = useMemo(() => db.meetings.findOne(meetingId), [db, meetingId]);
  const meeting = useLiveDoc<MeetingDoc>(query);
  const identity = useIdentity(bridge);
  const { held, workspace, presence, loaded, connection, problem } = useMeetingWorkspace(
    bridge,
    db,
    meeting.value,
    identity,
  );
  const presenting = usePresenting((s) => s.presenting);
  // The video link lives on the cached calendar event the meeting follows.
  const link = meeting.value?.calendarLink;
  const cachedEvent = useCachedEvents(link ? [link] : []);

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
  const event = link ? cachedEvent(link) : undefined;
  const join = event?.joinUrl ? linkOf(event.joinUrl) : null;
  const calendarPage = event?.webLink ? linkOf(event.webLink) : null;
  return (
    <div className="section meeting-page">
      <p>
        <a href="#/meetings">Back to meetings</a>
        {m.seriesId ? (
          <>
            {' · '}
            <a href={seriesHash(m.seriesId)}>All meetings of this series</a>
          </>
        ) : null}
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
        {calendarPage ? (
          // The time is changed where it lives: the event's own page in the provider's calendar.
          <a className="button" href={calendarPage} target="_blank" rel="noreferrer noopener">
            Open in calendar
          </a>
        ) : null}
      </p>
      <MeetingActions meeting={m} />
      <ExportMarkdown meeting={m} />
      <div className="meeting-page__connection">
        <span
          data-testid="connection"
          // The room this meeting syncs through (not a secret: joining needs a token and membership).
          data-room={m.roomId || undefined}
          className={`connection connection--${connection}`}
          title={CONNECTION_HINTS[connection]}
        >
          {CONNECTION_WORDS[connection]}
        </span>
        {problem ? <span className="muted"> — {problem}</span> : null}
        {presence ? <PresenceBar presence={presence} /> : null}
      </div>
      <div className="meeting-page__body">
        {workspace ? (
          <div className="meeting-page__columns">
            <EntryList workspace={workspace} kind="topics" presence={presence} />
            <EntryList workspace={workspace} kind="items" presence={presence} />
            <SharedNotes workspace={workspace} presence={presence} loaded={loaded} held={held} />
          </div>
        ) : null}
        {presenting ? null : <PrivateNotes meetingId={m.id} owner={identity?.email ?? ''} />}
      </div>
    </div>
  );
}

const WORDS = {
  topics: {
    region: 'Agenda',
    add: 'Add topic',
    del: 'Delete topic',
    edit: 'Edit topic',
    label: 'New topic',
    noun: 'topic',
  },
  items: {
    region: 'Action items',
    add: 'Add action item',
    del: 'Delete action item',
    edit: 'Edit action item',
    label: 'New action item',
    noun: 'action item',
  },
} as const;

/** Focus inside a part of the page tells the other person where this one is typing. */
function whereProps(presence: Presence | null, place: Place) {
  return {
    onFocus: () => presence?.setWhere(place),
    onBlur: () => presence?.setWhere(null),
  };
}

function useAct(): [string, (f: () => void) => void] {
  const [error, setError] = useState('');
  const act = (f: () => void) => {
    try {
      f();
      setError('');
    } catch (e) {
      setError(e instanceof WorkspaceError ? e.message : String(e));
    }
  };
  return [error, act];
}

function EntryList({
  workspace,
  kind,
  presence,
}: {
  workspace: MeetingWorkspace;
  kind: ListKind;
  presence: Presence | null;
}) {
  const words = WORDS[kind];
  const [draft, setDraft] = useState('');
  const [error, act] = useAct();
  const [dragging, setDragging] = useState<string | null>(null);
  const entries: Array<Entry & Partial<Pick<ActionItem, 'assignee' | 'due'>>> =
    kind === 'topics' ? workspace.topics() : workspace.items();
  const participants = workspace.meta().participants;
  const onKey = (id: string) => (e: KeyboardEvent<HTMLLIElement>) => {
    // Alt+Arrow moves the focused entry, keeping focus on it.
    if (e.target !== e.currentTarget) return;
    if (!e.altKey || (e.key !== 'ArrowUp' && e.key !== 'ArrowDown')) return;
    e.preventDefault();
    act(() => workspace.move(kind, id, e.key === 'ArrowUp' ? -1 : 1));
  };
  return (
    <section aria-label={words.region} className="meeting-list" {...whereProps(presence, words.region)}>
      <h2 className="subheading">{words.region}</h2>
      <ul>
        {entries.map((e) => (
          <li
            key={e.id}
            tabIndex={0}
            onKeyDown={onKey(e.id)}
            aria-label={e.text}
            className={`meeting-entry${e.done ? ' done' : ''}${dragging === e.id ? ' dragging' : ''}`}
            draggable
            onDragStart={(ev) => {
              ev.dataTransfer.effectAllowed = 'move';
              ev.dataTransfer.setData('text/plain', e.text);
              setDragging(e.id);
            }}
            onDragEnd={() => setDragging(null)}
            onDragOver={(ev) => dragging && ev.preventDefault()}
            onDrop={(ev) => {
              ev.preventDefault();
              if (dragging) act(() => workspace.moveTo(kind, dragging, e.id));
              setDragging(null);
            }}
          >
            <EntryRow workspace={workspace} kind={kind} entry={e} participants={participants} act={act} />
          </li>
        ))}
      </ul>
      {dragging ? (
        // Dropping here puts the entry last.
        <div
          className="meeting-list__end"
          onDragOver={(ev) => ev.preventDefault()}
          onDrop={(ev) => {
            ev.preventDefault();
            act(() => workspace.moveTo(kind, dragging, null));
            setDragging(null);
          }}
        >
          Move to the end
        </div>
      ) : null}
      <form
        className="meeting-list__add"
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

type RowProps = {
  workspace: MeetingWorkspace;
  kind: ListKind;
  entry: Entry & Partial<Pick<ActionItem, 'assignee' | 'due'>>;
  participants: string[];
  act: (f: () => void) => void;
};

/**
 * A row re-renders only when what it shows changed: the page re-renders its lists on every change
 * to the agenda or items, and a meeting may hold hundreds of entries. (`act` only reports errors,
 * so a new one does not matter.)
 */
const EntryRow = memo(
  EntryRowView,
  (a: RowProps, b: RowProps) =>
    a.workspace === b.workspace &&
    a.kind === b.kind &&
    a.participants.join('\n') === b.participants.join('\n') &&
    a.entry.id === b.entry.id &&
    a.entry.text === b.entry.text &&
    a.entry.author === b.entry.author &&
    a.entry.done === b.entry.done &&
    a.entry.assignee === b.entry.assignee &&
    a.entry.due === b.entry.due &&
    a.entry.rolledFrom === b.entry.rolledFrom &&
    a.entry.movedTo === b.entry.movedTo,
);

/** "from Nov 2" / "moved to Nov 9": the roll-over marks (docs/architecture.md §5 "Roll-over"). */
const markDate = (day: string): string =>
  new Date(`${day}T12:00:00`).toLocaleDateString(undefined, { month: 'short', day: 'numeric' });

function EntryRowView({ workspace, kind, entry: e, participants, act }: RowProps) {
  const words = WORDS[kind];
  const [editing, setEditing] = useState<string | null>(null);
  const href = linkOf(e.text);
  if (editing !== null) {
    return (
      <form
        className="meeting-entry__edit"
        onSubmit={(ev) => {
          ev.preventDefault();
          act(() => {
            workspace.edit(kind, e.id, editing);
            setEditing(null);
          });
        }}
      >
        <input
          aria-label={`Text of the ${words.noun}`}
          autoFocus
          value={editing}
          onChange={(ev) => setEditing(ev.target.value)}
          onKeyDown={(ev) => ev.key === 'Escape' && setEditing(null)}
        />
        <button type="submit">Save</button>
        <button type="button" onClick={() => setEditing(null)}>
          Cancel
        </button>
      </form>
    );
  }
  return (
    <>
      <input
        type="checkbox"
        checked={e.done}
        aria-label={`Done: ${e.text}`}
        onChange={(ev) => act(() => workspace.setDone(kind, e.id, ev.target.checked))}
      />
      <span className="meeting-entry__text">
        {href ? (
          <a href={href} target="_blank" rel="noreferrer noopener">
            {e.text}
          </a>
        ) : (
          e.text
        )}
      </span>
      {e.rolledFrom ? <span className="meeting-entry__mark">from {markDate(e.rolledFrom)}</span> : null}
      {e.movedTo ? <span className="meeting-entry__mark">moved to {markDate(e.movedTo)}</span> : null}
      {kind === 'items' ? (
        <span className="meeting-entry__meta">
          <select
            aria-label={`Assignee: ${e.text}`}
            value={e.assignee ?? ''}
            onChange={(ev) => act(() => workspace.setAssignee(e.id, ev.target.value))}
          >
            <option value="">Nobody</option>
            {participants.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
          <input
            type="date"
            aria-label={`Due: ${e.text}`}
            value={e.due ?? ''}
            onChange={(ev) => act(() => workspace.setDue(e.id, ev.target.value))}
          />
        </span>
      ) : null}
      <span className="meeting-entry__tools">
        <button type="button" aria-label={words.edit} onClick={() => setEditing(e.text)}>
          ✎
        </button>
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
      </span>
    </>
  );
}

/** Rich collaborative notes (SharedNotesEditor), once presence exists for the carets. */
function SharedNotes({
  workspace,
  presence,
  loaded,
  held,
}: {
  workspace: MeetingWorkspace;
  presence: Presence | null;
  loaded: boolean;
  held: HeldMeetingDoc | null;
}) {
  // The editor comes with the first render that has the local copy: it is built (or, kept from an
  // earlier visit, moved back in) before that render is painted (SharedNotesEditor), so the page
  // is laid out and painted once with its lists and notes, not once for each.
  return (
    <section aria-label="Shared notes" className="meeting-notes" {...whereProps(presence, 'Shared notes')}>
      <h2 className="subheading">Shared notes</h2>
      {presence && loaded ? (
        <SharedNotesEditor workspace={workspace} presence={presence} held={held} />
      ) : null}
    </section>
  );
}

/** Who else is here, and where they are typing, from presence (docs/architecture.md §5). */
function PresenceBar({ presence }: { presence: Presence }) {
  const [, refresh] = useReducer((n: number) => n + 1, 0);
  useEffect(() => presence.observe(refresh), [presence]);
  const peers = presence.peers();
  return (
    <div className="presence">
      {peers.length === 0 ? (
        <span className="muted">Only you are here.</span>
      ) : (
        <ul aria-label="Who is here" className="presence__list">
          {peers.map((p) => (
            <li key={p.email} className="presence__peer" title={p.email}>
              <span className="presence__dot" style={{ backgroundColor: p.color }} aria-hidden="true" />
              {p.name} is here{p.where ? `, typing in ${p.where}` : ''}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
