// Relink (docs/architecture.md §4 "Series links", §5 "Meetings screen"): when detection alone
// cannot link a disconnected series again, the user picks which recurring 1:1 in the cached
// calendar it follows from now on. The choice is recorded in the series' own link, which the next
// detection pass reads as a claim on that master (series-links.ts), so no pass undoes it. Pure.
import { linkTo } from '../engine/meeting-link';
import type { Cadence, CalendarEvent } from '../engine/model';
import { detectSplits } from '../engine/series';
import type { DetectionResult } from './detection';
import { seriesIdFor } from './detection';
import type { SeriesDoc } from './model';
import { linkedSeriesKey, seriesOwners } from './series-links';
import { occurrenceOfEvent, type Occurrence } from '../engine/analyze';

export interface RelinkCandidate {
  accountId: string;
  provider: 'google' | 'microsoft';
  /** The recurring master's event id (the series' key, also when only its instances are listed). */
  eventId: string;
  title: string;
  cadence: Cadence;
  /** Its next occurrence from `now`, epoch ms. */
  start: number;
  end: number;
  /** The event to record the link to: the master, or an instance of it where no master is listed. */
  event: CalendarEvent;
}

export interface AccountRun {
  accountId: string;
  provider: 'google' | 'microsoft';
  result: DetectionResult;
}

/**
 * The recurring 1:1s a series could follow: masters detection takes as a series, with the same
 * other person and a coming occurrence, other than those that belong to it already and those
 * another series was relinked to. Soonest next occurrence first.
 */
export function relinkCandidates(runs: readonly AccountRun[], series: SeriesDoc, allSeries: readonly SeriesDoc[], now: number): RelinkCandidate[] {
  const out: RelinkCandidate[] = [];
  const people = new Set(series.participants.map((p) => p.toLowerCase()));
  for (const { accountId, provider, result } of runs) {
    const a = result.analysis;
    // Ended with several possible continuations: a series following it is disconnected again.
    const ambiguous = new Set(detectSplits(a).ambiguous);
    const owners = seriesOwners(accountId, allSeries, (id) => seriesIdFor(provider, accountId, id));
    for (const sd of result.decisions.series) {
      if (ambiguous.has(sd.eventId)) continue;
      if (!people.has(sd.counterpart.toLowerCase())) continue;
      // Already this series' (its own master, or the one it was relinked to), or another's choice.
      const owner = owners.ownerOf(sd.eventId);
      if (owner === series.id || owner !== owners.ownIdOf(sd.eventId)) continue;
      const link = series.calendarLink;
      if (link && link.accountId === accountId && linkedSeriesKey(link) === sd.eventId) continue;
      // It is what the series follows from now on: one that has ended (or been cut short by a
      // split) has nothing to follow. The link is recorded to the master, or — in a listing
      // without masters (Graph's calendar view) — to the instance event of the next occurrence.
      const idx = a.masterIndex.get(sd.eventId);
      const occurrences =
        idx !== undefined
          ? (a.masters.get(idx)?.occurrences ?? [])
          : (a.instancesOf.get(sd.eventId) ?? []).map((i) => occurrenceOfEvent(a, i)).filter((o): o is Occurrence => o !== undefined);
      const next = occurrences.filter((o) => o.candidate && o.end > now).sort((x, y) => x.start - y.start)[0];
      if (!next) continue;
      const ev = a.events[idx ?? next.eventIndex] as CalendarEvent;
      out.push({ accountId, provider, eventId: sd.eventId, title: ev.title, cadence: sd.cadence, start: next.start, end: next.end, event: ev });
    }
  }
  return out.sort((x, y) => x.start - y.start || (x.eventId < y.eventId ? -1 : 1));
}

/** The series after the user chose `candidate`: linked, following that master from now on. */
export function relinkedSeries(series: SeriesDoc, candidate: Pick<RelinkCandidate, 'accountId' | 'provider' | 'event' | 'title' | 'cadence'>, now: number): SeriesDoc {
  return {
    ...series,
    title: candidate.title,
    cadence: candidate.cadence,
    calendarLink: linkTo({ provider: candidate.provider, accountId: candidate.accountId }, candidate.event, undefined),
    linkState: 'linked',
    updatedAt: now,
  };
}
