// Starts the sync server inside the app process on loopback (the default when no URL is set), and
// decides which ID tokens it accepts (docs/architecture.md §7). Its trust is read on every token
// verification, so a client id saved in Settings, or the sandbox starting, takes effect at once.
// Imported lazily so a configured remote server never loads the server code at all.
import type { MainSettings } from '../../src-shared/bridge/contract';
import { SANDBOX_CLIENT_ID } from './sandbox';
import type { StartEmbedded } from './sync-server';

/** The ID-token issuers a desktop user signs in with; discovery is lazy, so none is contacted at start. */
export const PUBLIC_ISSUERS = [
  'https://accounts.google.com',
  'https://login.microsoftonline.com/{tenantid}/v2.0',
];

/** What the embedded server trusts at one moment (the sync server's `SyncServerTrust`). */
export interface EmbeddedTrust {
  issuers: string[];
  microsoftIssuers: string[];
  audiences: string[];
  /** PEM CAs for fetching issuer metadata and keys (the sandbox serves HTTPS with its own CA). */
  certificates: string[];
}

/**
 * The running sandbox's identity: its Google-face issuer, its Microsoft-face issuer (a Microsoft
 * identity platform authority, whose tokens prove their email with tid + xms_edov), the audience
 * its sign-in gives the app, and the CA its HTTPS chains to. Null while no sandbox runs.
 */
export interface SandboxSyncTrust {
  issuers: string[];
  microsoftIssuers: string[];
  audiences: string[];
  certificates: string[];
}
export type SandboxTrustSource = () => SandboxSyncTrust | null | undefined;

/** From the sandbox's discovery document (`SandboxService.current()`). */
export function sandboxSyncTrust(d: {
  googleIssuer: string;
  microsoftIssuer: string;
  caCertPem: string;
}): SandboxSyncTrust {
  return {
    issuers: [d.googleIssuer],
    microsoftIssuers: [d.microsoftIssuer],
    audiences: [SANDBOX_CLIENT_ID],
    certificates: [d.caCertPem],
  };
}

/**
 * Trust for the current settings: the public issuers with the configured client ids, plus the
 * sandbox's issuers in sandbox mode only. In real mode the sandbox is never trusted, even when it
 * runs: its sign-in page lets anyone pick who they are, so trusting it would let a local user
 * into a real user's rooms.
 */
export function embeddedTrust(settings: MainSettings, sandbox?: SandboxSyncTrust | null): EmbeddedTrust {
  const fromSandbox = settings.calendarMode === 'sandbox' && sandbox ? sandbox : null;
  const unique = (list: string[]) => [...new Set(list.filter(Boolean))];
  return {
    issuers: unique([...PUBLIC_ISSUERS, ...(fromSandbox?.issuers ?? [])]),
    microsoftIssuers: unique(fromSandbox?.microsoftIssuers ?? []),
    audiences: unique([
      settings.googleClientId,
      settings.microsoftClientId,
      ...(fromSandbox?.audiences ?? []),
    ]),
    certificates: unique(fromSandbox?.certificates ?? []),
  };
}

export function startEmbeddedSyncServer(dataDir: string, trust: () => EmbeddedTrust): StartEmbedded {
  return async () => {
    const { startSyncServer } = await import('../../sync-server/index');
    const server = await startSyncServer({
      port: 0,
      host: '127.0.0.1',
      dataDir,
      // A function, not a snapshot: the server asks on every verification.
      trust,
      logLevel: 'warn',
    });
    return { url: server.url, close: () => server.close() };
  };
}
