// Starts the real web-mode host as `npm run start:web` does (minus npm) and reads the URL it
// prints: the one to open, carrying this launch's secret. The global setup starts one for every
// spec; a spec that needs its own (a restart, other flags) starts another with `build: false`,
// since the global setup has built the renderer by then.
import { spawn, type ChildProcess } from 'node:child_process';

export interface WebHostProcess {
  /** What the host printed: http://127.0.0.1:PORT/?token=SECRET */
  url: string;
  origin: string;
  port: number;
  secret: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export const PRINTED_URL = /web mode at (http:\/\/127\.0\.0\.1:(\d+))\/\?token=([A-Za-z0-9_-]+)/;

export async function startWebHostProcess(opts: {
  dataDir: string;
  port?: number;
  build?: boolean;
  args?: string[];
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}): Promise<WebHostProcess> {
  const args = [
    '--import',
    'tsx',
    'src-main/web/host.ts',
    '--port',
    String(opts.port ?? 0),
    '--data',
    opts.dataDir,
  ];
  if (opts.build === false) args.push('--no-build');
  const child = spawn(process.execPath, [...args, ...(opts.args ?? [])], {
    stdio: ['ignore', 'pipe', 'pipe'],
    // BROWSER=none unless a test asks otherwise: nothing the app opens reaches a real browser.
    env: { ...process.env, BROWSER: 'none', ...opts.env },
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const m = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`web host did not start within ${timeoutMs / 1000} s:\n${stderr}`)),
      timeoutMs,
    );
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const found = PRINTED_URL.exec(out);
      if (found) {
        clearTimeout(timer);
        resolve(found);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`web host exited with ${code}:\n${stderr}`));
    });
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    url: m[0].slice('web mode at '.length),
    origin: m[1]!,
    port: Number(m[2]),
    secret: m[3]!,
    child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
