// Test helper: start a sandbox calendar in one line and drive its admin API.
//
//   const sb = await startTestSandbox();            // default seed, in-process, port 0
//   const token = await sb.idToken('sam.rivera@acme.test'); // for the sync server
//   await sb.admin.createEvent({ summary: 'Maya / Sam', ... });
//   afterAll(() => sb.close());
//
// The real SDKs (googleapis, msal-node, the Graph client) trust the sandbox CA through
// NODE_EXTRA_CA_CERTS, which vitest's global setup (tests/support/sandbox-ca.global-setup.ts)
// exports before workers start. The admin client here passes the CA explicitly, so it works
// in any process.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { rootCertificates } from 'node:tls';
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../../sandbox/server';
import type { GEvent, Scenario } from '../../sandbox/model';

export type { RunningSandbox, SandboxOptions, Scenario, GEvent };

export interface AdminResponse<T = unknown> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: T;
}

export interface IdTokenOptions {
  aud?: string;
  expiresInSeconds?: number;
  emailVerified?: boolean;
  nonce?: string;
  name?: string;
  issuer?: 'sandbox' | 'microsoft';
  /** Sign with a key missing from the JWKS (for "bad signature" tests). */
  unpublishedKey?: boolean;
}

export type FaultInput =
  | { kind: 'rateLimit'; path: string; count?: number; retryAfter?: number; method?: string }
  | { kind: 'serverError'; path: string; count?: number; status?: number; retryAfter?: number; method?: string }
  | { kind: 'preconditionFailed'; path: string; count?: number; method?: string }
  | { kind: 'expireTokens' }
  | { kind: 'dropPush'; count?: number; target?: string };

/** HTTPS JSON client for an HTTPS origin that trusts the sandbox CA explicitly. */
export function sandboxFetch(caCertPath: string) {
  const ca = [...rootCertificates, readFileSync(caCertPath, 'utf8')];
  return function request<T = unknown>(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<AdminResponse<T>> {
    return new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
      // The sign-in pages are also served over plain http (sandbox/server.ts).
      const secure = url.startsWith('https:');
      const req = (secure ? https : http).request(
        url,
        {
          method,
          ...(secure ? { ca } : {}),
          headers: {
            ...(payload !== undefined ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) } : {}),
            ...headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            try {
              parsed = text ? JSON.parse(text) : undefined;
            } catch {
              /* not JSON (HTML pages) */
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed as T });
          });
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  };
}

export class SandboxAdmin {
  private readonly request: ReturnType<typeof sandboxFetch>;

  constructor(
    readonly adminUrl: string,
    caCertPath: string,
  ) {
    this.request = sandboxFetch(caCertPath);
  }

  /** Raw call; does not throw on error statuses. */
  call<T = unknown>(method: string, path: string, body?: unknown): Promise<AdminResponse<T>> {
    return this.request<T>(method, `${this.adminUrl}${path}`, body);
  }

