// The LevelDB backend's write-ahead file: what makes an update "stored" without a trip to
// LevelDB's worker thread (issue 13, figure (a)). An append is one write() on the main thread
// to this file, the same durability LevelDB's own log gives without fsync (the kernel has it;
// a killed process loses nothing), so the update can be relayed at once; the LevelDB batch
// follows in the background and the file is emptied whenever LevelDB has caught up. On open,
// whatever the file still holds (the process died before LevelDB caught up) is written to
// LevelDB first. Records are length-prefixed and checksummed: a torn last record (the process
// died inside write(), so nobody was told it was stored) is dropped.
//
// Record: u32 length, u32 crc32(payload), payload = varUint count, then per op:
//   varUint kind (0 update, 1 state vector), varString room, varUint clock (updates), varUint8Array value.
import { closeSync, fstatSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

export type WalOp =
  | { readonly kind: 'update'; readonly roomId: string; readonly clock: number; readonly value: Uint8Array }
  | { readonly kind: 'sv'; readonly roomId: string; readonly value: Uint8Array };

const HEADER = 8;

export class WriteAheadFile {
  private readonly fd: number;
  private bytes: number;

  /** Opens (creating) the file; `recovered` holds the ops of every whole record in it. */
  constructor(
    readonly path: string,
    readonly recovered: WalOp[] = [],
  ) {
    this.fd = openSync(path, 'a+');
    this.bytes = fstatSync(this.fd).size;
    if (this.bytes > 0) recovered.push(...readRecords(readFileSync(path)));
  }

  get size(): number {
    return this.bytes;
  }

  /** Appends one record; returns once the kernel has it (a killed process loses nothing). */
  append(ops: readonly WalOp[]): void {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, ops.length);
    for (const op of ops) {
      encoding.writeVarUint(encoder, op.kind === 'update' ? 0 : 1);
      encoding.writeVarString(encoder, op.roomId);
      if (op.kind === 'update') encoding.writeVarUint(encoder, op.clock);
      encoding.writeVarUint8Array(encoder, op.value);
    }
    const payload = encoding.toUint8Array(encoder);
    const record = Buffer.allocUnsafe(HEADER + payload.byteLength);
    record.writeUInt32LE(payload.byteLength, 0);
    record.writeUInt32LE(crc32(payload), 4);
    record.set(payload, HEADER);
    let written = 0;
    while (written < record.byteLength) written += writeSync(this.fd, record, written);
    this.bytes += record.byteLength;
  }

  /** Everything in it is in LevelDB now. */
  clear(): void {
    ftruncateSync(this.fd, 0);
    this.bytes = 0;
  }

  close(): void {
    closeSync(this.fd);
  }
}

function readRecords(data: Buffer): WalOp[] {
  const ops: WalOp[] = [];
  let at = 0;
  while (at + HEADER <= data.byteLength) {
    const length = data.readUInt32LE(at);
    const end = at + HEADER + length;
    if (end > data.byteLength) break; // torn tail
    const payload = data.subarray(at + HEADER, end);
    if (crc32(payload) !== data.readUInt32LE(at + 4)) break;
    const decoder = decoding.createDecoder(payload);
    const count = decoding.readVarUint(decoder);
    for (let i = 0; i < count; i++) {
      const kind = decoding.readVarUint(decoder);
      const roomId = decoding.readVarString(decoder);
      if (kind === 0) {
        const clock = decoding.readVarUint(decoder);
        ops.push({ kind: 'update', roomId, clock, value: decoding.readVarUint8Array(decoder).slice() });
      } else ops.push({ kind: 'sv', roomId, value: decoding.readVarUint8Array(decoder).slice() });
    }
    at = end;
  }
  return ops;
}
