// Google Calendar v3 behind CalendarProvider, through @googleapis/calendar (docs/architecture.md §6).
// Full import: events.list over the window with recurring masters kept as masters (the engine
// expands them and reads their cadence), then incremental rounds with the `nextSyncToken`.
import type { calendar_v3 } from '@googleapis/calendar';
import { createHash, randomUUID } from 'node:crypto';
import type { DirectoryPerson } from '../../src-shared/bridge/contract';
import { DUET_MEETING_ID_PROPERTY, normalizeGoogleChange, type GoogleEvent } from '../../src-shared/calendar';
import { googleRecurrence } from '../../src-shared/calendar/repeat';
import type { CalendarChange, CalendarEvent } from '../../src-shared/engine/model';
import {
  CursorExpiredError,
  NoSuchOccurrenceError,
  NotAppManagedError,
  ProviderHttpError,
  ProviderNetworkError,
  isNetworkFailure,
  parseRetryAfter,
  type AppEventInput,
  type AppEventPatch,
  type CalendarProvider,
  type OccurrenceRef,
  type ImportProgress,
  type ProviderCalendar,
  type PushChannel,
  type SyncRound,
  type SyncWindow,
  type WatchRequest,
} from './provider';
import { googleCalendarClient, type TokenSource } from './sdk-clients';

export interface GoogleProviderOptions {
  rootUrl: string;
  accessToken: TokenSource;
  /** The account's id and email: stamped on every change, and the calendar owner. */
  accountId: string;
  /** Page size for events.list (Google allows up to 2500). */
  pageSize?: number;
  /** PEM of an extra CA to trust (the sandbox's). */
  ca?: string;
}

// Google's timeMax excludes an event starting exactly there; the engine's window includes it.
const EDGE_MS = 60_000;

function header(headers: unknown, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const value = (headers as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

/** A gaxios failure in the provider-neutral error vocabulary. */
export function googleError(err: unknown): Error {
  const response = (err as { response?: { status?: number; headers?: unknown; data?: unknown } }).response;
  const status = response?.status ?? (err as { status?: number }).status;
  if (typeof status === 'number') {
    if (status === 410) return new CursorExpiredError();
    const message = (err as Error).message || `Google Calendar answered ${status}`;
    return new ProviderHttpError(status, message, parseRetryAfter(header(response?.headers, 'retry-after')));
  }
  if (isNetworkFailure(err)) return new ProviderNetworkError((err as Error).message);
  return err instanceof Error ? err : new Error(String(err));
}

async function call<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw googleError(err);
  }
}

/** A Google item → a change: an event, or a tombstone for a removal stub (`{id, status: 'cancelled'}`). */
function toChange(item: GoogleEvent, calendarId: string, accountId: string): CalendarChange | undefined {
  return normalizeGoogleChange(item, { calendarId, primary: true, accountId });
}

const BASE32HEX = '0123456789abcdefghijklmnopqrstuv';

/**
 * The event id Duet asks Google for when it creates a meeting's event: derived from the meeting
 * id (Google accepts client ids of base32hex characters), so a create retried after a lost
 * answer meets the first one (409) instead of making a second event, as Graph's transactionId does.
 */
export function googleEventIdFor(meetingId: string): string {
  const hash = createHash('sha256').update(`duet-event-v1:${meetingId}`).digest();
  let out = 'duet';
  for (let i = 0; i < 26; i++) out += BASE32HEX[(hash[i] ?? 0) & 31];
  return out;
}

function tagOf(event: calendar_v3.Schema$Event): string | undefined {
  return event.extendedProperties?.private?.[DUET_MEETING_ID_PROPERTY] ?? undefined;
}

