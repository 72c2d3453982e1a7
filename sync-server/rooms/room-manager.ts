// Which rooms are in memory. A room is loaded once (concurrent joins share the load), stays
// while anyone holds it, and leaves memory `idleMs` after its last peer: its pending writes
// are flushed and its log compacted into one state update first. A join that arrives while
// the room is being evicted waits for the eviction to finish and then loads it afresh.
import * as Y from 'yjs';
import type { Logger } from '../log';
import type { SyncStorage } from '../storage/types';
import type { RoomFanout } from './fanout';
import { Room, type ReplyWork, type RoomLimits } from './room';
import { WriteQueue } from './write-queue';

export interface RoomManagerOptions {
  readonly idleMs: number;
  /** Compact a loaded room once this many updates are stored for it. */
  readonly compactAfterUpdates: number;
  /** Several processes: forwards stored updates and awareness between them. */
  readonly fanout?: RoomFanout;
  readonly roomLimits: RoomLimits;
  /** Where every room's sync replies are computed, users in turn (limits/fair-work-queue.ts). */
  readonly replyWork: ReplyWork;
}

interface Entry {
  readonly ready: Promise<Room>;
  room?: Room;
  refs: number;
  idleTimer?: NodeJS.Timeout;
}

export class RoomManager {
  private readonly entries = new Map<string, Entry>();
  private readonly evictions = new Map<string, Promise<void>>();
  private readonly compacting = new Set<Room>();
  readonly queue: WriteQueue;
  private closed = false;

  constructor(
    private readonly storage: SyncStorage,
    private readonly options: RoomManagerOptions,
    private readonly log: Logger,
  ) {
    this.queue = new WriteQueue(storage, {
      stored: (room, update, seq) => {
        if (seq !== undefined) this.options.fanout?.stored(room, update, seq);
        this.maybeCompact(room);
      },
      failed: (rooms, error) => {
        for (const room of rooms) {
          this.log.error('storing updates failed; closing room', { room: room.id, error: String(error) });
          // 1011: the clients keep their edits and resend them after reconnecting.
          for (const peer of [...room.peers]) peer.close(1011, 'storage failure');
          void this.evict(room.id, false, true);
        }
      },
      crashed: (error) => this.log.error('write queue error', { error: String(error) }),
    });
    const { fanout } = options;
    if (fanout) this.queue.awarenessChanged = (room, update, user) => fanout.awareness(room, update, user);
  }

  /** The loaded room with this id, if any (the fan-out delivers to it). */
  loaded(roomId: string): Room | undefined {
    return this.entries.get(roomId)?.room;
  }

  /** Every loaded room (the fan-out catches them up after missing messages). */
  get loadedList(): Room[] {
    return [...this.entries.values()].flatMap((e) => (e.room ? [e.room] : []));
  }

  /** Compacts the room if its stored log grew past the threshold (also after catch-up). */
  compactIfLarge(room: Room): void {
    this.maybeCompact(room);
  }

  get loadedRooms(): number {
    return this.entries.size;
  }

  /** The loaded room, holding a reference until release(). */
  async acquire(roomId: string): Promise<Room> {
    if (this.closed) throw new Error('server is shutting down');
    let entry = this.entries.get(roomId);
    if (!entry) {
      const ready = this.load(roomId);
      const created: Entry = { ready, refs: 0 };
      entry = created;
      this.entries.set(roomId, created);
      ready.then(
        (room) => (created.room = room),
        () => {
          if (this.entries.get(roomId) === created) this.entries.delete(roomId);
        },
      );
    }
    entry.refs++;
    if (entry.idleTimer) {
      clearTimeout(entry.idleTimer);
      entry.idleTimer = undefined;
    }
    try {
      return await entry.ready;
    } catch (err) {
      entry.refs--;
      throw err;
    }
  }

  release(room: Room): void {
    const entry = this.entries.get(room.id);
    if (!entry || entry.room !== room) return;
    entry.refs--;
    if (entry.refs === 0 && !this.closed) {
      entry.idleTimer = setTimeout(() => void this.evict(room.id, true), this.options.idleMs);
      entry.idleTimer.unref();
    }
  }

  /** Flushes every write and compacts every loaded room; used on shutdown. */
  async close(): Promise<void> {
    this.closed = true;
    const ids = [...this.entries.keys()];
    await Promise.all(ids.map((id) => this.evict(id, true, true)));
    await Promise.all([...this.evictions.values()]);
    await this.queue.drain();
  }

  private async load(roomId: string): Promise<Room> {
    await this.evictions.get(roomId);
    let room: Room;
    if (this.storage.loadSince) {
      // Numbered storage: the room remembers which numbers it holds (fan-out, compaction).
      const rows = await this.storage.loadSince(roomId, 0);
      const last = rows.length === 0 ? 0 : rows[rows.length - 1]!.seq;
      room = new Room(
        roomId,
        rows.map((r) => r.update),
        this.queue,
        this.options.roomLimits,
        this.options.replyWork,
        last,
      );
    } else {
      room = new Room(
        roomId,
        await this.storage.loadRoom(roomId),
        this.queue,
        this.options.roomLimits,
        this.options.replyWork,
      );
    }
    if (this.options.fanout) {
      try {
        await this.options.fanout.attach(room);
      } catch (error) {
        room.destroy();
        throw error;
      }
    }
    this.maybeCompact(room);
    return room;
  }

  private maybeCompact(room: Room): void {
    if (room.storedUpdates < this.options.compactAfterUpdates || this.compacting.has(room) || room.broken)
      return;
    this.compacting.add(room);
    this.queue
      .compact(room, Y.encodeStateAsUpdate(room.doc), room.compactableSeq)
      .then(
        // The compaction ran after every earlier update and before any later one.
        () => (room.storedUpdates = 1),
        (error) => this.log.warn('compaction failed', { room: room.id, error: String(error) }),
      )
      .finally(() => this.compacting.delete(room));
  }

  private evict(roomId: string, compact: boolean, force = false): Promise<void> {
    const entry = this.entries.get(roomId);
    if (!entry || (!force && entry.refs > 0)) return Promise.resolve();
    if (entry.idleTimer) clearTimeout(entry.idleTimer);
    this.entries.delete(roomId);
    const eviction = (async () => {
      let room: Room;
      try {
        room = await entry.ready;
      } catch {
        return;
      }
      await room.whenStored();
      if (compact && !room.broken && room.storedUpdates > 1) {
        try {
          await this.queue.compact(room, Y.encodeStateAsUpdate(room.doc), room.compactableSeq);
        } catch (error) {
          this.log.warn('compaction on eviction failed', { room: roomId, error: String(error) });
        }
      }
      this.options.fanout?.detach(room);
      this.storage.releaseRoom(roomId);
      room.destroy();
      this.log.debug('room evicted', { room: roomId });
    })();
    this.evictions.set(roomId, eviction);
    return eviction.finally(() => {
      if (this.evictions.get(roomId) === eviction) this.evictions.delete(roomId);
    });
  }
}
