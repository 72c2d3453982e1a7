// Group commit: every update any room produces joins one queue; whatever accumulated while
// the previous batch was being written goes to storage as the next single batch, and only
// then is each update delivered to its room's other peers. Under load the batches grow, so
// the cost per update falls instead of latency piling up. Compactions travel in the same
// queue, so they always land after the updates they replace.
import { createHistogram } from 'node:perf_hooks';
import type { SyncStorage } from '../storage/types';
import type { Room, UpdateSink } from './room';

type Item =
  | { kind: 'append'; room: Room; update: Uint8Array; origin: unknown }
  | { kind: 'compact'; room: Room; state: Uint8Array; upToSeq?: number; done: (err?: unknown) => void };

export interface WriteQueueHooks {
  /** The update is stored (as number `seq`, with numbered storage) and was delivered to the room. */
  stored(room: Room, update: Uint8Array, seq: number | undefined): void;
  /** Storing failed; the rooms' updates were not delivered. */
  failed(rooms: ReadonlySet<Room>, error: unknown): void;
  /** An unexpected error escaped the queue itself. */
  crashed(error: unknown): void;
}

const MAX_BATCH_ITEMS = 2000;

export class WriteQueue implements UpdateSink {
  private items: Item[] = [];
  private running = false;
  private idleWaiters: Array<() => void> = [];
  /** Time from handing a batch to storage until it is stored, in ns (for /healthz). */
  readonly batchLatency = createHistogram();
  /** Updates per stored batch. */
  readonly batchSize = createHistogram();

  constructor(
    private readonly storage: SyncStorage,
    private readonly hooks: WriteQueueHooks,
  ) {}

  get length(): number {
    return this.items.length;
  }

  /** Set by the fan-out (several processes): told about accepted awareness changes. */
  awarenessChanged?: (room: Room, update: Uint8Array, user: string) => void;

  persist(room: Room, update: Uint8Array, origin: unknown): void {
    this.items.push({ kind: 'append', room, update, origin });
    this.kick();
  }

  /**
   * `upToSeq` (numbered storage): the room's compactable number taken when `state` was
   * encoded. Taken later it could count updates from other processes that `state` lacks.
   */
  compact(room: Room, state: Uint8Array, upToSeq?: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.items.push({
        kind: 'compact',
        room,
        state,
        upToSeq,
        done: (err) => (err === undefined ? resolve() : reject(err)),
      });
      this.kick();
    });
  }

  /** Resolves when everything queued so far (and since) is written. */
  drain(): Promise<void> {
    if (!this.running && this.items.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private kick(): void {
    if (this.running) return;
    this.running = true;
    // setImmediate: let every frame already read in this I/O phase join the batch.
    setImmediate(() => {
      this.run().catch((error: unknown) => {
        // A bug in a hook must not wedge the queue (or crash the process on an unhandled
        // rejection): report it and keep draining.
        this.hooks.crashed(error);
        this.running = false;
        if (this.items.length > 0) this.kick();
      });
    });
  }

  private async run(): Promise<void> {
    while (this.items.length > 0) {
      const head = this.items[0]!;
      if (head.kind === 'compact') {
        this.items.shift();
        try {
          if (!head.room.broken) await this.storage.compact(head.room.id, head.state, head.upToSeq);
          head.done();
        } catch (err) {
          head.done(err);
        }
        continue;
      }
      let end = 0;
      while (end < this.items.length && end < MAX_BATCH_ITEMS && this.items[end]!.kind === 'append') end++;
      const batch = this.items.splice(0, end) as Array<Extract<Item, { kind: 'append' }>>;
      const live = batch.filter((item) => !item.room.broken);
      let seqs: readonly number[] | void = undefined;
      try {
        const started = process.hrtime.bigint();
        if (live.length > 0) {
          seqs = await this.storage.appendUpdates(
            live.map((item) => ({ roomId: item.room.id, update: item.update })),
          );
          this.batchLatency.record(Math.max(1, Number(process.hrtime.bigint() - started)));
          this.batchSize.record(live.length);
        }
      } catch (error) {
        const rooms = new Set(batch.map((item) => item.room));
        for (const item of batch) item.room.fail();
        this.hooks.failed(rooms, error);
        continue;
      }
      let i = 0;
      for (const item of batch) {
        if (item.room.broken) item.room.fail();
        else {
          // `live` is `batch` without the broken rooms, in order: its numbers line up here.
          const seq = seqs ? seqs[i] : undefined;
          item.room.deliver(item.update, item.origin, seq);
          this.hooks.stored(item.room, item.update, seq);
        }
        if (live[i] === item) i++;
      }
    }
    this.running = false;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
