// Fan-out between server processes over Redis pub/sub (docs/architecture.md §7). Each process
// subscribes to the rooms it holds (`duet:room:<id>`) and publishes, for each room:
//   - every update it stored, with its number, only after PostgreSQL has it;
//   - every awareness change of its own peers (and answers "who is here?" when another process
//     loads the room);
// and relay events for users on `duet:events`. Pub/sub may drop messages (Redis restarted,
// subscription lost, a slow subscriber cut off): the numbers make that visible and harmless.
// A gap in the numbers, a reconnect to Redis, or a periodic check of the rooms' last numbers in
// PostgreSQL makes the process read what it missed from PostgreSQL by number.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { Logger } from '../log';
import type { RoomFanout } from '../rooms/fanout';
import type { Room } from '../rooms/room';
import type { RoomManager } from '../rooms/room-manager';
import type { SyncStorage } from '../storage/types';

const ROOM_PREFIX = 'duet:room:';
const EVENTS_CHANNEL = 'duet:events';
const KIND_UPDATE = 0;
const KIND_AWARENESS = 1;
const KIND_WHO_IS_HERE = 2;

export interface RedisFanoutOptions {
  readonly url: string;
  readonly storage: SyncStorage;
  readonly log: Logger;
  /** How often loaded rooms are compared with PostgreSQL's last numbers (default 2 s). */
  readonly checkIntervalMs?: number;
  /** A relay event published by another process, for this process's connected apps. */
  readonly onEvent?: (user: string, text: string) => void;
}

export class RedisFanout implements RoomFanout {
  readonly processId = randomBytes(8).toString('hex');
  private readonly pub: Redis;
  private readonly sub: Redis;
  private rooms: RoomManager | undefined;
  private readonly catchingUp = new Map<Room, { again: boolean }>();
  private readonly timer: NodeJS.Timeout;
  private closed = false;
  private wasConnected = false;
  // Rooms found behind PostgreSQL on the last check: caught up only if still behind on the
  // next one, so an append of ours that is committed but not yet delivered causes no read.
  private behind = new Set<Room>();
  /** Messages read back from PostgreSQL because pub/sub missed them (exposed for tests). */
  caughtUpRows = 0;

  constructor(private readonly options: RedisFanoutOptions) {
    if (!options.storage.loadSince || !options.storage.headSeqs)
      throw new Error('the Redis fan-out needs numbered storage (PostgreSQL: --storage postgres://…)');
    const common = {
      lazyConnect: false,
      // Reconnect forever, backing off up to 2 s: Redis going away must never stop the server.
      retryStrategy: (times: number) => Math.min(2000, 50 * times),
      maxRetriesPerRequest: null,
    };
    // Publishing while Redis is away fails at once instead of piling up: what it would have
    // carried is read back from PostgreSQL once Redis is back.
    this.pub = new Redis(options.url, { ...common, enableOfflineQueue: false });
    this.sub = new Redis(options.url, common);
    for (const [name, conn] of [
      ['publisher', this.pub],
      ['subscriber', this.sub],
    ] as const) {
      conn.on('error', (error: Error) =>
        options.log.debug('redis error', { conn: name, error: error.message }),
      );
    }
    this.sub.on('ready', () => {
      // ioredis re-subscribes by itself after a reconnect; what was published meanwhile is lost.
      if (this.wasConnected) {
        options.log.info('redis reconnected; catching up from the database');
        this.catchUpAll();
      }
      this.wasConnected = true;
    });
    this.sub.on('messageBuffer', (channel: Buffer, message: Buffer) =>
      this.onMessage(channel.toString(), message),
    );
    void this.sub.subscribe(EVENTS_CHANNEL).catch(() => undefined);
    this.timer = setInterval(() => void this.check(), options.checkIntervalMs ?? 2000);
    this.timer.unref();
  }

  /** The room manager is created after the fan-out (it takes it as an option). */
  bind(rooms: RoomManager): void {
    this.rooms = rooms;
  }

