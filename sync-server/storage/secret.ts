// The server secret keys room-id derivation. It lives beside the data (not in the database,
// so it can be backed up or rotated on its own) and is created once, readable only by us.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const FILE = 'server-secret';

export function loadOrCreateSecret(dataDir: string | undefined): Buffer {
  if (dataDir === undefined) return randomBytes(32);
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, FILE);
  try {
    // 'wx' fails when the file exists, so two processes racing on a fresh dir agree on one secret.
    writeFileSync(path, randomBytes(32).toString('hex') + '\n', { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const hex = readFileSync(path, 'utf8').trim();
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new Error(`${path} is not a 32-byte hex secret`);
  return Buffer.from(hex, 'hex');
}
