import type { MeetingDoc, PersonDoc } from '../../db/schemas';
import { groupByDay, participantNames, timeRange } from './meeting-format';

interface MeetingListProps {
  meetings: readonly MeetingDoc[];
  people: readonly PersonDoc[];
  now: number;
}

export function MeetingList({ meetings, people, now }: MeetingListProps) {
  return (
    <div className="meeting-days">
      {groupByDay(meetings, now).map((group) => (
        <section key={group.key} className="meeting-day" aria-label={group.label}>
          <h2 className="subheading">{group.label}</h2>
          <ul className="meetings">
            {group.meetings.map((m) => (
              <li key={m.id} className={`meeting meeting--${m.state}`} data-testid="meeting">
                <div className="meeting__time">{timeRange(m.start, m.end)}</div>
                <div className="meeting__main">
                  <div className="meeting__title">
                    {m.state === 'cancelled' ? <s>{m.title}</s> : m.title}
                    {m.state === 'cancelled' ? <span className="badge badge--muted">Cancelled</span> : null}
                    {m.linkState === 'disconnected' ? (
                      <span className="badge badge--warning">Calendar link lost</span>
                    ) : null}
                  </div>
                  <div className="meeting__people">{participantNames(m, people)}</div>
                </div>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
