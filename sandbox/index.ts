// Public entry point of the sandbox calendar (local HTTPS stand-ins for Google Calendar,
// Microsoft Graph and their sign-in). See sandbox/README.md.
export { startSandbox, SANDBOX_TENANT_ID, type RunningSandbox, type SandboxInfo, type SandboxDiscovery, type SandboxOptions } from './server';
export { ensureSandboxCa, extraCaCertsValue, defaultCaDir, type SandboxCa } from './tls/ca';
export { defaultScenario, SEED_PEOPLE } from './seed';
export type { Scenario, GEvent, GAttendee, GDateTime } from './model';
export type { Settings } from './context';
