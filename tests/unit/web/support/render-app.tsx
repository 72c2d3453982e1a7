// Renders a piece of the UI with real services: a memory RxDB and the test bridge.
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { ServicesProvider } from '../../../../src-renderer/src/app/services';
import { openDuetDatabase, type DuetDatabase } from '../../../../src-renderer/src/db/database';
import type { IngestPort } from '../../../../src-renderer/src/features/imports/ingest-port';
import { uniqueDbName } from './fake-idb';
import { createTestBridge, type TestBridge } from './test-bridge';

export interface Rendered {
  db: DuetDatabase;
  bridge: TestBridge;
  result: ReturnType<typeof render>;
}

export async function openMemoryDb(): Promise<DuetDatabase> {
  return openDuetDatabase({ storage: getRxStorageMemory(), name: uniqueDbName('ui') });
}

export async function renderWithServices(
  ui: ReactNode,
  bridge: TestBridge = createTestBridge(),
  db?: DuetDatabase,
  ingest: IngestPort | null = null,
): Promise<Rendered> {
  const database = db ?? (await openMemoryDb());
  const result = render(
    <ServicesProvider services={{ bridge: bridge.api, db: database, ingest }}>{ui}</ServicesProvider>,
  );
  return { db: database, bridge, result };
}
