// Builds one sandbox: the HTTPS server, the store, and every face wired to one router.
import { readFileSync } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { registerAdmin } from './admin';
import { CalendarOps } from './calendar/ops';
import {
  DEFAULT_SETTINGS,
  type RequestLogEntry,
  type SandboxContext,
  type SandboxUrls,
  type Settings,
} from './context';
import { Faults } from './faults';
import { googleError } from './google/shape';
import { registerGoogleCalendar } from './google/calendar';
import { registerGraph } from './graph/routes';
import { CHANGE_KEY_CONFLICT, graphError } from './graph/shape';
import { registerGraphSubscriptions } from './graph/subscriptions';
import { Ctx, HttpError, Router } from './http';
import type { Scenario } from './model';
import { Grants } from './oauth/grants';
import { registerGoogleOAuth } from './oauth/google';
import { IssuerKeys } from './oauth/keys';
import { registerMicrosoftOAuth } from './oauth/microsoft';
import { clearPendingAuthorizations } from './oauth/authorize';
import { PushService } from './push';
import { loadScenario } from './scenario';
import { defaultScenario } from './seed';
import { Store } from './store';
import { SyncState } from './sync-state';
import { ensureSandboxCa, issueServerCertificate } from './tls/ca';

/** The sandbox tenant (Entra directory) id. */
export const SANDBOX_TENANT_ID = 'd7e7c0c5-2c1f-4d5b-9a8e-5a4e1d0b5e11';

export interface SandboxOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** "default" (the demo organisation), "empty", a scenario file path, or a scenario object. */
  seed?: 'default' | 'empty' | string | Scenario;
  /** Skip consent pages (same as POST /_admin/settings {"autoApprove": true}). */
  autoApprove?: boolean;
  /** Where the CA lives; defaults to $DUET_SANDBOX_CA_DIR or $TMPDIR/duet-sandbox-ca. */
  caDir?: string;
  settings?: Partial<Settings>;
  /**
   * Tests: keep every request's query string and body in the request log (GET /_admin/requests),
   * so a test can show what the app sent never held something (a private-note canary). Up to
   * 32 MiB of bodies in all; past that `bodiesComplete` turns false. Off by default.
   */
  recordBodies?: boolean;
}

/** Exactly what the CLI prints (one JSON line). */
export interface SandboxInfo {
  googleRootUrl: string;
  googleAuthUrl: string;
  googleTokenUrl: string;
  googleRevokeUrl: string;
  graphBaseUrl: string;
  microsoftAuthority: string;
  issuer: string;
  jwksUrl: string;
  caCertPath: string;
  adminUrl: string;
}

/** GET /.well-known/duet-sandbox: the info plus what an app needs to sign in and trust tokens. */
export interface SandboxDiscovery extends SandboxInfo {
  /** `iss` of the Google face's ID tokens. */
  googleIssuer: string;
  /** `iss` of the Microsoft face's ID tokens (the authority's v2.0 issuer). */
  microsoftIssuer: string;
  tenantId: string;
  /** The CA this sandbox's certificate chains to (PEM). */
  caCertPem: string;
}

export interface RunningSandbox extends SandboxInfo {
  port: number;
  origin: string;
  tenantId: string;
  /** The machinery, for in-process tests (store, push, faults...). */
  context: SandboxContext;
  info(): SandboxInfo;
  discovery(): SandboxDiscovery;
  close(): Promise<void>;
}

function scenarioFrom(seed: SandboxOptions['seed']): () => unknown {
  if (seed === undefined || seed === 'default') return () => defaultScenario(new Date());
  if (seed === 'empty') return () => ({ people: [] });
  if (typeof seed === 'string') {
    const text = readFileSync(seed, 'utf8');
    const parsed = JSON.parse(text) as unknown;
    return () => structuredClone(parsed);
  }
  return () => structuredClone(seed);
}

function urlsFor(origin: string, caCertPath: string, signInOrigin: string): SandboxUrls & { caCertPath: string } {
  return {
    origin,
    signInOrigin,
    // googleapis resolves API paths against the root's origin (any path would be dropped), so
    // Google's paths live at the root: /calendar/v3, /oauth2/..., /token, /revoke.
    googleRootUrl: `${origin}/`,
    googleAuthUrl: `${signInOrigin}/o/oauth2/v2/auth`,
    googleTokenUrl: `${origin}/token`,
    googleRevokeUrl: `${origin}/revoke`,
    graphBaseUrl: `${origin}/v1.0`,
    microsoftAuthority: `${origin}/${SANDBOX_TENANT_ID}`,
    issuer: origin,
    jwksUrl: `${origin}/.well-known/jwks.json`,
    adminUrl: `${origin}/_admin`,
    caCertPath,
  };
}

