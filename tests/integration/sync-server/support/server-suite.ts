// Suite setup shared by the sync-server tests: a sync server that trusts the test token source
// (issuer, audience and the CA its HTTPS chains to), started before a suite and closed after it.
import { startSyncServer, type SyncServerHandle, type SyncServerOptions } from '../../../../sync-server';
import type { Client, TokenSource } from './harness';
import { startTokenSource, type ClosableTokenSource } from './token-source';

/** Everything but trust, which comes from the token source. */
export type ServerOptions = Omit<SyncServerOptions, 'issuers' | 'audiences' | 'trustedCertificates'>;

/** An in-process sync server that accepts `tokens`' ID tokens; silent unless told otherwise. */
export function startTrustingServer(
  tokens: TokenSource,
  options: ServerOptions = {},
): Promise<SyncServerHandle> {
  return startSyncServer({
    issuers: [tokens.issuer],
    audiences: [tokens.audience],
    trustedCertificates: tokens.caPem ? [tokens.caPem] : [],
    logLevel: 'silent',
    ...options,
  });
}

export interface ServerWithTokens {
  tokens: ClosableTokenSource;
  server: SyncServerHandle;
}

/** A fresh token source and a server trusting it (the token source is closed if the server fails). */
export async function startServerWithTokens(options: ServerOptions = {}): Promise<ServerWithTokens> {
  const tokens = await startTokenSource();
  try {
    return { tokens, server: await startTrustingServer(tokens, options) };
  } catch (error) {
    await tokens.close();
    throw error;
  }
}

/** Ends what a suite started, clients first; parts that never started are skipped. */
export async function stopAll(parts: {
  clients?: readonly Client[];
  server?: SyncServerHandle | undefined;
  tokens?: ClosableTokenSource | undefined;
}): Promise<void> {
  for (const c of parts.clients ?? []) c.destroy();
  await parts.server?.close();
  await parts.tokens?.close();
}

/** The CLI flags that start a server on a free port, keeping its data in `dataDir`, trusting `tokens`' issuer. */
export function serverFlags(tokens: TokenSource, dataDir: string): string[] {
  return ['--port', '0', '--data', dataDir, '--issuer', tokens.issuer, '--audience', tokens.audience];
}
