// Microsoft Graph v1.0 behind CalendarProvider, through @microsoft/microsoft-graph-client
// (docs/architecture.md §6). Full import and incremental sync are both calendarView/delta: the
// first round over the window pages (nextLink) to a deltaLink, later rounds start from it.
// Graph gives every occurrence as its own event here (no series masters).
import type { Client, GraphRequest } from '@microsoft/microsoft-graph-client';
import { RetryHandlerOptions } from '@microsoft/microsoft-graph-client';
import type { DirectoryPerson } from '../../src-shared/bridge/contract';
import {
  GRAPH_DUET_MEETING_ID_PROPERTY_ID,
  isDuetMeetingIdProperty,
  normalizeGraphChange,
  type GraphEvent,
} from '../../src-shared/calendar';
import type { CalendarChange, CalendarEvent } from '../../src-shared/engine/model';
import {
  CursorExpiredError,
  NotAppManagedError,
  ProviderHttpError,
  ProviderNetworkError,
  isNetworkFailure,
  parseRetryAfter,
  type AppEventInput,
  type AppEventPatch,
  type CalendarProvider,
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

export function createGraphProvider(options: GraphProviderOptions): CalendarProvider {
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
    onPage?: (p: ImportProgress) => void,
  ): Promise<SyncRound> => {
    const changes: CalendarChange[] = [];
    const progress: ImportProgress = { pages: 0, events: 0 };
    let request = first;
    for (;;) {
      const page = await call(
        () =>
          request.header('Prefer', `odata.maxpagesize=${pageSize}`).get() as Promise<GraphPage<GraphEvent>>,
      );
      for (const item of page.value ?? []) {
        const change = toChange(item, calendarId);
        if (change) changes.push(change);
      }
      progress.pages += 1;
      progress.events = changes.length;
      onPage?.({ ...progress });
      const next = page['@odata.nextLink'];
      if (next) {
        request = api(next);
        continue;
      }
      const deltaLink = page['@odata.deltaLink'];
      if (!deltaLink) throw new Error('Microsoft Graph ended a delta round without a deltaLink');
      return { changes, cursor: deltaLink };
    }
  };

  const readTagged = async (calendarId: string, eventId: string): Promise<void> => {
    const item = await call(
      () =>
        api(`${calendarPath(calendarId)}/events/${encodeURIComponent(eventId)}`)
          .select('id')
          .expand(`singleValueExtendedProperties($filter=id eq '${GRAPH_DUET_MEETING_ID_PROPERTY_ID}')`)
          .get() as Promise<{ singleValueExtendedProperties?: Array<{ id: string; value: string }> }>,
    );
    const tagged = (item.singleValueExtendedProperties ?? []).some(
      (p) => isDuetMeetingIdProperty(p.id) && p.value,
    );
    if (!tagged) throw new NotAppManagedError(eventId);
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
        onPage,
      );
    },

    changes(calendarId: string, cursor: string, onPage?: (p: ImportProgress) => void) {
      return round(calendarId, api(cursor), onPage);
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
      const created = await call(
        () =>
          api(`${calendarPath(input.calendarId)}/events`).post({
            subject: input.title,
            start: { dateTime: new Date(input.start).toISOString().replace(/Z$/, ''), timeZone: 'UTC' },
            end: { dateTime: new Date(input.end).toISOString().replace(/Z$/, ''), timeZone: 'UTC' },
            attendees: input.attendees.map((address) => ({ emailAddress: { address }, type: 'required' })),
            singleValueExtendedProperties: [
              { id: GRAPH_DUET_MEETING_ID_PROPERTY_ID, value: input.duetMeetingId },
            ],
            // The same meeting id twice creates one event (a retried POST after a lost answer).
            transactionId: input.duetMeetingId,
            ...(input.description ? { body: { contentType: 'text', content: input.description } } : {}),
            ...(input.conference ? { isOnlineMeeting: true, onlineMeetingProvider: 'teamsForBusiness' } : {}),
          }) as Promise<GraphEvent>,
      );
      return event(input.calendarId, created);
    },

    async updateEvent(calendarId: string, eventId: string, patch: AppEventPatch): Promise<CalendarEvent> {
      await readTagged(calendarId, eventId);
      const at = (iso: string) => ({
        dateTime: new Date(iso).toISOString().replace(/Z$/, ''),
        timeZone: 'UTC',
      });
      const updated = await call(
        () =>
          api(`${calendarPath(calendarId)}/events/${encodeURIComponent(eventId)}`).patch({
            ...(patch.title !== undefined ? { subject: patch.title } : {}),
            ...(patch.start !== undefined ? { start: at(patch.start) } : {}),
            ...(patch.end !== undefined ? { end: at(patch.end) } : {}),
          }) as Promise<GraphEvent>,
      );
      return event(calendarId, updated);
    },

    async cancelEvent(calendarId: string, eventId: string): Promise<void> {
      await readTagged(calendarId, eventId);
      // /cancel (organizer only) tells the attendees, as deleting would not.
      await call(
        () =>
          api(`${calendarPath(calendarId)}/events/${encodeURIComponent(eventId)}/cancel`).post({
            comment: '',
          }) as Promise<unknown>,
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
