// A person's page (#/team/<person id>): who they are, "Schedule 1:1", the action items still open
// across your meetings with them (completed from here, docs/architecture.md §5), their series, and
// the history of your 1:1s (upcoming, then earlier ones, newest first, archived ones included),
// each linked to its page; one Duet holds but has not put on a calendar has "Put on calendar".
import { useCallback, useMemo, useState } from 'react';
import { REPEAT_LABELS, repeats, type Repeat } from '../../../../src-shared/calendar/repeat';
import { useBridge, useDb } from '../../app/services';
import { useLiveDocs } from '../../db/live-query';
import type { MeetingDoc, PersonDoc, SeriesDoc } from '../../db/schemas';
import { useToasts } from '../../state/toasts';
import { SectionPage } from '../../ui/SectionPage';
import { OpenItemList } from '../action-items/OpenItemList';
import { useOpenItems } from '../action-items/use-open-items';
import { useCalendarAccounts } from '../calendars/use-accounts';
import { CADENCE_LABEL } from '../meetings/meeting-format';
import { useMeetingContext } from '../meetings/use-meeting-context';
import { seriesHash } from '../series/series-route';
import { seriesTitle } from '../series/SeriesPage';
import { meetingHash } from '../meeting/MeetingPage';
import { timeRange } from '../meetings/meeting-format';
import { ManageMeeting, isManaged } from './ManageMeeting';
import { ScheduleButton } from './ScheduleButton';
import { videoLabel } from './ScheduleForm';
import { createdEvents, onCalendar, putOnCalendar } from './schedule-meeting';
import { useActivity } from './use-activity';
import { CadenceSummary } from '../cadence/CadenceSummary';
import { useCadence } from '../cadence/use-cadence';

export const personHash = (id: string): string => `#/team/${encodeURIComponent(id)}`;

