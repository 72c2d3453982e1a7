// Server-side awareness (cursors, presence) without a y-protocols Awareness instance per room:
// the server never has a local state of its own, so it only needs to remember the latest state
// each client announced (for newcomers), forward changes, and announce removals when a
// connection goes. This saves the per-room timer and JSON round trips of Awareness while
// speaking its exact wire format:
//   varUint(count) { varUint(clientID) varUint(clock) varString(JSON state or "null") }*
// It also refuses what the stock server lets through (issue 12, items 1 and 4):
// - malformed JSON (which would make every other client throw);
// - one user overwriting, or squatting after it left, another user's client id;
// - a state larger than `maxStateBytes`, or states beyond the sender's byte budget;
// - more client ids than the member's share of the room's slots: each of the two members always
//   has half of them, so one member filling the room never silences the other.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { LimitError, ProtocolError } from './protocol';

export interface BudgetAccount {
  /** Charges `bytes`; returns the level it would exceed instead (nothing is charged then). */
  charge(bytes: number): string | undefined;
  release(bytes: number): void;
}

export interface AwarenessOwner {
  readonly user: string;
  /** The owner's budget for awareness bytes the server holds. */
  readonly awarenessBytes: BudgetAccount;
}

export interface AwarenessLimits {
  /** Largest single state (its JSON, in bytes). */
  readonly maxStateBytes: number;
  /** Client ids per room; each member gets half. */
  readonly maxClientsPerRoom: number;
}

interface Entry {
  clock: number;
  state: string;
  owner: AwarenessOwner;
  bytes: number;
}

const MAX_ENTRIES_PER_UPDATE = 32;
/** How many client ids the room remembers the user of, after their states are gone. */
const MAX_REMEMBERED_CLAIMS = 1024;

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
  // Which user first used each client id while the room is loaded. A client keeps its id across
  // reconnects, so without this the other member could claim it the moment the owner drops and
  // answer every later state of the owner with "not yours".
  private readonly claims = new Map<number, string>();
  private readonly slotsPerMember: number;

  constructor(private readonly limits: AwarenessLimits) {
    this.slotsPerMember = Math.max(1, Math.floor(limits.maxClientsPerRoom / 2));
  }

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
      const start = decoder.pos;
      const state = decoding.readVarString(decoder);
      const bytes = decoder.pos - start;
      // Checked before parsing: a cursor and a name need a few hundred bytes.
      if (bytes > this.limits.maxStateBytes) throw new LimitError(1009, 'awareness state too large');
      try {
        JSON.parse(state);
      } catch {
        throw new ProtocolError('awareness state is not JSON');
      }
      const claimant = this.claims.get(clientID);
      if (claimant !== undefined && claimant !== owner.user) continue; // another user's client id
      const prev = this.states.get(clientID);
      if (prev && prev.owner !== owner && prev.owner.user !== owner.user) continue;
      // y-protocols' rule: a newer clock wins; an equal clock may only remove the state.
      const newer =
        !prev || prev.clock < clock || (prev.clock === clock && state === 'null' && prev.state !== 'null');
      if (!newer) continue;
      if (state === 'null') {
        if (prev) {
          this.states.delete(clientID);
          prev.owner.awarenessBytes.release(prev.bytes);
        }
      } else {
        if (!prev) {
          if (this.countOf(owner.user) >= this.slotsPerMember)
            throw new LimitError(1008, 'awareness slots of this member are full');
          if (this.states.size >= this.limits.maxClientsPerRoom)
            throw new LimitError(1008, 'awareness slots of this room are full');
        }
        const over = owner.awarenessBytes.charge(bytes);
        if (over) throw new LimitError(1008, `awareness budget exceeded (${over})`);
        if (prev) prev.owner.awarenessBytes.release(prev.bytes);
        this.states.set(clientID, { clock, state, owner, bytes });
        this.claim(clientID, owner.user);
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
      owner.awarenessBytes.release(entry.bytes);
      removed.push([clientID, entry.clock + 1, 'null']);
    }
    return removed.length === 0 ? null : encode(removed);
  }

  private countOf(user: string): number {
    let n = 0;
    for (const entry of this.states.values()) if (entry.owner.user === user) n++;
    return n;
  }

  private claim(clientID: number, user: string): void {
    if (this.claims.has(clientID)) return;
    if (this.claims.size >= MAX_REMEMBERED_CLAIMS) {
      // Forget the oldest claim whose state is gone; live states keep theirs.
      for (const id of this.claims.keys()) {
        if (!this.states.has(id)) {
          this.claims.delete(id);
          break;
        }
      }
    }
    this.claims.set(clientID, user);
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
