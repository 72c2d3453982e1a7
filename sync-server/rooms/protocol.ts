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
  const head = encoding.createEncoder();
  encoding.writeVarUint(head, MESSAGE_SYNC);
  encoding.writeVarUint(head, kind);
  encoding.writeVarUint(head, update.byteLength);
  const prefix = encoding.toUint8Array(head);
  // One copy into memory that is not zeroed first: a reply may be a whole document, and a
  // lib0 encoder would grow, zero and copy it twice more.
  const frame = Buffer.allocUnsafe(prefix.byteLength + update.byteLength);
  frame.set(prefix, 0);
  frame.set(update, prefix.byteLength);
  return frame;
}

export function encodeAwarenessMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}
