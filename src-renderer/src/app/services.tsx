// The two things every section needs — the bridge to main and the local database — handed down
// through context so tests can render any part of the app with a fake bridge and a memory DB.
import { createContext, useContext, type ReactNode } from 'react';
import type { DuetApi } from '../../../src-shared/bridge/contract';
import type { DuetDatabase } from '../db/database';
import { IngestProvider, type IngestPort } from '../features/imports/ingest-port';

export interface Services {
  bridge: DuetApi;
  db: DuetDatabase;
  /** The calendar ingest the calendar screens read (null until one runs in this window). */
  ingest?: IngestPort | null;
}

const ServicesContext = createContext<Services | null>(null);

export function ServicesProvider({ services, children }: { services: Services; children: ReactNode }) {
  return (
    <ServicesContext.Provider value={services}>
      <IngestProvider ingest={services.ingest ?? null}>{children}</IngestProvider>
    </ServicesContext.Provider>
  );
}

function useServices(): Services {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('useBridge/useDb used outside <ServicesProvider>');
  return services;
}

export const useBridge = (): DuetApi => useServices().bridge;
export const useDb = (): DuetDatabase => useServices().db;
