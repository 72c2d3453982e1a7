// The REAL provider SDKs pointed at a sandbox, changed only in their base URLs. Other suites
// (sync server, app services) can use these to build clients in one line.
import type { Client } from '@microsoft/microsoft-graph-client';
import { PublicClientApplication, type Configuration } from '@azure/msal-node';
import { OAuth2Client } from 'google-auth-library';
import type { calendar_v3 } from '@googleapis/calendar';
import { googleCalendarClient, graphSdkClient } from '../../src-main/calendar/sdk-clients';
import type { SandboxInfo } from '../../sandbox/server';
import { sandboxFetch } from './sandbox';

/** OAuth2Client for the sandbox's Google sign-in (PKCE, refresh, revoke, ID token checks). */
export function googleOAuthClient(sb: SandboxInfo, options: { clientId: string; clientSecret?: string; redirectUri?: string }): OAuth2Client {
  return new OAuth2Client({
    clientId: options.clientId,
    ...(options.clientSecret ? { clientSecret: options.clientSecret } : {}),
    ...(options.redirectUri ? { redirectUri: options.redirectUri } : {}),
    endpoints: {
      oauth2AuthBaseUrl: sb.googleAuthUrl,
      oauth2TokenUrl: sb.googleTokenUrl,
      oauth2RevokeUrl: sb.googleRevokeUrl,
      oauth2FederatedSignonPemCertsUrl: `${sb.googleRootUrl}oauth2/v1/certs`,
      oauth2FederatedSignonJwkCertsUrl: `${sb.googleRootUrl}oauth2/v3/certs`,
      tokenInfoUrl: `${sb.googleRootUrl}tokeninfo`,
    },
    // ID tokens from the sandbox carry its own issuer instead of accounts.google.com.
    issuers: [sb.issuer],
  });
}

/** @googleapis/calendar v3 with `rootUrl` (google.options({rootUrl}) would not redirect it). */
export function googleCalendar(sb: SandboxInfo, auth: OAuth2Client | string): calendar_v3.Calendar {
  return googleCalendarClient(sb.googleRootUrl, auth);
}

/** @microsoft/microsoft-graph-client against the sandbox (`baseUrl` + `customHosts`). */
export function graphClient(sb: SandboxInfo, accessToken: string | (() => Promise<string>)): Client {
  return graphSdkClient(sb.graphBaseUrl, accessToken);
}

/** msal-node public client whose authority is the sandbox tenant (`knownAuthorities` skips instance discovery). */
export function msalApp(sb: SandboxInfo, clientId: string, extra: Partial<Configuration> = {}): PublicClientApplication {
  return new PublicClientApplication({
    ...extra,
    auth: { clientId, authority: sb.microsoftAuthority, knownAuthorities: [new URL(sb.microsoftAuthority).host], ...extra.auth },
  });
}

/**
 * What a browser does with an authorize URL when auto-approve is on: GET it, take the
 * authorization response — a redirect, or a form_post page (msal-node asks for form_post) —
 * and, with `deliver`, hand it to the app's loopback listener. Returns the response as a URL
 * (redirect URI plus the response parameters) either way.
 */
export async function approveInBrowser(sb: SandboxInfo, authorizeUrl: string, options: { deliver?: boolean; loginHint?: string } = {}): Promise<URL> {
  const url = new URL(authorizeUrl);
  url.searchParams.set('sandbox_auto_approve', '1');
  if (options.loginHint) url.searchParams.set('login_hint', options.loginHint);
  const res = await sandboxFetch(sb.caCertPath)<string>('GET', url.toString());
  const location = res.headers.location;
  if (res.status === 302 && typeof location === 'string') {
    const redirect = new URL(location);
    if (options.deliver) await fetch(redirect);
    return redirect;
  }
  const form = typeof res.body === 'string' ? /<form method="post" action="([^"]+)">(.*?)<\/form>/s.exec(res.body) : null;
  if (res.status !== 200 || !form) {
    throw new Error(`authorize gave no authorization response (${res.status}): ${JSON.stringify(res.body).slice(0, 300)}`);
  }
  const unescape = (s: string): string => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  const fields = new URLSearchParams();
  for (const m of (form[2] as string).matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) {
    fields.set(unescape(m[1] as string), unescape(m[2] as string));
  }
  const action = unescape(form[1] as string);
  if (options.deliver) {
    await fetch(action, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: fields.toString() });
  }
  const result = new URL(action);
  for (const [k, v] of fields) result.searchParams.set(k, v);
  return result;
}
