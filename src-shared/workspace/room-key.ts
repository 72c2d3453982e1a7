// The key a meeting's room is found by on the sync server (docs/architecture.md §5; sync-server
// README "Rooms"): both apps must derive the same key for the same occurrence, from what both
// calendars agree on. A one-off event: its iCalendar UID. An occurrence of a series: the UID plus
// '/' plus the occurrence's original start in UTC ISO-8601, so each occurrence has its own room.
// A meeting created in the app has no key: its creator asks for a new room.
import type { MeetingDoc } from '../meeting/model';

export function roomKeyOf(meeting: Pick<MeetingDoc, 'calendarLink'>): string | null {
  const link = meeting.calendarLink;
  if (!link || !link.iCalUID) return null;
  // originalStart is set for instances of a series; instanceStart for an occurrence produced by a
  // master's rule. A one-off event has neither.
  const occurrence = link.originalStart || link.instanceStart;
  if (!occurrence) return link.iCalUID;
  return `${link.iCalUID}/${new Date(occurrence).toISOString()}`;
}
