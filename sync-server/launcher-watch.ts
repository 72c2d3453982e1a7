// `npm run sync-server` on Debian runs npm → sh (dash) → tsx → node. A SIGTERM sent to npm's
// pid reaches sh, which dies without passing it on, and the server would keep running
// (holding its port and the LevelDB lock) with nobody left to stop it. So, when started by
// npm on Linux, we note our ancestors up to npm and shut down gracefully if any of them goes.
import { readFileSync } from 'node:fs';

function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid ..." — comm may contain spaces and parentheses
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

function isNpm(pid: number): boolean {
  try {
    // npm rewrites its process title, so argv[0] may read "npm run sync-server ...".
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      .split('\0')
      .slice(0, 2)
      .some((arg) => /(^|\/)npm(-cli\.js)?(\s|$)/.test(arg));
  } catch {
    return false;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Calls `onGone` once if the npm process that launched us (or a process in between) exits. */
export function watchNpmLauncher(onGone: (pid: number) => void): void {
  if (process.platform !== 'linux' || process.env.npm_lifecycle_event === undefined) return;
  const chain: number[] = [];
  let pid: number | undefined = process.ppid;
  for (let depth = 0; depth < 5 && pid !== undefined && pid > 1; depth++) {
    chain.push(pid);
    if (isNpm(pid)) break;
    pid = parentOf(pid);
  }
  if (chain.length === 0 || !isNpm(chain[chain.length - 1]!)) return;
  const timer = setInterval(() => {
    const gone = chain.find((p) => !alive(p));
    if (gone !== undefined) {
      clearInterval(timer);
      onGone(gone);
    }
  }, 500);
  timer.unref();
}
