// The accounts service (docs/architecture.md §6): runs sign-in flows (system browser in the
// desktop app, a new tab in web mode), keeps account records and sealed tokens, hands out access
// tokens to the calendar sync, keeps the sync-server identity (an ID token) fresh, and turns a
// refused grant into "needs reconnect" — never a silent stop. Tokens never leave main.
//
// Sandbox mode: a provider without a client id in Settings signs in against the sandbox's face
// for it (client id `duet-sandbox`), and the account is marked sandbox; "sandbox" is the
// Microsoft flow against the sandbox.
import { createHash, randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import type { AccountProvider, ConnectableProvider, Identity, SignInStart, SignInState } from '../../src-shared/bridge/contract';
import type { Platform } from '../platform/types';
import { SANDBOX_CLIENT_ID, SANDBOX_GOOGLE_CLIENT_SECRET, type SandboxService } from '../services/sandbox';
import type { SettingsService } from '../services/settings';
import { ReconnectRequiredError, type AccountRecord, type AccountsService, type ProviderEndpoints } from '../services/types';
import type { KeyValueStore } from '../storage/types';
import { googleProvider } from './google';
import { microsoftProvider } from './microsoft';
import { GrantRevokedError, type AuthProvider } from './types';
import { createVault } from './vault';

export interface AccountsServiceOptions {
  mode: 'desktop' | 'web';
  platform: Platform;
  store: KeyValueStore;
  settings: SettingsService;
  sandbox: SandboxService;
  /** How long a sign-in waits for the browser (default 5 minutes). */
  signInTimeoutMs?: number;
  /** The identity's ID token is refreshed this long before it expires (default 5 minutes). */
  identityRefreshLeadMs?: number;
  /** Retry delay after an identity refresh failed for a reason other than a refused grant. */
  identityRetryMs?: number;
  log?: (message: string, err?: unknown) => void;
}

interface StoredAccount extends AccountRecord {
  /** Google: the ID token's sub; Microsoft: msal's homeAccountId. */
  subject: string;
}

interface StoredIdentity {
  idToken: string;
  issuer: string;
}

class SignInEnded extends Error {
  constructor(readonly outcome: 'cancelled' | 'timed-out') {
    super(outcome === 'cancelled' ? 'Sign-in cancelled.' : 'Sign-in timed out: the browser did not come back within the time allowed.');
    this.name = 'SignInEnded';
  }
}

interface Flow {
  id: string;
  provider: ConnectableProvider;
  controller: AbortController;
  timer: NodeJS.Timeout | null;
}

const RECORDS = 'accounts.records';
const DEFAULT_TIMEOUT_MS = 5 * 60_000;
const DEFAULT_LEAD_MS = 5 * 60_000;
const GOOGLE_API_ROOT = 'https://www.googleapis.com/';
const GRAPH_BASE = 'https://graph.microsoft.com/v1.0';

export function accountIdFor(provider: AccountProvider, sandbox: boolean, subject: string): string {
  // Short, deterministic and safe in ids and links; the subject itself stays in main.
  const digest = createHash('sha256').update(`${provider}|${sandbox ? 'sandbox' : 'real'}|${subject}`).digest('base64url').slice(0, 16);
  return `${provider === 'google' ? 'g' : 'm'}${sandbox ? 's' : ''}-${digest}`;
}

export function createAccountsService(o: AccountsServiceOptions): AccountsService {
  const vault = createVault(o.store, o.platform.secrets);
  const log = o.log ?? ((message: string, err?: unknown) => console.warn(`accounts: ${message}`, err ?? ''));
  const timeoutMs = o.signInTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  const leadMs = o.identityRefreshLeadMs ?? DEFAULT_LEAD_MS;
  const retryMs = o.identityRetryMs ?? 30_000;
  const changeListeners = new Set<() => void>();
  const signInListeners = new Set<(s: SignInState) => void>();
  const identityListeners = new Set<(i: Identity) => void>();
  const flows = new Map<string, Flow>();
  const providers = new Map<string, AuthProvider>();
  // Token operations of one account run one at a time: with rotating refresh tokens, two
  // refreshes in parallel would spend the same token twice and the second would look revoked.
  const locks = new Map<string, Promise<unknown>>();
  let identityTimer: NodeJS.Timeout | null = null;
  let lastIdentity: Identity = null;
  let stopped = false;

  let records: StoredAccount[] = o.store.get<StoredAccount[]>(RECORDS) ?? [];
  const save = () => o.store.set(RECORDS, records);
  const find = (id: string) => records.find((r) => r.id === id);
  const emitChange = () => {
    for (const l of changeListeners) l();
  };
  const emitSignIn = (s: SignInState) => {
    for (const l of signInListeners) l(s);
  };

  const withLock = <T>(id: string, run: () => Promise<T>): Promise<T> => {
    const next = (locks.get(id) ?? Promise.resolve()).then(run, run);
    const settled = next.catch(() => undefined);
    locks.set(id, settled);
    void settled.then(() => {
      if (locks.get(id) === settled) locks.delete(id);
    });
    return next;
  };

  /** Real provider when Settings has its client id, else the sandbox's face. */
  const usesSandbox = (provider: AccountProvider): boolean => {
    const s = o.settings.get();
    return !(provider === 'google' ? s.googleClientId : s.microsoftClientId);
  };

  const providerFor = async (kind: AccountProvider, sandbox: boolean): Promise<AuthProvider> => {
    const s = o.settings.get();
    const endpoints = sandbox ? await o.sandbox.ready() : null;
    const clientId = sandbox ? SANDBOX_CLIENT_ID : kind === 'google' ? s.googleClientId : s.microsoftClientId;
    if (!clientId) {
      throw new Error(`This account was connected with a ${kind === 'google' ? 'Google' : 'Microsoft'} client id that is no longer in Settings; add it again to use the account.`);
    }
    const cacheKey = [kind, sandbox ? endpoints?.issuer : 'real', clientId, kind === 'google' && !sandbox ? s.googleClientSecret : ''].join('|');
    const cached = providers.get(cacheKey);
    if (cached) return cached;
    let made: AuthProvider;
    if (kind === 'google') {
      const clientSecret = sandbox ? SANDBOX_GOOGLE_CLIENT_SECRET : s.googleClientSecret;
      if (!clientSecret) {
        throw new Error(
          'Google also needs the client secret of your Desktop-app OAuth client (Google requires it even though it is not secret): ' +
            'set DUET_GOOGLE_CLIENT_SECRET before starting Duet.',
        );
      }
      made = googleProvider({ clientId, clientSecret, sandbox: endpoints }, vault);
    } else {
      made = microsoftProvider({ clientId, sandbox: endpoints }, vault);
    }
    providers.set(cacheKey, made);
    return made;
  };

  // ---- identity -------------------------------------------------------------------------------

  const currentIdentity = (): Identity => {
    for (const r of records) {
      if (r.auth !== 'connected') continue;
      const stored = vault.get<StoredIdentity>(`identity.${r.id}`);
      if (!stored) continue;
      let exp = 0;
      try {
        exp = (decodeJwt(stored.idToken).exp ?? 0) * 1000;
      } catch {
        continue;
      }
      return { email: r.email, idToken: stored.idToken, expiresAt: exp, issuer: stored.issuer, accountId: r.id };
    }
    return null;
  };

  const scheduleIdentityRefresh = (identity: Identity) => {
    if (identityTimer) clearTimeout(identityTimer);
    identityTimer = null;
    if (!identity || stopped) return;
    const delay = Math.max(0, identity.expiresAt - leadMs - Date.now());
    identityTimer = setTimeout(() => void refreshIdentity(identity.accountId), delay);
    identityTimer.unref();
  };

  const publishIdentity = () => {
    const next = currentIdentity();
    const changed = next?.idToken !== lastIdentity?.idToken || next?.accountId !== lastIdentity?.accountId;
    lastIdentity = next;
    scheduleIdentityRefresh(next);
    if (changed) for (const l of identityListeners) l(next);
  };

  const markNeedsReconnect = (id: string) => {
    const r = find(id);
    if (!r || r.auth === 'needs-reconnect') return;
    r.auth = 'needs-reconnect';
    save();
    emitChange();
    publishIdentity();
  };

  const refreshIdentity = async (id: string): Promise<void> => {
    const r = find(id);
    if (!r || r.auth !== 'connected' || stopped) return;
    try {
      const provider = await providerFor(r.provider, r.sandbox);
      const idToken = await withLock(id, () => provider.refreshIdToken(r));
      const stored = vault.get<StoredIdentity>(`identity.${id}`);
      vault.set(`identity.${id}`, { idToken, issuer: stored?.issuer ?? String(decodeJwt(idToken).iss ?? '') });
      publishIdentity();
    } catch (err) {
      if (err instanceof GrantRevokedError) return markNeedsReconnect(id);
      log(`refreshing the sign-in of ${r.email} failed; trying again shortly`, err);
      if (identityTimer) clearTimeout(identityTimer);
      identityTimer = setTimeout(() => void refreshIdentity(id), retryMs);
      identityTimer.unref();
    }
  };

  // ---- sign-in flows --------------------------------------------------------------------------

  const endFlow = (flow: Flow) => {
    if (flow.timer) clearTimeout(flow.timer);
    flows.delete(flow.id);
  };

  const connect = async (requested: ConnectableProvider, accountId?: string): Promise<SignInStart> => {
    if (stopped) throw new Error('The app is shutting down.');
    const existing = accountId ? find(accountId) : undefined;
    if (accountId && !existing) throw new Error('That account is no longer connected; connect it again from Settings.');
    const kind: AccountProvider = existing?.provider ?? (requested === 'sandbox' ? 'microsoft' : requested);
    const sandbox = existing?.sandbox ?? (requested === 'sandbox' || usesSandbox(kind));
    const provider = await providerFor(kind, sandbox);

    // A new sign-in for the same provider replaces one still waiting (an abandoned tab).
    for (const f of flows.values()) if (f.provider === requested) f.controller.abort(new SignInEnded('cancelled'));

    const controller = new AbortController();
    const flow: Flow = { id: randomUUID(), provider: requested, controller, timer: null };
    flows.set(flow.id, flow);
    let run;
    try {
      run = await provider.begin({ signal: controller.signal, ...(existing ? { loginHint: existing.email } : {}) });
    } catch (err) {
      endFlow(flow);
      throw err instanceof SignInEnded ? err : new Error(`Sign-in could not start: ${(err as Error).message}`);
    }
    // The time allowed is the user's time in the browser: it starts once the page is known.
    flow.timer = setTimeout(() => controller.abort(new SignInEnded('timed-out')), timeoutMs);
    flow.timer.unref();
    emitSignIn({ flowId: flow.id, provider: requested, state: 'waiting' });

    void run.done.then(
      async (signedIn) => {
        const id = accountIdFor(kind, sandbox, signedIn.subject);
        if (existing && id !== existing.id) {
          await signedIn.discard();
          throw new Error(`You signed in as ${signedIn.email}, but this account is ${existing.email}. Sign in as ${existing.email} to reconnect it.`);
        }
        await signedIn.commit(id);
        vault.set(`identity.${id}`, { idToken: signedIn.idToken, issuer: signedIn.issuer } satisfies StoredIdentity);
        const before = find(id);
        const record: StoredAccount = {
          id,
          provider: kind,
          sandbox,
          email: signedIn.email,
          name: signedIn.name,
          auth: 'connected',
          connectedAt: before?.connectedAt ?? Date.now(),
          subject: signedIn.subject,
        };
        records = before ? records.map((r) => (r.id === id ? record : r)) : [...records, record];
        save();
        endFlow(flow);
        emitChange();
        publishIdentity();
        emitSignIn({ flowId: flow.id, provider: requested, state: 'completed', accountId: id });
      },
    ).catch((err: unknown) => {
      endFlow(flow);
      if (err instanceof SignInEnded) return emitSignIn({ flowId: flow.id, provider: requested, state: err.outcome });
      emitSignIn({ flowId: flow.id, provider: requested, state: 'failed', error: (err as Error).message });
    });

    let openedExternally = false;
    if (o.mode === 'desktop') {
      try {
        await o.platform.openExternal(run.authUrl);
        openedExternally = true;
      } catch (err) {
        log('the system browser could not be opened; the window opens the sign-in page instead', err);
      }
    }
    return { flowId: flow.id, authUrl: run.authUrl, openedExternally };
  };

  // An account signed in against the sandbox needs it running for its tokens and endpoints.
  if (records.some((r) => r.sandbox)) void o.sandbox.ready().catch((err: unknown) => log('the sandbox could not start', err));
  lastIdentity = currentIdentity();
  scheduleIdentityRefresh(lastIdentity);

  return {
    list: () => records.map(({ subject: _subject, ...record }) => record),
    connect,
    cancelSignIn(flowId) {
      const flow = flows.get(flowId);
      if (!flow) return false;
      flow.controller.abort(new SignInEnded('cancelled'));
      return true;
    },
    async disconnect(accountId) {
      const r = find(accountId);
      if (!r) return;
      try {
        const provider = await providerFor(r.provider, r.sandbox);
        await withLock(accountId, () => provider.revoke(r));
      } catch (err) {
        log(`revoking the grant of ${r.email} failed; forgetting its tokens anyway`, err);
      }
      vault.delete(`google.${accountId}`);
      vault.delete(`identity.${accountId}`);
      records = records.filter((x) => x.id !== accountId);
      save();
      emitChange();
      publishIdentity();
    },
    identity: () => lastIdentity,
    async getAccessToken(accountId, options) {
      const r = find(accountId);
      if (!r) throw new Error(`No connected account ${accountId}.`);
      if (r.auth === 'needs-reconnect') throw new ReconnectRequiredError(accountId);
      const provider = await providerFor(r.provider, r.sandbox);
      try {
        return await withLock(accountId, () => provider.accessToken(r, options?.forceRefresh ?? false));
      } catch (err) {
        if (err instanceof GrantRevokedError) {
          markNeedsReconnect(accountId);
          throw new ReconnectRequiredError(accountId);
        }
        throw err;
      }
    },
    endpoints(accountId): ProviderEndpoints {
      const r = find(accountId);
      if (!r) throw new Error(`No connected account ${accountId}.`);
      if (!r.sandbox) return r.provider === 'google' ? { googleRootUrl: GOOGLE_API_ROOT } : { graphBaseUrl: GRAPH_BASE };
      const e = o.sandbox.current();
      if (!e) throw new Error('The sandbox calendar is still starting; try again in a moment.');
      return r.provider === 'google' ? { googleRootUrl: e.googleRootUrl, ca: e.caCertPem } : { graphBaseUrl: e.graphBaseUrl, ca: e.caCertPem };
    },
    onChange(listener) {
      changeListeners.add(listener);
      return () => changeListeners.delete(listener);
    },
    onSignIn(listener) {
      signInListeners.add(listener);
      return () => signInListeners.delete(listener);
    },
    onIdentity(listener) {
      identityListeners.add(listener);
      return () => identityListeners.delete(listener);
    },
    stop() {
      stopped = true;
      for (const f of flows.values()) f.controller.abort(new SignInEnded('cancelled'));
      if (identityTimer) clearTimeout(identityTimer);
      return Promise.resolve();
    },
  };
}
