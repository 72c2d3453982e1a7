// The calendar sync scheduler (src-main/calendar/scheduler.ts) over both providers against the
// sandbox, with the real SDKs, a real sync server as the push relay, main's JSON-file store, and
// a hand-moved clock: import with progress, incremental rounds after every kind of edit, 410,
// 429 and 5xx bursts, offline and back, push end to end and the poll when push is dropped,
// renewal before expiry, disconnect, and a host killed in the middle of an import.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGoogleProvider } from '../../../src-main/calendar/google-provider';
import { createGraphProvider } from '../../../src-main/calendar/graph-provider';
import type { CalendarProvider } from '../../../src-main/calendar/provider';
import { createRelayClient } from '../../../src-main/calendar/relay-client';
import {
  createCalendarScheduler,
  type CalendarSyncScheduler,
  type SchedulerOptions,
} from '../../../src-main/calendar/scheduler';
import type { AccountRecord } from '../../../src-main/services/types';
import { jsonFileStore } from '../../../src-main/storage/json-file';
import type { KeyValueStore } from '../../../src-main/storage/types';
import type { CalendarBatch } from '../../../src-shared/bridge/contract';
import { isTombstone } from '../../../src-shared/calendar/change-schema';
import type { CalendarEvent } from '../../../src-shared/engine/model';
import { startSyncServer, type SyncServerHandle } from '../../../sync-server';
import { ManualTimers } from '../../support/manual-timers';
import { googleCalendar } from '../../support/sandbox-clients';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { ANA, LEE, MAYA, SAM } from '../../support/seed-people';

const DAY = 86_400_000;
const MINUTE = 60_000;
const AUDIENCE = 'duet-sync';

let sb: TestSandbox;
let relay: SyncServerHandle;
const dirs: string[] = [];

beforeAll(async () => {
  sb = await startTestSandbox();
  relay = await startSyncServer({
    issuers: [sb.issuer],
    audiences: [AUDIENCE],
    trustedCertificates: [readFileSync(sb.caCertPath, 'utf8')],
    logLevel: 'silent',
  });
});
afterAll(async () => {
  await relay?.close();
  await sb?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

type ProviderName = 'google' | 'microsoft';

function makeProvider(name: ProviderName, token: () => Promise<string>, base?: string): CalendarProvider {
  return name === 'google'
    ? createGoogleProvider({
        rootUrl: base ?? sb.googleRootUrl,
        accessToken: token,
        accountId: `acc-${name}`,
        pageSize: 6,
      })
    : createGraphProvider({
        graphBaseUrl: base ?? sb.graphBaseUrl,
        accessToken: token,
        accountId: `acc-${name}`,
        ownerEmail: MAYA,
        pageSize: 6,
      });
}

/** Maya's account as sign-in would record it; tokens straight from the sandbox (sign-in is tested elsewhere). */
class TestAccounts {
  readonly listeners = new Set<() => void>();
  records: AccountRecord[];
  constructor(readonly name: ProviderName) {
    this.records = [
      {
        id: `acc-${name}`,
        provider: name,
        sandbox: true,
        email: MAYA,
        name: 'Maya Chen',
        auth: 'connected',
        connectedAt: 1,
      },
    ];
  }
  list = () => this.records;
  onChange = (l: () => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };
  getAccessToken = () => sb.accessToken(MAYA, this.name);
  endpoints = () => ({ googleRootUrl: sb.googleRootUrl, graphBaseUrl: sb.graphBaseUrl });
  remove() {
    this.records = [];
    for (const l of this.listeners) l();
  }
}

/** The renderer's side: stores each batch (replace clears first) and acknowledges it. */
class Renderer {
  readonly events = new Map<string, CalendarEvent>();
  readonly batches: CalendarBatch[] = [];
  take(sync: CalendarSyncScheduler, ok = true): CalendarBatch | null {
    const batch = sync.nextBatch();
    if (!batch) return null;
    if (ok) {
      if (batch.replace) this.events.clear();
      for (const c of batch.changes) {
        if (isTombstone(c)) this.events.delete(c.id);
        else this.events.set(c.id, c);
      }
      this.batches.push(batch);
    }
    sync.ackBatch(batch.id, ok, ok ? undefined : 'disk full');
    return batch;
  }
  /** Stores batches as they come until one carries an event titled `title`. */
  async until(sync: CalendarSyncScheduler, title: string, timeoutMs = 8000): Promise<CalendarBatch> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const batch = await this.next(sync, Math.max(1, deadline - Date.now()));
      if (batch.changes.some((c) => !isTombstone(c) && c.title === title)) return batch;
    }
  }
  /** Waits for the next batch and stores it. */
  async next(sync: CalendarSyncScheduler, timeoutMs = 8000): Promise<CalendarBatch> {
    await waitFor(() => sync.nextBatch() !== null, timeoutMs, 'a batch');
    return this.take(sync) as CalendarBatch;
  }
}

