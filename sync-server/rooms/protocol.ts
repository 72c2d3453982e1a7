// The y-websocket wire format: every frame is varUint(messageType) followed by its payload.
// Sync payloads are y-protocols/sync messages; awareness payloads are varUint8Array blobs.
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import type * as Y from 'yjs';

export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;

export const SYNC_STEP1 = syncProtocol.messageYjsSyncStep1;
export const SYNC_STEP2 = syncProtocol.messageYjsSyncStep2;
export const SYNC_UPDATE = syncProtocol.messageYjsUpdate;

/** A frame the server refuses: the connection that sent it is closed, nobody else is touched. */
export class ProtocolError extends Error {}

/**
 * A well-formed frame that would take the sender over one of its limits (docs: the "Limits" table
 * of sync-server/README.md): the connection is closed with `code` and the message as reason.
 *   1008 policy: a budget, a share or a rate exceeded    1009 one item too large
 *   1013 try again later: not reading its replies fast enough
 */
export class LimitError extends Error {
  constructor(
    readonly code: 1008 | 1009 | 1013,
    reason: string,
  ) {
    super(reason);
  }
}

export function encodeSyncStep1(doc: Y.Doc): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  syncProtocol.writeSyncStep1(encoder, doc);
  return encoding.toUint8Array(encoder);
}

export function encodeSyncPayload(
  kind: typeof SYNC_STEP2 | typeof SYNC_UPDATE,
  update: Uint8Array,
): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  encoding.writeVarUint(encoder, kind);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

export function encodeAwarenessMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}