/** The error body a fault produces, in the shape of the face it hits. */
function faultResponse(path: string, status: number): unknown {
  if (path.startsWith('/calendar/')) {
    return status === 429
      ? googleError(429, 'rateLimitExceeded', 'Rate Limit Exceeded').body
      : status === 412
        ? googleError(412, 'conditionNotMet', 'Precondition Failed').body
        : googleError(status, 'backendError', 'Backend Error').body;
  }
  if (path.startsWith('/v1.0/')) {
    return status === 429
      ? graphError(429, 'TooManyRequests', 'Too many requests. Please retry later.').body
      : status === 412
        ? graphError(412, 'ErrorIrresolvableConflict', CHANGE_KEY_CONFLICT).body
        : graphError(
          status,
          status === 503 ? 'serviceNotAvailable' : 'generalException',
          'The service is temporarily unavailable.',
        ).body;
  }
  return {
    error: status === 429 ? 'temporarily_unavailable' : 'server_error',
    error_description: 'The sandbox was told to fail this request.',
  };
}

function notFound(path: string): HttpError {
  if (path.startsWith('/calendar/')) return googleError(404, 'notFound', 'Not Found');
  if (path.startsWith('/v1.0/')) {
    const segment = path.split('/').filter(Boolean).pop() ?? '';
    return graphError(400, 'BadRequest', `Resource not found for the segment '${segment}'.`);
  }
  return new HttpError(404, { error: `nothing at ${path}` });
}

const optional = <K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> =>
  (value === undefined ? {} : { [key]: value }) as Partial<Record<K, string>>;

