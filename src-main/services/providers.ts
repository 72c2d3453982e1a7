// Which calendar providers Settings offers. A provider without a client id still connects: against
// the sandbox's face for it (sandbox mode, docs/architecture.md §6); the reason says so.
import type { MainSettings, ProviderInfo } from '../../src-shared/bridge/contract';

export function listProviders(s: MainSettings): ProviderInfo[] {
  const sandboxed = (name: string, what: string) =>
    `No ${what} client id in Settings yet: this connects the sandbox's ${name} stand-in (demo team). Add one (see the README) to connect a real account.`;
  return [
    s.googleClientId
      ? { provider: 'google', label: 'Google Calendar', available: true }
      : { provider: 'google', label: 'Google Calendar', available: true, reason: sandboxed('Google', 'Google OAuth') },
    s.microsoftClientId
      ? { provider: 'microsoft', label: 'Microsoft 365 / Outlook', available: true }
      : {
          provider: 'microsoft',
          label: 'Microsoft 365 / Outlook',
          available: true,
          reason: sandboxed('Microsoft', 'Microsoft Entra'),
        },
    {
      provider: 'sandbox',
      label: 'Sandbox calendar (demo team, works offline)',
      available: true,
    },
  ];
}
