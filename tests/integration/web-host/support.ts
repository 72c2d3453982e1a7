// Raw-wire helpers for the web host's hostile-client tests: bytes over a TCP socket, no HTTP or
// WebSocket client library to tidy up what the host does.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A stand-in for the built renderer: an HTML page and one script, enough for the static routes. */
export function fakeRenderer(): string {
  const dir = mkdtempSync(join(tmpdir(), 'duet-renderer-'));
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><html><head><title>Duet</title></head><body></body></html>',
  );
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log("app")');
  return dir;
}

export interface RawExchange {
  /** Everything the server sent. */
  text: string;
  /** Milliseconds from sending until the server closed the connection, or null if it had not. */
  closedAfterMs: number | null;
}

/**
 * Sends `request` and keeps the socket open from our side (never ends it), collecting what comes
 * back for up to `waitMs`: a server that waits for the client to hang up shows as closedAfterMs null.
 */
export function rawExchange(
  port: number,
  request: string | Buffer,
  waitMs = 2500,
  /** 'end': done as soon as the server has sent everything (no check that it closed its side). */
  until: 'closed' | 'end' = 'closed',
): Promise<RawExchange> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    const chunks: Buffer[] = [];
    let closedAfterMs: number | null = null;
    const finish = () => {
      clearTimeout(timer);
      clearInterval(probe);
      socket.destroy();
      resolve({ text: Buffer.concat(chunks).toString('latin1'), closedAfterMs });
    };
    const timer = setTimeout(finish, waitMs);
    socket.on('data', (d) => chunks.push(d));
    // 'end' means only that the server will send nothing more; a server that half-closes and waits
    // for us still holds its descriptor. So, after 'end', probe every 50 ms: a socket the server
    // really closed answers the first probe with a reset, and the next write fails (EPIPE), which
    // ends ours ('close'); a half-open one swallows every probe.
    let probe: NodeJS.Timeout | undefined;
    socket.on('end', () => {
      if (until === 'end') return finish();
      probe = setInterval(() => socket.write('\r\n'), 50);
    });
    socket.on('close', () => clearInterval(probe));
    socket.on('close', () => {
      closedAfterMs = Date.now() - started;
      finish();
    });
    socket.on('error', () => undefined);
    socket.write(request);
  });
}

export const upgradeRequest = (path: string, headers: Record<string, string> = {}) =>
  [
    `GET ${path} HTTP/1.1`,
    'Host: 127.0.0.1',
    'Upgrade: websocket',
    'Connection: Upgrade',
    'Sec-WebSocket-Version: 13',
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
    '',
    '',
  ].join('\r\n');

export const statusOf = (text: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);

/** Opens a WebSocket by hand and stops reading as soon as the handshake is answered. */
export function openStalledWebSocket(port: number, path: string, origin: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1' });
    let head = '';
    const onData = (d: Buffer) => {
      head += d.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      if (statusOf(head) !== 101) return reject(new Error(`handshake refused: ${head.split('\r\n')[0]}`));
      socket.pause(); // from here on the client reads nothing
      resolve(socket);
    };
    socket.on('data', onData);
    socket.on('error', () => undefined);
    socket.write(upgradeRequest(path, { Origin: origin }));
  });
}

/** `count` masked text frames of one byte each (mask key zero), as one buffer. */
export function tinyTextFrames(count: number, payload = '1'): Buffer {
  const frame = Buffer.from([0x81, 0x80 | 1, 0, 0, 0, 0, payload.charCodeAt(0)]);
  return Buffer.concat(Array.from({ length: count }, () => frame));
}
