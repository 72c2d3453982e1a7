// The engine's input and output shapes: exactly the scan command's JSON format (issue 4),
// so the app, the CLI and support tools share one contract. Times are ISO-8601 strings.
import type { CalendarLinkProvider, MeetingDoc } from '../meeting/model';

export const REASON_CODES = [
  'CANCELLED',
  'ALL_DAY',
  'NOT_PRIMARY_CALENDAR',
  'OUTSIDE_WINDOW',
  'NOT_TWO_PEOPLE',
  'SELF_NOT_PARTICIPANT',
  'DECLINED',
  'UNKNOWN_PERSON',
  'NO_KEYWORD',
  'DURATION_OUT_OF_RANGE',
] as const;
/** Why an event is not a 1:1. An event's `reasons` always lists them in this order. */
export type ReasonCode = (typeof REASON_CODES)[number];

export type ResponseStatus = 'accepted' | 'declined' | 'tentative' | 'needsAction';
export type EventStatus = 'confirmed' | 'tentative' | 'cancelled';
export type Visibility = 'default' | 'public' | 'private';
export const MATCH_MODES = ['keywords', 'two-person'] as const;
export type MatchMode = (typeof MATCH_MODES)[number];
export type ScanMode = 'full' | 'incremental';
export type Cadence = 'weekly' | 'biweekly' | 'triweekly' | 'monthly' | 'irregular';

export interface Attendee {
  email: string;
  response?: ResponseStatus;
  /** Rooms and equipment: never a participant. */
  resource?: boolean;
  /** Optional attendees still count as participants. */
  optional?: boolean;
  /** Display name as the calendar shows it (for team suggestions); never used to match people. */
  name?: string;
}

export interface CalendarEvent {
  id: string;
  calendarId: string;
  primary: boolean;
  title: string;
  start: string;
  end: string;
  allDay?: boolean;
  status?: EventStatus;
  visibility?: Visibility;
  organizer?: string;
  attendees: Attendee[];
  /** RRULE / RDATE / EXDATE (and optionally DTSTART;TZID=…) lines, on recurring masters only. */
  recurrence?: string[];
  /** On instances and exceptions: the id of their recurring master. */
  recurringEventId?: string;
  /** On instances and exceptions: the start the rule gave them before any move. */
  originalStart?: string;
  /**
   * Extension to the format: the IANA zone a recurring master's wall-clock time lives in
   * (Google's start.timeZone, Graph's recurrenceTimeZone). A `DTSTART;TZID=` line wins over it.
   */
  timeZone?: string;
  // ---- Sync fields (docs/architecture.md §6): set by the app's provider adapters, absent in scan files.
  /** Which provider and connected account the event was read from. */
  provider?: 'google' | 'microsoft';
  accountId?: string;
  /** iCalendar UID (Google iCalUID, Graph uid / iCalUId): the key of a calendar meeting's sync room. */
  iCalUID?: string;
  /** Google etag or Graph changeKey of the version read. */
  etag?: string;
  /** Set on events Duet created (Google private extended property / Graph extended property `duetMeetingId`). */
  duetMeetingId?: string;
  /** Video link (Meet, Teams, or a Zoom/Meet/Teams URL in the location): the meeting's "Join" button. */
  joinUrl?: string;
  /** Display location (room names are not participants). */
  location?: string;
  /** The event's own page in the provider's calendar (Google htmlLink, Graph webLink): "Open in calendar". */
  webLink?: string;
  /**
   * When the organizer created the event (Google `created`, Graph `createdDateTime`), UTC ISO.
   * Tells a 1:1 set up lately (news for the other person) from one that already existed when the
   * calendar was connected (docs/architecture.md §5 "Notifications").
   */
  created?: string;
}

/**
 * A removal read from a provider (a Google `{id, status: 'cancelled'}` stub without times, a Graph
 * `@removed` entry): nothing but the id survives, so it cannot be a CalendarEvent. It flows to the
 * renderer in the same batch as changed events (docs/architecture.md §6).
 */
export interface EventTombstone {
  id: string;
  calendarId: string;
  removed: true;
  provider?: 'google' | 'microsoft';
  accountId?: string;
}

/** One entry of a change batch from a provider: a new or changed event, or a removal. */
export type CalendarChange = CalendarEvent | EventTombstone;

export interface Person {
  email: string;
  name?: string;
  aliases?: string[];
}

export interface Settings {
  keywords?: string[];
  matchMode?: MatchMode;
  pastDays?: number;
  futureDays?: number;
  minMinutes?: number;
  maxMinutes?: number;
}

