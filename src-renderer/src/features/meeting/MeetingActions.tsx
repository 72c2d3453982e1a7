// The meeting page's lifecycle actions (docs/architecture.md §2 "Lifecycle rules"): Archive,
// Unarchive and Delete, each either offered or shown disabled with the reason; the rules
// themselves live in the data layer (db/meeting-rules.ts), which refuses anything else. A coming
// meeting whose event Duet made also gets Move/Cancel (features/schedule/ManageMeeting.tsx).
import { useEffect, useMemo, useState } from 'react';
import type { MeetingDoc, SeriesDoc } from '../../../../src-shared/meeting/model';
import { useDb } from '../../app/services';
import { useLiveDocs } from '../../db/live-query';
import {
  archiveMeeting,
  deleteMeeting,
  meetingActions,
  unarchiveMeeting,
  type Verdict,
} from '../../db/meeting-rules';
import { ManageMeeting, isManaged } from '../schedule/ManageMeeting';
import { createdEvents } from '../schedule/schedule-meeting';
import { useActivity } from '../schedule/use-activity';

type Actions = { archive: Verdict; unarchive: Verdict; delete: Verdict };

export function MeetingActions({ meeting }: { meeting: MeetingDoc }) {
  const db = useDb();
  const [actions, setActions] = useState<Actions | null>(null);
  const [error, setError] = useState('');
  const [confirming, setConfirming] = useState(false);
  useEffect(() => {
    let live = true;
    void meetingActions(db, meeting).then((a) => live && setActions(a));
    return () => {
      live = false;
    };
  }, [db, meeting]);
  const { entries } = useActivity();
  const created = useMemo(() => createdEvents(entries ?? []), [entries]);
  const seriesQuery = useMemo(() => db.series.find(), [db]);
  const series = useLiveDocs<SeriesDoc>(seriesQuery);
  const [now] = useState(() => Date.now());

  const run = (f: () => Promise<void>, after?: () => void) => {
    setError('');
    f().then(after, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  };
  if (!actions) return null;
  const archived = meeting.state === 'archived';
  return (
    <div className="meeting-actions" role="group" aria-label="Meeting actions">
      {archived ? (
        <button type="button" onClick={() => run(() => unarchiveMeeting(db, meeting.id))}>
          Unarchive
        </button>
      ) : (
        <button
          type="button"
          disabled={!actions.archive.ok}
          aria-describedby={actions.archive.ok ? undefined : 'archive-why'}
          onClick={() => run(() => archiveMeeting(db, meeting.id))}
        >
          Archive
        </button>
      )}
      {confirming ? (
        <span role="alert">
          Delete this meeting and its notes?{' '}
          <button
            type="button"
            onClick={() => run(() => deleteMeeting(db, meeting.id), () => (location.hash = '#/meetings'))}
          >
            Yes, delete
          </button>{' '}
          <button type="button" onClick={() => setConfirming(false)}>
            Keep it
          </button>
        </span>
      ) : (
        <button
          type="button"
          disabled={!actions.delete.ok}
          aria-describedby={actions.delete.ok ? undefined : 'delete-why'}
          onClick={() => setConfirming(true)}
        >
          Delete
        </button>
      )}
      {!archived && !actions.archive.ok ? (
        <span id="archive-why" className="muted meeting-actions__why">
          {reasonOf(actions.archive)}
        </span>
      ) : null}
      {!actions.delete.ok ? (
        <span id="delete-why" className="muted meeting-actions__why">
          {reasonOf(actions.delete)}
        </span>
      ) : null}
      {error ? (
        <p role="alert" className="error">
          {error}
        </p>
      ) : null}
      {isManaged(meeting, created) && meeting.end > now ? (
        <ManageMeeting meeting={meeting} series={series.value.find((s) => s.id === meeting.seriesId)} />
      ) : null}
    </div>
  );
}

const reasonOf = (v: Verdict): string => (v.ok ? '' : v.reason);
