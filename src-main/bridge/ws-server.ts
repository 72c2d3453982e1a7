// Web mode's transport: the bridge contract over one WebSocket on 127.0.0.1. Only a page from the
// host's own origin, presenting the per-run random token, may connect; anything it sends that is
// not a well-formed frame gets an error frame and never reaches a handler.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Contract } from '../../src-shared/bridge/define';
import { TOKEN_PARAM, type ClientFrame, type ServerFrame } from '../../src-shared/bridge/ws-protocol';
import type { BridgeHost } from './host';

export interface WsBridgeOptions {
  /** The HTTP server whose upgrade requests on `path` carry the bridge. */
  server: Server;
  path: string;
  /** Origins allowed to connect (the host's own page). Empty = allow requests without an Origin (Node clients in tests). */
  allowedOrigins: string[];
  token?: string;
  maxFrameBytes?: number;
}

export interface WsBridge {
  token: string;
  close(): Promise<void>;
  clientCount(): number;
}

export const newBridgeToken = () => randomBytes(24).toString('base64url');

function sameSecret(a: string, b: string) {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function parseFrame(raw: string): ClientFrame | null {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return null;
  }
  if (!v || typeof v !== 'object') return null;
  const f = v as Record<string, unknown>;
  if (f.t === 'call' && Number.isSafeInteger(f.id) && typeof f.ns === 'string' && typeof f.method === 'string') {
    return { t: 'call', id: f.id as number, ns: f.ns, method: f.method, input: f.input };
  }
  if ((f.t === 'sub' || f.t === 'unsub') && typeof f.event === 'string') return { t: f.t, event: f.event };
  return null;
}

export function attachWsBridge<C extends Contract>(host: BridgeHost<C>, opts: WsBridgeOptions): WsBridge {
  const token = opts.token ?? newBridgeToken();
  const wss = new WebSocketServer({ noServer: true, maxPayload: opts.maxFrameBytes ?? 1024 * 1024 });

  const reject = (socket: Duplex, status: number, text: string) => {
    socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  };

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== opts.path) return; // someone else's upgrade (e.g. Vite's HMR)
    const origin = req.headers.origin;
    if (origin !== undefined ? !opts.allowedOrigins.includes(origin) : opts.allowedOrigins.length > 0) {
      return reject(socket, 403, 'Forbidden');
    }
    const presented = url.searchParams.get(TOKEN_PARAM) ?? '';
    if (!sameSecret(presented, token)) return reject(socket, 401, 'Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  };
  opts.server.on('upgrade', onUpgrade);

  wss.on('connection', (ws: WebSocket) => {
    const subscribed = new Set<string>();
    const send = (frame: ServerFrame) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
    };
    const removeSink = host.addSink((event, payload) => {
      if (subscribed.has(event)) send({ t: 'event', event, payload });
    });
    ws.on('message', (data, isBinary) => {
      const frame = isBinary ? null : parseFrame(data.toString());
      if (!frame) return send({ t: 'error', message: 'Malformed bridge frame ignored.' });
      if (frame.t === 'call') {
        void host
          .dispatch(frame.ns, frame.method, frame.input, { transport: 'websocket' })
          .then((result) => send({ t: 'result', id: frame.id, result }));
      } else if (frame.t === 'sub') {
        if (host.hasEvent(frame.event)) subscribed.add(frame.event);
        else send({ t: 'error', message: `Unknown event "${frame.event}"` });
      } else {
        subscribed.delete(frame.event);
      }
    });
    ws.on('close', removeSink);
    ws.on('error', () => ws.terminate());
  });

  return {
    token,
    clientCount: () => wss.clients.size,
    close: () =>
      new Promise<void>((resolve) => {
        opts.server.off('upgrade', onUpgrade);
        for (const c of wss.clients) c.terminate();
        wss.close(() => resolve());
      }),
  };
}
