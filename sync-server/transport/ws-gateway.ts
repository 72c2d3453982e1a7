// WebSocket transport: authenticates each handshake, applies the connection limits, and binds
// the socket to a room (y-websocket protocol) or to the user's relay event stream.
//
// Refusals happen AFTER the upgrade, as a close frame with a code: the stock y-websocket
// client reconnects forever after a failed HTTP handshake, but stops for good on a close code
// in 4400-4499. Codes used:
//   4401 missing/invalid/expired/untrusted token    4403 not a member (or no such room)
//   4404 unknown path                                1013 try again later (rate or connection
//   1007 malformed frame   1003 text frame                limit, issuer unreachable)
//   1009 frame too large (ws)   1011 storage failure  1012 server restarting
//   4001 token expired while connected (the client reconnects with its current token)
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { SyncServerLimits } from '../config';
import type { Logger } from '../log';
import {
  AuthError,
  AuthUnavailableError,
  bearerToken,
  type Identity,
  type TokenVerifier,
} from '../auth/oidc-verifier';
import type { ByteAccount, ByteBudget } from '../limits/byte-budget';
import type { RateLimiter } from '../limits/rate-limiter';
import { UpdateRefusedError } from '../rooms/agenda-guard';
import type { RateBucket, Slot, UserCounters } from '../limits/user-counters';
import { LimitError } from '../rooms/protocol';
import type { RoomDirectory } from '../rooms/room-directory';
import { ROOM_ID_PATTERN } from '../rooms/room-ids';
import type { Room, Peer } from '../rooms/room';
import type { RoomManager } from '../rooms/room-manager';
import type { EventHub, EventSink } from '../relay/event-hub';

export const EVENTS_PATH = '/_events';
/** How long a refused socket may take to answer our close frame before it is cut. */
const REFUSAL_GRACE_MS = 500;
/** How long a connection we close may take to answer our close frame. */
const CLOSE_GRACE_MS = 2000;

export interface GatewayContext {
  readonly verifier: TokenVerifier;
  readonly directory: RoomDirectory;
  readonly rooms: RoomManager;
  readonly hub: EventHub;
  readonly limits: SyncServerLimits;
  readonly handshakesPerIp: RateLimiter;
  /** Per-user handshake rate and connection cap, shared by every process in a cluster. */
  readonly counters: UserCounters;
  readonly handshakeBucket: RateBucket;
  /** Bytes held for connections: awareness states, and data waiting to be sent. */
  readonly awarenessBudget: ByteBudget;
  readonly sendBudget: ByteBudget;
  readonly tokenExpiryGraceMs: number;
  readonly log: Logger;
}

/** One accepted socket: a room peer or an event sink. */
class Connection implements Peer, EventSink {
  alive = true;
  closed = false;
  readonly awarenessBytes: ByteAccount;
  readonly outgoingBytes: ByteAccount;

  constructor(
    readonly ws: WebSocket,
    readonly user: string,
    readonly expiresAt: number,
    budgets: { awareness: ByteBudget; send: ByteBudget },
    /** The user's connection slot, given back when the socket closes. */
    readonly slot: Slot,
    private readonly onOverLimit: (conn: Connection, error: LimitError) => void,
    private readonly onRefused: (conn: Connection, error: UpdateRefusedError) => void,
  ) {
    this.awarenessBytes = budgets.awareness.account(user);
    this.outgoingBytes = budgets.send.account(user);
  }

  send(message: Uint8Array | string, prepaid = false): void {
    const size = typeof message === 'string' ? Buffer.byteLength(message) : message.byteLength;
    if (this.closed || this.ws.readyState !== this.ws.OPEN) {
      if (prepaid) this.outgoingBytes.release(size);
      return;
    }
    // Charged until ws hands the bytes to the kernel: a peer that stops reading runs into its
    // budget (connection, user, process) and is closed instead of buffered for without bound.
    if (!prepaid) {
      const over = this.outgoingBytes.charge(size);
      if (over) {
        this.close(1013, `not reading fast enough (${over} send budget)`);
        return;
      }
    }
    try {
      this.ws.send(message, () => this.outgoingBytes.release(size));
    } catch {
      this.outgoingBytes.release(size);
      // The socket died under us; its 'close' event does the cleanup.
    }
  }

  overLimit(error: LimitError): void {
    if (!this.closed) this.onOverLimit(this, error);
  }

  refused(error: UpdateRefusedError): void {
    if (!this.closed) this.onRefused(this, error);
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.ws.close(code, reason);
    // Whatever the client does with our close frame, the descriptor goes soon.
    setTimeout(() => this.ws.terminate(), CLOSE_GRACE_MS).unref();
  }

