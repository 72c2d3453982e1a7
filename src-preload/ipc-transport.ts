// The renderer side of the Electron transport, against the two ipcRenderer calls it needs, so the
// same contract suite can run it with a simulated IPC pair where the Electron binary is missing.
import type { BridgeResult, ClientTransport } from '../src-shared/bridge/define';

import { CALL_CHANNEL, EVENT_CHANNEL } from '../src-shared/bridge/ipc-channels';

export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): void;
}

export function createIpcTransport(ipc: IpcRendererLike): ClientTransport {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  // One IPC listener for all events: renderer code never gets the raw ipcRenderer event object.
  ipc.on(EVENT_CHANNEL, (_e, event, payload) => {
    if (typeof event !== 'string') return;
    for (const l of listeners.get(event) ?? []) l(payload);
  });
  return {
    async call(ns, method, input) {
      try {
        return (await ipc.invoke(CALL_CHANNEL, ns, method, input)) as BridgeResult;
      } catch (err) {
        return { ok: false, error: { code: 'TRANSPORT', message: err instanceof Error ? err.message : String(err) } };
      }
    },
    subscribe(event, listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener);
      return () => void set.delete(listener);
    },
  };
}
