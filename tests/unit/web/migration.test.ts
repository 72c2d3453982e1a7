// Proves the migration mechanism the app relies on: schema versions + migrationStrategies, run by
// openDatabase (the function openDuetDatabase uses) over the app's real storage (Dexie, here on
// fake-indexeddb), with data written by an older version and read back by the next one.
import { describe, expect, it } from 'vitest';
import type { RxCollection, RxJsonSchema } from 'rxdb';
import {
  openDatabase,
  openDuetDatabase,
  type AnyCollectionDefinition,
} from '../../../src-renderer/src/db/database';
import { duetCollections } from '../../../src-renderer/src/db/schemas';
import { sampleDocs } from './support/sample-docs';
import { fakeDexieStorage, uniqueDbName } from './support/fake-idb';

type Doc = Record<string, unknown> & { id: string };

/** The next version of an app schema: one more field, filled in by the migration strategy. */
function nextVersionOf(def: AnyCollectionDefinition): AnyCollectionDefinition {
  const schema = def.schema as RxJsonSchema<Doc>;
  const next = schema.version + 1;
  return {
    schema: {
      ...schema,
      version: next,
      properties: { ...schema.properties, migratedFrom: { type: 'integer' } },
      required: [...(schema.required ?? []), 'migratedFrom'],
    },
    migrationStrategies: {
      ...def.migrationStrategies,
      [next]: (old: Doc) => ({ ...old, migratedFrom: next - 1 }),
    },
  };
}

describe('schema migration', () => {
  it.each(Object.keys(duetCollections))(
    'migrates stored %s documents to the next schema version',
    async (name) => {
      const key = name as keyof typeof duetCollections;
      const dbName = uniqueDbName('mig');
      const storage = fakeDexieStorage();

      const current = await openDuetDatabase({ storage, name: dbName });
      await (current.collections[key] as unknown as RxCollection<Doc>).insert(
        sampleDocs[key] as unknown as Doc,
      );
      await current.close();

      const next = await openDatabase<Record<string, RxCollection<Doc>>>(
        { [name]: nextVersionOf(duetCollections[key]) },
        { storage, name: dbName },
      );
      try {
        const doc = await next.collections[name]!.findOne(sampleDocs[key].id).exec();
        expect(doc?.toJSON()).toEqual({
          ...sampleDocs[key],
          migratedFrom: duetCollections[key].schema.version,
        });
      } finally {
        await next.close();
      }
    },
  );

  it('runs every step in order for an install that skipped versions, and drops documents a step rejects', async () => {
    const dbName = uniqueDbName('steps');
    const storage = fakeDexieStorage();
    const base = { primaryKey: 'id', type: 'object' } as const;
    const v0: AnyCollectionDefinition = {
      schema: {
        ...base,
        version: 0,
        properties: {
          id: { type: 'string', maxLength: 64 },
          fullName: { type: 'string' },
          email: { type: 'string' },
        },
        required: ['id', 'fullName', 'email'],
      },
      migrationStrategies: {},
    };
    const v2: AnyCollectionDefinition = {
      schema: {
        ...base,
        version: 2,
        properties: {
          id: { type: 'string', maxLength: 64 },
          name: { type: 'string' },
          email: { type: 'string', maxLength: 320 },
          aliases: { type: 'array', items: { type: 'string' } },
        },
        required: ['id', 'name', 'email', 'aliases'],
        indexes: ['email'],
      },
      migrationStrategies: {
        // v1: split the display name out; drop records without an address.
        1: (old: { id: string; fullName: string; email: string }) =>
          old.email ? { id: old.id, name: old.fullName, email: old.email } : null,
        // v2: lower-case emails so they can be matched through the index.
        2: (old: { id: string; name: string; email: string }) => ({
          ...old,
          email: old.email.toLowerCase(),
          aliases: [],
        }),
      },
    };

    const old = await openDatabase<{ people: RxCollection<Doc> }>({ people: v0 }, { storage, name: dbName });
    await old.people.bulkInsert([
      { id: 'a', fullName: 'Ada Lovelace', email: 'Ada@Example.COM' },
      { id: 'b', fullName: 'Nobody', email: '' },
    ]);
    await old.close();

    const migrated = await openDatabase<{ people: RxCollection<Doc> }>(
      { people: v2 },
      { storage, name: dbName },
    );
    try {
      const all = await migrated.people.find().exec();
      expect(all.map((d) => d.toJSON())).toEqual([
        { id: 'a', name: 'Ada Lovelace', email: 'ada@example.com', aliases: [] },
      ]);
      expect((await migrated.people.findOne({ selector: { email: 'ada@example.com' } }).exec())?.id).toBe(
        'a',
      );
    } finally {
      await migrated.close();
    }
  });

  it('refuses to open newer-versioned data without a strategy (so a missing strategy cannot go unnoticed)', async () => {
    const dbName = uniqueDbName('nostrat');
    const storage = fakeDexieStorage();
    const current = await openDuetDatabase({ storage, name: dbName });
    await current.people.insert(sampleDocs.people);
    await current.close();
    const bumped = nextVersionOf(duetCollections.people);
    const withoutStrategy = { ...bumped, migrationStrategies: duetCollections.people.migrationStrategies };
    await expect(openDatabase({ people: withoutStrategy }, { storage, name: dbName })).rejects.toThrow();
  });
});