  private async ok<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.call<T>(method, path, body);
    if (res.status >= 400) throw new Error(`admin ${method} ${path} -> ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  reset(scenario: 'initial' | 'empty' = 'initial') {
    return this.ok<{ ok: true }>('POST', '/reset', { scenario });
  }
  scenario(s: Scenario) {
    return this.ok<{ ok: true; me: string }>('POST', '/scenario', s);
  }
  /** Create as a person would in the calendar UI. `calendarId` defaults to the organizer's primary. */
  createEvent(event: GEvent & { calendarId?: string; as?: string }) {
    return this.ok<{ id: string; calendarId: string; event: GEvent }>('POST', '/events', event);
  }
  /** Patch fields (move, retitle, status...) or run an action: accept/decline/tentative, addAttendee, removeAttendee, cancel, thisAndFollowing. */
  patchEvent(id: string, patch: Record<string, unknown>) {
    return this.ok<{ id: string; event: GEvent } & Record<string, unknown>>('PATCH', `/events/${encodeURIComponent(id)}`, patch);
  }
  /** Deletes an event or one instance (as the organizer, or `as` someone else). */
  async deleteEvent(id: string, as?: string): Promise<void> {
    await this.ok('DELETE', `/events/${encodeURIComponent(id)}${as ? `?as=${encodeURIComponent(as)}` : ''}`);
  }
  fault(fault: FaultInput) {
    return this.ok<Record<string, unknown>>('POST', '/faults', fault);
  }
  clearFaults() {
    return this.ok('DELETE', '/faults');
  }
  async idToken(email: string, options: IdTokenOptions = {}): Promise<string> {
    return (await this.ok<{ id_token: string }>('POST', '/id-token', { email, ...options })).id_token;
  }
  async accessToken(email: string, provider: 'google' | 'microsoft', scope?: string[]): Promise<string> {
    return (await this.ok<{ access_token: string }>('POST', '/access-token', { email, provider, ...(scope ? { scope } : {}) })).access_token;
  }
  revoke(email: string, provider?: 'google' | 'microsoft') {
    return this.ok<{ revoked: number }>('POST', '/revoke', { email, ...(provider ? { provider } : {}) });
  }
  /** Ends a person's access tokens now (their grants stay): the next API call with one gets 401. */
  expireAccessTokens(email: string, provider?: 'google' | 'microsoft') {
    return this.ok<{ expired: number }>('POST', '/expire-access-tokens', { email, ...(provider ? { provider } : {}) });
  }
  settings(settings: Record<string, unknown>) {
    return this.ok<Record<string, unknown>>('POST', '/settings', settings);
  }
  /** With `recordBodies`: every request with its query and body, and whether none was dropped. */
  async recordedRequests(): Promise<{
    requests: Array<{ method: string; path: string; status: number; query?: string; body?: string }>;
    bodiesComplete: boolean;
  }> {
    return this.ok('GET', '/requests');
  }

  async requests(pathPrefix?: string): Promise<Array<{ method: string; path: string; status: number; fault?: string }>> {
    return (await this.ok<{ requests: Array<{ method: string; path: string; status: number; fault?: string }> }>('GET', `/requests${pathPrefix ? `?path=${encodeURIComponent(pathPrefix)}` : ''}`)).requests;
  }
  /** Channels, subscriptions and the delivery log; `idle` waits for queued deliveries first. */
  push(idle = true) {
    return this.ok<{ channels: unknown[]; subscriptions: unknown[]; deliveries: Array<{ kind: string; id: string; detail: string; status?: number; dropped?: boolean; error?: string }> }>(
      'GET',
      `/push${idle ? '?wait=idle' : ''}`,
    );
  }
  lifecycle(subscriptionId: string, lifecycleEvent: 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed') {
    return this.ok('POST', `/subscriptions/${encodeURIComponent(subscriptionId)}/lifecycle`, { lifecycleEvent });
  }
  events(calendarId?: string) {
    return this.ok<{ events: Array<GEvent & { calendarId: string }> }>('GET', `/events${calendarId ? `?calendarId=${encodeURIComponent(calendarId)}` : ''}`);
  }
}

export interface TestSandbox extends RunningSandbox {
  admin: SandboxAdmin;
  /** OpenID Connect ID token from the sandbox issuer (RS256, in its JWKS), aud "duet-sync" by default. */
  idToken(email: string, options?: IdTokenOptions): Promise<string>;
  /** An access token for one face without the sign-in dance. */
  accessToken(email: string, provider: 'google' | 'microsoft', scope?: string[]): Promise<string>;
  /** The Graph client's `baseUrl` (graphBaseUrl without the version segment). */
  graphClientBaseUrl: string;
}

/**
 * Fails fast, with a fix, when this process does not trust the sandbox CA — otherwise the
 * SDKs fail later with an opaque certificate error.
 */
export function assertSandboxCaTrusted(caCertPath: string): void {
  const extra = process.env.NODE_EXTRA_CA_CERTS;
  const caPem = readFileSync(caCertPath, 'utf8').trim();
  let trusted = false;
  try {
    trusted = !!extra && readFileSync(extra, 'utf8').includes(caPem);
  } catch {
    trusted = false;
  }
  if (!trusted) {
    throw new Error(
      `This process does not trust the sandbox CA (${caCertPath}). Start it with NODE_EXTRA_CA_CERTS=${caCertPath} ` +
        '(vitest does this through tests/support/sandbox-ca.global-setup.ts).',
    );
  }
}

export async function startTestSandbox(options: SandboxOptions & { requireTrust?: boolean } = {}): Promise<TestSandbox> {
  const { requireTrust = true, ...rest } = options;
  const running = await startSandbox(rest);
  if (requireTrust) {
    try {
      assertSandboxCaTrusted(running.caCertPath);
    } catch (error) {
      await running.close();
      throw error;
    }
  }
  const admin = new SandboxAdmin(running.adminUrl, running.caCertPath);
  return Object.assign(running, {
    admin,
    idToken: (email: string, o?: IdTokenOptions) => admin.idToken(email, o),
    accessToken: (email: string, provider: 'google' | 'microsoft', scope?: string[]) => admin.accessToken(email, provider, scope),
    graphClientBaseUrl: running.graphBaseUrl.replace(/\/v1\.0$/, ''),
  });
}
