import { useMemo, useState } from 'react';
import { useDb } from '../../app/services';
import { useLiveDocs } from '../../db/live-query';
import type { MeetingDoc, PersonDoc } from '../../db/schemas';
import { useNavigation } from '../../state/navigation';
import { EmptyState } from '../../ui/EmptyState';
import { SectionPage } from '../../ui/SectionPage';
import { MeetingsIcon } from '../../ui/icons';
import { MeetingList } from './MeetingList';

export function MeetingsSection() {
  const db = useDb();
  const go = useNavigation((s) => s.go);
  // Archived meetings get their own view later; this list is everything still in play.
  const meetingsQuery = useMemo(
    () =>
      db.meetings.find({
        selector: { state: { $in: ['scheduled', 'cancelled'] } },
        sort: [{ start: 'desc' }],
      }),
    [db],
  );
  const peopleQuery = useMemo(() => db.people.find(), [db]);
  const meetings = useLiveDocs<MeetingDoc>(meetingsQuery);
  const people = useLiveDocs<PersonDoc>(peopleQuery);
  const [now] = useState(() => Date.now());

  return (
    <SectionPage title="Meetings" description="Every 1:1 Duet knows about, newest first.">
      {!meetings.ready ? null : meetings.value.length === 0 ? (
        <EmptyState
          title="No meetings yet"
          icon={<MeetingsIcon />}
          actions={
            <>
              <button type="button" className="button button--primary" onClick={() => go('settings')}>
                Connect a calendar
              </button>
              <button type="button" className="button" onClick={() => go('team')}>
                Set up your team
              </button>
            </>
          }
        >
          <p>
            Meetings appear here when Duet finds a 1:1 on your calendar: an event with you and one person from
            your team, whose title contains a keyword such as “1:1” or “/”. Each one gets a shared agenda,
            action items and notes.
          </p>
        </EmptyState>
      ) : (
        <MeetingList meetings={meetings.value} people={people.value} now={now} />
      )}
    </SectionPage>
  );
}
