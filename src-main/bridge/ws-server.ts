// Web mode's transport: the bridge contract over one WebSocket on 127.0.0.1. Only a page from the
// host's own origin, presenting the per-launch secret, may connect (docs/architecture.md §1, web
// mode); anything it sends that is not a well-formed frame gets an error frame and never reaches a
// handler. A client that stops reading is disconnected once its unread replies pass a bound, so
// it cannot make the host buffer without limit.
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
  /** The per-launch secret the client must present; a fresh random one when omitted. */
  token?: string;
  maxFrameBytes?: number;
  /**
   * Bytes of replies and events queued for one client that has not read them; past this the
   * connection is dropped. A page reads promptly, so only a stalled or hostile client reaches it.
   */
  maxBufferedBytes?: number;
  /**
   * 'refuse' when this server has no other WebSocket endpoints: an upgrade to any other path is
   * answered 404 and its socket closed at once. 'leave' (the default) lets another listener (for
   * example Vite's HMR) take it.
   */
  otherPaths?: 'leave' | 'refuse';
  log?: (msg: string, err?: unknown) => void;
}

export const DEFAULT_MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

export interface WsBridge {
  token: string;
  close(): Promise<void>;
  clientCount(): number;
}

export const newBridgeToken = () => randomBytes(24).toString('base64url');

export function sameSecret(a: string, b: string) {
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

  const maxBuffered = opts.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;

  // The refusal is written and the socket destroyed right after: waiting for the client to close
  // its side would let a silent client hold the descriptor forever.
  const reject = (socket: Duplex, status: number, text: string) => {
    socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`, () => socket.destroy());
    setTimeout(() => socket.destroy(), 1000).unref();
  };

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://127.0.0.1');
    } catch {
      return opts.otherPaths === 'refuse' ? reject(socket, 400, 'Bad Request') : undefined;
    }
    if (url.pathname !== opts.path) {
      if (opts.otherPaths === 'refuse') reject(socket, 404, 'Not Found');
      return; // otherwise someone else's upgrade (e.g. Vite's HMR)
    }
    // The secret first: a request without it gets 401 whatever else it sends, and learns nothing.
    const presented = url.searchParams.get(TOKEN_PARAM) ?? '';
    if (!sameSecret(presented, token)) return reject(socket, 401, 'Unauthorized');
    const origin = req.headers.origin;
    if (origin !== undefined ? !opts.allowedOrigins.includes(origin) : opts.allowedOrigins.length > 0) {
      return reject(socket, 403, 'Forbidden');
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  };
  opts.server.on('upgrade', onUpgrade);

  wss.on('connection', (ws: WebSocket) => {
    const subscribed = new Set<string>();
    const send = (frame: ServerFrame) => {
      if (ws.readyState !== ws.OPEN) return;
      // bufferedAmount is what the socket holds that the client has not taken yet. Terminate, not
      // close: a close frame would queue behind the very data the client refuses to read.
      if (ws.bufferedAmount > maxBuffered) {
        opts.log?.(`bridge client dropped: more than ${maxBuffered} bytes of replies unread`);
        ws.terminate();
        return;
      }
      ws.send(JSON.stringify(frame));
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
        else send({ t: 'error', message: `Unknown event "${String(frame.event).slice(0, 100)}"` });
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
