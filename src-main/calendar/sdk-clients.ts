// The real provider SDKs, configured once: @googleapis/calendar with its `rootUrl`, and the Graph
// client with its `baseUrl` and `customHosts` (docs/architecture.md §8: how the sandbox is reached
// with the real clients). The product's adapters and the tests' sandbox factories both use these.
import {
  AuthenticationHandler,
  Client,
  RedirectHandler,
  RedirectHandlerOptions,
  RetryHandler,
  RetryHandlerOptions,
  TelemetryHandler,
  type AuthProvider,
  type Middleware,
} from '@microsoft/microsoft-graph-client';
import { calendar, type calendar_v3 } from '@googleapis/calendar';
import { OAuth2Client } from 'google-auth-library';
import { caFetch, graphFetchHandler, httpsAgentFor } from '../services/sandbox-trust';

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
  options: { retry?: boolean; ca?: string } = {},
): calendar_v3.Calendar {
  // The sandbox's CA, when given, reaches gaxios as an https.Agent (docs/architecture.md §6).
  const agent = options.ca ? httpsAgentFor(options.ca) : undefined;
  let client: OAuth2Client;
  if (typeof auth === 'string') {
    client = new OAuth2Client(agent ? { transporterOptions: { agent } } : {});
    client.setCredentials({ access_token: auth });
  } else {
    client = auth;
  }
  return calendar({
    ...(agent ? { agent } : {}),
    version: 'v3',
    // @googleapis/calendar may resolve its own copy of google-auth-library; the top-level
    // OAuth2Client is the same class at runtime (the client only calls client.request).
    auth: client as unknown as calendar_v3.Options['auth'],
    rootUrl,
    ...(options.retry === false ? { retry: false } : {}),
  });
}

/**
 * The Graph client against `graphBaseUrl` (e.g. https://graph.microsoft.com/v1.0, or the
 * sandbox's). With `ca`, requests go out through a fetch that trusts it (the global fetch cannot).
 */
export function graphSdkClient(
  graphBaseUrl: string,
  token: string | TokenSource,
  options: { ca?: string } = {},
): Client {
  const base = graphBaseUrl.replace(/\/+$/, '');
  const authProvider: AuthProvider = (done) => {
    const value = typeof token === 'string' ? Promise.resolve(token) : token();
    value.then(
      (t) => done(null, t),
      (e: unknown) => done(e, null),
    );
  };
  const common = {
    baseUrl: base.replace(/\/v1\.0$/, ''),
    defaultVersion: 'v1.0',
    // Without it the client sends no Authorization header to any host but graph.microsoft.com.
    customHosts: new Set([new URL(base).hostname]),
  };
  if (!options.ca) return Client.init({ authProvider, ...common });
  // The SDK's default chain with its last link (the global fetch) swapped for one that trusts the CA.
  const middleware: Middleware[] = [
    new AuthenticationHandler({
      getAccessToken: () => (typeof token === 'string' ? Promise.resolve(token) : token()),
    }),
    new RetryHandler(new RetryHandlerOptions()),
    new RedirectHandler(new RedirectHandlerOptions()),
    new TelemetryHandler(),
    graphFetchHandler(caFetch(options.ca)) as unknown as Middleware,
  ];
  return Client.initWithMiddleware({ middleware, ...common });
}
