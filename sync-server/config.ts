// Options of the sync server and their defaults, in one place.
import type { LogLevel, Logger } from './log';
import type { SyncStorage } from './storage/types';

// Every limit is a `--limit NAME=VALUE` setting; sync-server/README.md ("Limits") says what each
// defends against, and /healthz shows the values in force.
export interface SyncServerLimits {
  /** Largest WebSocket frame or HTTP body accepted (bytes). */
  readonly maxMessageBytes: number;
  /** Open WebSockets (rooms and event streams) per user. */
  readonly maxConnectionsPerUser: number;
  /** Open TCP connections per client address, of any kind (HTTP, WebSocket, unfinished). */
  readonly maxConnectionsPerIp: number;
  /** A connection that has not sent complete request headers (or upgrade) by then is closed (ms). */
  readonly headersTimeoutMs: number;
  /** A request (headers and body, or a handshake until it is answered) must finish by then (ms). */
  readonly requestTimeoutMs: number;
  /** Rooms a user may create (calendar-derived or random). Rooms count against their creator only. */
  readonly maxRoomsPerUser: number;
  /** Room creations per user: burst (a first import: a room per meeting), then per second. */
  readonly roomCreationsPerUserBurst: number;
  readonly roomCreationsPerUserPerSecond: number;
  /** Webhook registrations per user. */
  readonly maxRegistrationsPerUser: number;
  /** WebSocket handshakes per client IP: burst, then per second. */
  readonly handshakesPerIpBurst: number;
  readonly handshakesPerIpPerSecond: number;
  /** WebSocket handshakes per user: burst, then per second. */
  readonly handshakesPerUserBurst: number;
  readonly handshakesPerUserPerSecond: number;
  /** Authenticated HTTP requests per user: burst, then per second. */
  readonly httpPerUserBurst: number;
  readonly httpPerUserPerSecond: number;
  /** Bytes queued for one connection (replies not yet read); over it the connection is closed. */
  readonly maxSendBufferBytes: number;
  /** The same, summed over a user's connections, and over the whole process. */
  readonly sendBufferBytesPerUser: number;
  readonly sendBufferBytesPerProcess: number;
  /** Largest single awareness state (bytes of its JSON). */
  readonly maxAwarenessStateBytes: number;
  /** Awareness bytes held per connection, per user and per process. */
  readonly awarenessBytesPerConnection: number;
  readonly awarenessBytesPerUser: number;
  readonly awarenessBytesPerProcess: number;
  /** Awareness client ids per room, shared evenly between its two members. */
  readonly maxAwarenessClientsPerRoom: number;
  /** Updates with missing dependencies held per room: bytes, and updates. */
  readonly maxPendingBytesPerRoom: number;
  readonly maxPendingUpdatesPerRoom: number;
  /** Sync requests (step 1) per connection: burst, then per second. */
  readonly syncRequestsPerConnectionBurst: number;
  readonly syncRequestsPerConnectionPerSecond: number;
  /**
   * Bytes of sync replies computed for one user: burst, then per second. Replies are computed
   * in turns per user; a user past this waits while everyone else is served.
   */
  readonly syncReplyBytesPerUserBurst: number;
  readonly syncReplyBytesPerUserPerSecond: number;
}

const KiB = 1024;
const MiB = 1024 * KiB;

