// A main process (the services as the app assembles them) in its own OS process, so a test can
// kill it for real (SIGKILL) in the middle of an import. Usage: tsx host-process.ts DIR ISSUER MODE
//   MODE "freeze": prints `page N` for each page of the import and, after the first, stops its own
//                  event loop (nothing more can be written) until it is killed.
//   MODE "ack":    acknowledges batches as the renderer does (prints each as one JSON line) until
//                  the account's cursor is stored, then prints `synced` and exits.
import { join } from 'node:path';
import { createNodePlatform } from '../../../../src-main/platform/node';
import { createMainServices } from '../../../../src-main/services/create';
import { startEmbeddedSyncServer } from '../../../../src-main/services/embedded-sync';
import { jsonFileStore } from '../../../../src-main/storage/json-file';

const [dir, issuer, mode] = process.argv.slice(2) as [string, string, 'freeze' | 'ack'];

async function main(): Promise<void> {
  const services = await createMainServices({
    mode: 'web',
    platform: createNodePlatform({ userData: dir, version: 'test' }),
    store: jsonFileStore(join(dir, 'settings.json')),
    startEmbeddedSyncServer: (trust) => startEmbeddedSyncServer(join(dir, 'sync-server'), trust),
    sandboxIssuer: issuer,
    env: {},
  });
  const sync = services.calendarSync;
  const [account] = services.accounts.list();
  if (!account) throw new Error('no account in the data folder');
  if (mode === 'freeze') {
    sync.onChange(() => {
      const pages = sync.status(account.id).progress?.pages ?? 0;
      if (pages < 1) return;
      process.stdout.write(`page ${pages}\n`);
      // The host hangs here, mid-import, until the test kills it.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
    });
    return;
  }
  const pump = () => {
    for (let batch = sync.nextBatch(); batch; batch = sync.nextBatch()) {
      process.stdout.write(`${JSON.stringify({ kind: batch.kind, replace: batch.replace, ids: batch.changes.map((c) => c.id) })}\n`);
      sync.ackBatch(batch.id, true);
    }
    if (sync.status(account.id).lastSyncAt > 0) {
      process.stdout.write('synced\n');
      void services.stop().then(() => process.exit(0));
    }
  };
  sync.onBatchReady(() => pump());
  sync.onChange(() => pump());
  pump();
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
