// One id scheme for meetings, used by the engine, RxDB and duet:// links alike
// (docs/architecture.md §2, §4): short, deterministic, and made only of characters a deep link and
// an RxDB primary key accept (at most 128 of [A-Za-z0-9_-]; calendar ids use [a-z0-9-]).
//
// A calendar meeting is named by what every calendar holding the event agrees on: its iCalendar
// UID and, for an occurrence of a series, its original start (RFC 5545's UID + RECURRENCE-ID). So
// the same event seen through two accounts (a person's Google and Microsoft calendars, both
// invited) or two listings (a master's rule, Google's instance events, Graph's occurrences) is one
// meeting: `sharedMeetingId`. The UID of an occurrence is its series' (Google instances carry the
// master's iCalUID, Graph's `uid` is the series'; the engine reads the master's where it can).
// Only an event with no UID falls back to `calendarMeetingId`: provider, account, its id (the
// master's for an occurrence) and original start, which is unique to that account.
import { base32, sha256 } from './sha256';

export interface MeetingKey {
  provider?: string;
  accountId?: string;
  /** One-off event: its iCalendar UID or id. Occurrence: its series' master event id. */
  key: string;
  /** Occurrence of a series: its original start (epoch ms); absent for a one-off event. */
  originalStart?: number;
}

/** Any meeting id (calendar or app-made): what a `duet://meeting/<id>` link and RxDB accept. */
export const MEETING_ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

/** 26 base32 characters: 130 bits of the hash, far beyond any collision risk for one user's meetings. */
const HASH_CHARS = 26;

export function calendarMeetingId(k: MeetingKey): string {
  const original = k.originalStart === undefined ? '' : new Date(k.originalStart).toISOString();
  const input = JSON.stringify(['duet-meeting-v1', k.provider ?? '', k.accountId ?? '', k.key, original]);
  return `cal-${base32(sha256(new TextEncoder().encode(input))).slice(0, HASH_CHARS)}`;
}

/** The id of the meeting for the event with iCalendar UID `uid` (at `originalStart`, for an occurrence). */
export function sharedMeetingId(uid: string, originalStart?: number): string {
  const original = originalStart === undefined ? '' : new Date(originalStart).toISOString();
  const input = JSON.stringify(['duet-meeting-uid-v1', uid, original]);
  return `cal-${base32(sha256(new TextEncoder().encode(input))).slice(0, HASH_CHARS)}`;
}

/**
 * The `n`th id for the same key (n ≥ 2): only needed when two meetings would claim one occurrence's
 * id (one was unlinked and a new one created for the same slot).
 */
export function nextMeetingId(base: string, n: number): string {
  return `${base}-${n}`;
}

export const isMeetingId = (s: string): boolean => MEETING_ID_PATTERN.test(s);
