// Wire format of the web-mode bridge: the same contract as Electron IPC, carried as JSON
// frames over one loopback WebSocket. Kept tiny and versionless because both ends ship together.
import type { BridgeResult } from './define';

export type ClientFrame =
  | { t: 'call'; id: number; ns: string; method: string; input?: unknown }
  | { t: 'sub'; event: string }
  | { t: 'unsub'; event: string };

export type ServerFrame =
  | { t: 'result'; id: number; result: BridgeResult }
  | { t: 'event'; event: string; payload: unknown }
  /** Sent when a frame could not be understood at all (no id to answer to). */
  | { t: 'error'; message: string };

/** Query parameter carrying the per-run secret; the host refuses upgrades without it. */
export const TOKEN_PARAM = 'token';