export function PersonPage({ personId }: { personId: string }) {
  const db = useDb();
  const peopleQuery = useMemo(() => db.people.find(), [db]);
  const people = useLiveDocs<PersonDoc>(peopleQuery);
  const person = people.value.find((p) => p.id === personId);
  const meetingsQuery = useMemo(() => db.meetings.find({ sort: [{ start: 'asc' }] }), [db]);
  const meetings = useLiveDocs<MeetingDoc>(meetingsQuery);
  const seriesQuery = useMemo(() => db.series.find(), [db]);
  const series = useLiveDocs<SeriesDoc>(seriesQuery);
  const { entries } = useActivity();
  const [now] = useState(() => Date.now());
  const context = useMeetingContext();
  const addressKey = person ? [person.email, ...person.aliases].join('\n') : '';
  const withPerson = useCallback(
    (m: MeetingDoc) => addressKey !== '' && m.participants.some((e) => addressKey.split('\n').includes(e)),
    [addressKey],
  );
  const open = useOpenItems(withPerson);
  const cadence = useCadence();

  if (!people.ready) return null;
  if (!person)
    return (
      <SectionPage title="Not on your team" description="This person is not on your team (any more).">
        <a href="#/team">Back to Team</a>
      </SectionPage>
    );
  const theirs = meetings.value.filter(withPerson);
  const upcoming = theirs.filter((m) => m.end > now && m.state === 'scheduled');
  const history = theirs.filter((m) => !upcoming.includes(m)).reverse();
  const theirSeries = series.value.filter((x) =>
    x.participants.some((e) => addressKey.split('\n').includes(e)),
  );
  const placed = onCalendar(entries ?? []);
  const created = createdEvents(entries ?? []);
  const row = (m: MeetingDoc) => (
    <li key={m.id} className={`meeting person-meeting meeting--${m.state}`} data-testid="person-meeting">
      <div className="meeting__time">
        {new Date(m.start).toLocaleDateString(undefined, {
          weekday: 'short',
          day: 'numeric',
          month: 'short',
          ...(new Date(m.start).getFullYear() !== new Date(now).getFullYear() ? { year: 'numeric' } : {}),
        })}{' '}
        {timeRange(m.start, m.end)}
      </div>
      <div className="meeting__main">
        <a href={meetingHash(m.id)}>{m.state === 'cancelled' ? <s>{m.title}</s> : m.title}</a>
        {m.state === 'cancelled' ? <span className="badge badge--muted">Cancelled</span> : null}
        {m.state === 'archived' ? <span className="badge badge--muted">Archived</span> : null}
      </div>
      {m.source === 'app' &&
      m.linkState !== 'linked' &&
      !placed.has(m.id) &&
      entries !== null &&
      m.end > now ? (
        <PutOnCalendar meeting={m} person={person} />
      ) : null}
      {isManaged(m, created) && m.end > now ? (
        <ManageMeeting meeting={m} series={series.value.find((x) => x.id === m.seriesId)} />
      ) : null}
    </li>
  );
  return (
    <SectionPage
      title={person.name}
      description={
        <>
          {person.email}
          {person.startDate ? ` · started ${person.startDate}` : ''}
        </>
      }
      actions={<ScheduleButton person={person} people={people.value} />}
    >
      <p>
        <a href="#/team">Back to Team</a>
      </p>
      {cadence.byPerson.get(person.id) ? (
        <section aria-label={`Cadence with ${person.name}`}>
          <CadenceSummary name={person.name} stats={cadence.byPerson.get(person.id)!} now={cadence.now} />
        </section>
      ) : null}
      <section aria-labelledby="person-open" className="meetings-part">
        <h2 className="subheading" id="person-open">
          Open action items
        </h2>
        {!open.ready ? null : open.items.length === 0 ? (
          <p className="muted">Nothing open with {person.name}.</p>
        ) : (
          <OpenItemList
            items={open.items}
            people={context.people}
            selves={context.selves}
            now={now}
            label={`Open action items with ${person.name}`}
          />
        )}
      </section>
      {theirSeries.length > 0 ? (
        <section aria-labelledby="person-series" className="meetings-part">
          <h2 className="subheading" id="person-series">
            Series
          </h2>
          <ul className="person-series">
            {theirSeries.map((x) => (
              <li key={x.id}>
                <a href={seriesHash(x.id)}>{seriesTitle(x, meetings.value, person.name)}</a>{' '}
                <span className="badge badge--muted">{CADENCE_LABEL[x.cadence]}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section aria-labelledby="person-meetings" className="meetings-part">
        <h2 className="subheading" id="person-meetings">
          Meetings with {person.name}
        </h2>
        {theirs.length === 0 ? (
          <p className="muted">No meetings yet. Schedule a first 1:1 above.</p>
        ) : (
          <>
            <h3 className="part-heading">Upcoming</h3>
            {upcoming.length === 0 ? (
              <p className="muted">Nothing scheduled.</p>
            ) : (
              <ul className="meetings" aria-label="Upcoming">
                {upcoming.map(row)}
              </ul>
            )}
            <h3 className="part-heading">History</h3>
            {history.length === 0 ? (
              <p className="muted">No 1:1s held yet.</p>
            ) : (
              <ul className="meetings" aria-label="History">
                {history.map(row)}
              </ul>
            )}
          </>
        )}
      </section>
    </SectionPage>
  );
}

/** For a meeting made without a calendar: choose a calendar, repeat and video link, and put it there. */
function PutOnCalendar({ meeting, person }: { meeting: MeetingDoc; person: PersonDoc }) {
  const db = useDb();
  const bridge = useBridge();
  const { accounts } = useCalendarAccounts();
  const showToast = useToasts((s) => s.show);
  const [open, setOpen] = useState(false);
  const [repeat, setRepeat] = useState<Repeat>('none');
  const [video, setVideo] = useState(true);
  const usable = (accounts ?? []).filter((a) => a.status !== 'needs-reconnect');
  const account = usable[0];
  if (!account) return <span className="muted">In Duet only</span>;
  if (!open)
    return (
      <button
        type="button"
        className="button button--small"
        aria-label={`Put ${meeting.title} on the calendar`}
        onClick={() => setOpen(true)}
      >
        Put on calendar
      </button>
    );
  return (
    <form
      className="inline-form"
      aria-label={`Put ${meeting.title} on ${account.email}`}
      onSubmit={(e) => {
        e.preventDefault();
        void putOnCalendar(db, bridge, meeting, { person, repeat, video, account }).then((outcome) => {
          showToast(
            outcome.calendarError
              ? { tone: 'error', message: `The calendar did not take it: ${outcome.calendarError}` }
              : { message: `${meeting.title} is on ${account.email}.` },
          );
          setOpen(false);
        });
      }}
    >
      <label>
        Repeat{' '}
        <select value={repeat} onChange={(e) => setRepeat(e.target.value as Repeat)}>
          {repeats.map((r) => (
            <option key={r} value={r}>
              {REPEAT_LABELS[r]}
            </option>
          ))}
        </select>
      </label>{' '}
      <label>
        <input type="checkbox" checked={video} onChange={(e) => setVideo(e.target.checked)} />{' '}
        {videoLabel(account)}
      </label>{' '}
      <button type="submit" className="button button--small button--primary">
        Put on {account.email}
      </button>
    </form>
  );
}
