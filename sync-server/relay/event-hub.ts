// Delivers relay events to a user's connected apps (their /_events WebSockets). An event for
// a user with no app connected is kept briefly (latest per account and kind), so an app that
// reconnects within a few minutes still learns that it should sync.
export interface RelayEvent {
  readonly type: 'calendar.changed' | 'calendar.subscription';
  readonly provider: 'google' | 'microsoft';
  readonly account: string;
  readonly [extra: string]: unknown;
}

export interface EventSink {
  send(text: string): void;
}

const HOLD_MS = 15 * 60_000;
const MAX_HELD_PER_USER = 20;
const MAX_USERS_HELD = 10_000;

export class EventHub {
  private readonly sinks = new Map<string, Set<EventSink>>();
  private readonly held = new Map<string, Map<string, { text: string; at: number }>>();
  /**
   * Several processes: every event is also handed to the other processes (Redis), which call
   * deliver() for their own connected apps. Each process holds it for a user with no app
   * connected there, so an app that connects to any process soon after still learns of it.
   */
  forward?: (user: string, text: string) => void;

  add(user: string, sink: EventSink): void {
    let set = this.sinks.get(user);
    if (!set) this.sinks.set(user, (set = new Set()));
    set.add(sink);
    const held = this.held.get(user);
    if (held) {
      this.held.delete(user);
      const now = Date.now();
      for (const { text, at } of held.values()) if (now - at < HOLD_MS) sink.send(text);
    }
  }

  remove(user: string, sink: EventSink): void {
    const set = this.sinks.get(user);
    if (!set) return;
    set.delete(sink);
    if (set.size === 0) this.sinks.delete(user);
  }

  /** Sends to every app of `user`; returns how many received it (0 → held for later). */
  publish(user: string, event: RelayEvent): number {
    const text = JSON.stringify(event);
    this.forward?.(user, text);
    return this.deliver(user, text);
  }

  /** Delivers (or holds) an event as encoded by publish(), without forwarding it. */
  deliver(user: string, text: string): number {
    const event = JSON.parse(text) as RelayEvent;
    const set = this.sinks.get(user);
    if (set && set.size > 0) {
      for (const sink of set) sink.send(text);
      return set.size;
    }
    let held = this.held.get(user);
    if (!held) {
      if (this.held.size >= MAX_USERS_HELD) this.held.delete(this.held.keys().next().value as string);
      this.held.set(user, (held = new Map()));
    }
    const key = `${event.type}|${event.provider}|${event.account}`;
    held.delete(key);
    held.set(key, { text, at: Date.now() });
    if (held.size > MAX_HELD_PER_USER) held.delete(held.keys().next().value as string);
    return 0;
  }

  sweep(now = Date.now()): void {
    for (const [user, held] of this.held) {
      for (const [key, { at }] of held) if (now - at >= HOLD_MS) held.delete(key);
      if (held.size === 0) this.held.delete(user);
    }
  }
}