export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const ca = ensureSandboxCa(options.caDir);
  const leaf = issueServerCertificate(ca);
  const store = new Store();
  const settings: Settings = {
    ...DEFAULT_SETTINGS,
    ...options.settings,
    ...(options.autoApprove !== undefined ? { autoApprove: options.autoApprove } : {}),
  };
  const initialSettings: Settings = { ...settings };
  const sync = new SyncState();
  const faults = new Faults(() => sync.expireAll());
  const router = new Router();
  const scenario = scenarioFrom(options.seed);
  const server = https.createServer({ key: leaf.key, cert: leaf.cert });
  // Node's clients drop an idle keep-alive socket after 5 s, the same moment Node's servers close
  // it by default: a request sent on it in that instant dies with ECONNRESET (seen under load).
  // Holding idle sockets longer than any client does leaves the close to the client, as real
  // providers do.
  server.keepAliveTimeout = 65_000;

  // The context needs the origin, known only once the server listens.
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  // The pages a person's browser opens (authorize, the sign-in picker) are served over plain HTTP
  // on a second port as well: a browser then shows them without a warning about the sandbox's own
  // CA. APIs, token endpoints and discovery stay HTTPS (msal-node and the Graph client insist).
  const pages = http.createServer();
  await new Promise<void>((resolve, reject) => {
    pages.once('error', reject);
    pages.listen(0, '127.0.0.1', () => {
      pages.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urls = urlsFor(`https://127.0.0.1:${port}`, ca.caCertPath, `http://127.0.0.1:${(pages.address() as AddressInfo).port}`);
  const browserPaths = new Set(['/o/oauth2/v2/auth', '/o/oauth2/auth', '/_oauth/consent', `/${SANDBOX_TENANT_ID}/oauth2/v2.0/authorize`, `/${SANDBOX_TENANT_ID}/oauth2/v2.0/logout`]);
  const push = new PushService(store, faults, ca.certPem, SANDBOX_TENANT_ID);
  const sb: SandboxContext = {
    store,
    ops: new CalendarOps(store, () => settings.horizonDays),
    settings,
    grants: new Grants(),
    keys: new IssuerKeys(),
    push,
    faults,
    sync,
    urls,
    tenantId: SANDBOX_TENANT_ID,
    caCertPem: ca.certPem,
    requestLog: [],
    bodiesComplete: true,
    loadInitialScenario: () => {
      loadScenario(store, scenario(), () => settings.horizonDays);
      sync.expireAll();
      clearPendingAuthorizations(sb);
    },
  };
  try {
    sb.loadInitialScenario();
  } catch (error) {
    server.close();
    pages.close();
    throw error;
  }

  registerGoogleOAuth(router, sb);
  registerMicrosoftOAuth(router, sb);
  registerGoogleCalendar(router, sb);
  registerGraph(router, sb);
  registerGraphSubscriptions(router, sb);
  registerAdmin(router, sb, initialSettings);
  router.add('GET', '/', (ctx) => ctx.sendJson(200, { name: 'Duet sandbox calendar', ...info() }));
  // What an app given only this sandbox's issuer URL needs to use it (src-main/services/sandbox.ts):
  // every face's endpoints, the two ID-token issuers, and the CA it serves under.
  router.add('GET', '/.well-known/duet-sandbox', (ctx) => ctx.sendJson(200, discovery()));

  const recordBodies = options.recordBodies === true;
  let recordedBytes = 0;
  const log = (entry: RequestLogEntry): void => {
    sb.requestLog.push(entry);
    // Recording keeps everything (a test asks about every request); otherwise the last 2000.
    const cap = recordBodies ? 200_000 : 2000;
    if (sb.requestLog.length > cap) {
      sb.requestLog.splice(0, sb.requestLog.length - cap);
      if (recordBodies) sb.bodiesComplete = false;
    }
  };
  const recorded = (raw: Buffer | undefined): string | undefined => {
    if (!raw || raw.byteLength === 0) return undefined;
    if (recordedBytes + raw.byteLength > 32 * 1024 * 1024) {
      sb.bodiesComplete = false;
      return undefined;
    }
    recordedBytes += raw.byteLength;
    return raw.toString('utf8');
  };

  const handle = (req: IncomingMessage, res: ServerResponse, origin: string): void => {
    const ctx = new Ctx(req, res, origin);
    if (origin === urls.signInOrigin && !browserPaths.has(ctx.path)) {
      ctx.sendJson(404, { error: `only sign-in pages are served over http; use ${urls.origin}${ctx.path}` });
      return;
    }
    let fault: string | undefined;
    // Recording reads the body at once (the handler gets the same bytes from rawBody's cache).
    let body: Buffer | undefined;
    if (recordBodies)
      ctx.rawBody().then(
        (b) => (body = b),
        () => undefined,
      );
    res.on('finish', () =>
      log({
        at: new Date().toISOString(),
        method: ctx.method,
        path: ctx.path,
        status: res.statusCode,
        ...(fault ? { fault } : {}),
        ...(recordBodies
          ? { ...(ctx.url.search ? { query: ctx.url.search } : {}), ...optional('body', recorded(body)) }
          : {}),
      }),
    );
    void (async () => {
      try {
        if (!ctx.path.startsWith('/_admin') && !ctx.path.startsWith('/_oauth')) {
          const f = sb.faults.takeRequestFault(ctx.method, ctx.path);
          if (f) {
            fault = f.kind;
            const headers: Record<string, string> =
              f.retryAfter > 0 || f.kind === 'rateLimit' ? { 'retry-after': String(f.retryAfter) } : {};
            return ctx.sendJson(f.status, faultResponse(ctx.path, f.status), headers);
          }
        }
        const match = router.match(ctx.method, ctx.path);
        if (!match) throw notFound(ctx.path);
        if ('allowed' in match)
          throw new HttpError(
            405,
            { error: `method ${ctx.method} not allowed here` },
            { allow: match.allowed.join(', ') },
          );
        ctx.params = match.params;
        await match.handler(ctx);
        if (!res.headersSent) ctx.send(204);
      } catch (error) {
        if (error instanceof HttpError) {
          ctx.sendJson(error.status, error.body, error.headers);
        } else {
          console.error('sandbox: unexpected error on', ctx.method, ctx.path, error);
          ctx.sendJson(500, { error: 'internal sandbox error', message: (error as Error).message });
        }
      }
    })();
  };
  server.on('request', (req, res) => handle(req, res, urls.origin));
  pages.on('request', (req, res) => handle(req, res, urls.signInOrigin));

  const info = (): SandboxInfo => ({
    googleRootUrl: urls.googleRootUrl,
    googleAuthUrl: urls.googleAuthUrl,
    googleTokenUrl: urls.googleTokenUrl,
    googleRevokeUrl: urls.googleRevokeUrl,
    graphBaseUrl: urls.graphBaseUrl,
    microsoftAuthority: urls.microsoftAuthority,
    issuer: urls.issuer,
    jwksUrl: urls.jwksUrl,
    caCertPath: urls.caCertPath,
    adminUrl: urls.adminUrl,
  });

  const discovery = (): SandboxDiscovery => ({
    ...info(),
    googleIssuer: urls.issuer,
    microsoftIssuer: `${urls.microsoftAuthority}/v2.0`,
    tenantId: SANDBOX_TENANT_ID,
    caCertPem: ca.certPem,
  });

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      push.close();
      pages.close();
      pages.closeAllConnections();
      server.close(() => resolve());
      server.closeAllConnections();
    });
    return closing;
  };

  return {
    ...info(),
    port,
    origin: urls.origin,
    tenantId: SANDBOX_TENANT_ID,
    context: sb,
    info,
    discovery,
    close,
  };
}
