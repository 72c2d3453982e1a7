// The empty state of Up next and Meetings: what to do next depends on how far the user got.
import { hashForSubpage, useNavigation } from '../../state/navigation';
import { EmptyState } from '../../ui/EmptyState';
import { CalendarPlusIcon } from '../../ui/icons';

export function NoMeetings({
  title,
  connected,
  teamSize,
}: {
  title: string;
  connected: boolean;
  teamSize: number;
}) {
  const go = useNavigation((s) => s.go);
  if (!connected)
    return (
      <EmptyState
        title={title}
        icon={<CalendarPlusIcon />}
        actions={
          <>
            <button type="button" className="button button--primary" onClick={() => go('settings')}>
              Connect a calendar
            </button>
            <button type="button" className="button" onClick={() => go('team')}>
              Add your team
            </button>
          </>
        }
      >
        <p>
          Duet finds the 1:1s already on your calendar. Connect Google Calendar or Microsoft 365 in Settings —
          or try the sandbox calendar, which needs no account — and your 1:1s show up here.
        </p>
      </EmptyState>
    );
  return (
    <EmptyState
      title={title}
      icon={<CalendarPlusIcon />}
      actions={
        <>
          {teamSize === 0 ? (
            <button type="button" className="button button--primary" onClick={() => go('team')}>
              Add your team
            </button>
          ) : null}
          <a className="button" href={hashForSubpage('settings', 'diagnostics')}>
            Why isn’t my 1:1 showing?
          </a>
        </>
      }
    >
      <p>
        {teamSize === 0
          ? 'Your calendar is connected. Duet takes a two-person event as a 1:1 when the other person is on your team: add them, and their 1:1s appear here at once.'
          : 'Your calendar is connected, but none of its events in the coming weeks is a 1:1 with someone on your team.'}
      </p>
    </EmptyState>
  );
}
