// `npm start`: builds and opens the desktop app. Where Electron's binary could not be downloaded
// (offline machines, ELECTRON_SKIP_BINARY_DOWNLOAD), it starts web mode instead on its default
// port and opens it in the browser (honouring BROWSER; BROWSER=none opens nothing). DUET_START=web
// asks for web mode even where Electron is installed. Arguments after `--` go to whichever starts.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const root = join(import.meta.dirname, '..');

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

const args = process.argv.slice(2);
let child;
if (process.env.DUET_START === 'web' || !electronBinary()) {
  if (process.env.DUET_START !== 'web') {
    console.error(
      "Electron's desktop binary is not installed here (it downloads during `npm install` and could not), so Duet starts in web mode and opens in your browser. To get the desktop app, reinstall with internet access (`npm rebuild electron`).",
    );
  }
  child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src-main/web/host.ts'), '--open', ...args], {
    stdio: 'inherit',
    cwd: root,
  });
} else {
  child = spawn(process.platform === 'win32' ? 'npx.cmd' : 'npx', ['electron-vite', 'preview', ...args], { stdio: 'inherit' });
}
// Ctrl+C reaches both through the terminal; a plain kill of this script is passed on.
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
