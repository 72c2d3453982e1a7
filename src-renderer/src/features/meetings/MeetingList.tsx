// Meetings grouped by day: time in the user's zone, the other person's name, the meeting title, the
// series' cadence and where it came from (a calendar mark for calendar-linked meetings).
import type { MeetingDoc } from '../../db/schemas';
import { CalendarMarkIcon } from '../../ui/icons';
import { meetingHash } from '../meeting/MeetingPage';
import { seriesHash } from '../series/series-route';
import { CADENCE_LABEL, groupByDay, otherParticipant, timeRange } from './meeting-format';
import { isSharedWithYou } from './room-sync';
import type { MeetingContext } from './use-meeting-context';

interface MeetingListProps {
  meetings: readonly MeetingDoc[];
  context: MeetingContext;
  now: number;
}

const providerName = {
  google: 'Google Calendar',
  microsoft: 'Microsoft 365',
  sandbox: 'the sandbox calendar',
} as const;

export function MeetingList({ meetings, context, now }: MeetingListProps) {
  return (
    <div className="meeting-days">
      {groupByDay(meetings, now).map((group) => (
        <section key={group.key} className="meeting-day" aria-label={group.label}>
          <h2 className="subheading">{group.label}</h2>
          <ul className="meetings">
            {group.meetings.map((m) => {
              const who = otherParticipant(m, context.people, context.selves);
              const series = m.seriesId ? context.series.get(m.seriesId) : undefined;
              const from = m.calendarLink ? `From ${providerName[m.calendarLink.provider]}` : '';
              return (
                <li
                  key={m.id}
                  className={`meeting meeting--${m.state}`}
                  data-testid="meeting"
                  aria-label={`${who}, ${timeRange(m.start, m.end)}`}
                >
                  <div className="meeting__time">{timeRange(m.start, m.end)}</div>
                  <div className="meeting__main">
                    <div className="meeting__who">
                      <span className="meeting__person">{m.state === 'cancelled' ? <s>{who}</s> : who}</span>
                      {series ? (
                        <a
                          className="badge badge--muted"
                          href={seriesHash(series.id)}
                          title="Open the series"
                        >
                          {CADENCE_LABEL[series.cadence]}
                        </a>
                      ) : null}
                      {m.state === 'cancelled' ? <span className="badge badge--muted">Cancelled</span> : null}
                      {isSharedWithYou(m) ? <span className="badge">Shared with you</span> : null}
                      {m.linkState === 'disconnected' ? (
                        <span className="badge badge--warning">Calendar link lost</span>
                      ) : null}
                    </div>
                    <div className="meeting__title">
                      <a href={meetingHash(m.id)}>{m.state === 'cancelled' ? <s>{m.title}</s> : m.title}</a>
                    </div>
                  </div>
                  {m.source === 'calendar' ? (
                    <span
                      className="meeting__mark"
                      title={from || 'From your calendar'}
                      role="img"
                      aria-label={from || 'From your calendar'}
                    >
                      <CalendarMarkIcon />
                    </span>
                  ) : null}
                </li>
              );
            })}
          </ul>
        </section>
      ))}
    </div>
  );
}
