// Starts the real web-mode host (`npm run start:web` minus npm) on a free port with a throwaway
// data folder, and hands the URL it printed (with this launch's secret) to the tests through the
// environment: DUET_E2E_URL to open, DUET_E2E_ORIGIN for raw requests, DUET_E2E_DATA its folder.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startWebHostProcess } from './support/web-host';

export default async function globalSetup() {
  const dataDir = mkdtempSync(join(tmpdir(), 'duet-e2e-'));
  const host = await startWebHostProcess({ dataDir });
  process.env.DUET_E2E_URL = host.url;
  process.env.DUET_E2E_ORIGIN = host.origin;
  process.env.DUET_E2E_DATA = dataDir;
  return async () => {
    await host.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
