// One shared document and the peers editing it. Transport-free (a Peer is anything that can
// send bytes and be closed) and storage-free (updates leave through an UpdateSink, which
// calls deliver() once the update is stored). A later Redis-backed deployment reuses this
// class with another sink and transport.
import { createHash } from 'node:crypto';
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import type { WorkJob } from '../limits/fair-work-queue';
import { TokenBucket } from '../limits/token-bucket';
import {
  AwarenessRelay,
  type AwarenessLimits,
  type AwarenessOwner,
  type BudgetAccount,
} from './awareness-relay';
import { checkAgendaUpdate, mayTouchAgenda, UpdateRefusedError } from './agenda-guard';
import { SeqTracker } from './seq-tracker';
import {
  MESSAGE_AUTH,
  MESSAGE_AWARENESS,
  MESSAGE_QUERY_AWARENESS,
  MESSAGE_SYNC,
  LimitError,
  ProtocolError,
  SYNC_STEP1,
  SYNC_STEP2,
  SYNC_UPDATE,
  encodeAwarenessMessage,
  encodeSyncPayload,
  encodeSyncStep1,
} from './protocol';

export interface Peer {
  /** Verified email of the connected user. */
  readonly user: string;
  /** Awareness bytes the room holds for this peer. */
  readonly awarenessBytes: BudgetAccount;
  /** Bytes waiting to be sent to this peer (computed replies, the socket's buffer). */
  readonly outgoingBytes: BudgetAccount;
  /** `prepaid`: the bytes were already charged to outgoingBytes (the peer releases them). */
  send(message: Uint8Array, prepaid?: boolean): void;
  close(code: number, reason: string): void;
  /** Closes the peer for going over a limit outside a frame handler (counted like a thrown one). */
  overLimit(error: LimitError): void;
  /** Closes the peer for an update refused outside a frame handler (counted like a thrown one). */
  refused(error: UpdateRefusedError): void;
}

/** Where sync replies are computed: later, in turns per user (limits/fair-work-queue.ts). */
export interface ReplyWork {
  enqueue(user: string, job: WorkJob): void;
}

export interface RoomLimits extends AwarenessLimits {
  /** Yjs updates whose dependencies have not arrived, held per room (bytes, and updates). */
  readonly maxPendingBytes: number;
  readonly maxPendingUpdates: number;
  /** Sync requests (step 1) per connection: burst, then per second. */
  readonly syncRequestsBurst: number;
  readonly syncRequestsPerSecond: number;
}

/** What the room remembers about one connected peer. */
interface PeerState {
  readonly syncRequests: TokenBucket;
  /** Updates that need the agenda's exact check (a copy of the document each). */
  readonly agendaChecks: TokenBucket;
  /** Requests (keyed by their state vector) queued or computed and not yet handed to the peer. */
  readonly awaiting: Set<string>;
  /** Targets (the relevant part of a state vector) whose reply is queued and not yet computed. */
  readonly queued: Set<string>;
  /**
   * Updates waiting for the agenda's exact check, and every later update of the peer behind
   * them (so the peer's updates apply in the order sent), with their bytes.
   */
  readonly held: Uint8Array[];
  heldBytes: number;
  /** The last state vector answered, and the document version the answer reflected. */
  answered?: string;
  answeredVersion?: number;
}

/** Yjs keeps updates with missing dependencies here (not part of its typed API). */
interface PendingStore {
  pendingStructs: { update: Uint8Array } | null;
  pendingDs: Uint8Array | null;
}

/** A state vector's relevant part as a key: the same key, the same reply. */
function keyOf(target: Map<number, number>): string {
  return [...target]
    .sort((a, b) => a[0] - b[0])
    .map(([client, clock]) => `${client}:${clock}`)
    .join(',');
}

// Users connected to other processes: their process charged their budgets already.
/**
 * Updates of one peer waiting behind an agenda check: a client sends one update per change, and a
 * person makes a handful a second; a peer past these is not waited for but closed.
 */
const MAX_HELD_UPDATES = 256;
const MAX_HELD_BYTES = 8 * 1024 * 1024;

const UNMETERED: BudgetAccount = { charge: () => undefined, release: () => undefined };

