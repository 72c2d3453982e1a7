// The app trusts the sandbox by itself: a child process WITHOUT NODE_EXTRA_CA_CERTS starts the
// embedded sandbox (or reads a running one from its issuer URL) and reaches it through the real
// google-auth-library, googleapis, msal-node and Graph clients, while Node's own fetch cannot.
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultCaDir } from '../../../sandbox/index';
import { createSandboxService, discoverSandbox, SANDBOX_CLIENT_ID } from '../../../src-main/services/sandbox';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';

const run = promisify(execFile);
const probe = resolve(import.meta.dirname, 'support/trust-probe.ts');

async function probeIn(args: string[]): Promise<Record<string, { ok: boolean; value?: unknown; error?: string } | string | null>> {
  const env = { ...process.env };
  delete env.NODE_EXTRA_CA_CERTS;
  const { stdout } = await run(process.execPath, ['--import', 'tsx', probe, ...args], { env, timeout: 60_000 });
  return JSON.parse(stdout.trim().split('\n').pop() as string) as never;
}

describe('sandbox trust without NODE_EXTRA_CA_CERTS', () => {
  let sb: TestSandbox;
  beforeAll(async () => {
    sb = await startTestSandbox();
  });
  afterAll(() => sb.close());

  it('embedded: every SDK reaches the sandbox through the CA the app hands it; the global fetch does not', async () => {
    const r = await probeIn([defaultCaDir()]);
    expect(r.source).toBe('embedded');
    expect(r.extraCa).toBeNull();
    expect(r.globalFetch).toMatchObject({ ok: false });
    expect(r.googleCerts).toEqual({ ok: true, value: 1 });
    expect(r.googleCalendar).toEqual({ ok: true, value: 'maya.chen@acme.test' });
    expect(r.msal).toEqual({ ok: true, value: true });
    expect(r.graph).toEqual({ ok: true, value: 'maya.chen@acme.test' });
    // The product's adapters for both faces, as the scheduler builds them.
    expect(r.googleAdapter).toEqual({ ok: true, value: true });
    expect(r.microsoftAdapter).toEqual({ ok: true, value: true });
  }, 60_000);

  it('external (--sandbox URL): reads the running sandbox from its discovery document', async () => {
    const r = await probeIn([defaultCaDir(), sb.issuer]);
    expect(r.source).toBe('external');
    expect(r.globalFetch).toMatchObject({ ok: false });
    expect(r.googleCalendar).toEqual({ ok: true, value: 'maya.chen@acme.test' });
    expect(r.msal).toEqual({ ok: true, value: true });
    expect(r.graph).toEqual({ ok: true, value: 'maya.chen@acme.test' });
  }, 60_000);
});

describe('SandboxService', () => {
  it('starts the embedded sandbox once, on first use, and gives the sync server its issuers', async () => {
    const service = createSandboxService({ caDir: defaultCaDir() });
    expect(service.current()).toBeNull();
    expect(service.trust()).toBeNull();
    const seen: string[] = [];
    service.onReady((e) => seen.push(e.issuer));
    const [a, b] = await Promise.all([service.ready(), service.ready()]);
    expect(a).toBe(b);
    expect(seen).toEqual([a.issuer]);
    expect(service.trust()).toEqual({ issuers: [a.googleIssuer, a.microsoftIssuer], audiences: [SANDBOX_CLIENT_ID], caPem: a.caCertPem });
    expect(a.microsoftIssuer).toBe(`${a.microsoftAuthority}/v2.0`);
    await service.stop();
    await expect(a.fetch(a.googleRootUrl)).rejects.toThrow();
  });

  it('explains a wrong --sandbox URL and a missing CA in words', async () => {
    await expect(discoverSandbox('not a url', defaultCaDir())).rejects.toThrow(/issuer URL/);
    await expect(discoverSandbox('http://127.0.0.1:9', defaultCaDir())).rejects.toThrow(/https/);
    await expect(discoverSandbox('https://127.0.0.1:9', '/nonexistent-ca-dir')).rejects.toThrow(/certificate authority is not at/);
    await expect(discoverSandbox('https://127.0.0.1:9', defaultCaDir())).rejects.toThrow(/could not be reached/);
  });
});
