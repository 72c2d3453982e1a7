// Settings → Activity: every write Duet made (or tried to make) to a calendar, newest first, from
// main's log (docs/architecture.md §6). Nothing else writes to a calendar.
import { useActivity } from '../schedule/use-activity';

const ACTION_WORDS = {
  create: 'Created',
  reschedule: 'Moved',
  'reschedule-occurrence': 'Moved one meeting',
  'change-repeat': 'Changed the repeat',
  cancel: 'Cancelled',
  'cancel-occurrence': 'Cancelled one meeting',
  'add-link': 'Added the Duet link to',
  'remove-link': 'Removed the Duet link from',
} as const;

export function ActivityPanel() {
  const { entries, error } = useActivity();
  return (
    <section className="card" aria-labelledby="activity-heading" data-testid="activity">
      <h2 className="card__title" id="activity-heading">
        Activity
      </h2>
      <p className="muted">Every change Duet makes to your calendars, newest first.</p>
      {error ? (
        <p className="form__error">Could not read the activity log: {error}</p>
      ) : entries === null ? (
        <p className="muted">Loading…</p>
      ) : entries.length === 0 ? (
        <p className="muted">Duet has not changed any calendar yet.</p>
      ) : (
        <ul className="activity" aria-label="Calendar changes">
          {entries.slice(0, 100).map((e) => (
            <li key={e.id} className={`activity__entry${e.ok ? '' : ' activity__entry--failed'}`}>
              <time dateTime={new Date(e.at).toISOString()}>
                {new Date(e.at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}
              </time>{' '}
              <strong>
                {ACTION_WORDS[e.action]}
                {e.title ? ` “${e.title}”` : ''}
              </strong>{' '}
              on {e.accountEmail} ({e.provider === 'google' ? 'Google' : 'Microsoft'}): {e.detail}
              {e.ok ? null : <span className="activity__error"> Not done: {e.error}</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
