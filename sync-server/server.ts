// Wires the pieces together: storage, token verification, rooms, relay, HTTP and WebSocket.
import { createServer } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { DEFAULT_LIMITS, DEFAULTS, type SyncServerLimits, type SyncServerOptions } from './config';
import { createJsonLogger, type Logger } from './log';
import { createIssuerFetch } from './auth/issuer-fetch';
import { createOidcVerifier } from './auth/oidc-verifier';
import { createRequestHandler } from './http/api';
import { ByteBudget } from './limits/byte-budget';
import { ConnectionsPerIp } from './limits/connections-per-ip';
import { FairWorkQueue } from './limits/fair-work-queue';
import { RateLimiter } from './limits/rate-limiter';
import { LocalUserCounters, userRateBuckets, type UserCounters } from './limits/user-counters';
import { RoomDirectory } from './rooms/room-directory';
import { RoomManager } from './rooms/room-manager';
import { EventHub } from './relay/event-hub';
import { RegistrationStore } from './relay/registrations';
import { openLevelStorage } from './storage/leveldb';
import { createMemoryStorage } from './storage/memory';
import { loadOrCreateSecret } from './storage/secret';
import type { SyncStorage } from './storage/types';
import { WsGateway } from './transport/ws-gateway';

export interface SyncServerHandle {
  /** ws://127.0.0.1:PORT — give it to WebsocketProvider as the server URL. */
  readonly url: string;
  /** http://127.0.0.1:PORT — the HTTP API. */
  readonly httpUrl: string;
  readonly port: number;
  /** Stops accepting, closes every socket, flushes and compacts every room, closes storage. */
  close(): Promise<void>;
}

function storageKind(options: SyncServerOptions): string {
  if (options.storage) return 'custom';
  if (options.databaseUrl !== undefined) return 'postgres';
  return options.dataDir !== undefined ? 'leveldb' : 'memory';
}

async function openStorage(options: SyncServerOptions, log: Logger): Promise<SyncStorage> {
  if (options.databaseUrl !== undefined) {
    // Loaded only in this mode: the embedded default never loads the PostgreSQL client.
    const { openPostgresStorage } = await import('./storage/postgres');
    return openPostgresStorage(options.databaseUrl, {
      onRetry: (error, attempt) =>
        log.warn('database unavailable, retrying', { attempt, error: String(error) }),
    });
  }
  if (options.dataDir !== undefined)
    return openLevelStorage(join(options.dataDir, 'leveldb'), { fsync: options.fsync });
  return createMemoryStorage();
}

async function openFanout(url: string, storage: SyncStorage, hub: EventHub, log: Logger) {
  if (!storage.loadSince) throw new Error('--redis needs PostgreSQL storage (--storage postgres://…)');
  const { RedisFanout } = await import('./cluster/redis-fanout');
  const fanout = new RedisFanout({ url, storage, log, onEvent: (user, text) => hub.deliver(user, text) });
  try {
    await fanout.ready();
  } catch (error) {
    await fanout.close();
    throw error;
  }
  hub.forward = (user, text) => fanout.publishEvent(user, text);
  return fanout;
}

async function openUserCounters(redisUrl: string | undefined, log: Logger): Promise<UserCounters> {
  if (redisUrl === undefined) return new LocalUserCounters();
  const { RedisUserCounters } = await import('./cluster/redis-counters');
  return new RedisUserCounters({ url: redisUrl, log });
}

