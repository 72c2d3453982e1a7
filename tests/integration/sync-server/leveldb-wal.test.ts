// The LevelDB backend's write-ahead file (storage/leveldb-wal.ts): an append is stored once it is
// in the file, so a process killed before LevelDB got the batch loses nothing, and a record torn
// by the kill (never acknowledged) is dropped without losing the whole ones before it.
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openLevelStorage } from '../../../sync-server/storage/leveldb';
import { WriteAheadFile } from '../../../sync-server/storage/leveldb-wal';
import { REPO_ROOT } from './support/harness';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'duet-wal-'));
  dirs.push(d);
  return d;
}

function textOf(updates: Uint8Array[]): string {
  const doc = new Y.Doc();
  for (const u of updates) Y.applyUpdate(doc, u);
  return doc.getText('t').toString();
}

describe('LevelDB write-ahead file', () => {
  it('keeps the whole records and drops a torn or corrupt tail', () => {
    const path = join(tempDir(), 'x.wal');
    const wal = new WriteAheadFile(path);
    wal.append([{ kind: 'update', roomId: 'r1', clock: 0, value: Uint8Array.of(1, 2, 3) }]);
    wal.append([
      { kind: 'sv', roomId: 'r2', value: Uint8Array.of(9) },
      { kind: 'update', roomId: 'r2', clock: 7, value: Uint8Array.of(4) },
    ]);
    wal.close();
    // A record cut short by a kill: its header promises more than is there.
    appendFileSync(path, Buffer.from([200, 0, 0, 0, 1, 2, 3, 4, 5]));
    const reopened = new WriteAheadFile(path);
    expect(reopened.recovered).toEqual([
      { kind: 'update', roomId: 'r1', clock: 0, value: Uint8Array.of(1, 2, 3) },
      { kind: 'sv', roomId: 'r2', value: Uint8Array.of(9) },
      { kind: 'update', roomId: 'r2', clock: 7, value: Uint8Array.of(4) },
    ]);
    reopened.clear();
    reopened.close();
    // A whole-length record whose checksum does not match is not trusted either.
    const bad = Buffer.alloc(9);
    bad.writeUInt32LE(1, 0);
    bad.writeUInt32LE(12345, 4);
    appendFileSync(path, bad);
    expect(new WriteAheadFile(path).recovered).toEqual([]);
  });

  it('loses nothing when the process is killed right after an append, before LevelDB has it', async () => {
    const dir = join(tempDir(), 'leveldb');
    // A child stores "hello" in one room and SIGKILLs itself in the same tick: the LevelDB
    // batch was never even started, so the write-ahead file is the only copy.
    const child = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        `import * as Y from 'yjs';
         import { openLevelStorage } from './sync-server/storage/leveldb.ts';
         const storage = await openLevelStorage(${JSON.stringify(dir)});
         await storage.loadRoom('room-a');
         const doc = new Y.Doc();
         doc.getText('t').insert(0, 'hello');
         void storage.appendUpdates([{ roomId: 'room-a', update: Y.encodeStateAsUpdate(doc) }]);
         process.kill(process.pid, 'SIGKILL');`,
      ],
      { cwd: REPO_ROOT, encoding: 'utf8' },
    );
    expect(child.signal).toBe('SIGKILL');
    expect(statSync(`${dir}.wal`).size).toBeGreaterThan(0);
    const storage = await openLevelStorage(dir);
    try {
      expect(textOf(await storage.loadRoom('room-a'))).toBe('hello');
      // Replayed into LevelDB, the file is emptied.
      expect(statSync(`${dir}.wal`).size).toBe(0);
      expect(await storage.countUpdates('room-a')).toBe(1);
    } finally {
      await storage.close();
    }
  }, 30_000);
});
