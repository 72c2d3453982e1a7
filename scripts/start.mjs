// `npm start`: builds and opens the desktop app. Where Electron's binary could not be downloaded
// (offline machines, ELECTRON_SKIP_BINARY_DOWNLOAD), says so in one sentence instead of a stack trace.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

function electronBinary() {
  try {
    const pkgDir = dirname(require.resolve('electron/package.json'));
    const pathFile = join(pkgDir, 'path.txt');
    if (!existsSync(pathFile)) return null;
    const bin = join(pkgDir, 'dist', readFileSync(pathFile, 'utf8').trim());
    return existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

if (!electronBinary()) {
  console.error(
    "Electron's desktop binary is not installed here (it downloads during `npm install` and could not), so the desktop app cannot open; run `npm run start:web` to use Duet in your browser instead, or reinstall with internet access (`npm rebuild electron`).",
  );
  process.exit(1);
}

const child = spawn(
  process.platform === 'win32' ? 'npx.cmd' : 'npx',
  ['electron-vite', 'preview', ...process.argv.slice(2)],
  {
    stdio: 'inherit',
  },
);
child.on('exit', (code) => process.exit(code ?? 0));
