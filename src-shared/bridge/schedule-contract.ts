// The bridge's scheduling calls (docs/architecture.md §6, "Scheduling"): put a 1:1 on the user's
// calendar, move it (the series, or one meeting of it), change its repeat, cancel it, and read the
// activity log of every calendar write. Part of the one contract (contract.ts spreads these in);
// kept in their own file so the scheduling shapes sit together.
import { z } from 'zod';
import { repeatSchema } from '../calendar/repeat';
import { isValidTimeZone } from '../engine/timezone';
import { MEETING_ID_PATTERN } from '../meeting/meeting-id';
import { method } from './define';

const meetingId = z.string().regex(MEETING_ID_PATTERN, 'a meeting id is 1–128 letters, digits, - or _');
const instant = z
  .number()
  .int()
  .min(Date.UTC(2000, 0, 1), 'the date must be after 2000')
  .max(Date.UTC(2200, 0, 1), 'the date must be before 2200');
const timeZone = z
  .string()
  .min(1)
  .max(64)
  .refine((tz) => isValidTimeZone(tz), { message: 'unknown time zone' });
const email = z
  .string()
  .max(320)
  .regex(/^[^\s@]+@[^\s@]+$/, 'an email address is needed');
/** Meeting lengths a form may offer: five minutes to eight hours. */
export const meetingMinutes = z
  .number()
  .int()
  .min(5, 'a meeting is at least 5 minutes')
  .max(480, 'a meeting is at most 8 hours');

export const scheduleRequest = z.object({
  /** The meeting Duet made first (the renderer's RxDB document): the event's tag and link back. */
  meetingId,
  accountId: z.string().min(1),
  personEmail: email,
  personName: z.string().trim().min(1, 'the person needs a name').max(200),
  start: instant,
  minutes: meetingMinutes,
  repeat: repeatSchema,
  /** Teams for a Microsoft account, Meet for Google. */
  video: z.boolean(),
  timeZone,
});
export type ScheduleRequest = z.infer<typeof scheduleRequest>;

export const scheduledEvent = z.object({
  accountId: z.string(),
  provider: z.enum(['google', 'microsoft']),
  calendarId: z.string(),
  eventId: z.string(),
  iCalUID: z.string(),
  start: z.number(),
  end: z.number(),
  joinUrl: z.string().optional(),
});
export type ScheduledEvent = z.infer<typeof scheduledEvent>;

/** Which event: the series (or one-off) Duet made, and for one meeting of a series its original start. */
const eventRef = z.object({
  meetingId,
  accountId: z.string().min(1),
  calendarId: z.string().min(1),
  eventId: z.string().min(1),
  /** Set: one meeting of the series (an exception); absent: the whole event or series. */
  originalStart: instant.optional(),
});

export const rescheduleRequest = eventRef.extend({
  start: instant,
  minutes: meetingMinutes,
  /** The series' repeat, so its rule follows a move to another weekday (ignored for one meeting). */
  repeat: repeatSchema.optional(),
  timeZone,
});
export type RescheduleRequest = z.infer<typeof rescheduleRequest>;

export const repeatChangeRequest = eventRef.omit({ originalStart: true }).extend({ repeat: repeatSchema });
export type RepeatChangeRequest = z.infer<typeof repeatChangeRequest>;

export const cancelRequest = eventRef;
export type CancelRequest = z.infer<typeof cancelRequest>;

export const activityAction = z.enum([
  'create',
  'reschedule',
  'reschedule-occurrence',
  'change-repeat',
  'cancel',
  'cancel-occurrence',
  /** The optional link on an imported 1:1 the user organizes (imported-links-contract.ts): added, removed. */
  'add-link',
  'remove-link',
]);
export type ActivityAction = z.infer<typeof activityAction>;

/** One calendar write Duet made (or tried to make), as Settings → Activity lists it. */
export const activityEntry = z.object({
  id: z.string(),
  at: z.number(),
  action: activityAction,
  ok: z.boolean(),
  accountId: z.string(),
  provider: z.enum(['google', 'microsoft']),
  accountEmail: z.string(),
  meetingId: z.string(),
  /** '' when the create failed before the provider named the event. */
  eventId: z.string(),
  title: z.string(),
  /** What was written, in words ("Weekly from Tue 8 Dec 10:00, 30 min, Teams"). */
  detail: z.string(),
  /** Why it failed ('' when ok). */
  error: z.string(),
});
export type ActivityEntry = z.infer<typeof activityEntry>;

/** What the "Schedule 1:1" form offers: the meeting lengths, in minutes (default 30 and 60). */
export const schedulePreferences = z.object({
  lengths: z
    .array(meetingMinutes)
    .min(1, 'offer at least one length')
    .max(6, 'offer at most six lengths')
    .refine((l) => new Set(l).size === l.length, { message: 'each length once' }),
});
export type SchedulePreferences = z.infer<typeof schedulePreferences>;
export const DEFAULT_SCHEDULE_PREFERENCES: SchedulePreferences = { lengths: [30, 60] };

export const scheduleMethods = {
  /** Creates the event (series or one-off) for a meeting the renderer has made; logged. */
  create: method(scheduleRequest, scheduledEvent),
  /** Moves the series (or one-off), or with `originalStart` one meeting of the series; logged. */
  reschedule: method(rescheduleRequest, z.object({ ok: z.literal(true) })),
  /** Writes the series' new repeat rule; logged. */
  changeRepeat: method(repeatChangeRequest, z.object({ ok: z.literal(true) })),
  /** Cancels the series (or one-off), or with `originalStart` one meeting of it; logged. */
  cancel: method(cancelRequest, z.object({ ok: z.literal(true) })),
  /** Every calendar write, newest first. */
  activity: method(z.void(), z.array(activityEntry)),
  preferences: method(z.void(), schedulePreferences),
  setPreferences: method(schedulePreferences, schedulePreferences),
};

export const scheduleEvents = {
  /** A calendar write was logged. */
  'schedule.activity': activityEntry,
  'schedule.preferences': schedulePreferences,
};