export interface UpdateSink {
  /** Store the update, then call room.deliver(update, origin) (or room.fail on error). */
  persist(room: Room, update: Uint8Array, origin: unknown): void;
  /** A peer's awareness change was accepted (the fan-out forwards it to other processes). */
  awarenessChanged?(room: Room, update: Uint8Array, user: string): void;
}

// Origin of updates another process already stored: applied and relayed, never stored again.
const STORED_ELSEWHERE = Symbol('stored elsewhere');

export class Room {
  readonly doc: Y.Doc;
  readonly peers = new Set<Peer>();
  private readonly awareness: AwarenessRelay;
  private readonly peerStates = new Map<Peer, PeerState>();
  /** Bumped on every update the document integrates: a reply made at version v is still current. */
  private version = 0;
  /** Received updates that added to the pending (not yet applicable) structs since they were empty. */
  private pendingUpdates = 0;
  // Updates handed to the sink, and how many of them were settled (stored or failed). The
  // sink settles them in order, so "settled >= n" means the first n are done.
  private handed = 0;
  private settled = 0;
  private afterStoredQueue: Array<{ target: number; task: () => void }> = [];
  /** Records in storage for this room; the manager compacts when it grows. */
  storedUpdates: number;
  broken = false;
  /** Numbered storage only: which stored updates the doc holds (docs/architecture.md §7). */
  readonly seqs: SeqTracker | undefined;
  // Awareness owners standing for the users connected to other processes.
  private readonly remoteOwners = new Map<string, AwarenessOwner>();
  // The last sync reply computed, for the next request that asks the same of the same version
  // (every client joining a room at rest asks for the same thing).
  private lastReply: { key: string; version: number; reply: Uint8Array } | undefined;