/** What a calendar shows: live events with their times, title and answers. */
function picture(events: Iterable<CalendarEvent>): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of events) {
    if (e.status === 'cancelled') continue;
    const answers = e.attendees
      .map((a) => `${a.email.toLowerCase()}:${a.response ?? ''}`)
      .sort()
      .join(',');
    out.set(
      e.id,
      `${Date.parse(e.start)}|${Date.parse(e.end)}|${e.title}|${answers}|${(e.recurrence ?? []).join(';')}`,
    );
  }
  return out;
}

async function fullPicture(
  name: ProviderName,
  calendarId: string,
  now: number,
): Promise<Map<string, string>> {
  const provider = makeProvider(name, () => sb.accessToken(MAYA, name));
  const round = await provider.fullImport(calendarId, { from: now - 30 * DAY, to: now + 28 * DAY });
  return picture(round.changes.filter((c): c is CalendarEvent => !isTombstone(c)));
}

async function waitFor(
  probe: () => boolean,
  timeoutMs = 8000,
  what: string | (() => string) = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((r) => setTimeout(r, 15));
  }
}
async function until<T>(probe: () => Promise<T | null>, what: string, timeoutMs = 8000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 30));
  }
}
const settle = (ms = 300) => new Promise((r) => setTimeout(r, ms));

function tempStore(): KeyValueStore {
  const dir = mkdtempSync(join(tmpdir(), 'duet-sched-'));
  dirs.push(dir);
  return jsonFileStore(join(dir, 'main.json'));
}

const slot = (daysAhead: number, hour: number, minutes = 30) => {
  const start = new Date(Date.now() + daysAhead * DAY);
  start.setUTCHours(hour, 0, 0, 0);
  return {
    start: { dateTime: start.toISOString() },
    end: { dateTime: new Date(start.getTime() + minutes * MINUTE).toISOString() },
  };
};