export function createGoogleProvider(options: GoogleProviderOptions): CalendarProvider {
  const pageSize = options.pageSize ?? 250;
  const api = async (): Promise<calendar_v3.Calendar> =>
    googleCalendarClient(options.rootUrl, await options.accessToken(), {
      retry: false,
      ...(options.ca ? { ca: options.ca } : {}),
    });

  const event = (calendarId: string, item: calendar_v3.Schema$Event): CalendarEvent => {
    const change = toChange(item as GoogleEvent, calendarId, options.accountId);
    if (!change || 'removed' in change)
      throw new Error('Google Calendar returned an event without id or time');
    return change;
  };

  /** Pages through events.list; returns the changes and the nextSyncToken of the last page. */
  const list = async (
    calendarId: string,
    params: calendar_v3.Params$Resource$Events$List,
    onPage?: (p: ImportProgress) => void,
  ): Promise<SyncRound> => {
    const cal = await api();
    const changes: CalendarChange[] = [];
    const progress: ImportProgress = { pages: 0, events: 0 };
    let pageToken: string | undefined;
    for (;;) {
      const { data } = await call(() =>
        cal.events.list({ calendarId, maxResults: pageSize, ...params, ...(pageToken ? { pageToken } : {}) }),
      );
      for (const item of data.items ?? []) {
        const change = toChange(item as GoogleEvent, calendarId, options.accountId);
        if (change) changes.push(change);
      }
      progress.pages += 1;
      progress.events = changes.length;
      onPage?.({ ...progress });
      if (data.nextPageToken) {
        pageToken = data.nextPageToken;
        continue;
      }
      if (!data.nextSyncToken) throw new Error('Google Calendar ended a listing without a sync token');
      return { changes, cursor: data.nextSyncToken };
    }
  };

  const readTagged = async (calendarId: string, eventId: string): Promise<calendar_v3.Schema$Event> => {
    const cal = await api();
    const { data } = await call(() => cal.events.get({ calendarId, eventId }));
    if (!tagOf(data)) throw new NotAppManagedError(eventId);
    return data;
  };

  /** The instance of a tagged series at an original start (the series' tag is checked first). */
  const occurrence = async (ref: OccurrenceRef): Promise<calendar_v3.Schema$Event> => {
    const master = await readTagged(ref.calendarId, ref.seriesId);
    if (!(master.recurrence ?? []).length) throw new NoSuchOccurrenceError(ref.seriesId, ref.originalStart);
    const cal = await api();
    const { data } = await call(() =>
      cal.events.instances({
        calendarId: ref.calendarId,
        eventId: ref.seriesId,
        originalStart: new Date(ref.originalStart).toISOString(),
      }),
    );
    const want = Date.parse(ref.originalStart);
    const found = (data.items ?? []).find(
      (i) =>
        i.id &&
        i.status !== 'cancelled' &&
        i.recurringEventId === ref.seriesId &&
        Date.parse(i.originalStartTime?.dateTime ?? '') === want,
    );
    if (!found) throw new NoSuchOccurrenceError(ref.seriesId, ref.originalStart);
    return found;
  };

  return {
    provider: 'google',

    async listCalendars(): Promise<ProviderCalendar[]> {
      const cal = await api();
      const out: ProviderCalendar[] = [];
      let pageToken: string | undefined;
      do {
        const { data } = await call(() => cal.calendarList.list({ ...(pageToken ? { pageToken } : {}) }));
        for (const c of data.items ?? []) {
          if (c.id)
            out.push({ id: c.id, name: c.summaryOverride ?? c.summary ?? c.id, primary: c.primary === true });
        }
        pageToken = data.nextPageToken ?? undefined;
      } while (pageToken);
      return out;
    },

    fullImport(calendarId: string, window: SyncWindow, onPage?: (p: ImportProgress) => void) {
      return list(
        calendarId,
        {
          timeMin: new Date(window.from).toISOString(),
          timeMax: new Date(window.to + EDGE_MS).toISOString(),
          singleEvents: false,
        },
        onPage,
      );
    },

    changes(calendarId: string, cursor: string, onPage?: (p: ImportProgress) => void) {
      // Everything else must repeat the first listing's parameters; time bounds are refused here.
      return list(calendarId, { syncToken: cursor, singleEvents: false }, onPage);
    },

    async watch(request: WatchRequest): Promise<PushChannel> {
      const cal = await api();
      const { data } = await call(() =>
        cal.events.watch({
          calendarId: request.calendarId,
          requestBody: {
            id: request.channelId,
            type: 'web_hook',
            address: request.address,
            token: request.secret,
            expiration: String(request.expiresAt),
          },
        }),
      );
      if (!data.resourceId) throw new Error('Google Calendar opened a channel without a resource id');
      return {
        provider: 'google',
        id: request.channelId,
        resourceId: data.resourceId,
        calendarId: request.calendarId,
        secret: request.secret,
        expiresAt: data.expiration ? Number(data.expiration) : request.expiresAt,
      };
    },

    // Google channels cannot be extended: the caller opens a new one and stops this one.
    renew: () => Promise.resolve(null),

    async unwatch(channel: PushChannel): Promise<void> {
      const cal = await api();
      try {
        await call(() =>
          cal.channels.stop({
            requestBody: {
              id: channel.id,
              ...(channel.resourceId ? { resourceId: channel.resourceId } : {}),
            },
          }),
        );
      } catch (err) {
        // Already gone (expired or stopped elsewhere) is what we wanted.
        if (!(err instanceof ProviderHttpError && err.status === 404)) throw err;
      }
    },

    async createEvent(input: AppEventInput): Promise<CalendarEvent> {
      const cal = await api();
      const zone = input.timeZone ?? 'UTC';
      const recurrence = googleRecurrence(input.repeat ?? 'none', Date.parse(input.start), zone);
      const id = googleEventIdFor(input.duetMeetingId);
      const insert = (withId: boolean) =>
        cal.events.insert({
          calendarId: input.calendarId,
          sendUpdates: 'all',
          conferenceDataVersion: input.conference ? 1 : 0,
          requestBody: {
            ...(withId ? { id } : {}),
            summary: input.title,
            // Google expands a rule in start.timeZone (required for a series): DST keeps the hour.
            start: { dateTime: input.start, timeZone: zone },
            end: { dateTime: input.end, timeZone: zone },
            ...(recurrence.length ? { recurrence } : {}),
            attendees: input.attendees.map((email) => ({ email })),
            extendedProperties: { private: { [DUET_MEETING_ID_PROPERTY]: input.duetMeetingId } },
            ...(input.description ? { description: input.description } : {}),
            ...(input.conference
              ? {
                  conferenceData: {
                    createRequest: {
                      requestId: randomUUID(),
                      conferenceSolutionKey: { type: 'hangoutsMeet' },
                    },
                  },
                }
              : {}),
          },
        });
      try {
        const { data } = await call(() => insert(true));
        return event(input.calendarId, data);
      } catch (err) {
        if (!(err instanceof ProviderHttpError && err.status === 409)) throw err;
      }
      // The id is taken: by this meeting's event from an earlier attempt (that one is the answer),
      // or by one of its events since cancelled (Google keeps those), then a new id is used.
      const { data: existing } = await call(() =>
        cal.events.get({ calendarId: input.calendarId, eventId: id }),
      );
      if (tagOf(existing) === input.duetMeetingId && existing.status !== 'cancelled')
        return event(input.calendarId, existing);
      const { data } = await call(() => insert(false));
      return event(input.calendarId, data);
    },

    async updateEvent(calendarId: string, eventId: string, patch: AppEventPatch): Promise<CalendarEvent> {
      const current = await readTagged(calendarId, eventId);
      const isSeries = (current.recurrence ?? []).length > 0;
      if (patch.repeat === 'none' && isSeries)
        throw new Error('A series cannot be turned into a single meeting; cancel the series instead.');
      const zone = patch.timeZone ?? current.start?.timeZone ?? 'UTC';
      const start = patch.start ?? current.start?.dateTime ?? undefined;
      const recurrence =
        patch.repeat !== undefined && start
          ? googleRecurrence(patch.repeat, Date.parse(start), zone)
          : undefined;
      const cal = await api();
      const { data } = await call(() =>
        cal.events.patch({
          calendarId,
          eventId,
          sendUpdates: 'all',
          requestBody: {
            ...(patch.title !== undefined ? { summary: patch.title } : {}),
            ...(patch.start !== undefined ? { start: { dateTime: patch.start, timeZone: zone } } : {}),
            ...(patch.end !== undefined ? { end: { dateTime: patch.end, timeZone: zone } } : {}),
            ...(recurrence?.length ? { recurrence } : {}),
          },
        }),
      );
      return event(calendarId, data);
    },

    async cancelEvent(calendarId: string, eventId: string): Promise<void> {
      await readTagged(calendarId, eventId);
      const cal = await api();
      await call(() => cal.events.delete({ calendarId, eventId, sendUpdates: 'all' }));
    },

    async updateOccurrence(
      ref: OccurrenceRef,
      patch: { start: string; end: string },
    ): Promise<CalendarEvent> {
      const instance = await occurrence(ref);
      const cal = await api();
      const zone = instance.start?.timeZone ?? 'UTC';
      const { data } = await call(() =>
        cal.events.patch({
          calendarId: ref.calendarId,
          eventId: instance.id as string,
          sendUpdates: 'all',
          requestBody: {
            start: { dateTime: patch.start, timeZone: zone },
            end: { dateTime: patch.end, timeZone: zone },
          },
        }),
      );
      return event(ref.calendarId, data);
    },

    async cancelOccurrence(ref: OccurrenceRef): Promise<void> {
      const instance = await occurrence(ref);
      const cal = await api();
      // Deleting an instance cancels that occurrence only: it stays as a cancelled exception.
      await call(() =>
        cal.events.delete({ calendarId: ref.calendarId, eventId: instance.id as string, sendUpdates: 'all' }),
      );
    },

    directory: (): Promise<DirectoryPerson[]> => Promise.resolve([]),
  };
}
