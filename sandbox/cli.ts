// `npm run -s sandbox -- [--port N] [--seed FILE]`: starts the sandbox on 127.0.0.1, prints ONE
// JSON line with its URLs once ready, and runs until SIGTERM/SIGINT.
// Extra: `--auto-approve` skips consent pages; `--print-ca-path` creates the CA, prints
// {"caCertPath": ...} and exits (to set NODE_EXTRA_CA_CERTS before starting a client).
import { resolve } from 'node:path';
import { exitWithLauncher } from './launcher';
import { startSandbox } from './server';
import { ensureSandboxCa } from './tls/ca';

interface Args {
  port: number;
  seed?: string;
  autoApprove: boolean;
  printCaPath: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { port: 0, autoApprove: false, printCaPath: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const value = (): string => {
      const v = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--port' || arg.startsWith('--port=')) {
      const port = Number(value());
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('--port must be an integer between 0 and 65535');
      args.port = port;
    } else if (arg === '--seed' || arg.startsWith('--seed=')) {
      args.seed = resolve(value());
    } else if (arg === '--auto-approve') {
      args.autoApprove = true;
    } else if (arg === '--print-ca-path') {
      args.printCaPath = true;
    } else if (arg === '--help' || arg === '-h') {
      process.stderr.write('usage: npm run -s sandbox -- [--port N] [--seed FILE] [--auto-approve] [--print-ca-path]\n');
      process.exit(0);
    } else {
      throw new Error(`unknown argument ${arg}`);
    }
  }
  return args;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.printCaPath) {
    process.stdout.write(`${JSON.stringify({ caCertPath: ensureSandboxCa().caCertPath })}\n`);
    return;
  }
  const sandbox = await startSandbox({ port: args.port, ...(args.seed ? { seed: args.seed } : {}), autoApprove: args.autoApprove });
  process.stdout.write(`${JSON.stringify(sandbox.info())}\n`);
  const stop = (signal: string): void => {
    process.stderr.write(`sandbox: ${signal}, shutting down\n`);
    void sandbox.close().then(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  exitWithLauncher((pid) => stop(`launcher ${pid} exited`));
}

main().catch((error: unknown) => {
  process.stderr.write(`sandbox: ${(error as Error).message}\n`);
  process.exit(1);
});
