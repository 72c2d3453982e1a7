// Interim sign-in for this wave's first commits: no account can be connected yet. Replaced by
// src-main/auth as it lands; every call that would need it says so in words rather than failing
// silently. (Calendar sync is src-main/calendar; with no account it simply has nothing to do.)
import type { AccountsService } from './types';

const NOT_YET = 'Calendar sign-in is not available in this build yet.';

export function createAccountsUnavailable(): AccountsService {
  return {
    list: () => [],
    connect: () => Promise.reject(new Error(NOT_YET)),
    cancelSignIn: () => false,
    disconnect: () => Promise.resolve(),
    identity: () => null,
    getAccessToken: () => Promise.reject(new Error(NOT_YET)),
    endpoints: () => ({}),
    onChange: () => () => {},
    onSignIn: () => () => {},
    onIdentity: () => () => {},
    stop: () => Promise.resolve(),
  };
}
