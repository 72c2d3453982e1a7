// Who belongs to which room. Records go through SyncStorage, so membership survives restarts
// and has the same backends as the documents.
//   room/<id>                 → RoomRecord (JSON)
//   member/<email>/<id>       → "" (index for GET /rooms; email is URI-encoded)
//   creator/<email>/<id>      → "" (counts the rooms a user created, for the per-user limit)
import { KeyedSerializer } from '../limits/keyed-serializer';
import type { RateBucket, UserCounters } from '../limits/user-counters';
import type { SyncStorage } from '../storage/types';
import { deriveCalendarRoomId, participantPair, randomRoomId, normalizeEmail } from './room-ids';

export interface RoomRecord {
  readonly roomId: string;
  readonly participants: readonly [string, string];
  readonly kind: 'calendar' | 'random';
  readonly createdAt: string;
}

export class RoomLimitError extends Error {}
/** Over the room-creation rate: retry after `retryAfterSeconds`. */
export class RoomRateError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('creating rooms too fast');
  }
}
export class NotParticipantError extends Error {}

const CACHE_SIZE = 10_000;
const key = {
  room: (id: string) => `room/${id}`,
  member: (email: string, id = '') => `member/${encodeURIComponent(email)}/${id}`,
  creator: (email: string, id = '') => `creator/${encodeURIComponent(email)}/${id}`,
};

export class RoomDirectory {
  // A small LRU: membership is checked on every WebSocket handshake.
  private readonly cache = new Map<string, RoomRecord>();
  private readonly creating = new Map<string, Promise<RoomRecord>>();

  constructor(
    private readonly storage: SyncStorage,
    private readonly secret: Uint8Array,
    private readonly maxRoomsPerUser: number,
    /** Room creations per creator (a lookup of an existing room is not one). */
    private readonly creations?: { readonly counters: UserCounters; readonly bucket: RateBucket },
  ) {}

  // Read-count-then-write of one creator's rooms runs alone in this process
  // (limits/keyed-serializer.ts); across processes the storage makes it atomic (write()).
  private readonly perCreator = new KeyedSerializer();

  /** Same iCalUID and pair → same id, whichever participant asks. */
  async openCalendarRoom(
    caller: string,
    iCalUID: string,
    participants: readonly [string, string],
  ): Promise<{ room: RoomRecord; created: boolean }> {
    const pair = this.checkCaller(caller, participants);
    const roomId = deriveCalendarRoomId(this.secret, iCalUID, pair);
    const existing = await this.get(roomId);
    if (existing) return { room: existing, created: false };
    return { room: await this.create(caller, roomId, pair, 'calendar'), created: true };
  }

  async createRandomRoom(caller: string, participants: readonly [string, string]): Promise<RoomRecord> {
    const pair = this.checkCaller(caller, participants);
    return this.create(caller, randomRoomId(), pair, 'random');
  }

  async get(roomId: string): Promise<RoomRecord | undefined> {
    const cached = this.cache.get(roomId);
    if (cached) {
      this.cache.delete(roomId);
      this.cache.set(roomId, cached);
      return cached;
    }
    const raw = await this.storage.getRecord(key.room(roomId));
    if (raw === undefined) return undefined;
    const record = JSON.parse(raw) as RoomRecord;
    this.remember(record);
    return record;
  }

  async isMember(roomId: string, email: string): Promise<boolean> {
    const record = await this.get(roomId);
    return record !== undefined && record.participants.includes(normalizeEmail(email));
  }

  async listFor(email: string): Promise<RoomRecord[]> {
    const prefix = key.member(normalizeEmail(email));
    const rows = await this.storage.listRecords(prefix);
    const rooms = await Promise.all(rows.map((row) => this.get(row.key.slice(prefix.length))));
    return rooms.filter((r): r is RoomRecord => r !== undefined);
  }

  private checkCaller(caller: string, participants: readonly [string, string]): [string, string] {
    const pair = participantPair(participants[0], participants[1]);
    if (!pair.includes(normalizeEmail(caller)))
      throw new NotParticipantError('the caller must be one of the two participants');
    return pair;
  }

  private create(
    caller: string,
    roomId: string,
    pair: [string, string],
    kind: RoomRecord['kind'],
  ): Promise<RoomRecord> {
    // One creation per id at a time: two concurrent POSTs for the same event agree.
    const pending = this.creating.get(roomId);
    if (pending) return pending;
    const work = (async () => {
      const again = await this.get(roomId);
      if (again) return again;
      // Rooms count against their creator only: naming someone as the other participant
      // never uses up their quota.
      const creator = normalizeEmail(caller);
      return this.perCreator.run(creator, async () => {
        const raced = await this.get(roomId);
        if (raced) return raced;
        // A quick look first, so a user at the cap is told so without spending a creation.
        const owned = await this.storage.listRecords(key.creator(creator));
        if (owned.length >= this.maxRoomsPerUser) throw this.overCap();
        if (this.creations) {
          const verdict = await this.creations.counters.take(this.creations.bucket, creator);
          if (!verdict.ok) throw new RoomRateError(verdict.retryAfterSeconds);
        }
        return this.write(creator, roomId, pair, kind);
      });
    })();
    this.creating.set(roomId, work);
    return work.finally(() => this.creating.delete(roomId));
  }

  private async write(
    creator: string,
    roomId: string,
    pair: [string, string],
    kind: RoomRecord['kind'],
  ): Promise<RoomRecord> {
    const record: RoomRecord = { roomId, participants: pair, kind, createdAt: new Date().toISOString() };
    const writes = [
      { key: key.room(roomId), value: JSON.stringify(record) },
      { key: key.member(pair[0], roomId), value: '' },
      { key: key.member(pair[1], roomId), value: '' },
      { key: key.creator(creator, roomId), value: '' },
    ];
    if (this.storage.writeRecordsUnderCap) {
      // Storage shared by several processes: count and write in one transaction there, since
      // this process's serializer cannot see another process's creations (issue 13).
      const written = await this.storage.writeRecordsUnderCap(writes, {
        prefix: key.creator(creator),
        max: this.maxRoomsPerUser,
      });
      if (!written) throw this.overCap();
    } else {
      // One process: the per-creator serializer around this call makes count-then-write exact.
      const owned = await this.storage.listRecords(key.creator(creator));
      if (owned.length >= this.maxRoomsPerUser) throw this.overCap();
      await this.storage.writeRecords(writes);
    }
    this.remember(record);
    return record;
  }

  private overCap(): RoomLimitError {
    return new RoomLimitError(`room limit reached (${this.maxRoomsPerUser} rooms per user)`);
  }

  private remember(record: RoomRecord): void {
    this.cache.set(record.roomId, record);
    if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value as string);
  }
}
