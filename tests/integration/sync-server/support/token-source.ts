// The ID tokens the tests use: the sandbox issuer (tests/support/sandbox.ts), an HTTPS
// OpenID provider with its own CA, exactly as the app's sandbox mode signs in.
import { readFileSync } from 'node:fs';
import { startTestSandbox, type IdTokenOptions, type TestSandbox } from '../../../support/sandbox';
import type { TokenSource } from './harness';

export interface ClosableTokenSource extends TokenSource {
  readonly sandbox: TestSandbox;
  /** A token with sandbox options: expired, unverified email, unpublished key, Microsoft issuer... */
  tokenWith(email: string, options: IdTokenOptions): Promise<string>;
  close(): Promise<void>;
}

/** The sandbox's default audience for /_admin/id-token. */
const AUDIENCE = 'duet-sync';

export async function startTokenSource(): Promise<ClosableTokenSource> {
  const sandbox = await startTestSandbox({ seed: 'empty' });
  return {
    sandbox,
    issuer: sandbox.issuer,
    audience: AUDIENCE,
    caPem: readFileSync(sandbox.caCertPath, 'utf8'),
    caPath: sandbox.caCertPath,
    token: (email) => sandbox.idToken(email, { aud: AUDIENCE }),
    tokenWith: (email, options) => sandbox.idToken(email, { aud: AUDIENCE, ...options }),
    close: () => sandbox.close(),
  };
}
