// What every collection module exports: its current schema and the migration strategy for each
// version step. Keeping both in one object per collection means a version bump without a strategy
// is visible in review (and caught by tests/unit/web/db-schemas.test.ts).
import type { MigrationStrategies, RxJsonSchema } from 'rxdb';

export interface CollectionDefinition<T> {
  schema: RxJsonSchema<T>;
  /** Key n turns a document stored at version n-1 into one valid at version n. */
  migrationStrategies: MigrationStrategies;
}

export const defineCollection = <T>(def: CollectionDefinition<T>): CollectionDefinition<T> => def;

// Shared field shapes. Indexed strings need a maxLength and indexed numbers need bounds (RxDB
// builds fixed-width index keys from them), so the common ones live here.
export const idField = { type: 'string', maxLength: 128 } as const;
export const emailField = { type: 'string', maxLength: 320 } as const;
/** Milliseconds since the epoch; bounded so it can be indexed. */
export const timestampField = {
  type: 'number',
  minimum: 0,
  maximum: 8_640_000_000_000_000,
  multipleOf: 1,
} as const;