export const DEFAULT_LIMITS: SyncServerLimits = {
  maxMessageBytes: 2 * MiB,
  maxConnectionsPerUser: 64,
  maxConnectionsPerIp: 512,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 20_000,
  maxRoomsPerUser: 10_000,
  // A manager with 30 reports and three years of weekly 1:1s imports ~4,700 meetings at once.
  roomCreationsPerUserBurst: 5_000,
  roomCreationsPerUserPerSecond: 1,
  maxRegistrationsPerUser: 50,
  handshakesPerIpBurst: 200,
  handshakesPerIpPerSecond: 20,
  handshakesPerUserBurst: 60,
  handshakesPerUserPerSecond: 5,
  httpPerUserBurst: 120,
  httpPerUserPerSecond: 20,
  maxSendBufferBytes: 8 * MiB,
  sendBufferBytesPerUser: 32 * MiB,
  sendBufferBytesPerProcess: 128 * MiB,
  maxAwarenessStateBytes: 8 * KiB,
  awarenessBytesPerConnection: 64 * KiB,
  awarenessBytesPerUser: 1 * MiB,
  awarenessBytesPerProcess: 64 * MiB,
  maxAwarenessClientsPerRoom: 64,
  maxPendingBytesPerRoom: 64 * KiB,
  maxPendingUpdatesPerRoom: 100,
  syncRequestsPerConnectionBurst: 3,
  syncRequestsPerConnectionPerSecond: 1,
  // A first start syncs every open room at once: 16 MiB is hundreds of meeting documents, and
  // past it replies wait their turn rather than fail. A 1.5 MB reply costs ~5 ms of CPU.
  syncReplyBytesPerUserBurst: 16 * MiB,
  syncReplyBytesPerUserPerSecond: 4 * MiB,
};

export interface SyncServerTrust {
  readonly issuers: readonly string[];
  readonly microsoftIssuers?: readonly string[];
  readonly audiences: readonly string[];
  readonly certificates?: readonly string[];
}

export interface SyncServerOptions {
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** LevelDB data and the room-id secret live here; omitted → in-memory storage. */
  readonly dataDir?: string;
  /**
   * postgres://… : keep documents, the room directory, relay registrations and the room-id
   * secret in PostgreSQL (several processes may share it; see deploy/README.md). Wins over dataDir.
   */
  readonly databaseUrl?: string;
  /**
   * redis://… : several processes share the rooms (needs databaseUrl): stored updates,
   * awareness and relay events are published to the others (see deploy/README.md).
   */
  readonly redisUrl?: string;
  /** Use this storage instead of the one dataDir implies (tests, other backends). */
  readonly storage?: SyncStorage;
  /** Trusted OpenID Connect issuers (discovery URLs without /.well-known). */
  readonly issuers?: readonly string[];
  /**
   * Trusted issuers that are Microsoft identity platform authorities besides
   * login.microsoftonline.com (the sandbox's, in sandbox mode); see auth/oidc-verifier.ts.
   */
  readonly microsoftIssuers?: readonly string[];
  /** Accepted `aud` values: the app's OAuth client ids. */
  readonly audiences?: readonly string[];
  /** Extra PEM CA certificates to trust when fetching issuer metadata and keys. */
  readonly trustedCertificates?: readonly string[];
  /**
   * Live trust for an embedding app, read on every token verification; replaces `issuers`,
   * `microsoftIssuers`, `audiences` and `trustedCertificates`. The desktop app's embedded server follows its
   * settings (client ids, the sandbox) this way without a restart.
   */
  readonly trust?: () => SyncServerTrust;
  /** A room leaves memory this long after its last peer (default 30 s). */
  readonly idleEvictionMs?: number;
  /** Compact a loaded room's log once it holds this many updates (default 500). */
  readonly compactAfterUpdates?: number;
  /**
   * Connections are closed (code 4001, the client reconnects with its current token) this long
   * after their ID token expires (default 5 minutes).
   */
  readonly tokenExpiryGraceMs?: number;
  /** How often sockets are pinged (dead ones dropped) and expired sessions closed (default 30 s). */
  readonly sweepIntervalMs?: number;
  /** fsync every LevelDB batch (survives power loss, slower). */
  readonly fsync?: boolean;
  readonly limits?: Partial<SyncServerLimits>;
  readonly logLevel?: LogLevel;
  readonly logger?: Logger;
}

export const DEFAULTS = {
  host: '127.0.0.1',
  idleEvictionMs: 30_000,
  compactAfterUpdates: 500,
  tokenExpiryGraceMs: 5 * 60_000,
  sweepIntervalMs: 30_000,
};