/** A meeting's link in a scan file: an occurrence of a series is (master id, original start). */
export interface MeetingLink {
  eventId: string;
  /** Set when the meeting is one occurrence of a recurring master expanded by the engine. */
  instanceStart?: string;
}

/**
 * THE meeting the engine reconciles: the very document RxDB stores and the UI shows
 * (src-shared/meeting/model.ts, docs/architecture.md §2). No copy, no conversion: the engine reads
 * its instants, participants and calendar link (through `linkOf`, reconcile.ts) and writes whole
 * documents back (apply.ts).
 */
export type Meeting = MeetingDoc;

/**
 * A meeting as a scan file writes it (issue 4's JSON format: the CLI, support tools, fixtures).
 * Only the file boundary converts it (scan-file.ts): `scan` and `applyActions` over a Scenario.
 */
export interface ScanMeeting {
  id: string;
  participants: [string, string];
  title?: string;
  start: string;
  end: string;
  link?: MeetingLink | null;
  /** Any agenda topic, action item, shared or private note: such a meeting is never deleted. */
  hasContent?: boolean;
}

export interface Scenario {
  now: string;
  self: string;
  mode?: ScanMode;
  people: Person[];
  settings?: Settings;
  events: CalendarEvent[];
  meetings?: ScanMeeting[];
}

/**
 * What the engine runs on: a scenario whose meetings are the stored documents themselves. The app
 * builds it from RxDB as it is; a scan file becomes one in scan-file.ts.
 */
export interface EngineInput extends Omit<Scenario, 'meetings'> {
  meetings?: readonly Meeting[];
  /** Ids of meetings with content (agenda, action items, shared or private notes): never deleted. */
  withContent?: ReadonlySet<string>;
  /** Provider and account of the events, for the links of created meetings (events may say their own). */
  provider?: CalendarLinkProvider;
  accountId?: string;
}

export interface Suggestion {
  address: string;
  person: string;
}

export interface EventDecision {
  id: string;
  oneOnOne: boolean;
  /** Frozen and shared between decisions with the same reasons. */
  reasons: readonly ReasonCode[];
  counterpart?: string;
  unmatched?: string[];
  suggestions?: Suggestion[];
}

export interface SeriesDecision {
  eventId: string;
  cadence: Cadence;
  counterpart: string;
}

export type ActionOp = 'create' | 'update' | 'link' | 'unlink' | 'delete';

export interface Action {
  op: ActionOp;
  eventId?: string;
  instanceStart?: string;
  meetingId?: string;
}

export interface Decisions {
  events: EventDecision[];
  series: SeriesDecision[];
  actions: Action[];
}

export const DEFAULT_KEYWORDS: readonly string[] = ['/', '<>', 'one-on-one', '1on1', '1:1', 'one-to-one'];

/** Detection settings with every field present: the user's choices over DEFAULT_SETTINGS. */
export interface ResolvedSettings {
  keywords: string[];
  matchMode: MatchMode;
  /** Scan window, in days before and after now. */
  pastDays: number;
  futureDays: number;
  /** Duration range of a 1:1 in minutes, inclusive. */
  minMinutes: number;
  maxMinutes: number;
}

/** docs/architecture.md §3: what every new install starts with (the renderer's stored preferences included). */
export const DEFAULT_SETTINGS: Readonly<
  Omit<ResolvedSettings, 'keywords'> & { keywords: readonly string[] }
> = {
  keywords: DEFAULT_KEYWORDS,
  matchMode: 'keywords',
  pastDays: 30,
  futureDays: 28,
  minMinutes: 10,
  maxMinutes: 120,
};

export function resolveSettings(s: Settings | undefined): ResolvedSettings {
  return {
    // The user's list replaces the defaults; blank keywords would match every title, so they are dropped.
    keywords: (s?.keywords ?? DEFAULT_SETTINGS.keywords)
      .map((k) => k.toLowerCase())
      .filter((k) => k.length > 0),
    matchMode: s?.matchMode ?? DEFAULT_SETTINGS.matchMode,
    pastDays: s?.pastDays ?? DEFAULT_SETTINGS.pastDays,
    futureDays: s?.futureDays ?? DEFAULT_SETTINGS.futureDays,
    minMinutes: s?.minMinutes ?? DEFAULT_SETTINGS.minMinutes,
    maxMinutes: s?.maxMinutes ?? DEFAULT_SETTINGS.maxMinutes,
  };
}
