// The ID tokens the tests use. Today: the local test issuer over HTTPS with its own CA.
import type { TokenSource } from './harness';
import { startLocalIssuer, type LocalIssuer } from './local-issuer';

export interface ClosableTokenSource extends TokenSource {
  readonly kind: 'sandbox' | 'local';
  close(): Promise<void>;
}

export async function startTokenSource(): Promise<ClosableTokenSource> {
  const local: LocalIssuer = await startLocalIssuer({ https: true });
  return {
    kind: 'local',
    issuer: local.issuer,
    audience: local.audience,
    caPem: local.caPem,
    caPath: local.caPath,
    token: (email) => local.token({ email }),
    close: () => local.close(),
  };
}
