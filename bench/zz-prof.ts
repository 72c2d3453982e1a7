import { performance } from 'node:perf_hooks';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { openDuetDatabase } from '../src-renderer/src/db/database';
import { storeBatch, cachedEventId } from '../src-renderer/src/calendar/cache';
import type { CalendarBatch } from '../src-shared/bridge/contract';
async function main() {
  const changes = Array.from({ length: 2000 }, (_, i) => ({ id: `e${i}`, calendarId: 'maya.chen@bench.test', primary: true, title: `Working session ${i}`, start: new Date(Date.now() + i * 60000).toISOString(), end: new Date(Date.now() + i * 60000 + 1800000).toISOString(), attendees: [{ email: 'a@b.c' }, { email: 'd@e.f' }, { email: 'g@h.i' }], status: 'confirmed' as const, etag: '"x"', iCalUID: `u${i}@x`, provider: 'google' as const, accountId: 'acct', organizer: 'a@b.c' }));
  let t = performance.now();
  for (const c of changes) cachedEventId('acct', c.calendarId, c.id);
  console.log('hash 2000', (performance.now() - t).toFixed(0));
  for (let r = 0; r < 3; r++) {
    const db = await openDuetDatabase({ storage: getRxStorageMemory(), name: `prof${r}` });
    const batch: CalendarBatch = { id: 'b', accountId: 'acct', provider: 'google', self: 'a@b.c', kind: 'initial', replace: true, changes };
    t = performance.now();
    await storeBatch(db, batch, 1);
    console.log('storeBatch', (performance.now() - t).toFixed(0));
    await db.remove();
  }
}
void main();
