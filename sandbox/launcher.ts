// When started through npm/npx on Linux the process tree is npm → sh → tsx → node. A SIGTERM
// sent to npm kills npm and sh but is not passed on, which would leave the sandbox running
// (holding its port) with nobody to stop it. So we note our ancestors up to npm and shut down
// when one of them is gone.
import { readFileSync } from 'node:fs';

function parentPid(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid ...": comm may contain spaces or parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ppid = Number(fields[1]);
    return Number.isInteger(ppid) ? ppid : undefined;
  } catch {
    return undefined;
  }
}

function looksLikeNpm(pid: number): boolean {
  try {
    // npm rewrites its title ("npm exec tsx ..."), so check the first two argv entries.
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').slice(0, 2);
    return argv.some((arg) => /(^|\/)(npm|npx)(-cli\.js)?(\s|$)/.test(arg));
  } catch {
    return false;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Calls `onGone` once when the npm/npx launcher (or a process between it and us) exits. */
export function exitWithLauncher(onGone: (pid: number) => void): void {
  if (process.platform !== 'linux') return;
  const chain: number[] = [];
  let pid: number | undefined = process.ppid;
  for (let depth = 0; depth < 6 && pid !== undefined && pid > 1; depth++) {
    chain.push(pid);
    if (looksLikeNpm(pid)) break;
    pid = parentPid(pid);
  }
  const top = chain[chain.length - 1];
  if (top === undefined || !looksLikeNpm(top)) return;
  const timer = setInterval(() => {
    const gone = chain.find((p) => !isAlive(p));
    if (gone !== undefined) {
      clearInterval(timer);
      onGone(gone);
    }
  }, 300);
  timer.unref();
}
