// Opens Duet's RxDB database. The storage and the name are injected so that the app uses Dexie
// (IndexedDB) while tests use memory storage or Dexie over fake-indexeddb — through this same
// function, so the tests exercise the code path the app runs.
import {
  addRxPlugin,
  createRxDatabase,
  type MigrationStrategies,
  type RxCollection,
  type RxDatabase,
  type RxJsonSchema,
  type RxStorage,
} from 'rxdb';
import { RxDBLeaderElectionPlugin } from 'rxdb/plugins/leader-election';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { installMeetingRules, ownAddresses } from './meeting-rules';
import { duetCollections, type DuetDocTypes } from './schemas';

export type DuetCollections = { [K in keyof DuetDocTypes]: RxCollection<DuetDocTypes[K]> };
export type DuetDatabase = RxDatabase<DuetCollections>;

export const DEFAULT_DATABASE_NAME = 'duet';

export interface OpenDatabaseOptions {
  /** Defaults to Dexie over the browser's IndexedDB. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- RxStorage's generics differ per storage
  storage?: RxStorage<any, any>;
  /** Defaults to 'duet'. RxDB names: lower-case letters, digits and _$()+-/ . */
  name?: string;
  /**
   * Open a second instance of a database already open in this process: how tests play two
   * windows sharing one database (RxDB allows it in dev-mode only).
   */
  ignoreDuplicate?: boolean;
}

/** The storage the app runs on. Dexie ships inside rxdb; never add dexie as its own dependency. */
export function defaultStorage(): RxStorage<unknown, unknown> {
  return getRxStorageDexie();
}

/** A collection definition with its document type erased, as RxDB's addCollections takes it. */
export interface AnyCollectionDefinition {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- erased on purpose, see above
  schema: RxJsonSchema<any>;
  migrationStrategies: MigrationStrategies;
}

/**
 * Lower level than openDuetDatabase: opens a database with the given collection definitions.
 * Exists so the migration test can open a database at an older schema version through the very
 * code the app uses.
 */
export async function openDatabase<Collections = Record<string, RxCollection>>(
  collections: Record<string, AnyCollectionDefinition>,
  options: OpenDatabaseOptions = {},
): Promise<RxDatabase<Collections>> {
  // Without this plugin RxDB refuses to open a collection whose stored data has an older version.
  addRxPlugin(RxDBMigrationSchemaPlugin);
  // One writer among the windows sharing the database: the calendar ingest runs in the leader only.
  addRxPlugin(RxDBLeaderElectionPlugin);
  const db = await createRxDatabase<Collections>({
    name: options.name ?? DEFAULT_DATABASE_NAME,
    storage: options.storage ?? defaultStorage(),
    // Several windows (or tabs in web mode) may share one database.
    multiInstance: true,
    eventReduce: true,
    ...(options.ignoreDuplicate ? { ignoreDuplicate: true } : {}),
  });
  try {
    // addCollections runs pending migrations (autoMigrate) before it resolves.
    await db.addCollections(
      Object.fromEntries(
        Object.entries(collections).map(([name, def]) => [
          name,
          { schema: def.schema, migrationStrategies: def.migrationStrategies },
        ]),
      ),
    );
  } catch (err) {
    await db.close();
    throw err;
  }
  return db;
}

export async function openDuetDatabase(
  options: OpenDatabaseOptions & { now?: () => number } = {},
): Promise<DuetDatabase> {
  const db = await openDatabase<DuetCollections>({ ...duetCollections }, options);
  // The lifecycle rules live where meetings are written (docs/architecture.md §2).
  installMeetingRules(db.meetings, db.series, {
    now: options.now ?? Date.now,
    mine: () => ownAddresses(db),
  });
  return db;
}
