// Vitest global setup: make sure the sandbox CA exists and that every worker process trusts it.
// Node reads NODE_EXTRA_CA_CERTS only when a process starts; vitest forks its workers after
// global setup has run, copying process.env at that moment, so setting it here reaches them.
import { ensureSandboxCa, extraCaCertsValue } from '../../sandbox/tls/ca';

export default function setup(): void {
  const ca = ensureSandboxCa();
  process.env.NODE_EXTRA_CA_CERTS = extraCaCertsValue(ca);
}
