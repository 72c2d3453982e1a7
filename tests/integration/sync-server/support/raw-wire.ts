// The wire below every client library: raw HTTP requests and raw WebSocket upgrades over TCP,
// for what a well-behaved client never sends (malformed targets, silence after the handshake).
import { connect, type Socket } from 'node:net';

function endpoint(url: string): { host: string; port: number } {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port) };
}

/** Sends `request` (which should say "Connection: close") verbatim and resolves with the status and whole response once the server ends it. */
export function rawHttp(url: string, request: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(endpoint(url));
    const chunks: Buffer[] = [];
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), text });
    });
    // Not half-closed: a server may drop a request whose client already sent FIN. Requests
    // carry "Connection: close", so the server ends the connection after answering.
    socket.write(request);
  });
}

export interface SilentUpgrade {
  /** The HTTP status of the handshake answer (101 when upgraded). */
  status: number;
  /** The close code the server sent, if it sent a close frame. */
  closeCode: number | undefined;
  /** Milliseconds from the request until the server closed the TCP connection. */
  closedAfterMs: number;
}

/**
 * Opens a WebSocket handshake to `path` with raw bytes, then says nothing more: no close frame in
 * answer, no FIN. Resolves when the server closes the socket (or after `giveUpMs`).
 */
export function silentUpgrade(url: string, path: string, giveUpMs = 10_000): Promise<SilentUpgrade> {
  return new Promise((resolve) => {
    const started = Date.now();
    // allowHalfOpen: the server's FIN is not answered, so it sees a client that stays silent.
    const socket: Socket = connect({ ...endpoint(url), allowHalfOpen: true });
    const chunks: Buffer[] = [];
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      const all = Buffer.concat(chunks);
      const headerEnd = all.indexOf('\r\n\r\n');
      const head = all.subarray(0, headerEnd < 0 ? all.length : headerEnd).toString('latin1');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
      let closeCode: number | undefined;
      const frame = headerEnd < 0 ? Buffer.alloc(0) : all.subarray(headerEnd + 4);
      // A server frame is unmasked: 0x88 = FIN + close, then a short length, then the code.
      if (frame.length >= 4 && frame[0] === 0x88) closeCode = frame.readUInt16BE(2);
      resolve({ status, closeCode, closedAfterMs: Date.now() - started });
      socket.destroy();
    };
    const timer = setTimeout(finish, giveUpMs);
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', () => undefined);
    socket.on('end', finish);
    socket.on('close', finish);
    socket.write(
      `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
  });
}
