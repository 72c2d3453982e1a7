// Options of the sync server and their defaults, in one place.
import type { LogLevel, Logger } from './log';
import type { SyncStorage } from './storage/types';

export interface SyncServerLimits {
  /** Largest WebSocket frame or HTTP body accepted (bytes). */
  readonly maxMessageBytes: number;
  /** Open WebSockets (rooms and event streams) per user. */
  readonly maxConnectionsPerUser: number;
  /** Rooms a user may create (calendar-derived or random). */
  readonly maxRoomsPerUser: number;
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
  /** A peer that stops reading is dropped once this much is queued for it (bytes). */
  readonly maxSendBufferBytes: number;
}

export const DEFAULT_LIMITS: SyncServerLimits = {
  maxMessageBytes: 2 * 1024 * 1024,
  maxConnectionsPerUser: 64,
  maxRoomsPerUser: 10_000,
  maxRegistrationsPerUser: 50,
  handshakesPerIpBurst: 200,
  handshakesPerIpPerSecond: 20,
  handshakesPerUserBurst: 60,
  handshakesPerUserPerSecond: 5,
  httpPerUserBurst: 120,
  httpPerUserPerSecond: 20,
  maxSendBufferBytes: 8 * 1024 * 1024,
};

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
  readonly issuers: readonly string[];
  /**
   * Trusted issuers that are Microsoft identity platform authorities besides
   * login.microsoftonline.com (the sandbox's, in sandbox mode); see auth/oidc-verifier.ts.
   */
  readonly microsoftIssuers?: readonly string[];
  /** Accepted `aud` values: the app's OAuth client ids. */
  readonly audiences: readonly string[];
  /** Extra PEM CA certificates to trust when fetching issuer metadata and keys. */
  readonly trustedCertificates?: readonly string[];
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
