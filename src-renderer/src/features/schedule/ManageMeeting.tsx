// Moving and cancelling a 1:1 Duet put on the calendar (docs/architecture.md §6, "Scheduling"):
// this meeting only (an exception of its series), or the whole series; and the series' repeat.
// Shown only for meetings linked to an event carrying Duet's tag: main refuses any other anyway.
import { useState, type FormEvent } from 'react';
import { REPEAT_LABELS, type Repeat } from '../../../../src-shared/calendar/repeat';
import { useBridge } from '../../app/services';
import type { MeetingDoc, SeriesDoc } from '../../db/schemas';
import { useToasts } from '../../state/toasts';
import { errorMessage } from '../settings/bridge-errors';
import { startFromForm, userTimeZone } from './schedule-meeting';

const REPEAT_OF: Partial<Record<SeriesDoc['cadence'], Repeat>> = {
  weekly: 'weekly',
  biweekly: 'biweekly',
  triweekly: 'triweekly',
  monthly: 'monthly',
};
const SERIES_REPEATS: Repeat[] = ['weekly', 'biweekly', 'triweekly', 'monthly'];

const pad = (n: number) => String(n).padStart(2, '0');
const dateOf = (ms: number) => {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
};
const timeOf = (ms: number) => {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
};

/**
 * True when Duet may offer to move or cancel this meeting's event: it carries Duet's tag as read
 * (Google lists it), or it is (an occurrence of) an event main's activity log says Duet created.
 */
export function isManaged(m: MeetingDoc, created: ReadonlySet<string> = new Set()): boolean {
  const link = m.calendarLink;
  if (m.linkState !== 'linked' || m.state !== 'scheduled' || !link) return false;
  return link.managedByApp || created.has(link.recurringEventId || link.eventId);
}

export function ManageMeeting({ meeting, series }: { meeting: MeetingDoc; series?: SeriesDoc | undefined }) {
  const bridge = useBridge();
  const showToast = useToasts((s) => s.show);
  const link = meeting.calendarLink;
  const [moving, setMoving] = useState(false);
  const [date, setDate] = useState(() => dateOf(meeting.start));
  const [time, setTime] = useState(() => timeOf(meeting.start));
  const [repeat, setRepeat] = useState<Repeat>(() => (series && REPEAT_OF[series.cadence]) || 'weekly');
  const [error, setError] = useState<string | null>(null);
  if (!link) return null;
  const inSeries = link.recurringEventId !== '';
  const seriesRef = {
    meetingId: meeting.id,
    accountId: link.accountId,
    calendarId: link.calendarId,
    eventId: inSeries ? link.recurringEventId : link.eventId,
  };
  const thisOne = inSeries ? { ...seriesRef, originalStart: link.originalStart } : seriesRef;
  const when = new Date(meeting.start).toLocaleDateString(undefined, { day: 'numeric', month: 'short' });
  const minutes = Math.round((meeting.end - meeting.start) / 60_000);

  const run = async (what: string, write: () => Promise<unknown>) => {
    setError(null);
    try {
      await write();
      showToast({ message: `${what}. Your calendar has it; Duet follows with the next sync.` });
      setMoving(false);
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  const move = (whole: boolean) => (e: FormEvent) => {
    e.preventDefault();
    const start = startFromForm(date, time);
    if (start === undefined) {
      setError('Enter a date and a time that exist.');
      return;
    }
    const cadence = series ? REPEAT_OF[series.cadence] : undefined;
    void run(whole ? 'Moved the series' : `Moved the meeting of ${when}`, () =>
      bridge.schedule.reschedule({
        ...(whole ? seriesRef : thisOne),
        start,
        minutes,
        timeZone: userTimeZone(),
        ...(whole && cadence ? { repeat: cadence } : {}),
      }),
    );
  };

  return (
    <div className="manage-meeting">
      <div className="inline-form">
        <button
          type="button"
          className="button button--small"
          aria-expanded={moving}
          aria-label={`Move the meeting of ${when}`}
          onClick={() => setMoving((m) => !m)}
        >
          Move…
        </button>
        <button
          type="button"
          className="button button--small button--danger"
          aria-label={`Cancel the meeting of ${when}`}
          onClick={() => void run(`Cancelled the meeting of ${when}`, () => bridge.schedule.cancel(thisOne))}
        >
          Cancel meeting
        </button>
        {inSeries ? (
          <>
            <button
              type="button"
              className="button button--small button--danger"
              aria-label={`Cancel the series of ${meeting.title}`}
              onClick={() => void run('Cancelled the series', () => bridge.schedule.cancel(seriesRef))}
            >
              Cancel series
            </button>
            <label>
              Repeat{' '}
              <select value={repeat} onChange={(e) => setRepeat(e.target.value as Repeat)}>
                {SERIES_REPEATS.map((r) => (
                  <option key={r} value={r}>
                    {REPEAT_LABELS[r]}
                  </option>
                ))}
              </select>
            </label>
            <button
              type="button"
              className="button button--small"
              onClick={() =>
                void run(`The series now repeats ${REPEAT_LABELS[repeat].toLowerCase()}`, () =>
                  bridge.schedule.changeRepeat({ ...seriesRef, repeat }),
                )
              }
            >
              Change repeat
            </button>
          </>
        ) : null}
      </div>
      {moving ? (
        <form className="inline-form" aria-label={`Move the meeting of ${when}`} onSubmit={move(false)}>
          <label>
            New date <input type="date" value={date} onChange={(e) => setDate(e.target.value)} />
          </label>
          <label>
            New time <input type="time" value={time} onChange={(e) => setTime(e.target.value)} />
          </label>
          <button type="submit" className="button button--small button--primary">
            {inSeries ? 'Move this meeting' : 'Move'}
          </button>
          {inSeries ? (
            <button type="button" className="button button--small" onClick={(e) => move(true)(e)}>
              Move the series
            </button>
          ) : null}
        </form>
      ) : null}
      {error ? (
        <p className="form__error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
