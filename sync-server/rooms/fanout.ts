// The seam between rooms and other server processes (docs/architecture.md §7). One process
// alone has none. With several processes (PostgreSQL + Redis), the fan-out forwards what this
// process stored and the awareness its peers announced, and feeds the rooms what others stored.
import type { Room } from './room';

export interface RoomFanout {
  /**
   * The room was loaded here: receive its updates and awareness from other processes from
   * now on, and catch up on anything stored between the load and the subscription.
   */
  attach(room: Room): Promise<void>;
  /** The room leaves memory here. */
  detach(room: Room): void;
  /** This process stored `update` for the room as number `seq`. */
  stored(room: Room, update: Uint8Array, seq: number): void;
  /** One of this process's peers changed awareness in the room. */
  awareness(room: Room, update: Uint8Array, user: string): void;
  close(): Promise<void>;
}
