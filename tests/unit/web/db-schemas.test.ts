// Guards the schema-versioning rule written in src-renderer/src/db/schemas/index.ts.
import { describe, expect, it } from 'vitest';
import { addRxPlugin } from 'rxdb';
import { RxDBDevModePlugin, disableWarnings } from 'rxdb/plugins/dev-mode';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import { openDuetDatabase } from '../../../src-renderer/src/db/database';
import { duetCollections } from '../../../src-renderer/src/db/schemas';
import { sampleDocs } from './support/sample-docs';
import { uniqueDbName } from './support/fake-idb';
import schemaLock from './schema-lock.json';

/** Key order does not change what a schema means, so it must not change the fingerprint. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

async function fingerprint(schema: unknown): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify(canonical(schema)));
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

const lock = schemaLock as Record<string, Record<string, string>>;

describe('schema versions', () => {
  it.each(Object.entries(duetCollections))(
    '%s: a migration strategy for every version step, none beyond',
    (_name, def) => {
      const steps = Object.keys(def.migrationStrategies)
        .map(Number)
        .sort((a, b) => a - b);
      expect(steps).toEqual(Array.from({ length: def.schema.version }, (_, i) => i + 1));
    },
  );

  it.each(Object.entries(duetCollections))(
    '%s: changed only together with a version bump (schema-lock.json)',
    async (name, def) => {
      const fp = await fingerprint(def.schema);
      const locked = lock[name]?.[String(def.schema.version)];
      const hint = `set "${name}": { …, "${def.schema.version}": "${fp}" } in tests/unit/web/schema-lock.json`;
      expect(locked, `version ${def.schema.version} of ${name} is not recorded yet: ${hint}`).toBeDefined();
      expect(
        fp,
        `${name} changed but its version did not (RxDB would refuse existing databases): bump the version and add a migration strategy, then ${hint}`,
      ).toBe(locked);
      const recordedVersions = Object.keys(lock[name] ?? {}).map(Number);
      expect(Math.max(...recordedVersions)).toBe(def.schema.version);
    },
  );
});

describe('schemas under RxDB dev-mode with validation', () => {
  it('pass dev-mode checks, accept the sample documents and reject invalid ones', async () => {
    disableWarnings();
    addRxPlugin(RxDBDevModePlugin);
    const db = await openDuetDatabase({
      storage: wrappedValidateAjvStorage({ storage: getRxStorageMemory() }),
      name: uniqueDbName('dev'),
    });
    try {
      for (const [name, doc] of Object.entries(sampleDocs)) {
        const collection = db.collections[name as keyof typeof sampleDocs] as unknown as {
          insert(d: unknown): Promise<unknown>;
        };
        await collection.insert(doc);
      }
      await expect(
        db.people.insert({ ...sampleDocs.people, id: 'p-bad', directReport: 'yes' as unknown as boolean }),
      ).rejects.toThrow();
      await expect(
        db.meetings.insert({ ...sampleDocs.meetings, id: 'm-bad', participants: ['only@example.com'] }),
      ).rejects.toThrow();
      await expect(
        db.preferences.insert({ ...sampleDocs.preferences, id: 'other', matchMode: 'fuzzy' as 'keywords' }),
      ).rejects.toThrow();
    } finally {
      await db.close();
    }
  });
});
