// A second (and third) process for the PostgreSQL concurrency tests: appends `count` updates
// to one room, each setting its own key in a Y.Map, and every `compactEvery` appends loads the
// room and compacts it, as a server process would. Prints "done" when finished.
//   node --import tsx pg-writer.ts DATABASE_URL ROOM WRITER COUNT COMPACT_EVERY
import * as Y from 'yjs';
import { openPostgresStorage } from '../../../../sync-server/storage/postgres';

const [url, roomId, writer, count, compactEvery] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
];
const storage = await openPostgresStorage(url);
const doc = new Y.Doc();
let last: Uint8Array | undefined;
doc.on('update', (u: Uint8Array) => (last = u));
for (let i = 0; i < Number(count); i++) {
  doc.getMap('m').set(`${writer}:${i}`, i);
  // Every other batch also touches a room of its own, so batches span several rooms.
  await storage.appendUpdates([
    { roomId, update: last! },
    ...(i % 2 === 0 ? [{ roomId: `${roomId}-${writer}`, update: last! }] : []),
  ]);
  if (Number(compactEvery) > 0 && i % Number(compactEvery) === Number(compactEvery) - 1) {
    const loaded = new Y.Doc();
    for (const u of await storage.loadRoom(roomId)) Y.applyUpdate(loaded, u);
    // Give the other process time to append between our load and our compaction.
    await new Promise((r) => setTimeout(r, Math.random() * 10));
    await storage.compact(roomId, Y.encodeStateAsUpdate(loaded));
    storage.releaseRoom(roomId);
  }
}
await storage.close();
process.stdout.write('done\n');
