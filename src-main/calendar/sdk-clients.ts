// The real provider SDKs, configured once: @googleapis/calendar with its `rootUrl`, and the Graph
// client with its `baseUrl` and `customHosts` (docs/architecture.md §8: how the sandbox is reached
// with the real clients). The product's adapters and the tests' sandbox factories both use these.
import { Client } from '@microsoft/microsoft-graph-client';
import { calendar, type calendar_v3 } from '@googleapis/calendar';
import { OAuth2Client } from 'google-auth-library';

export type TokenSource = () => Promise<string>;

export const GOOGLE_ROOT_URL = 'https://www.googleapis.com/';
export const GRAPH_BASE_URL = 'https://graph.microsoft.com/v1.0';

/**
 * Calendar v3 at `rootUrl`, authorised with `auth` (an OAuth2Client, or a bare access token).
 * `retry: false` leaves retrying to the caller: the scheduler honours Retry-After and backs off
 * with its own (injectable) clock, which the SDK's built-in retry would not.
 */
export function googleCalendarClient(
  rootUrl: string,
  auth: OAuth2Client | string,
  options: { retry?: boolean } = {},
): calendar_v3.Calendar {
  let client: OAuth2Client;
  if (typeof auth === 'string') {
    client = new OAuth2Client();
    client.setCredentials({ access_token: auth });
  } else {
    client = auth;
  }
  return calendar({
    version: 'v3',
    // @googleapis/calendar may resolve its own copy of google-auth-library; the top-level
    // OAuth2Client is the same class at runtime (the client only calls client.request).
    auth: client as unknown as calendar_v3.Options['auth'],
    rootUrl,
    ...(options.retry === false ? { retry: false } : {}),
  });
}

/** The Graph client against `graphBaseUrl` (e.g. https://graph.microsoft.com/v1.0, or the sandbox's). */
export function graphSdkClient(graphBaseUrl: string, token: string | TokenSource): Client {
  const base = graphBaseUrl.replace(/\/+$/, '');
  return Client.init({
    authProvider: (done) => {
      const value = typeof token === 'string' ? Promise.resolve(token) : token();
      value.then(
        (t) => done(null, t),
        (e: unknown) => done(e, null),
      );
    },
    baseUrl: base.replace(/\/v1\.0$/, ''),
    defaultVersion: 'v1.0',
    // Without it the client sends no Authorization header to any host but graph.microsoft.com.
    customHosts: new Set([new URL(base).hostname]),
  });
}
