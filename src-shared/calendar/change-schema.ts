// The zod shape of normalized calendar changes as they cross the bridge from main to the renderer
// (docs/architecture.md §6). It mirrors `CalendarEvent` / `EventTombstone` in the engine's model;
// the type assertions at the bottom fail to compile if the two drift apart.
import { z } from 'zod';
import type { CalendarChange, CalendarEvent, EventTombstone } from '../engine/model';
import { LIMITS } from './limits';

const iso = z.string().max(LIMITS.iso);
const email = z.string().max(LIMITS.email);
const id = z.string().min(1).max(LIMITS.id);
const providerName = z.enum(['google', 'microsoft']);

export const attendeeSchema = z.object({
  email,
  response: z.enum(['accepted', 'declined', 'tentative', 'needsAction']).optional(),
  resource: z.boolean().optional(),
  optional: z.boolean().optional(),
  name: z.string().max(LIMITS.name).optional(),
});

export const calendarEventSchema = z.object({
  id,
  calendarId: id,
  primary: z.boolean(),
  title: z.string().max(LIMITS.title),
  start: iso,
  end: iso,
  allDay: z.boolean().optional(),
  status: z.enum(['confirmed', 'tentative', 'cancelled']).optional(),
  visibility: z.enum(['default', 'public', 'private']).optional(),
  organizer: email.optional(),
  attendees: z.array(attendeeSchema).max(LIMITS.attendees),
  recurrence: z.array(z.string().max(LIMITS.recurrenceLine)).max(LIMITS.recurrenceLines).optional(),
  recurringEventId: id.optional(),
  originalStart: iso.optional(),
  timeZone: z.string().max(LIMITS.timeZone).optional(),
  provider: providerName.optional(),
  accountId: z.string().max(LIMITS.accountId).optional(),
  iCalUID: z.string().max(LIMITS.iCalUID).optional(),
  etag: z.string().max(LIMITS.etag).optional(),
  duetMeetingId: z.string().max(LIMITS.duetMeetingId).optional(),
  joinUrl: z.string().max(LIMITS.joinUrl).optional(),
  location: z.string().max(LIMITS.location).optional(),
  webLink: z.string().max(LIMITS.webLink).optional(),
  created: iso.optional(),
});

export const eventTombstoneSchema = z.object({
  id,
  calendarId: id,
  removed: z.literal(true),
  provider: providerName.optional(),
  accountId: z.string().max(LIMITS.accountId).optional(),
});

export const calendarChangeSchema = z.union([eventTombstoneSchema, calendarEventSchema]);

export const isTombstone = (c: CalendarChange): c is EventTombstone => 'removed' in c && c.removed === true;

// Compile-time drift checks: each side must be assignable to the other.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const eventShapeMatches: Same<z.infer<typeof calendarEventSchema>, CalendarEvent> = true;
const tombstoneShapeMatches: Same<z.infer<typeof eventTombstoneSchema>, EventTombstone> = true;
void eventShapeMatches;
void tombstoneShapeMatches;
