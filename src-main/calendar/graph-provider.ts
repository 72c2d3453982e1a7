// Microsoft Graph v1.0 behind CalendarProvider, through @microsoft/microsoft-graph-client
// (docs/architecture.md §6). Full import and incremental sync are both calendarView/delta: the
// first round over the window pages (nextLink) to a deltaLink, later rounds start from it.
// Graph gives every occurrence as its own event here (no series masters).
import type { Client, GraphRequest } from '@microsoft/microsoft-graph-client';
import { RetryHandlerOptions } from '@microsoft/microsoft-graph-client';
import { randomUUID } from 'node:crypto';
import type { DirectoryPerson } from '../../src-shared/bridge/contract';
import {
  GRAPH_DUET_MEETING_ID_PROPERTY_ID,
  isDuetMeetingIdProperty,
  normalizeGraphChange,
  type GraphEvent,
} from '../../src-shared/calendar';
import { graphRecurrence, localStart } from '../../src-shared/calendar/repeat';
import { ianaZone, zonedIso } from '../../src-shared/calendar/zoned-time';
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
import { graphSdkClient, type TokenSource } from './sdk-clients';

export interface GraphProviderOptions {
  graphBaseUrl: string;
  accessToken: TokenSource;
  accountId: string;
  /** The mailbox owner: the normalizer reads their own response from the event. */
  ownerEmail: string;
  /** `Prefer: odata.maxpagesize` for delta rounds. */
  pageSize?: number;
  /** PEM of an extra CA to trust (the sandbox's). */
  ca?: string;
}

interface GraphPage<T> {
  value?: T[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

interface GraphUser {
  displayName?: string | null;
  mail?: string | null;
  userPrincipalName?: string | null;
  employeeHireDate?: string | null;
}

// Graph's endDateTime excludes an event starting exactly there; the engine's window includes it.
const EDGE_MS = 60_000;
/** Graph's limit for subscriptions on Outlook events is 10080 minutes; stay a little under it. */
const MAX_SUBSCRIPTION_MS = 10_070 * 60_000;

/** A Graph client failure in the provider-neutral error vocabulary. */
export function graphError(err: unknown): Error {
  const e = err as {
    statusCode?: number;
    headers?: Headers;
    code?: string | null;
    body?: unknown;
    message?: string;
  };
  const status = typeof e.statusCode === 'number' ? e.statusCode : undefined;
  if (status !== undefined && status > 0) {
    if (status === 410) return new CursorExpiredError();
    const retryAfter = typeof e.headers?.get === 'function' ? e.headers.get('retry-after') : undefined;
    return new ProviderHttpError(
      status,
      e.message || `Microsoft Graph answered ${status}`,
      parseRetryAfter(retryAfter),
    );
  }
  if (isNetworkFailure(err) || isNetworkFailure(e.body))
    return new ProviderNetworkError(e.message ?? 'network failure');
  return err instanceof Error ? err : new Error(String(err));
}

async function call<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw graphError(err);
  }
}