  /** `lastSeq`: with numbered storage, the number of the last stored update loaded. */
  constructor(
    readonly id: string,
    stored: readonly Uint8Array[],
    private readonly sink: UpdateSink,
    private readonly limits: RoomLimits,
    private readonly work: ReplyWork,
    lastSeq?: number,
  ) {
    this.awareness = new AwarenessRelay(limits);
    this.seqs = lastSeq === undefined ? undefined : new SeqTracker(lastSeq);
    // guid given: the default one costs dozens of getRandomValues calls per room load.
    this.doc = new Y.Doc({ gc: true, guid: id });
    // Everything stored is applied before the update listener exists and before any peer is
    // admitted: a peer never sees (or syncs against) a partially loaded document.
    Y.transact(this.doc, () => {
      for (const update of stored) Y.applyUpdate(this.doc, update);
    });
    this.storedUpdates = stored.length;
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      this.version++;
      this.lastReply = undefined;
      if (origin === STORED_ELSEWHERE) {
        this.broadcast(encodeSyncPayload(SYNC_UPDATE, update), null);
        return;
      }
      this.handed++;
      this.sink.persist(this, update, origin);
    });
  }

  /** The highest number a compaction of the current doc may replace (numbered storage). */
  get compactableSeq(): number | undefined {
    return this.seqs?.contiguous;
  }

  /**
   * An update another process stored under `seq` (fan-out or catch-up): applied once, relayed
   * to our peers, not stored again. Returns false when the doc already had it.
   */
  applyStored(update: Uint8Array, seq: number): boolean {
    if (!this.seqs || this.seqs.has(seq) || this.broken) return false;
    this.seqs.add(seq);
    this.storedUpdates++;
    Y.applyUpdate(this.doc, update, this.remoteOrigin());
    return true;
  }

  /** Awareness from a user connected to another process: kept for newcomers and relayed. */
  applyRemoteAwareness(user: string, update: Uint8Array): void {
    let owner = this.remoteOwners.get(user);
    if (!owner) this.remoteOwners.set(user, (owner = { user, awarenessBytes: UNMETERED }));
    let forward: Uint8Array | null;
    try {
      forward = this.awareness.apply(owner, update);
    } catch (error) {
      // Over this room's share here (the other process checked its own): dropped, not relayed.
      if (error instanceof LimitError || error instanceof ProtocolError) return;
      throw error;
    }
    if (forward) this.broadcast(encodeAwarenessMessage(forward), null);
  }

  /** The awareness states of this process's own peers, per user (for another process). */
  localAwareness(): Array<{ user: string; update: Uint8Array }> {
    const out: Array<{ user: string; update: Uint8Array }> = [];
    for (const [owner, update] of this.awareness.byOwner()) {
      if (this.peers.has(owner as Peer)) out.push({ user: owner.user, update });
    }
    return out;
  }

  /**
   * Rows read back from storage after missing messages: all applied (Yjs ignores what the doc
   * has), then every number up to the last row counts as held: a compacted state covers the
   * numbers it replaced.
   */
  applyCaughtUp(rows: ReadonlyArray<{ seq: number; update: Uint8Array }>): void {
    if (!this.seqs || this.broken || rows.length === 0) return;
    const origin = this.remoteOrigin();
    Y.transact(
      this.doc,
      () => {
        for (const { seq, update } of rows) {
          if (!this.seqs!.has(seq)) this.storedUpdates++;
          Y.applyUpdate(this.doc, update, origin);
        }
      },
      origin,
    );
    this.seqs.coverUpTo(rows[rows.length - 1]!.seq);
  }

  // A peer's update still waiting for its dependencies was never stored; if another process's
  // update completes it, what comes out must be stored here too (null: the local path).
  private remoteOrigin(): symbol | null {
    const store = this.doc.store;
    return store.pendingStructs !== null || store.pendingDs !== null ? null : STORED_ELSEWHERE;
  }

  get hasPendingWrites(): boolean {
    return this.settled < this.handed;
  }

  join(peer: Peer): void {
    this.peers.add(peer);
    this.peerStates.set(peer, {
      syncRequests: new TokenBucket(this.limits.syncRequestsBurst, this.limits.syncRequestsPerSecond),
      // A person deletes topics by hand: 30 at once, then 5 a second, is far above that.
      agendaChecks: new TokenBucket(30, 5),
      awaiting: new Set(),
      queued: new Set(),
      held: [],
      heldBytes: 0,
    });
    peer.send(encodeSyncStep1(this.doc));
    const snapshot = this.awareness.snapshot();
    if (snapshot) peer.send(encodeAwarenessMessage(snapshot));
  }

  leave(peer: Peer): void {
    if (!this.peers.delete(peer)) return;
    this.peerStates.delete(peer);
    const removal = this.awareness.removeOwner(peer);
    if (removal) {
      this.broadcast(encodeAwarenessMessage(removal), peer);
      this.sink.awarenessChanged?.(this, removal, peer.user);
    }
  }

  /** Handles one frame; throws ProtocolError (or a decoding error) for a frame to refuse. */
  receive(peer: Peer, frame: Uint8Array): void {
    const decoder = decoding.createDecoder(frame);
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case MESSAGE_SYNC: {
        const step = decoding.readVarUint(decoder);
        const payload = decoding.readVarUint8Array(decoder);
        this.ensureConsumed(decoder);
        if (step === SYNC_STEP1) {
          this.answerSyncRequest(peer, payload);
        } else if (step === SYNC_STEP2 || step === SYNC_UPDATE) {
          this.receiveUpdate(peer, payload);
        } else {
          throw new ProtocolError(`unknown sync step ${step}`);
        }
        return;
      }
      case MESSAGE_AWARENESS: {
        const update = decoding.readVarUint8Array(decoder);
        this.ensureConsumed(decoder);
        const forward = this.awareness.apply(peer, update);
        // Echoed to the sender too (as the stock server does): a lone client's only traffic is
        // its own 15-second awareness renewal, and y-websocket reconnects after 30 s of silence.
        if (forward) {
          this.broadcast(encodeAwarenessMessage(forward), null);
          this.sink.awarenessChanged?.(this, forward, peer.user);
        }
        return;
      }
      case MESSAGE_QUERY_AWARENESS: {
        const snapshot = this.awareness.snapshot();
        if (snapshot) peer.send(encodeAwarenessMessage(snapshot));
        return;
      }
      case MESSAGE_AUTH:
        // Server-to-client only in y-websocket; a client has no business sending it.
        throw new ProtocolError('auth messages are not accepted from clients');
      default:
        throw new ProtocolError(`unknown message type ${type}`);
    }
  }

  /**
   * The author rule (docs/architecture.md §5): an update is refused before the doc sees it, so
   * one that breaks the rule is neither stored nor relayed. Most updates are cleared by the
   * pre-filter (linear in their bytes) and applied at once. One that may touch the agenda needs
   * the exact check, a copy of the whole document: it waits for the sender's turn in the fair
   * work queue (limits/fair-work-queue.ts), charged the document's size to the sender's budget,
   * never run inside the frame handler; the peer's later updates wait behind it, in order.
   */
  private receiveUpdate(peer: Peer, payload: Uint8Array): void {
    const state = this.peerStates.get(peer);
    if (!state) return;
    if (state.held.length === 0 && !mayTouchAgenda(this.doc, payload)) {
      this.applyFrom(peer, payload);
      return;
    }
    if (state.held.length >= MAX_HELD_UPDATES || state.heldBytes + payload.byteLength > MAX_HELD_BYTES)
      throw new LimitError(1008, 'too many updates waiting for the agenda check');
    state.held.push(payload);
    state.heldBytes += payload.byteLength;
    this.work.enqueue(peer.user, () => this.applyHeld(peer, state));
  }

  /** One held update of `peer`, oldest first: checked against the doc as it is now, then applied. */
  private applyHeld(peer: Peer, state: PeerState): number {
    const payload = state.held.shift();
    if (!payload) return 0;
    state.heldBytes -= payload.byteLength;
    if (!this.peers.has(peer) || this.broken) {
      state.held.length = 0;
      state.heldBytes = 0;
      return 0;
    }
    let copied = 0;
    try {
      copied = checkAgendaUpdate(this.doc, payload, peer.user, () => state.agendaChecks.take());
      this.applyFrom(peer, payload);
    } catch (error) {
      // What follows it from the same peer is dropped with it: the peer is closed, and syncs
      // everything again when it reconnects.
      state.held.length = 0;
      state.heldBytes = 0;
      if (error instanceof LimitError) peer.overLimit(error);
      else if (error instanceof UpdateRefusedError) {
        copied = error.copiedBytes;
        peer.refused(error);
      }
      else peer.refused(new UpdateRefusedError(1008, 'update could not be read'));
    }
    return copied;
  }

  private applyFrom(peer: Peer, payload: Uint8Array): void {
    const before = this.pendingBytes();
    // Triggers the doc's 'update' event synchronously when it adds anything.
    Y.applyUpdate(this.doc, payload, peer);
    this.checkPending(peer, before);
  }

  /**
   * A sync request (step 1): the reply is the whole document the requester lacks, so each one
   * costs up to the document's size. Bounded four ways (issue 12, item 2): a request identical
   * to one being answered, or already answered with nothing new since, is answered once; each
   * connection has a request rate; the reply is computed later, in the user's turn and within
   * the user's budget of reply bytes (limits/fair-work-queue.ts), never inside the frame
   * handler; and it is charged to the peer's outgoing budget before it is queued, so a client
   * that does not read is closed instead of buffered for.
   */
  private answerSyncRequest(peer: Peer, stateVector: Uint8Array): void {
    const state = this.peerStates.get(peer);
    if (!state) return;
    // Decoded now, so a malformed vector is refused with the frame that carried it; only the
    // clients this document has matter to the reply, so that is all that is kept.
    const target = this.relevantPart(Y.decodeStateVector(stateVector));
    const key =
      stateVector.byteLength <= 48
        ? Buffer.from(stateVector).toString('base64')
        : createHash('sha256').update(stateVector).digest('base64');
    if (state.awaiting.has(key)) return;
    if (state.answered === key && state.answeredVersion === this.version) return;
    if (!state.syncRequests.take()) throw new LimitError(1008, 'too many sync requests');
    // A reply for the same target already queued for this peer answers this request too: it
    // is computed when it runs, so it holds at least everything this one would.
    const targetKey = keyOf(target);
    if (state.queued.has(targetKey)) return;
    state.queued.add(targetKey);
    state.awaiting.add(key);
    this.work.enqueue(peer.user, () => {
      state.queued.delete(targetKey);
      if (!this.peers.has(peer) || this.broken) {
        state.awaiting.delete(key);
        return 0;
      }
      const version = this.version;
      const { reply, computed } = this.replyFor(target, targetKey);
      const over = peer.outgoingBytes.charge(reply.byteLength);
      if (over) {
        state.awaiting.delete(key);
        peer.overLimit(new LimitError(1013, `not reading fast enough (${over} send budget)`));
        return computed ? reply.byteLength : 0;
      }
      // Computed now, sent once everything it may contain is stored: nothing leaves the server
      // that a crash could take back.
      this.afterStored(() => {
        state.awaiting.delete(key);
        state.answered = key;
        state.answeredVersion = version;
        if (this.peers.has(peer)) peer.send(reply, true);
        else peer.outgoingBytes.release(reply.byteLength);
      });
      return computed ? reply.byteLength : 0;
    });
  }

  /**
   * The part of a requester's state vector that shapes the reply: clients this document has,
   * with clocks no higher than its own (a higher clock asks for nothing more). Requests that
   * differ only elsewhere get the same reply, and share the cached one.
   */
  private relevantPart(requested: Map<number, number>): Map<number, number> {
    const own = Y.decodeStateVector(Y.encodeStateVector(this.doc));
    const part = new Map<number, number>();
    for (const [client, clock] of requested) {
      const have = own.get(client);
      if (have !== undefined && clock > 0) part.set(client, Math.min(clock, have));
    }
    return part;
  }

  /** The step-2 frame for `target`, from the cache when nothing changed since it was made. */
  private replyFor(target: Map<number, number>, key: string): { reply: Uint8Array; computed: boolean } {
    const cached = this.lastReply;
    if (cached && cached.key === key && cached.version === this.version)
      return { reply: cached.reply, computed: false };
    const reply = encodeSyncPayload(SYNC_STEP2, Y.encodeStateAsUpdate(this.doc, Y.encodeStateVector(target)));
    this.lastReply = { key, version: this.version, reply };
    return { reply, computed: true };
  }

  private pendingBytes(): number {
    const store = this.doc.store as unknown as PendingStore;
    return (store.pendingStructs?.update.byteLength ?? 0) + (store.pendingDs?.byteLength ?? 0);
  }

  /**
   * Updates whose dependencies never arrive stay pending and are merged and retried on every
   * later update, so their size makes each update cost more (issue 12, item 3). Over the room's
   * limit the sender that grew them is closed and they are dropped: Yjs never emitted them, so
   * they were neither stored nor delivered, and a client that really has their dependencies
   * sends everything again when it reconnects and syncs.
   */
  private checkPending(_peer: Peer, before: number): void {
    const bytes = this.pendingBytes();
    if (bytes === 0) {
      this.pendingUpdates = 0;
      return;
    }
    if (bytes <= before) return; // this update did not add to them
    this.pendingUpdates++;
    if (bytes <= this.limits.maxPendingBytes && this.pendingUpdates <= this.limits.maxPendingUpdates) return;
    const store = this.doc.store as unknown as PendingStore;
    store.pendingStructs = null;
    store.pendingDs = null;
    this.pendingUpdates = 0;
    throw new LimitError(1008, 'too many updates with missing dependencies');
  }

  /** Called by the sink once `update` is stored (as number `seq`): now the other peers may see it. */
  deliver(update: Uint8Array, origin: unknown, seq?: number): void {
    this.storedUpdates++;
    if (seq !== undefined) this.seqs?.add(seq);
    if (this.peers.size > 1 || (this.peers.size === 1 && !this.peers.has(origin as Peer))) {
      this.broadcast(encodeSyncPayload(SYNC_UPDATE, update), origin);
    }
    this.settle();
  }

  /** Called by the sink when storing failed: nothing of it is broadcast. */
  fail(): void {
    this.broken = true;
    this.settle();
  }

  /**
   * Runs `task` once every update handed to the sink so far is settled. Later updates do not
   * hold it back, so a steady stream of edits cannot starve a sync reply.
   */
  afterStored(task: () => void): void {
    if (this.settled >= this.handed) task();
    else this.afterStoredQueue.push({ target: this.handed, task });
  }

  whenStored(): Promise<void> {
    return new Promise((resolve) => this.afterStored(resolve));
  }

  destroy(): void {
    this.lastReply = undefined;
    this.doc.destroy();
    this.peers.clear();
  }

  private settle(): void {
    this.settled++;
    while (this.afterStoredQueue.length > 0 && this.afterStoredQueue[0]!.target <= this.settled) {
      this.afterStoredQueue.shift()!.task();
    }
  }

  private broadcast(message: Uint8Array, except: unknown): void {
    for (const peer of this.peers) if (peer !== except) peer.send(message);
  }

  private ensureConsumed(decoder: decoding.Decoder): void {
    if (decoding.hasContent(decoder)) throw new ProtocolError('trailing bytes after message');
  }
}
