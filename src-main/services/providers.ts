// Which calendar providers Settings can offer right now, and why one is not available.
import type { MainSettings, ProviderInfo } from '../../src-shared/bridge/contract';

export function listProviders(s: MainSettings): ProviderInfo[] {
  const needs = (what: string) =>
    `Add a ${what} client id in Settings (see the README) to connect a real account.`;
  return [
    s.googleClientId
      ? { provider: 'google', label: 'Google Calendar', available: true }
      : { provider: 'google', label: 'Google Calendar', available: false, reason: needs('Google OAuth') },
    s.microsoftClientId
      ? { provider: 'microsoft', label: 'Microsoft 365 / Outlook', available: true }
      : {
          provider: 'microsoft',
          label: 'Microsoft 365 / Outlook',
          available: false,
          reason: needs('Microsoft Entra'),
        },
    {
      provider: 'sandbox',
      label: 'Sandbox calendar (demo team, works offline)',
      available: true,
    },
  ];
}
