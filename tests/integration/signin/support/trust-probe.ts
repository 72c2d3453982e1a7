// Run by sandbox-trust.test.ts in a child process started WITHOUT NODE_EXTRA_CA_CERTS: the real
// SDKs reach the sandbox only because the app hands them its CA. Prints one JSON line.
//   node --import tsx trust-probe.ts CA_DIR [ISSUER_URL]
import { PublicClientApplication } from '@azure/msal-node';
import { Client } from '@microsoft/microsoft-graph-client';
import { calendar } from '@googleapis/calendar';
import { OAuth2Client } from 'google-auth-library';
import { createProviderFor } from '../../../../src-main/calendar/provider-factory';
import { createSandboxService, SANDBOX_CLIENT_ID } from '../../../../src-main/services/sandbox';
import { graphFetchHandler, msalNetworkClient } from '../../../../src-main/services/sandbox-trust';

async function attempt<T>(run: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: string }> {
  try {
    return { ok: true, value: await run() };
  } catch (err) {
    const e = err as Error & { cause?: Error };
    return { ok: false, error: `${e.message}${e.cause ? ` (${e.cause.message})` : ''}` };
  }
}

async function main(): Promise<void> {
  const [caDir, issuer] = process.argv.slice(2);
  if (!caDir) throw new Error('usage: trust-probe.ts CA_DIR [ISSUER]');
  const service = createSandboxService({ caDir, ...(issuer ? { issuer } : {}) });
  const e = await service.ready();
  const result: Record<string, unknown> = { source: service.source, extraCa: process.env.NODE_EXTRA_CA_CERTS ?? null };

  // The control: Node's own fetch does not trust the sandbox here.
  result.globalFetch = await attempt(async () => (await fetch(e.googleRootUrl)).status);

  // An access token for each face from the admin API, over the app's CA-trusting fetch.
  const token = async (provider: 'google' | 'microsoft') => {
    const res = await e.fetch(`${e.adminUrl}/access-token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'maya.chen@acme.test', provider }),
    });
    return ((await res.json()) as { access_token: string }).access_token;
  };

  // google-auth-library + googleapis: the agent in the transporter options.
  const google = new OAuth2Client({
    clientId: SANDBOX_CLIENT_ID,
    endpoints: { oauth2FederatedSignonPemCertsUrl: `${e.googleRootUrl}oauth2/v1/certs` },
    transporterOptions: { agent: e.agent },
  });
  result.googleCerts = await attempt(async () => Object.keys((await google.getFederatedSignonCertsAsync()).certs).length);
  google.setCredentials({ access_token: await token('google') });
  result.googleCalendar = await attempt(async () => {
    const api = calendar({ version: 'v3', auth: google as never, rootUrl: e.googleRootUrl });
    return (await api.calendarList.list()).data.items?.find((c) => c.primary)?.id;
  });

  // msal-node: the network client (authority metadata comes over it before the URL is built).
  result.msal = await attempt(async () => {
    const app = new PublicClientApplication({
      auth: { clientId: SANDBOX_CLIENT_ID, authority: e.microsoftAuthority, knownAuthorities: [new URL(e.microsoftAuthority).host] },
      system: { networkClient: msalNetworkClient(e.fetch) },
    });
    const url = await app.getAuthCodeUrl({ scopes: ['User.Read'], redirectUri: 'http://localhost:1/' });
    // The authorize path comes from the authority's metadata, fetched over the CA-trusting client.
    return new URL(url).pathname === `/${e.tenantId}/oauth2/v2.0/authorize`;
  });

  // The Graph client: its last middleware sends with the CA-trusting fetch.
  const graphToken = await token('microsoft');
  result.graph = await attempt(async () => {
    const client = Client.initWithMiddleware({
      middleware: graphFetchHandler(e.fetch) as never,
      baseUrl: e.graphBaseUrl.replace(/\/v1\.0$/, ''),
      customHosts: new Set([new URL(e.graphBaseUrl).hostname]),
    });
    const me = (await client.api('/me').header('authorization', `Bearer ${graphToken}`).get()) as { mail: string };
    return me.mail;
  });
  // The product's adapters, built as the scheduler builds them for a sandbox account of each face:
  // the endpoints sign-in recorded carry the CA, and each adapter must hand it to its SDK.
  for (const provider of ['google', 'microsoft'] as const) {
    const account = { id: `acc-${provider}`, provider, sandbox: true, email: 'maya.chen@acme.test', name: 'Maya Chen', auth: 'connected' as const, connectedAt: 0 };
    const endpoints = provider === 'google' ? { googleRootUrl: e.googleRootUrl, ca: e.caCertPem } : { graphBaseUrl: e.graphBaseUrl, ca: e.caCertPem };
    const adapter = createProviderFor(account, { getAccessToken: () => token(provider), endpoints: () => endpoints });
    result[`${provider}Adapter`] = await attempt(async () => (await adapter.listCalendars()).find((c) => c.primary)?.id !== undefined);
  }
  console.log(JSON.stringify(result));
  await service.stop();
}

main().catch((err: unknown) => {
  console.error((err as Error).stack ?? String(err));
  process.exit(1);
});