  /** Gives back what the connection held; called once the socket is closed. */
  releaseAll(): void {
    this.awarenessBytes.releaseAll();
    this.outgoingBytes.releaseAll();
  }
}

export class WsGateway {
  private readonly wss: WebSocketServer;
  private readonly connections = new Set<Connection>();
  private closing = false;
  /** Frames refused as malformed since start (exposed on /healthz). */
  malformedFrames = 0;
  /** Updates refused by the agenda's author rule (rooms/agenda-guard.ts). */
  refusedUpdates = 0;
  /** Connections closed for going over a limit, by reason (exposed on /healthz). */
  readonly limitClosures: Record<string, number> = {};

  constructor(private readonly ctx: GatewayContext) {
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: ctx.limits.maxMessageBytes,
      perMessageDeflate: false,
      clientTracking: false,
    });
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    this.admit(req, socket, head).catch((err: unknown) => {
      this.ctx.log.error('handshake failed', { error: String(err) });
      this.rejectHttp(socket, 500, 'Internal Server Error');
    });
  }

  /** Pings every socket, drops the ones that did not answer the last ping, and ends expired sessions. */
  sweep(now = Date.now()): void {
    for (const conn of this.connections) {
      if (now > conn.expiresAt + this.ctx.tokenExpiryGraceMs) conn.close(4001, 'token expired');
      else if (!conn.alive) conn.ws.terminate();
      else {
        conn.alive = false;
        try {
          conn.ws.ping();
        } catch {
          conn.ws.terminate();
        }
      }
    }
  }

  /**
   * Closes every socket (1012: clients reconnect to the restarted server; 1001 "going away"
   * behind a load balancer: they reconnect to another process).
   */
  async close(code = 1012, reason = 'server restarting'): Promise<void> {
    this.closing = true;
    const closed = [...this.connections].map(
      (conn) =>
        new Promise<void>((resolve) => {
          conn.ws.once('close', () => resolve());
          conn.close(code, reason);
          setTimeout(() => conn.ws.terminate(), 2000).unref();
        }),
    );
    await Promise.all(closed);
    this.wss.close();
  }

  private async admit(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const { ctx } = this;
    if (this.closing) return this.rejectHttp(socket, 503, 'Service Unavailable');
    const ip = req.socket.remoteAddress ?? 'unknown';
    if (!ctx.handshakesPerIp.take(ip))
      return this.rejectHttp(socket, 429, 'Too Many Requests', ctx.handshakesPerIp.retryAfter(ip));

    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://x');
    } catch {
      return this.rejectHttp(socket, 400, 'Bad Request');
    }
    // The path is checked before the token: an unknown path costs no verification, and is
    // answered 4404 whoever asks.
    const roomId = url.pathname.slice(1);
    if (url.pathname !== EVENTS_PATH && !ROOM_ID_PATTERN.test(roomId))
      return this.refuse(req, socket, head, 4404, 'no such path');
    const token = url.searchParams.get('token') ?? bearerToken(req.headers.authorization) ?? '';
    let identity: Identity;
    try {
      identity = await ctx.verifier.verify(token);
    } catch (err) {
      if (err instanceof AuthUnavailableError)
        return this.refuse(req, socket, head, 1013, 'cannot verify tokens right now');
      if (err instanceof AuthError) {
        ctx.log.info('handshake refused', { reason: err.message, ip, path: url.pathname });
        return this.refuse(req, socket, head, 4401, 'unauthorized');
      }
      throw err;
    }
    const user = identity.email;
    if (!(await ctx.counters.take(ctx.handshakeBucket, user)).ok)
      return this.refuse(req, socket, head, 1013, 'too many handshakes');
    // Held from here until the socket closes (or the handshake fails): concurrent handshakes
    // count too, in every process of a cluster.
    const slot = await ctx.counters.acquire('connections', user, ctx.limits.maxConnectionsPerUser);
    if (!slot) return this.refuse(req, socket, head, 1013, 'too many connections');
    let handedOver = false;
    try {
      if (url.pathname === EVENTS_PATH) {
        handedOver = true;
        return this.accept(
          req,
          socket,
          head,
          slot,
          () => undefined,
          (ws) => this.attachEvents(ws, identity, slot),
        );
      }
      // Unknown room and someone else's room look alike: no oracle for which ids exist.
      if (!(await ctx.directory.isMember(roomId, user))) {
        ctx.log.info('handshake refused', { reason: 'not a member', user, room: roomId });
        return this.refuse(req, socket, head, 4403, 'not a member of this room');
      }
      let room: Room;
      try {
        // The room is fully loaded before the socket is even upgraded.
        room = await ctx.rooms.acquire(roomId);
      } catch (err) {
        if (this.closing) return this.refuse(req, socket, head, 1012, 'server restarting');
        ctx.log.error('room failed to load', { room: roomId, error: String(err) });
        return this.refuse(req, socket, head, 1011, 'room unavailable');
      }
      handedOver = true;
      return this.accept(
        req,
        socket,
        head,
        slot,
        () => ctx.rooms.release(room),
        (ws) => this.attachRoom(ws, identity, room, slot),
      );
    } finally {
      if (!handedOver) slot.release();
    }
  }

  /** Upgrades and runs `attach`, or runs `abandon` (and frees the slot) if the socket is gone or the upgrade fails. */
  private accept(
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    slot: Slot,
    abandon: () => void,
    attach: (ws: WebSocket) => void,
  ): void {
    if (socket.destroyed || this.closing) {
      slot.release();
      abandon();
      socket.destroy();
      return;
    }
    let attached = false;
    // ws answers a malformed handshake itself and never calls back: release what we hold.
    socket.once('close', () => {
      if (!attached) {
        slot.release();
        abandon();
      }
    });
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      attached = true;
      attach(ws);
    });
  }

  private attachRoom(ws: WebSocket, identity: Identity, room: Room, slot: Slot): void {
    const conn = this.track(ws, identity, slot);
    room.join(conn);
    ws.on('message', (data, isBinary) => {
      if (conn.closed) return;
      if (!isBinary) return conn.close(1003, 'binary frames only');
      try {
        room.receive(conn, data as Buffer);
      } catch (err) {
        if (err instanceof LimitError) return this.overLimit(conn, err);
        if (err instanceof UpdateRefusedError) return this.refuseUpdate(conn, err);
        this.malformedFrames++;
        this.ctx.log.debug('malformed frame', { user: conn.user, room: room.id, error: String(err) });
        conn.close(1007, 'malformed message');
      }
    });
    ws.on('close', () => {
      conn.closed = true;
      room.leave(conn);
      conn.releaseAll();
      this.ctx.rooms.release(room);
      this.untrack(conn);
    });
  }

  private attachEvents(ws: WebSocket, identity: Identity, slot: Slot): void {
    const conn = this.track(ws, identity, slot);
    this.ctx.hub.add(conn.user, conn);
    // The stream is one-way; anything the app sends is ignored.
    ws.on('close', () => {
      conn.closed = true;
      this.ctx.hub.remove(conn.user, conn);
      conn.releaseAll();
      this.untrack(conn);
    });
  }

  /** Closes a connection whose update the room refused (the author rule), counted for /healthz. */
  private refuseUpdate(conn: Connection, err: UpdateRefusedError): void {
    this.refusedUpdates++;
    this.ctx.log.info('update refused', { user: conn.user, reason: err.message });
    conn.close(err.code, err.message);
  }

  /** Closes a connection that went over a limit, counted by reason for /healthz. */
  private overLimit(conn: Connection, err: LimitError): void {
    const kind = err.message.replace(/ \(.*\)$/, '');
    this.limitClosures[kind] = (this.limitClosures[kind] ?? 0) + 1;
    this.ctx.log.info('connection over a limit', { user: conn.user, reason: err.message });
    conn.close(err.code, err.message);
  }

  private track(ws: WebSocket, identity: Identity, slot: Slot): Connection {
    const conn = new Connection(
      ws,
      identity.email,
      identity.expiresAt,
      { awareness: this.ctx.awarenessBudget, send: this.ctx.sendBudget },
      slot,
      (c, err) => this.overLimit(c, err),
      (c, err) => this.refuseUpdate(c, err),
    );
    this.connections.add(conn);
    ws.on('pong', () => (conn.alive = true));
    // ws reports protocol violations (oversized frame, bad opcode) here and then closes.
    ws.on('error', (err) => this.ctx.log.debug('socket error', { user: conn.user, error: err.message }));
    return conn;
  }

  private untrack(conn: Connection): void {
    if (this.connections.delete(conn)) conn.slot.release();
  }

  /** Completes the upgrade only to say why, with a close code the client understands. */
  private refuse(req: IncomingMessage, socket: Duplex, head: Buffer, code: number, reason: string): void {
    if (socket.destroyed) return;
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('error', () => undefined);
      ws.close(code, reason);
      // A client that never answers the close frame must not keep the descriptor: the socket
      // goes well within 2 s whatever the client does (a polite client answers in a round trip).
      setTimeout(() => ws.terminate(), REFUSAL_GRACE_MS).unref();
    });
  }

  private rejectHttp(socket: Duplex, status: number, text: string, retryAfter?: number): void {
    if (socket.destroyed) return;
    const extra = retryAfter !== undefined ? `Retry-After: ${retryAfter}\r\n` : '';
    socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n${extra}\r\n`);
  }
}
