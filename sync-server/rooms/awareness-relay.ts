// Server-side awareness (cursors, presence) without a y-protocols Awareness instance per room:
// the server never has a local state of its own, so it only needs to remember the latest state
// each client announced (for newcomers), forward changes, and announce removals when a
// connection goes. This saves the per-room timer and JSON round trips of Awareness while
// speaking its exact wire format:
//   varUint(count) { varUint(clientID) varUint(clock) varString(JSON state or "null") }*
// It also refuses what the stock server lets through: malformed JSON (which would make every
// other client throw) and one user overwriting another user's client ids.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { ProtocolError } from './protocol';

export interface AwarenessOwner {
  readonly user: string;
}

interface Entry {
  clock: number;
  state: string;
  owner: AwarenessOwner;
}

const MAX_ENTRIES_PER_UPDATE = 32;
const MAX_CLIENTS_PER_ROOM = 64;

function encode(entries: Iterable<[number, number, string]>): Uint8Array {
  const list = [...entries];
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, list.length);
  for (const [clientID, clock, state] of list) {
    encoding.writeVarUint(encoder, clientID);
    encoding.writeVarUint(encoder, clock);
    encoding.writeVarString(encoder, state);
  }
  return encoding.toUint8Array(encoder);
}

export class AwarenessRelay {
  private readonly states = new Map<number, Entry>();

  get size(): number {
    return this.states.size;
  }

  /**
   * Applies an update from `owner`; returns the bytes to forward to the other peers (the
   * original when everything was accepted), or null when nothing changed.
   */
  apply(owner: AwarenessOwner, update: Uint8Array): Uint8Array | null {
    const decoder = decoding.createDecoder(update);
    const count = decoding.readVarUint(decoder);
    if (count > MAX_ENTRIES_PER_UPDATE) throw new ProtocolError('too many awareness entries');
    const accepted: Array<[number, number, string]> = [];
    for (let i = 0; i < count; i++) {
      const clientID = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      const state = decoding.readVarString(decoder);
      try {
        JSON.parse(state);
      } catch {
        throw new ProtocolError('awareness state is not JSON');
      }
      const prev = this.states.get(clientID);
      if (prev && prev.owner !== owner && prev.owner.user !== owner.user) continue; // someone else's client id
      // y-protocols' rule: a newer clock wins; an equal clock may only remove the state.
      const newer =
        !prev || prev.clock < clock || (prev.clock === clock && state === 'null' && prev.state !== 'null');
      if (!newer) continue;
      if (state === 'null') this.states.delete(clientID);
      else {
        if (!prev && this.states.size >= MAX_CLIENTS_PER_ROOM)
          throw new ProtocolError('too many awareness clients in room');
        this.states.set(clientID, { clock, state, owner });
      }
      accepted.push([clientID, clock, state]);
    }
    if (decoding.hasContent(decoder)) throw new ProtocolError('trailing bytes in awareness update');
    if (accepted.length === 0) return null;
    return accepted.length === count ? update : encode(accepted);
  }

  /** Everything known, for a peer that just joined; null when empty. */
  snapshot(): Uint8Array | null {
    if (this.states.size === 0) return null;
    return encode([...this.states].map(([id, e]) => [id, e.clock, e.state]));
  }

  /** Drops the states `owner` controlled; returns the removal update to forward, or null. */
  removeOwner(owner: AwarenessOwner): Uint8Array | null {
    const removed: Array<[number, number, string]> = [];
    for (const [clientID, entry] of this.states) {
      if (entry.owner !== owner) continue;
      this.states.delete(clientID);
      removed.push([clientID, entry.clock + 1, 'null']);
    }
    return removed.length === 0 ? null : encode(removed);
  }

  /** The states each owner controls, one update per owner (handed to another process). */
  byOwner(): Map<AwarenessOwner, Uint8Array> {
    const grouped = new Map<AwarenessOwner, Array<[number, number, string]>>();
    for (const [clientID, entry] of this.states) {
      let list = grouped.get(entry.owner);
      if (!list) grouped.set(entry.owner, (list = []));
      list.push([clientID, entry.clock, entry.state]);
    }
    return new Map([...grouped].map(([owner, list]) => [owner, encode(list)]));
  }
}
