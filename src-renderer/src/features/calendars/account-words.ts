// Calendar accounts in words: status, last sync, progress, polling. Pure functions with the clock
// and locale injectable, so every phrase the Calendars card shows is tested on its own.
import type {
  AccountInfo,
  AccountStatus,
  ConnectableProvider,
  SignInState,
} from '../../../../src-shared/bridge/contract';

/** The accessible names of the connect buttons: tests, docs and screen readers rely on them. */
export const CONNECT_BUTTON: Record<ConnectableProvider, string> = {
  google: 'Connect Google Calendar',
  microsoft: 'Connect Microsoft 365',
  sandbox: 'Connect sandbox calendar',
};

export const PROVIDER_NAME: Record<ConnectableProvider, string> = {
  google: 'Google Calendar',
  microsoft: 'Microsoft 365',
  sandbox: 'the sandbox calendar',
};

export const STATUS_LABEL: Record<AccountStatus, string> = {
  connected: 'Connected',
  syncing: 'Syncing',
  offline: 'Offline',
  'needs-reconnect': 'Needs reconnect',
  error: 'Sync problem',
};

export const STATUS_TONE: Record<AccountStatus, string> = {
  connected: 'badge--ok',
  syncing: 'badge--muted',
  offline: 'badge--warning',
  'needs-reconnect': 'badge--danger',
  error: 'badge--danger',
};

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "just now", "5 min ago", "3 h ago", else a date and time. */
export function relativeTime(ms: number, now: number, locale?: string): string {
  const ago = now - ms;
  if (ago < MINUTE) return 'just now';
  if (ago < HOUR) return `${Math.floor(ago / MINUTE)} min ago`;
  if (ago < DAY) return `${Math.floor(ago / HOUR)} h ago`;
  return `on ${absoluteTime(ms, locale)}`;
}

export function absoluteTime(ms: number, locale?: string): string {
  return new Date(ms).toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
}

export function lastSyncText(account: Pick<AccountInfo, 'lastSyncAt'>, now: number, locale?: string): string {
  return account.lastSyncAt > 0
    ? `Last synced ${relativeTime(account.lastSyncAt, now, locale)}`
    : 'Not synced yet';
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

export function progressText(progress: NonNullable<AccountInfo['progress']>): string {
  return `Importing… ${plural(progress.pages, 'page')}, ${plural(progress.events, 'event')} so far`;
}

/** How changes reach the app: pushed by the provider as they happen, or found by a poll. */
export function pollingText(account: Pick<AccountInfo, 'push' | 'pollMinutes'>): string {
  return account.push ? 'Live updates' : `Checking every ${plural(account.pollMinutes, 'min', 'min')}`;
}

/** What the user should do about the account's state, in one sentence ('' when nothing). */
export function adviceFor(account: Pick<AccountInfo, 'status' | 'provider' | 'sandbox'>): string {
  switch (account.status) {
    case 'needs-reconnect':
      return 'The calendar no longer accepts Duet’s sign-in (it was revoked or expired). Reconnect to keep your 1:1s up to date.';
    case 'offline':
      return 'Duet cannot reach the calendar right now. It will catch up by itself when the connection is back.';
    case 'error':
      return 'Duet will retry by itself. If this keeps happening, use Sync now, or disconnect and connect again.';
    default:
      return '';
  }
}

/** The outcome of a finished sign-in, for the status line; null while it is still waiting. */
export function signInOutcome(
  s: Pick<SignInState, 'state' | 'error' | 'provider'>,
): { tone: 'ok' | 'error' | 'info'; text: string } | null {
  const name = PROVIDER_NAME[s.provider];
  switch (s.state) {
    case 'waiting':
      return null;
    case 'completed':
      return { tone: 'ok', text: `Connected to ${name}. Its import progress shows with the account.` };
    case 'cancelled':
      return { tone: 'info', text: 'Sign-in cancelled. Nothing was connected.' };
    case 'timed-out':
      return {
        tone: 'error',
        text: `Sign-in to ${name} took longer than 5 minutes and was stopped. Connect again when you are ready.`,
      };
    case 'failed':
      return {
        tone: 'error',
        text: `Could not connect ${name}: ${s.error?.trim() || 'the sign-in did not complete'}. Try again.`,
      };
  }
}
