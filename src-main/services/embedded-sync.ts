// Starts the sync server inside the app process on loopback (the default when no URL is set).
// Imported lazily so a configured remote server never loads the server code at all.
import type { StartEmbedded } from './sync-server';

export function startEmbeddedSyncServer(dataDir: string): StartEmbedded {
  return async () => {
    const { startSyncServer } = await import('../../sync-server/index');
    const server = await startSyncServer({ port: 0, dataDir });
    return { url: server.url, close: () => server.close() };
  };
}
