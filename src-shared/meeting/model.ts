// THE meeting shape (docs/architecture.md §2): stored in RxDB (src-renderer/src/db/schemas/meetings.ts,
// whose JSON schema the compiler checks against this type), reconciled by the engine as it is (the
// engine's `Meeting` is this type: src-shared/engine/model.ts; it reads the canonical link through
// linkOf and writes whole documents), shown by the UI, named by duet:// links (ids from
// meeting-id.ts). Only scan files (the CLI's JSON format) have a form of their own, converted at
// that boundary (src-shared/engine/scan-file.ts).

export const calendarLinkProviders = ['google', 'microsoft', 'sandbox'] as const;
export type CalendarLinkProvider = (typeof calendarLinkProviders)[number];

export interface CalendarLink {
  provider: CalendarLinkProvider;
  accountId: string;
  calendarId: string;
  /**
   * The event the meeting follows: a one-off event, an instance event, or — with `instanceStart`
   * set — the recurring master whose rule produces the occurrence.
   */
  eventId: string;
  iCalUID: string;
  /** The series' master event id; '' for a one-off event. */
  recurringEventId: string;
  /** Original start of the occurrence in its series (ms); 0 for a one-off event. */
  originalStart: number;
  /** Start of the occurrence when the meeting follows a master's rule (ms), else 0. */
  instanceStart: number;
  etag: string;
  /** True only for events Duet created (and may therefore reschedule or cancel). */
  managedByApp: boolean;
}

export type LinkState = 'linked' | 'unlinked' | 'disconnected';
export type MeetingState = 'scheduled' | 'cancelled' | 'archived';

export interface MeetingDoc {
  id: string;
  /** '' for a one-off meeting; required so it can lead the by-series index. */
  seriesId: string;
  title: string;
  /** Epoch ms. */
  start: number;
  end: number;
  /** The two participants' primary emails, lower-cased and sorted. */
  participants: string[];
  /** Email of whoever owns the meeting (created it in the app or organizes the event). */
  owner: string;
  source: 'calendar' | 'app';
  /** Kept after an unlink (linkState 'unlinked'), as a record of the event the meeting came from. */
  calendarLink?: CalendarLink;
  linkState: LinkState;
  state: MeetingState;
  roomId: string;
  createdAt: number;
  updatedAt: number;
}

export const cadences = ['weekly', 'biweekly', 'triweekly', 'monthly', 'irregular'] as const;
export type Cadence = (typeof cadences)[number];

/** A recurring 1:1 between the same two people (docs/architecture.md §2–3). */
export interface SeriesDoc {
  id: string;
  title: string;
  /** The two participants' primary emails, lower-cased and sorted. */
  participants: string[];
  cadence: Cadence;
  /** Link to the recurring master event, absent for series made of loose instances. */
  calendarLink?: CalendarLink;
  linkState: LinkState;
  archived: boolean;
  createdAt: number;
  updatedAt: number;
}
