// A series' page (#/meetings/series/<series id>): every meeting of the series, past and upcoming,
// each linked to its page; the series' cadence; and the action items still open across its
// meetings, completed from here into their meetings' Y.Docs (docs/architecture.md §5).
import { useCallback, useMemo, useState } from 'react';
import { useDb } from '../../app/services';
import { useLiveDoc } from '../../db/live-query';
import type { MeetingDoc, SeriesDoc } from '../../db/schemas';
import { SectionPage } from '../../ui/SectionPage';
import { OpenItemList } from '../action-items/OpenItemList';
import { CadenceSummary } from '../cadence/CadenceSummary';
import { useCadence } from '../cadence/use-cadence';
import { useOpenItems } from '../action-items/use-open-items';
import { ExportMarkdown } from '../meeting/ExportMarkdown';
import { meetingHash } from '../meeting/MeetingPage';
import { CADENCE_LABEL, otherParticipant, timeRange } from '../meetings/meeting-format';

export function SeriesPage({ seriesId }: { seriesId: string }) {
  const db = useDb();
  const query = useMemo(() => db.series.findOne(seriesId), [db, seriesId]);
  const series = useLiveDoc<SeriesDoc>(query);
  const ofSeries = useCallback((m: MeetingDoc) => m.seriesId === seriesId, [seriesId]);
  const { ready, items, meetings, context } = useOpenItems(ofSeries);
  const [now] = useState(() => Date.now());
  // How often the two actually meet (the cadence figures the Team and person pages show too).
  const cadence = useCadence();

  if (!series.ready || !ready) return null;
  if (!series.value)
    return (
      <SectionPage title="Series not found" description="This series is not in Duet (any more).">
        <a href="#/meetings">Back to meetings</a>
      </SectionPage>
    );
  const s = series.value;
  const who = otherParticipant(s, context.people, context.selves);
  const person = context.people.find((p) =>
    s.participants.some((e) => e === p.email || p.aliases.includes(e)),
  );
  const upcoming = meetings.filter((m) => m.end > now && m.state === 'scheduled');
  const past = meetings.filter((m) => !upcoming.includes(m)).reverse();
  const held = past.filter((m) => m.state !== 'cancelled').length;
  // A series found from a calendar may carry no title of its own: its meetings' title stands in.
  const title = seriesTitle(s, meetings, who);

  return (
    <SectionPage
      title={title}
      description={
        <>
          With {person ? <a href={`#/team/${encodeURIComponent(person.id)}`}>{who}</a> : who} ·{' '}
          <span data-testid="series-cadence">{CADENCE_LABEL[s.cadence]}</span> · {held} held,{' '}
          {upcoming.length} coming
          {s.linkState === 'disconnected' ? ' · calendar link lost' : ''}
          {s.archived ? ' · archived' : ''}
        </>
      }
    >
      <p>
        <a href="#/meetings">Back to meetings</a>
      </p>
      {meetings[0] ? <ExportMarkdown meeting={meetings[0]} seriesOnly /> : null}
      {person && cadence.byPerson.get(person.id) ? (
        <section aria-label={`Cadence with ${who}`}>
          <CadenceSummary name={who} stats={cadence.byPerson.get(person.id)!} now={cadence.now} />
        </section>
      ) : null}
      <section aria-labelledby="series-open" className="meetings-part">
        <h2 className="part-heading" id="series-open">
          Open action items
        </h2>
        {items.length === 0 ? (
          <p className="muted">Nothing open in this series.</p>
        ) : (
          <OpenItemList
            items={items}
            people={context.people}
            selves={context.selves}
            now={now}
            label={`Open action items in ${title}`}
          />
        )}
      </section>
      <MeetingRows id="series-upcoming" title="Upcoming" meetings={upcoming} empty="Nothing scheduled." />
      <MeetingRows id="series-past" title="Earlier" meetings={past} empty="No meetings yet." />
    </SectionPage>
  );
}

/** The series' own title, else its latest meeting's, else "1:1s with <person>". */
export function seriesTitle(s: SeriesDoc, meetings: readonly MeetingDoc[], who: string): string {
  const latest = meetings
    .filter((m) => m.seriesId === s.id)
    .reduce<MeetingDoc | null>((best, m) => (!best || m.start > best.start ? m : best), null);
  return s.title.trim() || latest?.title || `1:1s with ${who}`;
}

/** A titled list of meetings, each linked to its page; cancelled struck through, archived marked. */
export function MeetingRows({
  id,
  title,
  meetings,
  empty,
}: {
  id: string;
  title: string;
  meetings: readonly MeetingDoc[];
  empty: string;
}) {
  return (
    <section aria-labelledby={id} className="meetings-part">
      <h2 className="part-heading" id={id}>
        {title}
      </h2>
      {meetings.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <ul className="meetings">
          {meetings.map((m) => (
            <li key={m.id} className={`meeting meeting--${m.state}`} data-testid="history-meeting">
              <div className="meeting__time">
                {new Date(m.start).toLocaleDateString(undefined, {
                  weekday: 'short',
                  day: 'numeric',
                  month: 'short',
                  year: 'numeric',
                })}{' '}
                {timeRange(m.start, m.end)}
              </div>
              <div className="meeting__main">
                <a href={meetingHash(m.id)}>{m.state === 'cancelled' ? <s>{m.title}</s> : m.title}</a>
                {m.state === 'cancelled' ? <span className="badge badge--muted">Cancelled</span> : null}
                {m.state === 'archived' ? <span className="badge badge--muted">Archived</span> : null}
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
