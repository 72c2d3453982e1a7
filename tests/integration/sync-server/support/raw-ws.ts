// A WebSocket client on a bare TCP socket, for what the ws library will not do for a test:
// many frames in one TCP write (so the server handles them in one go), and not reading at all.
// Frames are y-websocket messages; the server's frames are parsed as they arrive.
import { connect, type Socket } from 'node:net';
import * as encoding from 'lib0/encoding';

export interface RawWs {
  readonly socket: Socket;
  /** Binary messages received so far (payloads). */
  readonly messages: Uint8Array[];
  /** Total payload bytes received. */
  received: number;
  /** Set when the server sent a close frame. */
  closeCode: number | undefined;
  closeReason: string;
  /** Resolves when the TCP connection is gone. */
  readonly ended: Promise<void>;
  /** Sends every frame in a single TCP write. */
  sendAll(frames: readonly Uint8Array[]): void;
  /** Stops reading: the kernel buffers fill and the server's writes back up. */
  pause(): void;
  resume(): void;
  destroy(): void;
}

/** A masked client frame (FIN, binary). The mask key is zero, which RFC 6455 allows. */
export function clientFrame(payload: Uint8Array): Buffer {
  const n = payload.byteLength;
  const head =
    n < 126
      ? Buffer.from([0x82, 0x80 | n])
      : n < 65536
        ? Buffer.from([0x82, 0x80 | 126, n >> 8, n & 0xff])
        : Buffer.concat([Buffer.from([0x82, 0x80 | 127]), bigEndian64(n)]);
  return Buffer.concat([head, Buffer.alloc(4), payload]);
}

function bigEndian64(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
}

export function openRawWs(url: string, path: string): Promise<RawWs> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: u.hostname, port: Number(u.port) });
    let buffer = Buffer.alloc(0);
    let upgraded = false;
    let endedResolve!: () => void;
    const raw: RawWs = {
      socket,
      messages: [],
      received: 0,
      closeCode: undefined,
      closeReason: '',
      ended: new Promise((r) => (endedResolve = r)),
      sendAll: (frames) => {
        if (!socket.destroyed) socket.write(Buffer.concat(frames.map(clientFrame)));
      },
      pause: () => socket.pause(),
      resume: () => socket.resume(),
      destroy: () => socket.destroy(),
    };
    socket.on('close', () => endedResolve());
    socket.on('error', (err) => (upgraded ? undefined : reject(err)));
    // Chunks are kept apart until a whole frame is there: concatenating on every chunk would
    // copy a large reply once per 64 KB read.
    let chunks: Buffer[] = [];
    let chunked = 0;
    let needed = 2;
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      chunked += chunk.length;
      if (upgraded && buffer.length + chunked < needed) return;
      buffer = Buffer.concat([buffer, ...chunks]);
      chunks = [];
      chunked = 0;
      if (!upgraded) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buffer.subarray(0, end).toString('latin1');
        if (!head.startsWith('HTTP/1.1 101')) {
          reject(new Error(`handshake answered ${head.split('\r\n')[0]}`));
          socket.destroy();
          return;
        }
        upgraded = true;
        buffer = buffer.subarray(end + 4);
        resolve(raw);
      }
      // Parse whole server frames (unmasked).
      for (;;) {
        if (buffer.length < 2) return;
        const opcode = buffer[0]! & 0x0f;
        let len = buffer[1]! & 0x7f;
        let offset = 2;
        if (len === 126) {
          if (buffer.length < 4) return;
          len = buffer.readUInt16BE(2);
          offset = 4;
        } else if (len === 127) {
          if (buffer.length < 10) return;
          len = Number(buffer.readBigUInt64BE(2));
          offset = 10;
        }
        if (buffer.length < offset + len) {
          needed = offset + len;
          return;
        }
        needed = 2;
        const payload = buffer.subarray(offset, offset + len);
        buffer = buffer.subarray(offset + len);
        if (opcode === 0x8) {
          raw.closeCode = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
          raw.closeReason = payload.subarray(2).toString('utf8');
        } else if (opcode === 0x2) {
          raw.messages.push(new Uint8Array(payload));
          raw.received += len;
        }
      }
    });
    socket.write(
      `GET ${path} HTTP/1.1\r\nHost: ${u.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
  });
}

/** y-websocket frames, built the way the protocol defines them. */
export const yFrames = {
  syncStep1(stateVector: Uint8Array): Uint8Array {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 0);
    encoding.writeVarUint(e, 0);
    encoding.writeVarUint8Array(e, stateVector);
    return encoding.toUint8Array(e);
  },
  update(update: Uint8Array): Uint8Array {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 0);
    encoding.writeVarUint(e, 2);
    encoding.writeVarUint8Array(e, update);
    return encoding.toUint8Array(e);
  },
  awareness(entries: ReadonlyArray<readonly [number, number, string]>): Uint8Array {
    const inner = encoding.createEncoder();
    encoding.writeVarUint(inner, entries.length);
    for (const [id, clock, state] of entries) {
      encoding.writeVarUint(inner, id);
      encoding.writeVarUint(inner, clock);
      encoding.writeVarString(inner, state);
    }
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint8Array(e, encoding.toUint8Array(inner));
    return encoding.toUint8Array(e);
  },
};

/** A state vector claiming `clock` for client `client` (distinct vectors for distinct pairs). */
export function stateVector(client: number, clock: number): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 1);
  encoding.writeVarUint(e, client);
  encoding.writeVarUint(e, clock);
  return encoding.toUint8Array(e);
}
