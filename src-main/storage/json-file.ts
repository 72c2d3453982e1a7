// KeyValueStore in one JSON file, written atomically (temp file + rename) so a crash mid-write
// leaves the previous version intact rather than a truncated file.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { KeyValueStore } from './types';

export function jsonFileStore(path: string): KeyValueStore {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  let data: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) data = parsed as Record<string, unknown>;
  } catch (err) {
    // Missing is normal on first run; a damaged file is set aside rather than silently lost.
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      const aside = `${path}.damaged-${Date.now()}`;
      try {
        renameSync(path, aside);
        console.error(`Settings file ${path} could not be read; kept it as ${aside} and started fresh.`);
      } catch {
        /* nothing to set aside */
      }
    }
  }
  const flush = () => {
    const tmp = `${path}.tmp-${process.pid}`;
    writeFileSync(tmp, JSON.stringify(data, null, 2), { mode: 0o600 });
    renameSync(tmp, path);
  };
  return {
    get: <T>(key: string) => (Object.prototype.hasOwnProperty.call(data, key) ? (structuredClone(data[key]) as T) : undefined),
    set(key, value) {
      data[key] = structuredClone(value);
      flush();
    },
    delete(key) {
      delete data[key];
      flush();
    },
  };
}
