// Google Calendar v3 shapes: events as a given calendar sees them, and Google's error body.
import { ConflictError, ForbiddenError, GoneError, NotFoundError, ValidationError } from '../errors';
import { HttpError } from '../http';
import type { Calendar, GEvent } from '../model';
import { formatEventTime, parseEventTime } from '../recurrence';
import type { Store } from '../store';
import type { EventView } from '../calendar/views';

export function googleError(status: number, reason: string, message: string, extra: Record<string, string> = {}): HttpError {
  const statusName: Record<number, string> = {
    400: 'INVALID_ARGUMENT',
    401: 'UNAUTHENTICATED',
    403: 'PERMISSION_DENIED',
    404: 'NOT_FOUND',
    409: 'ALREADY_EXISTS',
    410: 'FAILED_PRECONDITION',
    429: 'RESOURCE_EXHAUSTED',
    500: 'INTERNAL',
    503: 'UNAVAILABLE',
  };
  return new HttpError(status, {
    error: {
      errors: [{ domain: reason === 'rateLimitExceeded' ? 'usageLimits' : 'global', reason, message, ...extra }],
      code: status,
      message,
      ...(statusName[status] ? { status: statusName[status] } : {}),
    },
  });
}

/** Maps store/ops errors onto Google's error responses. */
export function toGoogleError(error: unknown): unknown {
  if (error instanceof ValidationError) return googleError(400, 'invalid', error.message, { location: error.field, locationType: 'parameter' });
  if (error instanceof NotFoundError) return googleError(404, 'notFound', 'Not Found');
  if (error instanceof GoneError) return googleError(410, 'deleted', 'Resource has been deleted');
  if (error instanceof ForbiddenError) return googleError(403, 'forbiddenForNonOrganizer', error.message);
  if (error instanceof ConflictError) return googleError(409, 'duplicate', error.message);
  return error;
}

/** Google etags are quoted numbers; derive them from the change sequence. */
export function etagOf(seq: number): string {
  return `"${(1_700_000_000_000 + seq) * 1000}"`;
}

export function htmlLink(origin: string, eventId: string, calendarId: string): string {
  return `${origin}/calendar/event?eid=${Buffer.from(`${eventId} ${calendarId}`).toString('base64url')}`;
}

/** An event as `calendar` sees it: self flags for its owner, times in `outputTz`. */
export function renderGoogleEvent(store: Store, view: EventView, calendar: Calendar, origin: string, outputTz?: string): GEvent {
  const data = structuredClone(view.data);
  const owner = store.person(calendar.owner);
  const isSelf = (email: string | undefined): boolean => !!email && !!owner && store.person(email)?.email === owner.email;
  const zone = outputTz ?? calendar.timeZone;
  const reformat = (key: 'start' | 'end' | 'originalStartTime'): void => {
    const value = data[key];
    if (!value || value.date) return;
    const t = parseEventTime(value, calendar.timeZone, key);
    const formatted = formatEventTime(t, zone);
    data[key] = { dateTime: formatted.dateTime, ...(value.timeZone ? { timeZone: value.timeZone } : {}) };
  };
  reformat('start');
  reformat('end');
  reformat('originalStartTime');
  if (data.organizer) {
    data.organizer = { ...data.organizer };
    if (isSelf(data.organizer.email)) data.organizer.self = true;
  }
  if (data.creator) {
    data.creator = { ...data.creator };
    if (isSelf(data.creator.email)) data.creator.self = true;
  }
  if (data.attendees) {
    data.attendees = data.attendees.map((a) => (isSelf(a.email) ? { ...a, self: true } : { ...a }));
  }
  const ordered: GEvent = {
    kind: 'calendar#event',
    etag: etagOf(view.seq),
    id: view.id,
    status: data.status ?? 'confirmed',
    htmlLink: htmlLink(origin, view.id, calendar.id),
    ...data,
  };
  ordered.id = view.id;
  return ordered;
}

/** What an incremental sync returns for an event that is gone from this calendar. */
export function cancelledStub(id: string, seq: number, instance?: { recurringEventId: string; originalStartTime: GEvent['originalStartTime'] }): GEvent {
  return {
    kind: 'calendar#event',
    etag: etagOf(seq),
    id,
    status: 'cancelled',
    ...(instance ? { recurringEventId: instance.recurringEventId, originalStartTime: instance.originalStartTime } : {}),
  };
}

export function calendarListEntry(calendar: Calendar, seq: number): Record<string, unknown> {
  return {
    kind: 'calendar#calendarListEntry',
    etag: etagOf(seq),
    id: calendar.id,
    summary: calendar.summary,
    ...(calendar.description ? { description: calendar.description } : {}),
    timeZone: calendar.timeZone,
    colorId: calendar.primary ? '14' : '7',
    backgroundColor: calendar.primary ? '#9fe1e7' : '#42d692',
    foregroundColor: '#000000',
    selected: true,
    accessRole: 'owner',
    defaultReminders: calendar.primary ? [{ method: 'popup', minutes: 10 }] : [],
    ...(calendar.primary
      ? { notificationSettings: { notifications: [{ type: 'eventCreation', method: 'email' }, { type: 'eventChange', method: 'email' }, { type: 'eventCancellation', method: 'email' }, { type: 'eventResponse', method: 'email' }] }, primary: true }
      : {}),
    conferenceProperties: { allowedConferenceSolutionTypes: ['hangoutsMeet'] },
  };
}
