// One small interface over the two providers for the "add the Duet link to 1:1 events I organize"
// option (docs/architecture.md §6, "Links on imported events"): add the link and the tag to one
// imported event in one write, take both out again, and list the events that carry them. Google
// (google-link-writer.ts) and Graph (graph-link-writer.ts) implement it with their real SDKs; one
// contract suite runs over both (tests/integration/calendar/imported-links.test.ts).
import { ProviderHttpError } from './provider';

/** The event to write to (for a series: its master) and the meeting its link names. */
export interface LinkTarget {
  calendarId: string;
  eventId: string;
  meetingId: string;
}

export type SkipReason =
  /** The option's link and tag are already there (a re-run). */
  | 'already-added'
  /** Duet created this event itself (its tag without the option's mark): never touched here. */
  | 'duet-event'
  /** Someone else organizes the event: Duet never writes to it. */
  | 'not-organizer'
  | 'cancelled';

export type AddOutcome = { kind: 'added'; title: string } | { kind: 'skipped'; reason: SkipReason; title: string };

export type RemoveOutcome =
  /** `link`: how the link was found (linkRemoval in duet-link-block.ts); 'absent' when edited away. */
  | { kind: 'removed'; title: string; link: 'exact' | 'paragraph' | 'absent' }
  /** The event does not carry the option's mark (never added, or already removed). */
  | { kind: 'skipped'; reason: 'not-added'; title: string };

export interface AddedLink {
  calendarId: string;
  eventId: string;
  meetingId: string;
  title: string;
}

export interface LinkWriter {
  /** Reads the event and, when the user organizes it and it is untagged, writes link + tag + mark. */
  add(target: LinkTarget): Promise<AddOutcome>;
  /** Takes out the link, the tag and the mark from an event carrying the mark. */
  remove(calendarId: string, eventId: string): Promise<RemoveOutcome>;
  /** Every event of the calendar carrying the mark (series masters, not occurrences). */
  listAdded(calendarId: string): Promise<AddedLink[]>;
}

export const isConflict = (err: unknown): boolean => err instanceof ProviderHttpError && err.status === 412;

/** A conditional write refused twice (the event kept changing): nothing was written. */
export class EventChangedError extends Error {
  constructor(readonly eventId: string) {
    super('The event changed while Duet was writing to it (twice); it was left as it was.');
    this.name = 'EventChangedError';
  }
}

/**
 * Read, then write conditionally on what was read (If-Match); a 412 means someone changed the
 * event in between, so read it again and try once more. A second 412 leaves the event as it is.
 */
export async function readModifyWrite<T>(eventId: string, attempt: () => Promise<T>): Promise<T> {
  try {
    return await attempt();
  } catch (err) {
    if (!isConflict(err)) throw err;
  }
  try {
    return await attempt();
  } catch (err) {
    if (isConflict(err)) throw new EventChangedError(eventId);
    throw err;
  }
}
