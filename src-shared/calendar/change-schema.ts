// The zod shape of normalized calendar changes as they cross the bridge from main to the renderer
// (docs/architecture.md §6). It mirrors `CalendarEvent` / `EventTombstone` in the engine's model;
// the type assertions at the bottom fail to compile if the two drift apart.
import { z } from 'zod';
import type { CalendarChange, CalendarEvent, EventTombstone } from '../engine/model';

const iso = z.string().max(64);
const email = z.string().max(320);
const id = z.string().min(1).max(1024);
const providerName = z.enum(['google', 'microsoft']);

export const attendeeSchema = z.object({
  email,
  response: z.enum(['accepted', 'declined', 'tentative', 'needsAction']).optional(),
  resource: z.boolean().optional(),
  optional: z.boolean().optional(),
});

export const calendarEventSchema = z.object({
  id,
  calendarId: id,
  primary: z.boolean(),
  title: z.string().max(2000),
  start: iso,
  end: iso,
  allDay: z.boolean().optional(),
  status: z.enum(['confirmed', 'tentative', 'cancelled']).optional(),
  visibility: z.enum(['default', 'public', 'private']).optional(),
  organizer: email.optional(),
  attendees: z.array(attendeeSchema).max(1000),
  recurrence: z.array(z.string().max(2000)).max(100).optional(),
  recurringEventId: id.optional(),
  originalStart: iso.optional(),
  timeZone: z.string().max(100).optional(),
  provider: providerName.optional(),
  accountId: z.string().max(200).optional(),
  iCalUID: z.string().max(1024).optional(),
  etag: z.string().max(200).optional(),
  duetMeetingId: z.string().max(200).optional(),
  joinUrl: z.string().max(2000).optional(),
  location: z.string().max(2000).optional(),
});

export const eventTombstoneSchema = z.object({
  id,
  calendarId: id,
  removed: z.literal(true),
  provider: providerName.optional(),
  accountId: z.string().max(200).optional(),
});

export const calendarChangeSchema = z.union([eventTombstoneSchema, calendarEventSchema]);

export const isTombstone = (c: CalendarChange): c is EventTombstone => 'removed' in c && c.removed === true;

// Compile-time drift checks: each side must be assignable to the other.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const eventShapeMatches: Same<z.infer<typeof calendarEventSchema>, CalendarEvent> = true;
const tombstoneShapeMatches: Same<z.infer<typeof eventTombstoneSchema>, EventTombstone> = true;
void eventShapeMatches;
void tombstoneShapeMatches;
