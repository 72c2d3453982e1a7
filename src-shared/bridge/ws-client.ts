// Client side of the web-mode bridge. Works with the browser's WebSocket and with `ws` in Node
// (tests), which is why the constructor is injected rather than taken from globalThis.
import type { BridgeResult, ClientTransport } from './define';
import { TOKEN_PARAM, type ClientFrame, type ServerFrame } from './ws-protocol';

interface MinimalSocket {
  readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open' | 'close' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (ev: { data: unknown }) => void): void;
}
export type SocketFactory = (url: string) => MinimalSocket;

export interface WsClientTransport extends ClientTransport {
  close(): void;
  /** Resolves once connected; rejects if the host refused the connection. */
  ready: Promise<void>;
}

const OPEN = 1;

export function createWsClientTransport(baseUrl: string, token: string, open: SocketFactory): WsClientTransport {
  const url = `${baseUrl}${baseUrl.includes('?') ? '&' : '?'}${TOKEN_PARAM}=${encodeURIComponent(token)}`;
  const socket = open(url);
  const pending = new Map<number, (r: BridgeResult) => void>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let nextId = 1;
  let closed = false;
  const queue: string[] = [];

  const ready = new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => {
      for (const frame of queue.splice(0)) socket.send(frame);
      resolve();
    });
    socket.addEventListener('close', () => {
      closed = true;
      reject(new Error('The Duet host closed the bridge connection.'));
      // Every call still waiting gets a typed transport error instead of hanging forever.
      for (const [id, settle] of pending) {
        pending.delete(id);
        settle({ ok: false, error: { code: 'TRANSPORT', message: 'Lost the connection to the Duet host. If it was restarted, open the link it printed; otherwise reload the page.' } });
      }
    });
  });
  ready.catch(() => undefined);

  socket.addEventListener('message', (ev) => {
    let frame: ServerFrame;
    try {
      frame = JSON.parse(String(ev.data)) as ServerFrame;
    } catch {
      return;
    }
    if (frame.t === 'result') {
      const settle = pending.get(frame.id);
      pending.delete(frame.id);
      settle?.(frame.result);
    } else if (frame.t === 'event') {
      for (const l of listeners.get(frame.event) ?? []) l(frame.payload);
    }
  });

  const send = (frame: ClientFrame) => {
    const data = JSON.stringify(frame);
    if (socket.readyState === OPEN) socket.send(data);
    else queue.push(data);
  };

  return {
    ready,
    call(ns, method, input) {
      if (closed) {
        return Promise.resolve({ ok: false, error: { code: 'TRANSPORT', message: 'The bridge connection is closed.' } });
      }
      const id = nextId++;
      return new Promise<BridgeResult>((resolve) => {
        pending.set(id, resolve);
        send({ t: 'call', id, ns, method, input });
      });
    },
    subscribe(event, listener) {
      let set = listeners.get(event);
      if (!set) {
        set = new Set();
        listeners.set(event, set);
        send({ t: 'sub', event });
      }
      set.add(listener);
      return () => {
        const s = listeners.get(event);
        if (!s?.delete(listener) || s.size > 0) return;
        listeners.delete(event);
        if (!closed) send({ t: 'unsub', event });
      };
    },
    close() {
      closed = true;
      socket.close(1000, 'client closing');
    },
  };
}
