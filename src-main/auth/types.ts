// One small interface over the two sign-in libraries (docs/architecture.md §6): Google through
// google-auth-library, Microsoft through msal-node. The accounts service (accounts.ts) runs flows,
// keeps records and identity; a provider only talks to its library and keeps its own tokens in
// the vault. Both are exercised by the same contract test against the sandbox.
import type { AccountProvider } from '../../src-shared/bridge/contract';

/** The provider refused the grant (invalid_grant, revoked, tokens gone): the user must sign in again. */
export class GrantRevokedError extends Error {
  constructor(message = 'The sign-in grant was revoked or has expired.') {
    super(message);
    this.name = 'GrantRevokedError';
  }
}

/** A sign-in the user ended in the browser (declined) or the provider refused. */
export class SignInRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SignInRefusedError';
  }
}

/** What the app knows of a stored account that a provider needs. */
export interface AccountRef {
  id: string;
  /** Google: the ID token's `sub`; Microsoft: msal's homeAccountId. */
  subject: string;
}

export interface SignedIn {
  subject: string;
  email: string;
  name: string;
  idToken: string;
  issuer: string;
  /** Keeps the new tokens under the account id the service chose. */
  commit(accountId: string): Promise<void>;
  /** Throws the new tokens away (a reconnect that signed in as someone else). */
  discard(): Promise<void>;
}

export interface SignInRun {
  /** The provider's sign-in page. */
  authUrl: string;
  /** Settles when the browser comes back (or the signal aborts: then it rejects). */
  done: Promise<SignedIn>;
}

export interface AuthProvider {
  readonly kind: AccountProvider;
  readonly sandbox: boolean;
  begin(options: { loginHint?: string; signal: AbortSignal }): Promise<SignInRun>;
  /** A valid access token, refreshed (and the rotated refresh token stored) when needed. */
  accessToken(account: AccountRef, forceRefresh?: boolean): Promise<string>;
  /** A fresh ID token, by a refresh even when the current one is still valid. */
  refreshIdToken(account: AccountRef): Promise<string>;
  /** Revokes the grant where the provider can, and forgets the tokens. */
  revoke(account: AccountRef): Promise<void>;
}

export const GOOGLE_SCOPES = [
  'openid',
  'email',
  'profile',
  'https://www.googleapis.com/auth/calendar.events',
  'https://www.googleapis.com/auth/calendar.calendarlist.readonly',
];

/** msal adds openid, profile and offline_access itself. */
export const MICROSOFT_SCOPES = ['email', 'User.Read', 'User.ReadBasic.All', 'Calendars.ReadWrite'];

export function aborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    const fail = () => reject(signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason ?? 'aborted')));
    if (signal.aborted) fail();
    else signal.addEventListener('abort', fail, { once: true });
  });
}
