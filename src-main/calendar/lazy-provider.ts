// A CalendarProvider built on its first call instead of when the scheduler starts the account.
// A sandbox account's endpoints exist only once the sandbox runs, which may be after main has
// started (docs/architecture.md §6): built eagerly, the provider threw inside the scheduler's
// start and took the whole app down. Built lazily, that failure is an ordinary failed round,
// shown on the account and retried with backoff, and the next call tries to build it again.
import type { CalendarProvider, ProviderName } from './provider';

export function lazyProvider(provider: ProviderName, build: () => CalendarProvider): CalendarProvider {
  let made: CalendarProvider | null = null;
  // Async, so a failure to build is a rejected promise like any other provider error.
  const real = async (): Promise<CalendarProvider> => (made ??= build());
  return {
    provider,
    listCalendars: async () => (await real()).listCalendars(),
    fullImport: async (calendarId, window, onPage) => (await real()).fullImport(calendarId, window, onPage),
    changes: async (calendarId, cursor, onPage) => (await real()).changes(calendarId, cursor, onPage),
    watch: async (request) => (await real()).watch(request),
    renew: async (channel, expiresAt) => (await real()).renew(channel, expiresAt),
    unwatch: async (channel) => (await real()).unwatch(channel),
    createEvent: async (input) => (await real()).createEvent(input),
    updateEvent: async (calendarId, eventId, patch) => (await real()).updateEvent(calendarId, eventId, patch),
    cancelEvent: async (calendarId, eventId) => (await real()).cancelEvent(calendarId, eventId),
    updateOccurrence: async (ref, patch) => (await real()).updateOccurrence(ref, patch),
    cancelOccurrence: async (ref) => (await real()).cancelOccurrence(ref),
    directory: async () => (await real()).directory(),
  };
}
