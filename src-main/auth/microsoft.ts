// Microsoft sign-in with msal-node (docs/architecture.md §6): acquireTokenInteractive, whose own
// loopback listener binds 127.0.0.1 on a random port and checks `state`, with PKCE S256 and a
// form_post response; acquireTokenSilent afterwards. msal keeps its token cache through its
// ICachePlugin over the vault, so rotated refresh tokens are stored the moment msal gets them.
// msal has no way to abandon an interactive sign-in, so Cancel and the timeout answer its
// loopback listener the way a provider would ("access_denied", with the request's own state).
import { InteractionRequiredAuthError, PublicClientApplication, ServerError, type AccountInfo } from '@azure/msal-node';
import type { SandboxEndpoints } from '../services/sandbox';
import { msalNetworkClient } from '../services/sandbox-trust';
import { signedInPage, signInFailedPage } from './pages';
import { aborted, GrantRevokedError, MICROSOFT_SCOPES, SignInRefusedError, type AccountRef, type AuthProvider } from './types';
import { msalCachePlugin, type Vault } from './vault';

export interface MicrosoftConfig {
  clientId: string;
  /** The sandbox's Microsoft face, or null for login.microsoftonline.com. */
  sandbox: SandboxEndpoints | null;
}

export const MICROSOFT_AUTHORITY = 'https://login.microsoftonline.com/common';

function isGrantGone(err: unknown): boolean {
  return err instanceof InteractionRequiredAuthError || (err instanceof ServerError && err.errorCode === 'invalid_grant');
}

export function microsoftProvider(config: MicrosoftConfig, vault: Vault): AuthProvider {
  const sb = config.sandbox;
  // One cache per client and face: sandbox tokens never mix with real ones.
  const cacheKey = `msal.${sb ? 'sandbox' : 'real'}.${config.clientId}`;
  const app = new PublicClientApplication({
    auth: {
      clientId: config.clientId,
      authority: sb ? sb.microsoftAuthority : MICROSOFT_AUTHORITY,
      ...(sb ? { knownAuthorities: [new URL(sb.microsoftAuthority).host] } : {}),
    },
    cache: { cachePlugin: msalCachePlugin(vault, cacheKey) },
    ...(sb ? { system: { networkClient: msalNetworkClient(sb.fetch) } } : {}),
  });

  const accountOf = async (account: AccountRef): Promise<AccountInfo> => {
    const found = await app.getTokenCache().getAccountByHomeId(account.subject);
    if (!found) throw new GrantRevokedError('No sign-in is stored for this account.');
    return found;
  };
  const silent = async (account: AccountRef, forceRefresh: boolean) => {
    const info = await accountOf(account);
    try {
      return await app.acquireTokenSilent({ account: info, scopes: MICROSOFT_SCOPES, forceRefresh });
    } catch (err) {
      if (isGrantGone(err)) throw new GrantRevokedError();
      throw err;
    }
  };

  return {
    kind: 'microsoft',
    sandbox: sb !== null,
    async begin({ loginHint, signal }) {
      let opened!: (url: string) => void;
      const authUrl = new Promise<string>((resolve) => (opened = resolve));
      let redirect: { uri: string; state: string } | null = null;
      const endListener = () => {
        if (!redirect) return;
        const body = new URLSearchParams({ error: 'access_denied', error_description: 'Sign-in ended in Duet.', state: redirect.state });
        void fetch(redirect.uri, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body }).catch(() => undefined);
      };
      const run = app.acquireTokenInteractive({
        scopes: MICROSOFT_SCOPES,
        prompt: 'select_account',
        ...(loginHint ? { loginHint } : {}),
        openBrowser: (url) => {
          const params = new URL(url).searchParams;
          redirect = { uri: params.get('redirect_uri') ?? '', state: params.get('state') ?? '' };
          // Ended while msal was still fetching the authority's metadata: end its listener now.
          if (signal.aborted) endListener();
          opened(url);
          return Promise.resolve();
        },
        successTemplate: signedInPage(),
        errorTemplate: signInFailedPage('Microsoft did not complete the sign-in.'),
      });
      signal.addEventListener('abort', endListener, { once: true });
      const url = await Promise.race([authUrl, run.then(() => Promise.reject(new Error('msal finished before opening the browser'))), aborted(signal)]);
      const done = run.then(
        (result) => {
          const claims = (result.idTokenClaims ?? {}) as { email?: string; iss?: string; name?: string };
          const account = result.account;
          if (!account) throw new SignInRefusedError('Microsoft’s answer names no account.');
          const email = claims.email ?? account.username;
          return {
            subject: account.homeAccountId,
            email,
            name: claims.name ?? account.name ?? email,
            idToken: result.idToken,
            issuer: claims.iss ?? '',
            // msal stored the tokens through its cache plugin. A reconnect against a sandbox that
            // restarted on another port leaves the old sign-in cached under the same home account
            // id: drop it, or silent calls may pick it and its dead refresh token.
            commit: async () => {
              const cache = app.getTokenCache();
              for (const other of await cache.getAllAccounts())
                if (other.homeAccountId === account.homeAccountId && other.environment !== account.environment)
                  await cache.removeAccount(other);
            },
            discard: () => app.getTokenCache().removeAccount(account),
          };
        },
        (err: unknown) => {
          if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason));
          if (err instanceof ServerError && err.errorCode === 'access_denied') throw new SignInRefusedError('You declined access in the browser.');
          if (err instanceof ServerError) throw new SignInRefusedError(`Microsoft refused the sign-in: ${err.errorMessage || err.errorCode}`);
          throw err;
        },
      );
      done.catch(() => undefined);
      return { authUrl: url, done };
    },
    async accessToken(account, forceRefresh = false) {
      return (await silent(account, forceRefresh)).accessToken;
    },
    async refreshIdToken(account) {
      return (await silent(account, true)).idToken;
    },
    async revoke(account) {
      // Entra offers public clients no revocation endpoint: removing the account drops its
      // refresh token, which is what disconnecting can do from the app's side.
      const info = await app.getTokenCache().getAccountByHomeId(account.subject);
      if (info) await app.getTokenCache().removeAccount(info);
    },
  };
}
