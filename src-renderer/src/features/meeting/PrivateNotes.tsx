// The user's own notes on a meeting (docs/architecture.md §5): RxDB only, encrypted at rest through
// the codec seam, never in a Y.Doc or on any wire. Shown beside the shared content on the meeting
// page and, in the desktop app, also in a window of their own that is excluded from screen capture
// (src-main/window/private-notes-window.ts). Both are removed from the DOM while presenting; the
// callers leave them out.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { MeetingDoc } from '../../../../src-shared/meeting/model';
import { useBridge, useDb } from '../../app/services';
import { useLiveDoc } from '../../db/live-query';
import { privateNoteCodecs, privateNoteId, readPrivateNote, writePrivateNote } from '../../db/private-notes';
import { usePresenting } from '../../state/presenting';
import { useIdentity } from './use-meeting-workspace';

/** Only the desktop app has separate windows. */
function useDesktop(): boolean {
  const bridge = useBridge();
  const [desktop, setDesktop] = useState(false);
  useEffect(() => {
    let live = true;
    bridge.app.info().then(
      (info) => live && setDesktop(info.mode === 'desktop'),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [bridge]);
  return desktop;
}

export function PrivateNotes({
  meetingId,
  owner,
  inOwnWindow = false,
}: {
  meetingId: string;
  owner: string;
  /** True in the private-notes window itself (no button to open it again). */
  inOwnWindow?: boolean;
}) {
  const db = useDb();
  const bridge = useBridge();
  const desktop = useDesktop();
  const [body, setBody] = useState<string | null>(null);
  const [error, setError] = useState('');
  const [windowNote, setWindowNote] = useState('');
  const who = owner || 'me';
  const saving = useRef<Promise<void>>(Promise.resolve());
  const box = useRef<HTMLTextAreaElement>(null);
  // The note as stored: another window (the private-notes window, or the page in the main one)
  // may change it, and this one follows unless its own box is being typed in.
  const storedQuery = useMemo(() => db.privateNotes.findOne(privateNoteId(meetingId, who)), [db, meetingId, who]);
  const stored = useLiveDoc(storedQuery);
  const storedAt = stored.value?.updatedAt ?? 0;
  useEffect(() => {
    let live = true;
    if (body !== null && document.activeElement === box.current) return;
    // Encrypted at rest with main's key (docs/architecture.md §2); a note that cannot be read is
    // not shown as empty, so a save cannot overwrite it.
    privateNoteCodecs(bridge)
      .then((codecs) => readPrivateNote(db.privateNotes, meetingId, who, { codecs }))
      .then(
        (b) => live && setBody(b ?? ''),
        (e: unknown) =>
          live && setError(`Could not read your private note: ${e instanceof Error ? e.message : String(e)}`),
      );
    return () => {
      live = false;
    };
    // `body` is read only to tell the first read from a follow-up; it must not re-run this.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [db, bridge, meetingId, who, storedAt]);

  const openWindow = () => {
    bridge.app.openPrivateNotes({ meetingId }).then(
      ({ opened }) => setWindowNote(opened ? '' : 'Separate windows are only in the desktop app.'),
      (e: unknown) => setWindowNote(`Could not open the window: ${e instanceof Error ? e.message : String(e)}`),
    );
  };

  return (
    <aside aria-label="Private notes" className="meeting-private">
      <h2 className="subheading">Private notes</h2>
      <p className="muted">Only on this device. Hidden while presenting.</p>
      {body === null ? null : (
        <textarea
          ref={box}
          aria-label="Private notes text"
          value={body}
          onChange={(ev) => {
            const next = ev.target.value;
            setBody(next);
            // Writes in order, so the last keystroke is the one stored.
            saving.current = saving.current
              .then(() => privateNoteCodecs(bridge))
              .then((codecs) =>
                writePrivateNote(db.privateNotes, { meetingId, owner: who, body: next }, { codecs }),
              )
              .then(
                () => setError(''),
                (e: unknown) => setError(`Not saved: ${String(e)}`),
              );
          }}
        />
      )}
      {error ? <p role="alert">{error}</p> : null}
      {desktop ? (
        <div className="meeting-private__window">
          {inOwnWindow ? null : (
            <button type="button" onClick={openWindow}>
              Open in own window
            </button>
          )}
          <p className="muted">
            {inOwnWindow ? 'This window' : 'The own window'} is kept out of screen sharing and recordings
            where the system allows it. Some capture tools on macOS record it anyway: before you share
            your screen, turn on Presenting mode, which removes private notes from every window.
          </p>
          {windowNote ? <p role="alert">{windowNote}</p> : null}
        </div>
      ) : null}
    </aside>
  );
}

/** The private-notes window's whole page (`#/private-notes/<meeting id>`, desktop only). */
export function PrivateNotesWindow({ meetingId }: { meetingId: string }) {
  const db = useDb();
  const bridge = useBridge();
  const identity = useIdentity(bridge);
  const presenting = usePresenting((s) => s.presenting);
  const query = useMemo(() => db.meetings.findOne(meetingId), [db, meetingId]);
  const meeting = useLiveDoc<MeetingDoc>(query);
  useEffect(() => {
    document.title = meeting.value ? `Private notes: ${meeting.value.title}` : 'Private notes';
  }, [meeting.value]);
  return (
    <main className="private-window" aria-label="Private notes window">
      <h1 className="section__title">{meeting.value?.title ?? 'Private notes'}</h1>
      <div role="status">{presenting ? 'Presenting — private notes are hidden.' : ''}</div>
      {presenting || identity === undefined ? null : (
        <PrivateNotes meetingId={meetingId} owner={identity?.email ?? ''} inOwnWindow />
      )}
    </main>
  );
}
