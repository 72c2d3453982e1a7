// Public entry of the sync server, for the CLI and for embedding (the desktop app starts it
// in-process on loopback when no server URL is configured).
export { startSyncServer, type SyncServerHandle } from './server';
export {
  DEFAULT_LIMITS,
  type SyncServerLimits,
  type SyncServerOptions,
  type SyncServerTrust,
} from './config';
export { createJsonLogger, type Logger, type LogLevel } from './log';
export type { SyncStorage, AppendEntry, RecordWrite } from './storage/types';
export { createMemoryStorage, createMemoryStorageState } from './storage/memory';
export { openLevelStorage } from './storage/leveldb';
export type { RelayEvent } from './relay/event-hub';