export function createGraphProvider(
  options: GraphProviderOptions,
): CalendarProvider & { /** Tag answers held (tests: the cache stays bounded). */ cachedTags(): number } {
  const pageSize = options.pageSize ?? 100;
  const client: Client = graphSdkClient(
    options.graphBaseUrl,
    options.accessToken,
    options.ca ? { ca: options.ca } : {},
  );
  /**
   * Every request goes out without the SDK's own retry: the scheduler honours Retry-After and
   * backs off with its injectable clock (docs/architecture.md §6).
   */
  const api = (path: string): GraphRequest =>
    client.api(path).middlewareOptions([new RetryHandlerOptions(0, 0)]);
  const calendarPath = (calendarId: string) => `/me/calendars/${encodeURIComponent(calendarId)}`;

  const toChange = (item: GraphEvent, calendarId: string): CalendarChange | undefined =>
    normalizeGraphChange(item, {
      calendarId,
      primary: true,
      ownerEmail: options.ownerEmail,
      accountId: options.accountId,
    });

  const event = (calendarId: string, item: GraphEvent): CalendarEvent => {
    const change = toChange(item, calendarId);
    if (!change || 'removed' in change)
      throw new Error('Microsoft Graph returned an event without id or time');
    return change;
  };

  /** Follows a delta round from `first` through its nextLinks to the deltaLink. */
  const round = async (
    calendarId: string,
    first: GraphRequest,
    incremental: boolean,
    onPage?: (p: ImportProgress) => void,
  ): Promise<SyncRound> => {
    const items: GraphEvent[] = [];
    const progress: ImportProgress = { pages: 0, events: 0 };
    let request = first;
    for (;;) {
      const page = await call(
        () =>
          request.header('Prefer', `odata.maxpagesize=${pageSize}`).get() as Promise<GraphPage<GraphEvent>>,
      );
      items.push(...(page.value ?? []));
      progress.pages += 1;
      progress.events = items.length;
      onPage?.({ ...progress });
      const next = page['@odata.nextLink'];
      if (next) {
        request = api(next);
        continue;
      }
      const deltaLink = page['@odata.deltaLink'];
      if (!deltaLink) throw new Error('Microsoft Graph ended a delta round without a deltaLink');
      await addDuetTags(calendarId, items, incremental);
      const changes: CalendarChange[] = [];
      for (const item of items) {
        const change = toChange(item, calendarId);
        if (change) changes.push(change);
      }
      return { changes, cursor: deltaLink };
    }
  };

  /**
   * Delta carries no extended properties (calendarView/delta takes no $expand), so Duet's tag is
   * read with one GET per event the user organizes (Duet creates no other), per series for its
   * occurrences: `$expand=singleValueExtendedProperties($filter=id eq '…')`, as a write reads it
   * (docs/architecture.md §6). Answers are kept per calendar: an incremental round reads its
   * changed events again (a tag comes with a change) and forgets the removed ones, a full import
   * reuses them and forgets every event it no longer lists, so the cache holds at most the events
   * of the window the user organizes, however long the app runs.
   */
  const tagCaches = new Map<string, Map<string, string | null>>();
  const owner = options.ownerEmail.toLowerCase();
  const addDuetTags = async (calendarId: string, items: GraphEvent[], fresh: boolean): Promise<void> => {
    const keyOf = (item: GraphEvent) => item.seriesMasterId || item.id || '';
    let tagCache = tagCaches.get(calendarId);
    if (!tagCache) tagCaches.set(calendarId, (tagCache = new Map()));
    if (fresh) {
      for (const item of items) if (item['@removed'] && item.id) tagCache.delete(item.id);
    } else {
      const listed = new Set(items.filter((item) => !item['@removed']).map(keyOf));
      for (const key of [...tagCache.keys()]) if (!listed.has(key)) tagCache.delete(key);
    }
    const wanted = new Set<string>();
    for (const item of items) {
      if (item['@removed'] || item.singleValueExtendedProperties) continue;
      if ((item.organizer?.emailAddress?.address ?? '').toLowerCase() !== owner) continue;
      const key = keyOf(item);
      if (key && (fresh || !tagCache.has(key))) wanted.add(key);
    }
    const queue = [...wanted];
    const cache = tagCache;
    const worker = async () => {
      for (let key = queue.shift(); key !== undefined; key = queue.shift()) {
        cache.set(key, await readTag(calendarId, key));
      }
    };
    await Promise.all(Array.from({ length: Math.min(4, queue.length) }, worker));
    for (const item of items) {
      const tag = tagCache.get(keyOf(item));
      if (tag && !item.singleValueExtendedProperties)
        item.singleValueExtendedProperties = [{ id: GRAPH_DUET_MEETING_ID_PROPERTY_ID, value: tag }];
    }
  };
  const readTag = async (calendarId: string, eventId: string): Promise<string | null> => {
    try {
      const item = await call(
        () =>
          api(eventPath(calendarId, eventId))
            .select(['id'])
            .expand(`singleValueExtendedProperties($filter=id eq '${GRAPH_DUET_MEETING_ID_PROPERTY_ID}')`)
            .get() as Promise<{ singleValueExtendedProperties?: Array<{ id: string; value: string }> }>,
      );
      return (item.singleValueExtendedProperties ?? []).find((p) => isDuetMeetingIdProperty(p.id))?.value || null;
    } catch (error) {
      // Gone since the delta page was made: nothing to tag. Anything else fails the round.
      if (error instanceof ProviderHttpError && error.status === 404) return null;
      throw error;
    }
  };

  const eventPath = (calendarId: string, eventId: string) =>
    `${calendarPath(calendarId)}/events/${encodeURIComponent(eventId)}`;

  interface TaggedEvent {
    id: string;
    type?: string;
    start?: { dateTime?: string; timeZone?: string };
    recurrence?: { range?: { recurrenceTimeZone?: string } } | null;
    originalStartTimeZone?: string;
    singleValueExtendedProperties?: Array<{ id: string; value: string }>;
  }

  /** Reads the event with Duet's property expanded; refuses (NotAppManagedError) one without it. */
  const readTagged = async (calendarId: string, eventId: string): Promise<TaggedEvent> => {
    const item = await call(
      () =>
        api(eventPath(calendarId, eventId))
          .select(['id', 'type', 'start', 'recurrence', 'originalStartTimeZone'])
          .expand(`singleValueExtendedProperties($filter=id eq '${GRAPH_DUET_MEETING_ID_PROPERTY_ID}')`)
          .get() as Promise<TaggedEvent>,
    );
    const tagged = (item.singleValueExtendedProperties ?? []).some(
      (p) => isDuetMeetingIdProperty(p.id) && p.value,
    );
    if (!tagged) throw new NotAppManagedError(eventId);
    return item;
  };

  /** Graph's dateTimeTimeZone for an instant: the wall-clock time in `zone`, and the zone. */
  const at = (iso: string, zone: string) => ({
    dateTime: localStart(Date.parse(iso), zone).wall,
    timeZone: zone,
  });
  /** A zone Graph wrote (Windows or IANA name) as an IANA name. */
  const zoneOf = (...names: Array<string | null | undefined>): string => {
    for (const n of names) {
      const z = ianaZone(n);
      if (z) return z;
    }
    return 'UTC';
  };

  /** The occurrence of a tagged series at an original start (the series' tag is checked first). */
  const occurrence = async (ref: OccurrenceRef): Promise<GraphEvent & { id: string }> => {
    const master = await readTagged(ref.calendarId, ref.seriesId);
    if (master.type !== 'seriesMaster') throw new NoSuchOccurrenceError(ref.seriesId, ref.originalStart);
    const want = Date.parse(ref.originalStart);
    // /instances lists by where occurrences are now; a moved one is found by its originalStart
    // within the weeks around it.
    let request = api(`${eventPath(ref.calendarId, ref.seriesId)}/instances`).query({
      startDateTime: new Date(want - 42 * 86_400_000).toISOString(),
      endDateTime: new Date(want + 42 * 86_400_000).toISOString(),
    });
    for (;;) {
      const page = await call(() => request.get() as Promise<GraphPage<GraphEvent>>);
      const found = (page.value ?? []).find(
        (i) =>
          i.id &&
          !i.isCancelled &&
          i.originalStart &&
          Date.parse(zonedIso(i.originalStart, 'UTC') ?? '') === want,
      );
      if (found) return found as GraphEvent & { id: string };
      const next = page['@odata.nextLink'];
      if (!next) throw new NoSuchOccurrenceError(ref.seriesId, ref.originalStart);
      request = api(next);
    }
  };

  const person = (u: GraphUser, relation: DirectoryPerson['relation']): DirectoryPerson | undefined => {
    const email = u.mail ?? u.userPrincipalName;
    if (!email) return undefined;
    const hire = u.employeeHireDate ? Date.parse(u.employeeHireDate) : NaN;
    return {
      email,
      name: u.displayName ?? email,
      relation,
      ...(Number.isFinite(hire) ? { hireDate: hire } : {}),
    };
  };

  return {
    provider: 'microsoft',
    cachedTags: () => [...tagCaches.values()].reduce((n, c) => n + c.size, 0),

    async listCalendars(): Promise<ProviderCalendar[]> {
      const out: ProviderCalendar[] = [];
      let request = api('/me/calendars');
      for (;;) {
        const page = await call(
          () =>
            request.get() as Promise<GraphPage<{ id?: string; name?: string; isDefaultCalendar?: boolean }>>,
        );
        for (const c of page.value ?? []) {
          if (c.id) out.push({ id: c.id, name: c.name ?? c.id, primary: c.isDefaultCalendar === true });
        }
        const next = page['@odata.nextLink'];
        if (!next) return out;
        request = api(next);
      }
    },

    fullImport(calendarId: string, window: SyncWindow, onPage?: (p: ImportProgress) => void) {
      return round(
        calendarId,
        api(`${calendarPath(calendarId)}/calendarView/delta`).query({
          startDateTime: new Date(window.from).toISOString(),
          endDateTime: new Date(window.to + EDGE_MS).toISOString(),
        }),
        false,
        onPage,
      );
    },

    changes(calendarId: string, cursor: string, onPage?: (p: ImportProgress) => void) {
      return round(calendarId, api(cursor), true, onPage);
    },

    async watch(request: WatchRequest): Promise<PushChannel> {
      const expiresAt = Math.min(request.expiresAt, Date.now() + MAX_SUBSCRIPTION_MS);
      const created = await call(
        () =>
          api('/subscriptions').post({
            changeType: 'created,updated,deleted',
            notificationUrl: request.address,
            // Lifecycle notifications (reauthorizationRequired, subscriptionRemoved, missed) come to the same relay.
            lifecycleNotificationUrl: request.address,
            resource: `me/calendars/${request.calendarId}/events`,
            expirationDateTime: new Date(expiresAt).toISOString(),
            clientState: request.secret,
          }) as Promise<{ id: string; expirationDateTime: string }>,
      );
      return {
        provider: 'microsoft',
        id: created.id,
        calendarId: request.calendarId,
        secret: request.secret,
        expiresAt: Date.parse(created.expirationDateTime),
      };
    },

    async renew(channel: PushChannel, expiresAt: number): Promise<PushChannel | null> {
      const until = Math.min(expiresAt, Date.now() + MAX_SUBSCRIPTION_MS);
      try {
        const renewed = await call(
          () =>
            api(`/subscriptions/${encodeURIComponent(channel.id)}`).patch({
              expirationDateTime: new Date(until).toISOString(),
            }) as Promise<{ expirationDateTime: string }>,
        );
        return { ...channel, expiresAt: Date.parse(renewed.expirationDateTime) };
      } catch (err) {
        // Removed by Graph (expired, subscriptionRemoved): the caller opens a new one.
        if (err instanceof ProviderHttpError && err.status === 404) return null;
        throw err;
      }
    },

    async unwatch(channel: PushChannel): Promise<void> {
      try {
        await call(
          () => api(`/subscriptions/${encodeURIComponent(channel.id)}`).delete() as Promise<unknown>,
        );
      } catch (err) {
        if (!(err instanceof ProviderHttpError && err.status === 404)) throw err;
      }
    },

    async createEvent(input: AppEventInput): Promise<CalendarEvent> {
      const zone = input.timeZone ?? 'UTC';
      const recurrence = graphRecurrence(input.repeat ?? 'none', Date.parse(input.start), zone);
      const post = (transactionId: string) =>
        call(
          () =>
            api(`${calendarPath(input.calendarId)}/events`).post({
              subject: input.title,
              // Wall-clock times in the user's zone: Outlook expands a series there, so DST keeps the hour.
              start: at(input.start, zone),
              end: at(input.end, zone),
              ...(recurrence ? { recurrence } : {}),
              attendees: input.attendees.map((address) => ({ emailAddress: { address }, type: 'required' })),
              singleValueExtendedProperties: [
                { id: GRAPH_DUET_MEETING_ID_PROPERTY_ID, value: input.duetMeetingId },
              ],
              transactionId,
              ...(input.description ? { body: { contentType: 'text', content: input.description } } : {}),
              ...(input.conference
                ? { isOnlineMeeting: true, onlineMeetingProvider: 'teamsForBusiness' }
                : {}),
            }) as Promise<GraphEvent>,
        );
      // The same meeting id twice creates one event (a retried POST after a lost answer); when
      // that event has since been cancelled, the meeting is being put on the calendar anew.
      let created = await post(input.duetMeetingId);
      if (created.isCancelled) created = await post(`${input.duetMeetingId}:${randomUUID()}`);
      return event(input.calendarId, created);
    },

    async updateEvent(calendarId: string, eventId: string, patch: AppEventPatch): Promise<CalendarEvent> {
      const current = await readTagged(calendarId, eventId);
      const isSeries = current.type === 'seriesMaster';
      if (patch.repeat === 'none' && isSeries)
        throw new Error('A series cannot be turned into a single meeting; cancel the series instead.');
      const zone = zoneOf(
        patch.timeZone,
        current.recurrence?.range?.recurrenceTimeZone,
        current.originalStartTimeZone,
        current.start?.timeZone,
      );
      // Graph writes start.dateTime as a wall-clock time in start.timeZone.
      const currentStart = current.start?.dateTime
        ? zonedIso(current.start.dateTime, current.start.timeZone)
        : undefined;
      const start = patch.start ?? currentStart;
      const recurrence =
        patch.repeat !== undefined && start
          ? graphRecurrence(patch.repeat, Date.parse(start), zone)
          : undefined;
      const updated = await call(
        () =>
          api(eventPath(calendarId, eventId)).patch({
            ...(patch.title !== undefined ? { subject: patch.title } : {}),
            ...(patch.start !== undefined ? { start: at(patch.start, zone) } : {}),
            ...(patch.end !== undefined ? { end: at(patch.end, zone) } : {}),
            ...(recurrence ? { recurrence } : {}),
          }) as Promise<GraphEvent>,
      );
      return event(calendarId, updated);
    },

    async cancelEvent(calendarId: string, eventId: string): Promise<void> {
      await readTagged(calendarId, eventId);
      // /cancel (organizer only) tells the attendees, as deleting would not.
      await call(
        () => api(`${eventPath(calendarId, eventId)}/cancel`).post({ comment: '' }) as Promise<unknown>,
      );
    },

    async updateOccurrence(
      ref: OccurrenceRef,
      patch: { start: string; end: string },
    ): Promise<CalendarEvent> {
      const instance = await occurrence(ref);
      const zone = zoneOf(instance.originalStartTimeZone, instance.start?.timeZone);
      // Patching an occurrence makes it an exception of its series (Graph's own model).
      const updated = await call(
        () =>
          api(eventPath(ref.calendarId, instance.id)).patch({
            start: at(patch.start, zone),
            end: at(patch.end, zone),
          }) as Promise<GraphEvent>,
      );
      return event(ref.calendarId, updated);
    },

    async cancelOccurrence(ref: OccurrenceRef): Promise<void> {
      const instance = await occurrence(ref);
      await call(
        () =>
          api(`${eventPath(ref.calendarId, instance.id)}/cancel`).post({ comment: '' }) as Promise<unknown>,
      );
    },

    async directory(): Promise<DirectoryPerson[]> {
      const out: DirectoryPerson[] = [];
      try {
        const manager = await call(
          () =>
            api('/me/manager')
              .select(['displayName', 'mail', 'userPrincipalName'])
              .get() as Promise<GraphUser>,
        );
        const m = person(manager, 'manager');
        if (m) out.push(m);
      } catch (err) {
        // No manager in the directory is a 404, not a failure.
        if (!(err instanceof ProviderHttpError && err.status === 404)) throw err;
      }
      let request = api('/me/directReports').select([
        'displayName',
        'mail',
        'userPrincipalName',
        'employeeHireDate',
      ]);
      for (;;) {
        const page = await call(() => request.get() as Promise<GraphPage<GraphUser>>);
        for (const u of page.value ?? []) {
          const p = person(u, 'report');
          if (p) out.push(p);
        }
        const next = page['@odata.nextLink'];
        if (!next) return out;
        request = api(next);
      }
    },
  };
}
