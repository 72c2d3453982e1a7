// Opens the web host's URL in the user's browser, the way command-line tools conventionally do:
// `BROWSER=none` opens nothing; any other `BROWSER` is the command to run (split on spaces; a `%s`
// in it is replaced by the URL, otherwise the URL is its last argument); without it, the system's
// opener (xdg-open, open, or `start` on Windows).
import { spawn } from 'node:child_process';

/** Returns the command used, or null when BROWSER=none asked for nothing to be opened. */
export async function openInBrowser(
  url: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string | null> {
  const chosen = env.BROWSER?.trim();
  if (chosen === 'none') return null;
  let cmd: string;
  let args: string[];
  if (chosen) {
    const words = chosen.split(/\s+/);
    cmd = words[0]!;
    args = words.slice(1);
    if (args.some((a) => a.includes('%s'))) args = args.map((a) => a.replaceAll('%s', url));
    else args.push(url);
  } else if (process.platform === 'darwin') {
    [cmd, args] = ['open', [url]];
  } else if (process.platform === 'win32') {
    // `start` is a cmd built-in; its first quoted argument is a window title, hence the "".
    [cmd, args] = ['cmd', ['/c', 'start', '""', url.replace(/&/g, '^&')]];
  } else {
    [cmd, args] = ['xdg-open', [url]];
  }
  await new Promise<void>((resolve, reject) => {
    // cmd.exe parses its own command line: pass `start "" URL` through unquoted by Node.
    const verbatim = !chosen && process.platform === 'win32';
    const child = spawn(cmd, args, {
      stdio: 'ignore',
      detached: true,
      env,
      windowsVerbatimArguments: verbatim,
    });
    child.once('error', (err) =>
      reject(new Error(`Could not start ${cmd} to open the browser (${err.message}).`)),
    );
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });
  return cmd;
}
