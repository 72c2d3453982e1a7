// One account's push channel (Google watch channel / Graph subscription) through the sync
// server's relay (docs/architecture.md §6): registered with the relay BEFORE the provider is
// asked (so the first notification already finds it), renewed before it expires, stopped on
// disconnect. Its id and expiry are kept in main's store, so a restart reuses a live channel.
import { randomBytes, randomUUID } from 'node:crypto';
import type { KeyValueStore } from '../storage/types';
import type { CalendarProvider, PushChannel } from './provider';
import type { RelayClient } from './relay-client';
import type { Timers } from './timers';

export interface PushChannelOptions {
  accountId: string;
  /** The account's email: what the relay forwards events under. */
  accountEmail: string;
  calendarId: string;
  provider: CalendarProvider;
  relay: RelayClient;
  store: KeyValueStore;
  timers: Timers;
  /** Asked-for lifetime of a channel (providers may shorten it). Default 7 days. */
  lifetimeMs?: number;
  /** Renew this long before expiry. Default a tenth of the lifetime actually granted. */
  renewBeforeMs?: number;
  onError(err: unknown): void;
  onChange(): void;
}

export interface PushChannelHandle {
  readonly active: boolean;
  readonly channel: PushChannel | null;
  start(): Promise<void>;
  /** Renews now (Graph reauthorizationRequired), or opens a new channel if the provider dropped it. */
  renew(): Promise<void>;
  /** Opens a new channel in place of the current one (Graph subscriptionRemoved). */
  reopen(): Promise<void>;
  /** Stops the channel at the provider and the relay; forgets it. */
  stop(): Promise<void>;
  /** Forgets timers only (app shutdown: the channel stays for the next start). */
  detach(): void;
}

const DAY = 86_400_000;
const storeKey = (accountId: string) => `calendarPush.${accountId}`;

export function createPushChannel(o: PushChannelOptions): PushChannelHandle {
  const lifetime = o.lifetimeMs ?? 7 * DAY;
  let channel: PushChannel | null = null;
  let timer: unknown = null;
  let stopped = false;

  const save = () => {
    if (channel) o.store.set(storeKey(o.accountId), channel);
    else o.store.delete(storeKey(o.accountId));
    o.onChange();
  };

  const schedule = () => {
    if (timer !== null) o.timers.clearTimeout(timer);
    timer = null;
    if (!channel || stopped) return;
    const remaining = channel.expiresAt - o.timers.now();
    const before = o.renewBeforeMs ?? Math.max(60_000, remaining / 10);
    timer = o.timers.setTimeout(
      () => {
        timer = null;
        handle.renew().catch(o.onError);
      },
      Math.max(0, remaining - before),
    );
  };

  const release = async (old: PushChannel) => {
    // Best effort: an already expired or stopped channel is what we want anyway.
    await o.provider.unwatch(old).catch(() => undefined);
    await o.relay.unregister(old.provider, old.id).catch(() => undefined);
  };

  const open = async (): Promise<PushChannel> => {
    const secret = randomBytes(24).toString('base64url');
    const channelId = `duet-${randomUUID()}`;
    const expiresAt = o.timers.now() + lifetime;
    const base = { account: o.accountEmail, calendarId: o.calendarId, expiration: expiresAt };
    if (o.provider.provider === 'google') {
      await o.relay.register({ provider: 'google', channelId, token: secret, ...base });
    } else {
      await o.relay.register({ provider: 'microsoft', clientState: secret, ...base });
    }
    const opened = await o.provider.watch({
      calendarId: o.calendarId,
      address: o.relay.hookAddress(o.provider.provider),
      channelId,
      secret,
      expiresAt,
    });
    if (opened.provider === 'microsoft') {
      // Bind the registration to the subscription Graph created: another subscription that learnt
      // the clientState could not notify through it.
      await o.relay.register({
        provider: 'microsoft',
        clientState: secret,
        subscriptionId: opened.id,
        ...base,
        expiration: opened.expiresAt,
      });
    }
    return opened;
  };

  const handle: PushChannelHandle = {
    get active() {
      return channel !== null && channel.expiresAt > o.timers.now();
    },
    get channel() {
      return channel;
    },

    async start() {
      stopped = false;
      const kept = o.store.get<PushChannel>(storeKey(o.accountId));
      if (
        kept &&
        kept.provider === o.provider.provider &&
        kept.calendarId === o.calendarId &&
        kept.expiresAt > o.timers.now() + 60_000
      ) {
        channel = kept;
      } else {
        if (kept) await release(kept);
        channel = await open();
      }
      save();
      schedule();
    },

    async renew() {
      if (!channel || stopped) return;
      const renewed = await o.provider.renew(channel, o.timers.now() + lifetime);
      if (renewed) {
        channel = renewed;
        save();
        schedule();
        return;
      }
      await handle.reopen();
    },

    async reopen() {
      if (stopped) return;
      const old = channel;
      // The new channel is live before the old one stops: no gap in which a change goes unnoticed.
      channel = await open();
      save();
      schedule();
      if (old) await release(old);
    },

    async stop() {
      stopped = true;
      if (timer !== null) o.timers.clearTimeout(timer);
      timer = null;
      const old = channel ?? o.store.get<PushChannel>(storeKey(o.accountId)) ?? null;
      channel = null;
      save();
      if (old) await release(old);
    },

    detach() {
      stopped = true;
      if (timer !== null) o.timers.clearTimeout(timer);
      timer = null;
    },
  };
  return handle;
}
