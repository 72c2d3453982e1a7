// One interface over the calendar providers (docs/architecture.md §6). Google and Microsoft each
// implement it with their real SDK; the sandbox is the same code with other base URLs. The
// scheduler (scheduler.ts) only ever talks to this interface, and one contract suite
// (tests/integration/calendar/provider-contract.test.ts) runs over both implementations.
import type { DirectoryPerson } from '../../src-shared/bridge/contract';
import type { Repeat } from '../../src-shared/calendar/repeat';
import type { CalendarChange, CalendarEvent } from '../../src-shared/engine/model';

export type ProviderName = 'google' | 'microsoft';

export interface ProviderCalendar {
  id: string;
  name: string;
  primary: boolean;
}

/** The scan window in epoch ms; `to` is inclusive (the engine tests starts inclusively). */
export interface SyncWindow {
  from: number;
  to: number;
}

export interface ImportProgress {
  pages: number;
  events: number;
}

/** What a sync round read: every change, and the opaque cursor the next round starts from. */
export interface SyncRound {
  changes: CalendarChange[];
  /** Google `nextSyncToken` or Graph `@odata.deltaLink`. */
  cursor: string;
}

/** Where the provider must deliver notifications, and the secret that proves they are genuine. */
export interface WatchRequest {
  calendarId: string;
  /** Google: `{relay}/hooks/google`; Microsoft: `{relay}/hooks/graph`. */
  address: string;
  /** Google: the channel id (chosen by the app); Microsoft: unused (Graph picks the id). */
  channelId: string;
  /** Google channel token / Graph `clientState`. */
  secret: string;
  /** When the app would like it to expire (the provider may shorten it). */
  expiresAt: number;
}

export interface PushChannel {
  provider: ProviderName;
  /** Google channel id / Graph subscription id. */
  id: string;
  /** Google only: needed to stop the channel. */
  resourceId?: string;
  calendarId: string;
  secret: string;
  expiresAt: number;
}

/** An event Duet puts on the calendar for a meeting scheduled in the app. */
export interface AppEventInput {
  calendarId: string;
  duetMeetingId: string;
  title: string;
  /** ISO instants. */
  start: string;
  end: string;
  /** Every attendee but the account owner (the organizer). */
  attendees: string[];
  /** A link back to the meeting in Duet (only the imported-links writers ever read a description: link-writer.ts). */
  description?: string;
  /** Ask the provider for a video link (Google Meet / Microsoft Teams). */
  conference?: boolean;
  /** A series (src-shared/calendar/repeat.ts); absent or 'none' makes a one-off event. */
  repeat?: Repeat;
  /** IANA zone the times and the rule live in (a series keeps its wall-clock time across DST); default UTC. */
  timeZone?: string;
}

export interface AppEventPatch {
  title?: string;
  start?: string;
  end?: string;
  /**
   * A series' new repeat. A series that moves to another weekday passes its repeat too, so the
   * rule follows the new first meeting (a weekly rule names its weekday). 'none' is refused on a
   * series: ending one is a cancel.
   */
  repeat?: Repeat;
  timeZone?: string;
}

/** One occurrence of a series Duet manages: the series' event id and where the rule put it. */
export interface OccurrenceRef {
  calendarId: string;
  seriesId: string;
  /** The occurrence's original start (ISO instant), however it has moved since. */
  originalStart: string;
}

/** A provider answer worth retrying later: 429 (with its Retry-After) or a 5xx. */
export class ProviderHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** From `Retry-After`, in ms; undefined when the provider gave none. */
    readonly retryAfterMs: number | undefined,
  ) {
    super(message);
    this.name = 'ProviderHttpError';
  }
  get retryable(): boolean {
    return this.status === 429 || this.status >= 500;
  }
}

/** The provider could not be reached at all (DNS, refused, reset, timeout): the app is offline. */
export class ProviderNetworkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProviderNetworkError';
  }
}

/** Google 410 / Graph 410 (`SyncStateNotFound`): the cursor is gone; the caller resyncs in full. */
export class CursorExpiredError extends Error {
  constructor(message = 'The calendar provider no longer accepts this sync cursor; a full sync is needed.') {
    super(message);
    this.name = 'CursorExpiredError';
  }
}

/** Duet never writes an event that does not carry its tag (docs/architecture.md §6). */
export class NotAppManagedError extends Error {
  constructor(readonly eventId: string) {
    super(`Event ${eventId} was not created by Duet; Duet does not change it.`);
    this.name = 'NotAppManagedError';
  }
}

/** The series has no (live) occurrence at that original start. */
export class NoSuchOccurrenceError extends Error {
  constructor(
    readonly seriesId: string,
    readonly originalStart: string,
  ) {
    super(`The series ${seriesId} has no meeting at ${originalStart}.`);
    this.name = 'NoSuchOccurrenceError';
  }
}

export interface CalendarProvider {
  readonly provider: ProviderName;
  listCalendars(): Promise<ProviderCalendar[]>;
  /**
   * Every event of `calendarId` in the window, page by page (`onPage` after each), ending with the
   * cursor for `changes`. Google gives recurring masters with their exceptions; Graph gives
   * every occurrence (calendarView/delta).
   */
  fullImport(
    calendarId: string,
    window: SyncWindow,
    onPage?: (p: ImportProgress) => void,
  ): Promise<SyncRound>;
  /** What changed since `cursor` (removals as tombstones). Throws CursorExpiredError on 410. */
  changes(calendarId: string, cursor: string, onPage?: (p: ImportProgress) => void): Promise<SyncRound>;
  watch(request: WatchRequest): Promise<PushChannel>;
  /**
   * Extends a channel. Graph renews the subscription in place; Google channels cannot be renewed,
   * so null tells the caller to open a new channel (and stop the old one).
   */
  renew(channel: PushChannel, expiresAt: number): Promise<PushChannel | null>;
  unwatch(channel: PushChannel): Promise<void>;
  createEvent(input: AppEventInput): Promise<CalendarEvent>;
  /** Refuses (NotAppManagedError) an event without Duet's tag. */
  updateEvent(calendarId: string, eventId: string, patch: AppEventPatch): Promise<CalendarEvent>;
  /** Cancels (attendees are told) an event carrying Duet's tag; refuses any other. */
  cancelEvent(calendarId: string, eventId: string): Promise<void>;
  /**
   * Moves one occurrence of a tagged series: the provider keeps it as an exception of the series.
   * Refuses (NotAppManagedError) a series without Duet's tag; `NoSuchOccurrenceError` when the
   * rule has no occurrence there (or it was cancelled).
   */
  updateOccurrence(ref: OccurrenceRef, patch: { start: string; end: string }): Promise<CalendarEvent>;
  /** Cancels one occurrence of a tagged series; the rest of the series stays. */
  cancelOccurrence(ref: OccurrenceRef): Promise<void>;
  /** The account's manager and direct reports (Microsoft); Google has no directory: []. */
  directory(): Promise<DirectoryPerson[]>;
}

/** Retry-After is seconds or an HTTP date; anything else is ignored. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
]);

/** True when `err` (or its cause chain) is a transport failure rather than an HTTP answer. */
export function isNetworkFailure(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
    const message = (e as { message?: unknown }).message;
    if (typeof message === 'string' && /fetch failed|socket hang up|network/i.test(message)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
