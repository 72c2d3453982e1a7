// Starts the sync server inside the app process on loopback (the default when no URL is set), and
// decides which ID tokens it accepts (docs/architecture.md §7). Its trust is read on every token
// verification, so a client id saved in Settings, or the sandbox starting, takes effect at once.
// Imported lazily so a configured remote server never loads the server code at all.
import type { MainSettings } from '../../src-shared/bridge/contract';
import type { StartEmbedded } from './sync-server';

/** The ID-token issuers a desktop user signs in with; discovery is lazy, so none is contacted at start. */
export const PUBLIC_ISSUERS = [
  'https://accounts.google.com',
  'https://login.microsoftonline.com/{tenantid}/v2.0',
];

/** What the embedded server trusts at one moment (the sync server's `SyncServerTrust`). */
export interface EmbeddedTrust {
  issuers: string[];
  audiences: string[];
  /** PEM CAs for fetching issuer metadata and keys (the sandbox serves HTTPS with its own CA). */
  certificates: string[];
}

/**
 * The running sandbox's identity: its Google-face and Microsoft-face issuers, the audience its
 * sign-in gives the app (`duet-sandbox`), and the CA its HTTPS chains to. Null while no sandbox runs.
 */
export interface SandboxTrust {
  issuers: string[];
  audiences: string[];
  certificates?: string[];
}
export type SandboxTrustSource = () => SandboxTrust | null | undefined;

/** The client id the app uses with both of the sandbox's faces (docs/architecture.md §6). */
export const SANDBOX_CLIENT_ID = 'duet-sandbox';

/**
 * The sandbox's trust from what it prints at start (`issuer` is the Google face's issuer;
 * `microsoftAuthority` + `/v2.0` the Microsoft face's, a single tenant) and its CA's PEM.
 */
export function sandboxTrustOf(
  info: { issuer: string; microsoftAuthority: string },
  caPem?: string,
): SandboxTrust {
  return {
    issuers: [info.issuer, `${info.microsoftAuthority.replace(/\/+$/, '')}/v2.0`],
    audiences: [SANDBOX_CLIENT_ID],
    ...(caPem ? { certificates: [caPem] } : {}),
  };
}

/**
 * Trust for the current settings: the public issuers with the configured client ids, plus the
 * sandbox's issuers in sandbox mode only. In real mode the sandbox is never trusted, even when it
 * runs: its sign-in page lets anyone pick who they are, so trusting it would let a local user
 * into a real user's rooms.
 */
export function embeddedTrust(settings: MainSettings, sandbox?: SandboxTrust | null): EmbeddedTrust {
  const fromSandbox = settings.calendarMode === 'sandbox' && sandbox ? sandbox : null;
  const unique = (list: string[]) => [...new Set(list.filter(Boolean))];
  return {
    issuers: unique([...PUBLIC_ISSUERS, ...(fromSandbox?.issuers ?? [])]),
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
