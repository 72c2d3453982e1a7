// Starts the sync server inside the app process on loopback (the default when no URL is set).
// Imported lazily so a configured remote server never loads the server code at all.
import type { MainSettings } from '../../src-shared/bridge/contract';
import type { StartEmbedded } from './sync-server';

/** The ID-token issuers a desktop user signs in with; discovery is lazy, so none is contacted at start. */
export const PUBLIC_ISSUERS = [
  'https://accounts.google.com',
  'https://login.microsoftonline.com/{tenantid}/v2.0',
];

export function embeddedTrust(
  settings: MainSettings,
  extraIssuers: string[] = [],
  extraAudiences: string[] = [],
) {
  return {
    issuers: [...PUBLIC_ISSUERS, ...extraIssuers],
    audiences: [settings.googleClientId, settings.microsoftClientId, ...extraAudiences].filter(Boolean),
  };
}

export function startEmbeddedSyncServer(
  dataDir: string,
  trust: () => { issuers: string[]; audiences: string[] },
): StartEmbedded {
  return async () => {
    const { startSyncServer } = await import('../../sync-server/index');
    const server = await startSyncServer({
      port: 0,
      host: '127.0.0.1',
      dataDir,
      ...trust(),
      logLevel: 'warn',
    });
    return { url: server.url, close: () => server.close() };
  };
}
