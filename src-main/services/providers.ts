// Which calendar providers Settings can offer right now, and what connecting each one does.
// A provider without a client id signs in against the sandbox's face for it (src-main/auth/accounts.ts,
// docs/architecture.md §6), so Google and Microsoft are always offered; "sandbox calendar" (the
// Microsoft face with the demo organisation) is offered while any provider runs against the sandbox.
import type { MainSettings, ProviderInfo } from '../../src-shared/bridge/contract';

export function listProviders(s: MainSettings): ProviderInfo[] {
  const viaSandbox = (what: string) =>
    `No ${what} client id is set, so this connects to the sandbox's ${what} stand-in with demo data. Add a client id under Connections (see the README) for your real calendar.`;
  const list: ProviderInfo[] = [
    s.googleClientId
      ? { provider: 'google', label: 'Google Calendar', available: true }
      : { provider: 'google', label: 'Google Calendar', available: true, reason: viaSandbox('Google') },
    s.microsoftClientId
      ? { provider: 'microsoft', label: 'Microsoft 365', available: true }
      : { provider: 'microsoft', label: 'Microsoft 365', available: true, reason: viaSandbox('Microsoft') },
  ];
  if (!s.googleClientId || !s.microsoftClientId)
    list.push({
      provider: 'sandbox',
      label: 'Sandbox calendar',
      available: true,
      reason:
        'A demo organisation on this computer: sign in as Maya Chen (or anyone on her team). No account needed.',
    });
  return list;
}
