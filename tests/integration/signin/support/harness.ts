// The accounts service as the app assembles it, against a test sandbox reached by its issuer URL
// (the `--sandbox URL` path), and a "browser" that follows authUrl over HTTPS: it picks a person
// on the sandbox's sign-in page, allows, and carries the answer to the app's loopback address.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SignInState } from '../../../../src-shared/bridge/contract';
import { createAccountsService, type AccountsServiceOptions } from '../../../../src-main/auth/accounts';
import { createNodePlatform } from '../../../../src-main/platform/node';
import { createSandboxService, type SandboxService } from '../../../../src-main/services/sandbox';
import { createSettingsService, type SettingsService } from '../../../../src-main/services/settings';
import type { AccountsService } from '../../../../src-main/services/types';
import { jsonFileStore } from '../../../../src-main/storage/json-file';
import type { Platform } from '../../../../src-main/platform/types';
import { sandboxFetch, type TestSandbox } from '../../../support/sandbox';

export interface App {
  accounts: AccountsService;
  settings: SettingsService;
  sandbox: SandboxService;
  platform: Platform;
  dir: string;
  storeFile: string;
  opened: string[];
  signIns: SignInState[];
  identities: Array<{ idToken: string; expiresAt: number } | null>;
  changes: number;
  /** Resolves with the next sign-in state of `flowId` other than "waiting". */
  outcome(flowId: string, timeoutMs?: number): Promise<SignInState>;
  close(): Promise<void>;
}

export async function startApp(sb: TestSandbox, options: Partial<Pick<AccountsServiceOptions, 'mode' | 'signInTimeoutMs' | 'identityRefreshLeadMs' | 'identityRetryMs'>> & { env?: NodeJS.ProcessEnv; dir?: string } = {}): Promise<App> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'duet-signin-'));
  const opened: string[] = [];
  const platform = createNodePlatform({
    userData: dir,
    version: 'test',
    openExternal: (url) => {
      opened.push(url);
      return Promise.resolve();
    },
  });
  const storeFile = join(dir, 'settings.json');
  const store = jsonFileStore(storeFile);
  const settings = createSettingsService(store, options.env ?? {});
  const sandbox = createSandboxService({ issuer: sb.issuer });
  const accounts = createAccountsService({
    mode: options.mode ?? 'web',
    platform,
    store,
    settings,
    sandbox,
    log: () => undefined,
    ...(options.signInTimeoutMs ? { signInTimeoutMs: options.signInTimeoutMs } : {}),
    ...(options.identityRefreshLeadMs ? { identityRefreshLeadMs: options.identityRefreshLeadMs } : {}),
    ...(options.identityRetryMs ? { identityRetryMs: options.identityRetryMs } : {}),
  });
  const app: App = {
    accounts,
    settings,
    sandbox,
    platform,
    dir,
    storeFile,
    opened,
    signIns: [],
    identities: [],
    changes: 0,
    outcome(flowId, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const done = () => app.signIns.find((s) => s.flowId === flowId && s.state !== 'waiting');
        const found = done();
        if (found) return resolve(found);
        const timer = setTimeout(() => {
          off();
          reject(new Error(`no outcome for sign-in ${flowId} within ${timeoutMs} ms`));
        }, timeoutMs);
        const off = accounts.onSignIn(() => {
          const s = done();
          if (s) {
            clearTimeout(timer);
            off();
            resolve(s);
          }
        });
      });
    },
    async close() {
      await accounts.stop();
      await sandbox.stop();
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
  accounts.onSignIn((s) => app.signIns.push(s));
  accounts.onIdentity((i) => app.identities.push(i && { idToken: i.idToken, expiresAt: i.expiresAt }));
  accounts.onChange(() => app.changes++);
  return app;
}

const unescape = (s: string): string => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

export interface AuthorizationResponse {
  /** Where the browser is sent back (the app's loopback address). */
  target: string;
  /** GET (Google: query) or POST (msal: form_post). */
  method: 'GET' | 'POST';
  params: URLSearchParams;
}

/** The sandbox's sign-in page: pick `as`, Allow; returns the authorization response undelivered. */
export async function signInPage(sb: TestSandbox, authUrl: string, as: string): Promise<AuthorizationResponse> {
  const request = sandboxFetch(sb.caCertPath);
  const page = await request<string>('GET', authUrl);
  if (page.status !== 200) throw new Error(`sign-in page answered ${page.status}: ${JSON.stringify(page.body).slice(0, 300)}`);
  const requestId = /name="request" value="([^"]+)"/.exec(page.body)?.[1];
  if (!requestId) throw new Error('no consent form on the sign-in page');
  if (!page.body.includes(`value="${as}"`)) throw new Error(`${as} is not offered on the sign-in page`);
  // The picker's form posts back to the page's own origin (the sandbox's plain-http sign-in origin).
  const answer = await request<string>('POST', new URL('/_oauth/consent', authUrl).toString(), `request=${requestId}&email=${encodeURIComponent(as)}&decision=allow`, {
    'content-type': 'application/x-www-form-urlencoded',
  });
  if (answer.status === 302) {
    const location = new URL(answer.headers.location as string);
    const params = new URLSearchParams(location.search);
    location.search = '';
    return { target: location.toString(), method: 'GET', params };
  }
  const form = /<form method="post" action="([^"]+)">(.*?)<\/form>/s.exec(answer.body);
  if (!form) throw new Error(`consent gave no authorization response (${answer.status})`);
  const params = new URLSearchParams();
  for (const m of (form[2] as string).matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) params.set(unescape(m[1] as string), unescape(m[2] as string));
  return { target: unescape(form[1] as string), method: 'POST', params };
}

/** Carries an authorization response to the app's loopback listener, as the browser would. */
export async function deliver(response: AuthorizationResponse): Promise<{ status: number; body: string }> {
  const res =
    response.method === 'GET'
      ? await fetch(`${response.target}?${response.params.toString()}`)
      : await fetch(response.target, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: response.params.toString() });
  return { status: res.status, body: await res.text() };
}

/** The whole browser side of a sign-in. */
export async function playBrowser(sb: TestSandbox, authUrl: string, as: string): Promise<{ status: number; body: string }> {
  return deliver(await signInPage(sb, authUrl, as));
}

export const storeText = (app: App): string => readFileSync(app.storeFile, 'utf8');

/** The sealed value the service keeps under `key`, opened with the app's own secret storage. */
export function unsealed<T>(app: App, key: string): T | undefined {
  const raw = JSON.parse(storeText(app)) as Record<string, string>;
  const sealed = raw[`auth.sealed.${key}`];
  return sealed === undefined ? undefined : (JSON.parse(app.platform.secrets.decrypt(sealed)) as T);
}
