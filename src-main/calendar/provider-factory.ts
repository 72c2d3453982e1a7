// The CalendarProvider for a connected account: its provider's adapter at the endpoints sign-in
// recorded (the real services, or the sandbox's faces), with tokens fetched fresh from the
// accounts service for every round (they never leave main: docs/architecture.md §2).
import type { AccountRecord, AccountsService } from '../services/types';
import { createGoogleProvider } from './google-provider';
import { createGraphProvider } from './graph-provider';
import type { CalendarProvider } from './provider';
import { reauthorizing } from './reauthorizing';
import { GOOGLE_ROOT_URL, GRAPH_BASE_URL } from './sdk-clients';

export function createProviderFor(
  account: AccountRecord,
  accounts: Pick<AccountsService, 'getAccessToken' | 'endpoints'>,
): CalendarProvider {
  const endpoints = accounts.endpoints(account.id);
  const accessToken = () => accounts.getAccessToken(account.id);
  const ca = endpoints.ca ? { ca: endpoints.ca } : {};
  // A 401 forces one refresh and one retry (reauthorizing.ts); the adapter then reads the new token.
  const refresh = () => accounts.getAccessToken(account.id, { forceRefresh: true });
  if (account.provider === 'google') {
    return reauthorizing(
      createGoogleProvider({
        rootUrl: endpoints.googleRootUrl ?? GOOGLE_ROOT_URL,
        accessToken,
        accountId: account.id,
        ...ca,
      }),
      refresh,
    );
  }
  return reauthorizing(
    createGraphProvider({
      graphBaseUrl: endpoints.graphBaseUrl ?? GRAPH_BASE_URL,
      accessToken,
      accountId: account.id,
      ownerEmail: account.email,
      ...ca,
    }),
    refresh,
  );
}