export async function startSyncServer(options: SyncServerOptions): Promise<SyncServerHandle> {
  const log = options.logger ?? createJsonLogger(options.logLevel ?? 'info');
  const limits: SyncServerLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const storage = options.storage ?? (await openStorage(options, log));
  // A storage shared by several processes holds the secret, so they all derive the same ids.
  const secret = storage.loadSharedSecret
    ? Buffer.from(await storage.loadSharedSecret())
    : loadOrCreateSecret(options.dataDir);

  const verifier = options.trust
    ? createOidcVerifier({
        trust: options.trust,
        fetch: createIssuerFetch(() => options.trust!().certificates ?? []),
      })
    : createOidcVerifier({
        issuers: options.issuers ?? [],
        microsoftIssuers: options.microsoftIssuers,
        audiences: options.audiences ?? [],
        fetch: createIssuerFetch(options.trustedCertificates),
      });
  // Per-user rates and the connection cap: this process's own counters, or Redis's when several
  // processes serve the same users (limits/user-counters.ts).
  const counters = await openUserCounters(options.redisUrl, log);
  const buckets = userRateBuckets(limits);
  const directory = new RoomDirectory(storage, secret, limits.maxRoomsPerUser, {
    counters,
    bucket: buckets.roomCreation,
  });
  const hub = new EventHub();
  const fanout =
    options.redisUrl !== undefined ? await openFanout(options.redisUrl, storage, hub, log) : undefined;
  // Sync replies are computed here, users in turn, a few milliseconds at a time (issue 12, item 2).
  const replyWork = new FairWorkQueue({
    bytesPerUserBurst: limits.syncReplyBytesPerUserBurst,
    bytesPerUserPerSecond: limits.syncReplyBytesPerUserPerSecond,
    sliceMs: 5,
  });
  const rooms = new RoomManager(
    storage,
    {
      idleMs: options.idleEvictionMs ?? DEFAULTS.idleEvictionMs,
      compactAfterUpdates: options.compactAfterUpdates ?? DEFAULTS.compactAfterUpdates,
      fanout,
      replyWork,
      roomLimits: {
        maxStateBytes: limits.maxAwarenessStateBytes,
        maxClientsPerRoom: limits.maxAwarenessClientsPerRoom,
        maxPendingBytes: limits.maxPendingBytesPerRoom,
        maxPendingUpdates: limits.maxPendingUpdatesPerRoom,
        syncRequestsBurst: limits.syncRequestsPerConnectionBurst,
        syncRequestsPerSecond: limits.syncRequestsPerConnectionPerSecond,
      },
    },
    log,
  );
  fanout?.bind(rooms);
  const registrations = await RegistrationStore.open(storage, limits.maxRegistrationsPerUser, {
    shared: fanout !== undefined,
  });
  const handshakesPerIp = new RateLimiter(limits.handshakesPerIpBurst, limits.handshakesPerIpPerSecond);
  const awarenessBudget = new ByteBudget({
    perConnection: limits.awarenessBytesPerConnection,
    perUser: limits.awarenessBytesPerUser,
    perProcess: limits.awarenessBytesPerProcess,
  });
  const sendBudget = new ByteBudget({
    perConnection: limits.maxSendBufferBytes,
    perUser: limits.sendBufferBytesPerUser,
    perProcess: limits.sendBufferBytesPerProcess,
  });
  const connectionsPerIp = new ConnectionsPerIp(limits.maxConnectionsPerIp);
  const gateway = new WsGateway({
    verifier,
    directory,
    rooms,
    hub,
    limits,
    handshakesPerIp,
    counters,
    handshakeBucket: buckets.handshake,
    awarenessBudget,
    sendBudget,
    tokenExpiryGraceMs: options.tokenExpiryGraceMs ?? DEFAULTS.tokenExpiryGraceMs,
    log,
  });
  const startedAt = Date.now();
  // Event-loop stalls are what a peer feels as latency; exposed on /healthz, since start and
  // for the last one to two seconds (for a monitor polling /healthz: the abuse harness reads it
  // while each attack runs). Two monitors, because a monitor's histogram can only be reset whole.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const recentLoopDelay = monitorEventLoopDelay({ resolution: 10 });
  recentLoopDelay.enable();
  let previousWindowMax = 0;
  const loopWindow = setInterval(() => {
    previousWindowMax = recentLoopDelay.max;
    recentLoopDelay.reset();
  }, 1000);
  loopWindow.unref();
  const ms = (ns: number) => Math.round(ns / 1e4) / 100;

  const server = createServer(
    {
      // Requests and upgrades that never finish their headers, or never finish at all, are
      // closed; Node checks these every connectionsCheckingInterval (default 30 s, too coarse).
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      connectionsCheckingInterval: 1000,
    },
    createRequestHandler({
      verifier,
      directory,
      registrations,
      hub,
      limits,
      counters,
      httpBucket: buckets.http,
      log,
      health: () => ({
        status: 'ok',
        uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
        loadedRooms: rooms.loadedRooms,
        connections: gateway.connectionCount,
        pendingWrites: rooms.queue.length,
        malformedFrames: gateway.malformedFrames,
        refusedUpdates: gateway.refusedUpdates,
        // Budgets for an operator: the limits in force and how much of them is used, as counts
        // only. Nothing here names a room or a user.
        limits,
        usage: {
          awarenessBytes: awarenessBudget.stats(),
          sendBufferBytes: sendBudget.stats(),
          connectionsPerIp: connectionsPerIp.stats(),
          closedOverLimit: { ...gateway.limitClosures },
          syncReplies: replyWork.stats(),
        },
        writeBatches: {
          count: rooms.queue.batchLatency.count,
          p50Ms: ms(rooms.queue.batchLatency.percentile(50)),
          p99Ms: ms(rooms.queue.batchLatency.percentile(99)),
          meanSize: Math.round(rooms.queue.batchSize.mean || 0),
        },
        eventLoopDelay: {
          p50Ms: ms(loopDelay.percentile(50)),
          p99Ms: ms(loopDelay.percentile(99)),
          maxMs: ms(loopDelay.max),
          recentMaxMs: ms(Math.max(previousWindowMax, recentLoopDelay.max)),
        },
      }),
    }),
  );
  server.keepAliveTimeout = 5000;
  server.on('connection', (socket: Socket) => {
    if (!connectionsPerIp.admit(socket)) return;
    // A socket that says nothing at all: Node's headers timer starts with the first byte on
    // some versions, so silence is cut here too (an upgraded socket has its own pings).
    socket.setTimeout(limits.headersTimeoutMs, () => {
      if (!upgraded.has(socket)) socket.destroy();
    });
  });
  // Sockets handed to the WebSocket gateway leave the HTTP idle timer; they are pinged instead.
  const upgraded = new WeakSet<object>();
  server.on('upgrade', (req, socket, head) => {
    upgraded.add(socket);
    (socket as Socket).setTimeout(0);
    gateway.handleUpgrade(req, socket, head);
  });
  server.on('clientError', (_err, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? DEFAULTS.host, () => {
      server.off('error', reject);
      resolve();
    });
  });

  const sweep = setInterval(() => {
    const now = Date.now();
    gateway.sweep(now);
    handshakesPerIp.sweep(now);
    counters.sweep(now);
    hub.sweep(now);
    registrations
      .purgeExpired(now)
      .catch((error: unknown) => log.warn('purging registrations failed', { error: String(error) }));
  }, options.sweepIntervalMs ?? DEFAULTS.sweepIntervalMs);
  sweep.unref();

  const { port } = server.address() as AddressInfo;
  const host = options.host ?? DEFAULTS.host;
  const hostInUrl = host.includes(':') ? `[${host}]` : host;
  log.info('sync server listening', {
    port,
    host,
    storage: storageKind(options),
    fanout: fanout ? 'redis' : 'none',
    issuers: options.trust ? 'live' : options.issuers,
  });
  if (!options.trust && (options.audiences ?? []).length === 0)
    log.warn('no audience configured: every token will be refused (pass --audience CLIENT_ID)');

  let closing: Promise<void> | undefined;
  return {
    url: `ws://${hostInUrl}:${port}`,
    httpUrl: `http://${hostInUrl}:${port}`,
    port,
    close() {
      closing ??= (async () => {
        clearInterval(sweep);
        loopDelay.disable();
        recentLoopDelay.disable();
        clearInterval(loopWindow);
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        // Behind a load balancer the clients reconnect to another process at once ("going
        // away"); pending writes are then flushed (and published) before the fan-out stops.
        if (fanout) await gateway.close(1001, 'going away');
        else await gateway.close();
        await rooms.close();
        replyWork.close();
        await fanout?.close();
        await counters.close();
        await storage.close();
        server.closeAllConnections();
        await stopped;
        log.info('sync server stopped');
      })();
      return closing;
    },
  };
}