describe.each(['google', 'microsoft'] as const)('calendar scheduler: %s', (name) => {
  let timers: ManualTimers;
  let accounts: TestAccounts;
  let store: KeyValueStore;
  let renderer: Renderer;
  const running: CalendarSyncScheduler[] = [];
  const readPath = name === 'google' ? '/calendar/v3/calendars/' : '/v1.0/me/calendars/';

  const start = (extra: Partial<SchedulerOptions> = {}): CalendarSyncScheduler => {
    const sync = createCalendarScheduler({
      accounts,
      store,
      pollMinutes: () => 5,
      providerFor: () => makeProvider(name, () => sb.accessToken(MAYA, name)),
      timers,
      random: () => 0.5,
      relay: () => null,
      ...extra,
    });
    running.push(sync);
    return sync;
  };
  const cursorOf = () => store.get<{ cursor: string; calendarId: string }>(`calendarSync.acc-${name}`);

  beforeEach(async () => {
    await sb.admin.reset();
    timers = new ManualTimers();
    accounts = new TestAccounts(name);
    store = tempStore();
    renderer = new Renderer();
  });
  afterEach(async () => {
    for (const s of running.splice(0)) await s.stop();
    await sb.admin.clearFaults();
  });

  it('imports the window as one replace batch with progress, and stores the cursor only on ack', async () => {
    const sync = start();
    const progress: number[] = [];
    sync.onChange(() => {
      const p = sync.status(`acc-${name}`).progress;
      if (p) progress.push(p.pages);
    });
    await waitFor(() => sync.nextBatch() !== null, 8000, 'the import');
    const batch = sync.nextBatch() as CalendarBatch;
    expect(batch.kind).toBe('initial');
    expect(batch.replace).toBe(true);
    expect(batch.self).toBe(MAYA);
    expect(Math.max(...progress)).toBeGreaterThan(2);
    expect(sync.status(`acc-${name}`).state).toBe('syncing');
    expect(cursorOf()).toBeUndefined();
    renderer.take(sync);
    expect(cursorOf()?.cursor).toBeTruthy();
    const status = sync.status(`acc-${name}`);
    expect(status.state).toBe('idle');
    expect(status.lastSyncAt).toBeGreaterThan(0);
    expect(status.pollMinutes).toBe(5);
    expect(status.push).toBe(false);
    expect(picture(renderer.events.values())).toEqual(
      await fullPicture(name, cursorOf()!.calendarId, timers.now()),
    );
  });

  it('follows create, move, cancel, decline, attendee added and "this and following" incrementally', async () => {
    const sync = start();
    await renderer.next(sync);
    const calendarId = cursorOf()!.calendarId;
    const sam = (await sb.admin.events()).events.find((e) => e.summary === 'Maya / Sam' && e.recurrence)!;
    const lee = (await sb.admin.events()).events.find(
      (e) => e.summary === '1:1 Maya <> Lee' && e.recurrence,
    )!;
    // An occurrence of Sam's series two to three weeks out, to split the series at.
    const instances = await googleCalendar(sb, await sb.accessToken(MAYA, 'google')).events.instances({
      calendarId: MAYA,
      eventId: sam.id as string,
      timeMin: new Date(Date.now() + 14 * DAY).toISOString(),
      maxResults: 1,
    });
    const samLater = instances.data.items?.[0]?.id as string;
    expect(samLater).toBeTruthy();
    const created = await sb.admin.createEvent({
      summary: 'Maya / Ana extra',
      attendees: [{ email: ANA }],
      ...slot(2, 15),
    });
    const edits: Array<[string, () => Promise<unknown>]> = [
      [
        'create',
        async () =>
          sb.admin.createEvent({ summary: 'Maya / Sam extra', attendees: [{ email: SAM }], ...slot(3, 13) }),
      ],
      ['move', () => sb.admin.patchEvent(created.id, slot(4, 16))],
      ['decline', () => sb.admin.patchEvent(created.id, { action: 'decline', email: ANA })],
      ['attendee added', () => sb.admin.patchEvent(created.id, { action: 'addAttendee', email: LEE })],
      ['cancel', () => sb.admin.patchEvent(created.id, { action: 'cancel' })],
      [
        'this and following',
        () =>
          sb.admin.patchEvent(sam.id as string, {
            action: 'thisAndFollowing',
            from: samLater,
            changes: { summary: 'Maya / Sam (new time)' },
          }),
      ],
      ['delete a series', () => sb.admin.deleteEvent(lee.id as string)],
    ];
    renderer.take(sync); // the 'create' before the loop
    for (const [what, edit] of edits) {
      await edit();
      expect(sync.syncNow(`acc-${name}`), what).toBe(true);
      const batch = await renderer.next(sync);
      expect(batch.kind, what).toBe('incremental');
      expect(batch.replace, what).toBe(false);
      expect(picture(renderer.events.values()), what).toEqual(
        await fullPicture(name, calendarId, timers.now()),
      );
    }
  });

  it('resyncs in full after 410, with no duplicates', async () => {
    const sync = start();
    await renderer.next(sync);
    await sb.admin.fault({ kind: 'expireTokens' });
    await sb.admin.createEvent({ summary: 'after expiry', attendees: [{ email: SAM }], ...slot(1, 12) });
    sync.syncNow();
    const batch = await renderer.next(sync);
    expect(batch.kind).toBe('full');
    expect(batch.replace).toBe(true);
    expect(new Set(batch.changes.map((c) => c.id)).size).toBe(batch.changes.length);
    expect([...renderer.events.values()].some((e) => e.title === 'after expiry')).toBe(true);
    expect(picture(renderer.events.values())).toEqual(
      await fullPicture(name, cursorOf()!.calendarId, timers.now()),
    );
  });

  it('waits out a 429 burst exactly as long as Retry-After says', async () => {
    const sync = start();
    await renderer.next(sync);
    await sb.admin.fault({ kind: 'rateLimit', path: readPath, count: 2, retryAfter: 30 });
    await sb.admin.createEvent({
      summary: 'behind a rate limit',
      attendees: [{ email: SAM }],
      ...slot(1, 9),
    });
    sync.syncNow();
    await waitFor(() => sync.status(`acc-${name}`).lastError.includes('slow down'), 8000, 'the 429');
    expect(timers.waiting()[0]).toBe(30_000);
    timers.advance(29_000);
    await settle(200);
    expect(sync.nextBatch()).toBeNull();
    timers.advance(1_000); // the second 429
    await waitFor(
      () => timers.waiting()[0] === 30_000 && timers.requested.filter((d) => d === 30_000).length === 2,
      8000,
      'the second 429',
    );
    timers.advance(30_000);
    const batch = await renderer.next(sync);
    expect(batch.changes.some((c) => !isTombstone(c) && c.title === 'behind a rate limit')).toBe(true);
    expect(sync.status(`acc-${name}`).lastError).toBe('');
    const faulted = (await sb.admin.requests(readPath)).filter((r) => r.status === 429);
    expect(faulted).toHaveLength(2);
  });

  it('backs off exponentially (with jitter) through a 5xx burst, then catches up', async () => {
    const sync = start();
    await renderer.next(sync);
    await sb.admin.fault({ kind: 'serverError', path: readPath, count: 3, status: 503 });
    await sb.admin.createEvent({ summary: 'behind a 503', attendees: [{ email: SAM }], ...slot(1, 10) });
    const before = timers.requested.length;
    sync.syncNow();
    const delays: number[] = [];
    for (let i = 0; i < 3; i++) {
      await waitFor(
        () => timers.requested.length > before + i && sync.status(`acc-${name}`).state === 'error',
        8000,
        `failure ${i + 1}`,
      );
      const d = timers.requested[before + i] as number;
      delays.push(d);
      timers.advance(d);
    }
    // random() = 0.5: three quarters of 2 s, 4 s, 8 s.
    expect(delays).toEqual([1500, 3000, 6000]);
    const batch = await renderer.next(sync);
    expect(batch.changes.some((c) => !isTombstone(c) && c.title === 'behind a 503')).toBe(true);
  });

  it('is offline while the provider cannot be reached and resumes when it can', async () => {
    // A TCP relay to the sandbox that the test can pull out and plug back in on the same port.
    const target = new URL(sb.graphBaseUrl);
    const sockets = new Set<net.Socket>();
    const listen = (port: number) =>
      new Promise<net.Server>((resolve) => {
        const server = net.createServer((client) => {
          const upstream = net.connect(Number(target.port), target.hostname);
          sockets.add(client).add(upstream);
          client.pipe(upstream).pipe(client);
          client.on('error', () => upstream.destroy());
          upstream.on('error', () => client.destroy());
        });
        server.listen(port, '127.0.0.1', () => resolve(server));
      });
    let proxy = await listen(0);
    const port = (proxy.address() as net.AddressInfo).port;
    const base = name === 'google' ? `https://127.0.0.1:${port}/` : `https://127.0.0.1:${port}/v1.0`;
    const unplug = () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        sockets.clear();
        proxy.close(() => resolve());
      });
    try {
      const sync = start({ providerFor: () => makeProvider(name, () => sb.accessToken(MAYA, name), base) });
      await renderer.next(sync);
      await unplug();
      // Graph's deltaLink is an absolute URL on the service's own origin, past the relay; an
      // expired one sends the round back to calendarView/delta through it.
      if (name === 'microsoft') await sb.admin.fault({ kind: 'expireTokens' });
      sync.syncNow();
      await waitFor(
        () => sync.status(`acc-${name}`).state === 'offline',
        8000,
        () => `offline (${JSON.stringify(sync.status(`acc-${name}`))})`,
      );
      expect(sync.status(`acc-${name}`).lastError).toMatch(/cannot be reached/);
      await sb.admin.createEvent({
        summary: 'made while offline',
        attendees: [{ email: SAM }],
        ...slot(1, 14),
      });
      proxy = await listen(port);
      sync.resume();
      const batch = await renderer.next(sync);
      expect(batch.changes.some((c) => !isTombstone(c) && c.title === 'made while offline')).toBe(true);
      expect(sync.status(`acc-${name}`).state).toBe('idle');
    } finally {
      await unplug();
    }
  });

  it('keeps the cursor when the renderer cannot store a batch, and reads the changes again', async () => {
    const sync = start();
    await renderer.next(sync);
    const cursor = cursorOf()!.cursor;
    await sb.admin.createEvent({
      summary: 'stored on the second try',
      attendees: [{ email: SAM }],
      ...slot(1, 8),
    });
    sync.syncNow();
    await waitFor(() => sync.nextBatch() !== null, 8000, 'a batch');
    renderer.take(sync, false);
    expect(cursorOf()!.cursor).toBe(cursor);
    expect(sync.status(`acc-${name}`).lastError).toMatch(/could not store/);
    timers.advance(timers.waiting()[0] as number);
    const batch = await renderer.next(sync);
    expect(batch.changes.some((c) => !isTombstone(c) && c.title === 'stored on the second try')).toBe(true);
    expect(cursorOf()!.cursor).not.toBe(cursor);
  });

  it('polls every pollMinutes and reconciles in full every hour', async () => {
    const sync = start();
    await renderer.next(sync);
    await sb.admin.createEvent({ summary: 'found by the poll', attendees: [{ email: SAM }], ...slot(1, 11) });
    timers.advance(5 * MINUTE);
    const polled = await renderer.next(sync);
    expect(polled.kind).toBe('incremental');
    expect(polled.changes.some((c) => !isTombstone(c) && c.title === 'found by the poll')).toBe(true);
    timers.advance(55 * MINUTE);
    await waitFor(
      () => renderer.batches.length > 2 || sync.nextBatch()?.kind === 'full',
      8000,
      'the hourly reconcile',
    );
    expect((sync.nextBatch() ?? renderer.batches.at(-1))?.kind).toBe('full');
  });

  it('follows a new poll interval from Settings at once', async () => {
    let minutes = 30;
    const sync = start({ pollMinutes: () => minutes });
    await renderer.next(sync);
    expect(sync.status(`acc-${name}`).pollMinutes).toBe(30);
    await sb.admin.createEvent({ summary: 'found sooner', attendees: [{ email: SAM }], ...slot(1, 7) });
    minutes = 2;
    sync.pollSettingChanged();
    expect(sync.status(`acc-${name}`).pollMinutes).toBe(2);
    timers.advance(2 * MINUTE);
    await renderer.until(sync, 'found sooner');
  });

  it('survives the host being killed after the first page of an import: no loss, no duplicate', async () => {
    const first = start();
    const killed = new Promise<void>((resolve) => {
      first.onChange(() => {
        if ((first.status(`acc-${name}`).progress?.pages ?? 0) >= 1) {
          void first.stop();
          resolve();
        }
      });
    });
    await killed;
    await settle(500);
    expect(first.nextBatch()).toBeNull();
    expect(cursorOf()).toBeUndefined();
    // The same data folder, a new process.
    const second = start();
    const batch = await renderer.next(second);
    expect(batch.replace).toBe(true);
    expect(new Set(batch.changes.map((c) => c.id)).size).toBe(batch.changes.length);
    expect(picture(renderer.events.values())).toEqual(
      await fullPicture(name, cursorOf()!.calendarId, timers.now()),
    );
    // Killed again after the batch was handed over but before it was stored: the renderer's
    // copy is simply replaced by the same picture.
    await sb.admin.createEvent({ summary: 'between crashes', attendees: [{ email: SAM }], ...slot(1, 16) });
    await second.stop();
    const third = start();
    const again = await renderer.next(third);
    expect(again.kind).toBe('incremental');
    expect([...renderer.events.values()].filter((e) => e.title === 'between crashes')).toHaveLength(1);
  });

  describe('push through the relay', () => {
    const relayFor = async () => {
      const idToken = await sb.idToken(MAYA, { aud: AUDIENCE });
      return createRelayClient({ url: relay.url, idToken: () => idToken, reconnectMs: 50 });
    };
    const registrations = async (): Promise<Array<{ id: string; subscriptionId?: string }>> => {
      const res = await fetch(`${relay.httpUrl}/hooks/registrations`, {
        headers: { authorization: `Bearer ${await sb.idToken(MAYA, { aud: AUDIENCE })}` },
      });
      return ((await res.json()) as { registrations: Array<{ id: string; subscriptionId?: string }> })
        .registrations;
    };
    const channels = async () => {
      const push = await sb.admin.push();
      return (name === 'google' ? push.channels : push.subscriptions) as Array<{
        id: string;
        expiration?: number;
        expirationDateTime?: number;
      }>;
    };

    it('turns a sandbox edit into a batch with no poll, and the poll catches up when push is dropped', async () => {
      const client = await relayFor();
      const sync = start({ relay: () => client });
      await renderer.next(sync);
      await waitFor(() => sync.status(`acc-${name}`).push, 8000, 'push on');
      expect(await channels()).toHaveLength(1);
      await settle(200); // the Google 'sync' message, which changes nothing
      await sb.admin.createEvent({ summary: 'pushed', attendees: [{ email: SAM }], ...slot(1, 15) });
      const pushed = await renderer.next(sync);
      expect(pushed.changes.some((c) => !isTombstone(c) && c.title === 'pushed')).toBe(true);

      await sb.admin.fault({ kind: 'dropPush', count: 1 });
      await sb.admin.createEvent({ summary: 'push lost', attendees: [{ email: SAM }], ...slot(1, 17) });
      await sb.admin.push(true);
      await settle(300);
      expect(sync.nextBatch()).toBeNull();
      timers.advance(5 * MINUTE);
      const polled = await renderer.next(sync);
      expect(polled.changes.some((c) => !isTombstone(c) && c.title === 'push lost')).toBe(true);
    });

    it('renews the channel before it expires', async () => {
      const client = await relayFor();
      const sync = start({ relay: () => client, pushLifetimeMs: 2 * DAY, pushRenewBeforeMs: 6 * 3_600_000 });
      await renderer.next(sync);
      await waitFor(() => sync.status(`acc-${name}`).push, 8000, 'push on');
      const [before] = await channels();
      timers.advance(2 * DAY - 6 * 3_600_000);
      if (name === 'google') {
        // Google channels are replaced: a new one opens before the old one stops.
        const now = await until(async () => {
          const c = await channels();
          return c.length === 1 && c[0]!.id !== before!.id ? c : null;
        }, 'a new channel');
        expect(now[0]!.id).not.toBe(before!.id);
      } else {
        const now = await until(async () => {
          const c = await channels();
          return c.length === 1 && (c[0]!.expirationDateTime ?? 0) > (before!.expirationDateTime ?? 0)
            ? c
            : null;
        }, 'a later expiry');
        expect(now[0]!.id).toBe(before!.id);
      }
      expect(sync.status(`acc-${name}`).push).toBe(true);
      // And it still delivers.
      // (The polls and reconciles of those simulated hours ran meanwhile: take what they found.)
      while (renderer.take(sync)) await settle(100);
      await sb.admin.createEvent({ summary: 'after renewal', attendees: [{ email: SAM }], ...slot(1, 18) });
      await renderer.until(sync, 'after renewal');
    });

    it('shows push off while the account needs reconnecting, and opens a fresh channel once it is reconnected', async () => {
      const client = await relayFor();
      const sync = start({ relay: () => client });
      await renderer.next(sync);
      await waitFor(() => sync.status(`acc-${name}`).push, 8000, 'push on');
      const before = (await channels())[0]!.id;
      const setAuth = (auth: AccountRecord['auth']) => {
        accounts.records = [{ ...accounts.records[0]!, auth }];
        for (const l of accounts.listeners) l();
      };
      setAuth('needs-reconnect');
      expect(sync.status(`acc-${name}`).push).toBe(false);
      setAuth('connected');
      // The old channel (which a new sandbox would not know) is replaced, not trusted.
      const now = await until(async () => {
        renderer.take(sync);
        const c = await channels();
        return sync.status(`acc-${name}`).push && c.length === 1 && c[0]!.id !== before ? c : null;
      }, 'a new channel');
      expect(now[0]!.id).not.toBe(before);
      await sb.admin.createEvent({ summary: 'after reconnect', attendees: [{ email: SAM }], ...slot(1, 16) });
      await renderer.until(sync, 'after reconnect');
    });

    it('stops the channel and its relay registration on disconnect', async () => {
      const client = await relayFor();
      const sync = start({ relay: () => client });
      await renderer.next(sync);
      await waitFor(() => sync.status(`acc-${name}`).push, 8000, 'push on');
      const channelId = (await channels())[0]!.id;
      const mine = (regs: Array<{ id: string; subscriptionId?: string }>) =>
        regs.filter((r) => r.id === channelId || r.subscriptionId === channelId);
      expect(mine(await registrations())).toHaveLength(1);
      await sync.forgetAccount(`acc-${name}`);
      accounts.remove();
      expect(await channels()).toHaveLength(0);
      expect(mine(await registrations())).toHaveLength(0);
      expect(cursorOf()).toBeUndefined();
      expect(sync.syncNow()).toBe(false);
    });

    it('stays off for a real provider behind the embedded server: the poll does the work', async () => {
      const client = await relayFor();
      const sync = start({ relay: () => client, pushAllowed: () => false });
      await renderer.next(sync);
      await settle(200);
      expect(sync.status(`acc-${name}`).push).toBe(false);
      expect(await channels()).toHaveLength(0);
    });
  });
});
