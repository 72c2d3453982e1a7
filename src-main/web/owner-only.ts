// The web host's data folder holds main's settings, sealed tokens and the embedded sync server's
// rooms: only its owner may read it (docs/architecture.md §1, web mode). New folders are created
// 700 and new files 600 (the CLI also sets the process umask to 077, which covers files written by
// libraries such as LevelDB); a folder left by an older version is tightened on start.
import { chmodSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export function restrictToOwner(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (process.platform === 'win32') return; // POSIX modes do not apply; the profile folder's ACL does
  const walk = (path: string) => {
    const st = lstatSync(path);
    if (st.isSymbolicLink()) return; // never follow a link out of the folder
    if (st.isDirectory()) {
      if ((st.mode & 0o777) !== 0o700) chmodSync(path, 0o700);
      for (const name of readdirSync(path)) walk(join(path, name));
    } else if (st.isFile() && (st.mode & 0o077) !== 0) {
      chmodSync(path, st.mode & 0o700);
    }
  };
  walk(dir);
}
