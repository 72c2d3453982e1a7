// The sync server the app talks to: the configured URL, or — when none is set — the sync server
// started in-process on loopback (the embedded default, so a newcomer needs no server at all).
import type { SyncServerInfo } from '../../src-shared/bridge/contract';

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}
export type StartEmbedded = () => Promise<RunningServer>;

export interface SyncServerService {
  info(): SyncServerInfo;
  /** Applies the configured URL: stops the embedded server when a URL is set, starts it when cleared. */
  configure(url: string): Promise<SyncServerInfo>;
  onChange(listener: (info: SyncServerInfo) => void): () => void;
  stop(): Promise<void>;
}

export function createSyncServerService(startEmbedded: StartEmbedded): SyncServerService {
  let info: SyncServerInfo = { url: '', embedded: true, state: 'stopped' };
  let embedded: RunningServer | null = null;
  const listeners = new Set<(i: SyncServerInfo) => void>();
  const set = (next: SyncServerInfo) => {
    info = next;
    for (const l of listeners) l(info);
    return info;
  };
  // Serialise reconfigurations: a second call waits for the first, so two servers never start.
  let chain: Promise<unknown> = Promise.resolve();

  const stopEmbedded = async () => {
    const running = embedded;
    embedded = null;
    await running?.close();
  };

  const apply = async (url: string): Promise<SyncServerInfo> => {
    if (url) {
      await stopEmbedded();
      return set({ url, embedded: false, state: 'running' });
    }
    if (embedded) return set({ url: embedded.url, embedded: true, state: 'running' });
    set({ url: '', embedded: true, state: 'starting' });
    try {
      embedded = await startEmbedded();
      return set({ url: embedded.url, embedded: true, state: 'running' });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      return set({
        url: '',
        embedded: true,
        state: 'error',
        error: `The built-in sync server could not start: ${message}`,
      });
    }
  };

  return {
    info: () => info,
    configure(url) {
      const next = chain.then(() => apply(url));
      chain = next.catch(() => undefined);
      return next;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async stop() {
      await chain;
      await stopEmbedded();
      set({ ...info, state: 'stopped' });
    },
  };
}