  /** Resolves once both connections are up (startup waits for it, briefly). */
  async ready(timeoutMs = 10_000): Promise<void> {
    const up = (conn: Redis) =>
      conn.status === 'ready'
        ? Promise.resolve()
        : new Promise<void>((resolve) => conn.once('ready', () => resolve()));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all([up(this.pub), up(this.sub)]),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`Redis at ${redact(this.options.url)} is not reachable`)),
          timeoutMs,
        );
      }),
    ]).finally(() => clearTimeout(timer));
  }

  async attach(room: Room): Promise<void> {
    // Not awaited: a Redis outage must not stop rooms from loading. Once subscribed, read what
    // was stored between our load and the subscription, and ask who is already here.
    this.sub.subscribe(ROOM_PREFIX + room.id).then(
      () => {
        this.publish(room.id, this.header(KIND_WHO_IS_HERE));
        this.catchUp(room);
      },
      () => undefined,
    );
  }

  detach(room: Room): void {
    this.catchingUp.delete(room);
    void this.sub.unsubscribe(ROOM_PREFIX + room.id).catch(() => undefined);
  }

  stored(room: Room, update: Uint8Array, seq: number): void {
    const encoder = this.header(KIND_UPDATE);
    encoding.writeVarUint(encoder, seq);
    encoding.writeVarUint8Array(encoder, update);
    this.publish(room.id, encoder);
  }

  awareness(room: Room, update: Uint8Array, user: string): void {
    const encoder = this.header(KIND_AWARENESS);
    encoding.writeVarString(encoder, user);
    encoding.writeVarUint8Array(encoder, update);
    this.publish(room.id, encoder);
  }

  /** A relay event for `user`, for the other processes' connected apps. */
  publishEvent(user: string, text: string): void {
    if (this.pub.status !== 'ready') return;
    this.pub
      .publish(EVENTS_CHANNEL, JSON.stringify({ from: this.processId, user, text }))
      .catch(() => undefined);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    this.pub.disconnect();
    this.sub.disconnect();
  }

  private header(kind: number): encoding.Encoder {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, kind);
    encoding.writeVarString(encoder, this.processId);
    return encoder;
  }

  private publish(roomId: string, encoder: encoding.Encoder): void {
    if (this.pub.status !== 'ready') return;
    this.pub
      .publish(ROOM_PREFIX + roomId, Buffer.from(encoding.toUint8Array(encoder)))
      .catch((error: unknown) => this.options.log.debug('redis publish failed', { error: String(error) }));
  }

  private onMessage(channel: string, message: Buffer): void {
    if (channel === EVENTS_CHANNEL) {
      try {
        const { from, user, text } = JSON.parse(message.toString('utf8')) as {
          from: string;
          user: string;
          text: string;
        };
        if (from !== this.processId) this.options.onEvent?.(user, text);
      } catch {
        // not ours
      }
      return;
    }
    if (!channel.startsWith(ROOM_PREFIX)) return;
    const room = this.rooms?.loaded(channel.slice(ROOM_PREFIX.length));
    if (!room) return;
    try {
      const decoder = decoding.createDecoder(message);
      const kind = decoding.readVarUint(decoder);
      if (decoding.readVarString(decoder) === this.processId) return;
      if (kind === KIND_UPDATE) {
        const seq = decoding.readVarUint(decoder);
        const update = decoding.readVarUint8Array(decoder);
        room.applyStored(update, seq);
        // A number skipped: some message never came; read it from the database.
        if (room.seqs?.hasGap) this.catchUp(room);
        this.rooms?.compactIfLarge(room);
      } else if (kind === KIND_AWARENESS) {
        const user = decoding.readVarString(decoder);
        room.applyRemoteAwareness(user, decoding.readVarUint8Array(decoder));
      } else if (kind === KIND_WHO_IS_HERE) {
        for (const { user, update } of room.localAwareness()) this.awareness(room, update, user);
      }
    } catch (error) {
      this.options.log.warn('bad fan-out message', { room: room.id, error: String(error) });
    }
  }

  /** Reads what the room missed from PostgreSQL; one read per room at a time. */
  private catchUp(room: Room): void {
    const running = this.catchingUp.get(room);
    if (running) {
      running.again = true;
      return;
    }
    const state = { again: false };
    this.catchingUp.set(room, state);
    void (async () => {
      try {
        do {
          state.again = false;
          if (!room.seqs || room.broken || this.closed) break;
          const rows = await this.options.storage.loadSince!(room.id, room.seqs.contiguous);
          if (this.rooms?.loaded(room.id) !== room) break;
          this.caughtUpRows += rows.filter((r) => !room.seqs!.has(r.seq)).length;
          room.applyCaughtUp(rows);
          this.rooms?.compactIfLarge(room);
        } while (state.again);
      } catch (error) {
        this.options.log.warn('catch-up failed', { room: room.id, error: String(error) });
      } finally {
        if (this.catchingUp.get(room) === state) this.catchingUp.delete(room);
      }
    })();
  }

  private catchUpAll(): void {
    for (const room of this.rooms?.loadedList ?? []) this.catchUp(room);
  }

  /** Compares every loaded room with its last number in PostgreSQL; catches up the ones behind. */
  private async check(): Promise<void> {
    const loaded = this.rooms?.loadedList ?? [];
    if (loaded.length === 0 || this.closed) return;
    try {
      const behind = new Set<Room>();
      for (let i = 0; i < loaded.length; i += 1000) {
        const chunk = loaded.slice(i, i + 1000);
        const heads = await this.options.storage.headSeqs!(chunk.map((r) => r.id));
        for (const room of chunk) {
          const head = heads.get(room.id) ?? 0;
          if (!room.seqs || (head <= room.seqs.contiguous && !room.seqs.hasGap)) continue;
          behind.add(room);
          if (this.behind.has(room)) this.catchUp(room);
        }
      }
      this.behind = behind;
    } catch (error) {
      this.options.log.debug('fan-out check failed', { error: String(error) });
    }
  }
}

function redact(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//…@');
}
