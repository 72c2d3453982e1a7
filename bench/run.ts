// Runs every bench/*.bench.ts in its own process, one after another, so one benchmark's
// heap and event loop never skew the next. Figures are printed, never compared to a gate.
// Usage: npm run bench [-- name-filter]   (e.g. `npm run bench -- meetings-list`: the Meetings
// list with 5,000 meetings in Chromium, bench/meetings-list.bench.ts with its page in meetings-list/)
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2] ?? '';
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts') && f.includes(filter))
  .sort();

if (files.length === 0) {
  console.error(`No benchmark matches "${filter}". Available: ${readdirSync(here).join(', ')}`);
  process.exit(2);
}

let failed = 0;
for (const file of files) {
  console.log(`\n=== ${file}`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', join(here, file)], {
    stdio: 'inherit',
  });
  if (run.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
