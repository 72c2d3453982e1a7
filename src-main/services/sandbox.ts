// The sandbox calendar as the app uses it (docs/architecture.md §6, sandbox mode): with no
// `--sandbox URL`, the sandbox runs inside the app process, started on first use (default seed,
// a free port, the CA where the sandbox keeps it); with a URL (the sandbox's issuer), the app
// reads that running sandbox's endpoints from its discovery document. Either way the app trusts
// the sandbox's certificate by itself — every client gets the CA explicitly (sandbox-trust.ts),
// no environment variable needed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SandboxDiscovery, SandboxOptions } from '../../sandbox/index';
import { caFetch, httpsAgentFor, type FetchLike } from './sandbox-trust';
import type https from 'node:https';

/** The OAuth client id the app uses with both sandbox faces. */
export const SANDBOX_CLIENT_ID = 'duet-sandbox';
/**
 * What the app sends as the Google face's client secret. Like a real Desktop-app client's secret
 * it is not a secret; the sandbox's Google face refuses a token exchange without one, as Google does.
 */
export const SANDBOX_GOOGLE_CLIENT_SECRET = 'duet-sandbox-not-secret';

export interface SandboxEndpoints extends SandboxDiscovery {
  /** Clients for these endpoints: they trust the sandbox CA. */
  agent: https.Agent;
  fetch: FetchLike;
}

/** What the embedded sync server must trust to accept sandbox sign-ins (docs/architecture.md §7). */
export interface SandboxTrust {
  issuers: string[];
  audiences: string[];
  caPem: string;
}

export interface SandboxService {
  /** 'embedded' (started in-process on first use) or 'external' (`--sandbox URL`). */
  readonly source: 'embedded' | 'external';
  /** The sandbox's endpoints, starting the embedded one (or reading the external one) on first call. */
  ready(): Promise<SandboxEndpoints>;
  /** The endpoints once known, without starting anything. */
  current(): SandboxEndpoints | null;
  /** Issuers, audience and CA of the sandbox once known, else null. */
  trust(): SandboxTrust | null;
  /** Called once the endpoints are known (after `ready()` first succeeds). */
  onReady(listener: (endpoints: SandboxEndpoints) => void): () => void;
  stop(): Promise<void>;
}

export interface SandboxServiceOptions {
  /** The issuer URL of a running sandbox (`--sandbox URL`); empty or absent → embedded. */
  issuer?: string;
  /** Where the sandbox CA lives (the sandbox's default when absent; tests pass their own). */
  caDir?: string;
  /** Options for the embedded sandbox (tests: auto-approve, a seed...). */
  embedded?: Omit<SandboxOptions, 'caDir'>;
}

export function sandboxTrustOf(e: SandboxDiscovery): SandboxTrust {
  return { issuers: [e.googleIssuer, e.microsoftIssuer], audiences: [SANDBOX_CLIENT_ID], caPem: e.caCertPem };
}

/** Reads a running sandbox's discovery document, trusting the CA found where the sandbox keeps it. */
export async function discoverSandbox(issuer: string, caDir: string): Promise<SandboxDiscovery> {
  let url: URL;
  try {
    url = new URL('/.well-known/duet-sandbox', issuer);
  } catch {
    throw new Error(`--sandbox must be the sandbox's issuer URL (like https://127.0.0.1:PORT), got "${issuer}".`);
  }
  if (url.protocol !== 'https:') throw new Error(`--sandbox must be an https URL (the sandbox's issuer), got "${issuer}".`);
  const caPath = join(caDir, 'ca.pem');
  let caPem: string;
  try {
    caPem = readFileSync(caPath, 'utf8');
  } catch {
    throw new Error(
      `The sandbox's certificate authority is not at ${caPath}. Start the sandbox on this machine (npm run sandbox), ` +
        'or set DUET_SANDBOX_CA_DIR to the folder it uses.',
    );
  }
  let res: Response;
  try {
    res = await caFetch(caPem)(url, { signal: AbortSignal.timeout(10_000) });
  } catch (err) {
    throw new Error(`The sandbox at ${issuer} could not be reached: ${(err as Error).message}`);
  }
  if (!res.ok) throw new Error(`The sandbox at ${issuer} answered ${res.status} to its discovery request; is it a Duet sandbox?`);
  const doc = (await res.json()) as Partial<SandboxDiscovery>;
  for (const key of ['googleAuthUrl', 'googleTokenUrl', 'googleRevokeUrl', 'googleRootUrl', 'graphBaseUrl', 'microsoftAuthority', 'googleIssuer', 'microsoftIssuer', 'caCertPem'] as const) {
    if (typeof doc[key] !== 'string' || !doc[key]) throw new Error(`The sandbox at ${issuer} gave a discovery document without ${key}.`);
  }
  return doc as SandboxDiscovery;
}

export function createSandboxService(options: SandboxServiceOptions = {}): SandboxService {
  const external = options.issuer?.trim() ?? '';
  let running: { close(): Promise<void> } | null = null;
  let endpoints: SandboxEndpoints | null = null;
  let starting: Promise<SandboxEndpoints> | null = null;
  let stopped = false;
  const listeners = new Set<(e: SandboxEndpoints) => void>();

  const withClients = (d: SandboxDiscovery): SandboxEndpoints => {
    const agent = httpsAgentFor(d.caCertPem);
    return { ...d, agent, fetch: caFetch(d.caCertPem, agent) };
  };

  const start = async (): Promise<SandboxEndpoints> => {
    const { defaultCaDir, startSandbox } = await import('../../sandbox/index');
    const caDir = options.caDir ?? defaultCaDir();
    if (external) return withClients(await discoverSandbox(external, caDir));
    const sandbox = await startSandbox({ seed: 'default', port: 0, ...options.embedded, caDir });
    if (stopped) {
      await sandbox.close();
      throw new Error('The app is shutting down.');
    }
    running = sandbox;
    return withClients(sandbox.discovery());
  };

  return {
    source: external ? 'external' : 'embedded',
    ready() {
      if (stopped) return Promise.reject(new Error('The sandbox has been stopped.'));
      starting ??= start().then(
        (e) => {
          endpoints = e;
          for (const l of listeners) l(e);
          return e;
        },
        (err: unknown) => {
          // Let a later call try again (the external sandbox may have been started meanwhile).
          starting = null;
          throw err;
        },
      );
      return starting;
    },
    current: () => endpoints,
    trust: () => (endpoints ? sandboxTrustOf(endpoints) : null),
    onReady(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async stop() {
      stopped = true;
      await starting?.catch(() => undefined);
      endpoints?.agent.destroy();
      await running?.close();
      running = null;
    },
  };
}
