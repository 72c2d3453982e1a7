// A 401 from a calendar API means the provider refused an access token that the app still thought
// valid (revoked at the provider, expired early, a clock that is off). docs/architecture.md §6:
// force one token refresh and try the call once more. If the refresh finds the grant gone, the
// accounts service marks the account "needs reconnect" and ReconnectRequiredError reaches the
// scheduler, which stops the account until it is reconnected: never a silent stop, never a loop.
import { ProviderHttpError, type CalendarProvider } from './provider';

const isUnauthorized = (err: unknown): boolean => err instanceof ProviderHttpError && err.status === 401;

/**
 * `provider` with every call retried once after a forced refresh when it answers 401. `refresh`
 * gets a new access token (and stores it where the provider's token source reads it). Several
 * calls refused at the same time share one refresh, so a rotating refresh token is spent once.
 */
export function reauthorizing(provider: CalendarProvider, refresh: () => Promise<unknown>): CalendarProvider {
  let inFlight: Promise<unknown> | undefined;
  const refreshOnce = (): Promise<unknown> => {
    inFlight ??= refresh().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };
  const retrying =
    <A extends unknown[], R>(f: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await f(...args);
      } catch (err) {
        if (!isUnauthorized(err)) throw err;
        await refreshOnce();
        return f(...args);
      }
    };
  const p = provider;
  return {
    provider: p.provider,
    listCalendars: retrying(() => p.listCalendars()),
    fullImport: retrying((calendarId, window, onPage) => p.fullImport(calendarId, window, onPage)),
    changes: retrying((calendarId, cursor, onPage) => p.changes(calendarId, cursor, onPage)),
    watch: retrying((request) => p.watch(request)),
    renew: retrying((channel, expiresAt) => p.renew(channel, expiresAt)),
    unwatch: retrying((channel) => p.unwatch(channel)),
    createEvent: retrying((input) => p.createEvent(input)),
    updateEvent: retrying((calendarId, eventId, patch) => p.updateEvent(calendarId, eventId, patch)),
    cancelEvent: retrying((calendarId, eventId) => p.cancelEvent(calendarId, eventId)),
    updateOccurrence: retrying((ref, patch) => p.updateOccurrence(ref, patch)),
    cancelOccurrence: retrying((ref) => p.cancelOccurrence(ref)),
    directory: retrying(() => p.directory()),
  };
}
