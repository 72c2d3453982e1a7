// Everything a route module needs, built once per sandbox.
import type { CalendarOps } from './calendar/ops';
import type { Faults } from './faults';
import type { Grants } from './oauth/grants';
import type { IssuerKeys } from './oauth/keys';
import type { PushService } from './push';
import type { Store } from './store';
import type { SyncState } from './sync-state';

export interface SandboxUrls {
  origin: string;
  /** Plain-HTTP origin of the browser-facing sign-in pages (authorize, consent). */
  signInOrigin: string;
  googleRootUrl: string;
  googleAuthUrl: string;
  googleTokenUrl: string;
  googleRevokeUrl: string;
  graphBaseUrl: string;
  microsoftAuthority: string;
  issuer: string;
  jwksUrl: string;
  adminUrl: string;
}

export interface Settings {
  /** Skip the consent page: authorize redirects straight back with a code. */
  autoApprove: boolean;
  accessTokenTtlSeconds: number;
  /** Lifetime of the ID tokens sign-in hands out (both faces; Google and Entra use one hour). */
  idTokenTtlSeconds: number;
  /** Make the Google face rotate refresh tokens like Microsoft (Google may, under its rotation policies). */
  googleRotatesRefreshTokens: boolean;
  /** How long a Graph subscription's validation handshake may take (Graph: 10 s). */
  handshakeTimeoutMs: number;
  /** How far ahead open-ended series are expanded. */
  horizonDays: number;
  /** Default audience of /_admin/id-token tokens. */
  idTokenAudience: string;
}

export const DEFAULT_SETTINGS: Settings = {
  autoApprove: false,
  accessTokenTtlSeconds: 3599,
  idTokenTtlSeconds: 3600,
  googleRotatesRefreshTokens: false,
  handshakeTimeoutMs: 10_000,
  horizonDays: 365,
  idTokenAudience: 'duet-sync',
};

export interface RequestLogEntry {
  at: string;
  method: string;
  path: string;
  status: number;
  /** Set when a fault switch produced the answer. */
  fault?: string;
  /** Only with `recordBodies` (tests): the query string and the request body as text. */
  query?: string;
  body?: string;
}

export interface SandboxContext {
  store: Store;
  ops: CalendarOps;
  settings: Settings;
  grants: Grants;
  keys: IssuerKeys;
  push: PushService;
  faults: Faults;
  sync: SyncState;
  urls: SandboxUrls;
  tenantId: string;
  caCertPem: string;
  requestLog: RequestLogEntry[];
  /** False once `recordBodies` dropped a body to stay within its budget (the log is then incomplete). */
  bodiesComplete: boolean;
  /** Loads the scenario given at start (the default seed, or --seed FILE). */
  loadInitialScenario(): void;
}
