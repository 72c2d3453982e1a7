// Electron's transport for the bridge, written against the two IPC calls it uses so it can be
// exercised in tests without the Electron binary. One channel for calls, one for events.
import type { Contract } from '../../src-shared/bridge/define';
import type { BridgeHost } from './host';

import { CALL_CHANNEL, EVENT_CHANNEL } from '../../src-shared/bridge/ipc-channels';
export { CALL_CHANNEL, EVENT_CHANNEL };

export interface IpcMainLike {
  handle(channel: string, listener: (event: { senderFrame?: { url: string } | null }, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

export interface EventTarget {
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
}

/**
 * Serves bridge calls from renderer frames whose URL the app trusts (its own bundle), and fans
 * events out to every live window. Calls from any other frame get a TRANSPORT error and reach no handler.
 */
export function attachIpcBridge<C extends Contract>(
  host: BridgeHost<C>,
  ipcMain: IpcMainLike,
  windows: () => EventTarget[],
  isTrustedFrameUrl: (url: string) => boolean,
) {
  ipcMain.handle(CALL_CHANNEL, (event, ns, method, input) => {
    const url = event.senderFrame?.url ?? '';
    if (!isTrustedFrameUrl(url)) {
      return { ok: false, error: { code: 'TRANSPORT', message: 'Bridge calls are only accepted from Duet’s own pages.' } };
    }
    return host.dispatch(ns, method, input, { transport: 'ipc' });
  });
  const removeSink = host.addSink((event, payload) => {
    for (const w of windows()) if (!w.isDestroyed()) w.send(EVENT_CHANNEL, event, payload);
  });
  return () => {
    ipcMain.removeHandler(CALL_CHANNEL);
    removeSink();
  };
}
