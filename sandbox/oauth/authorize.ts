// The authorize step shared by both providers: checks the request, shows a small consent page
// (account picker + Allow / Deny), or approves at once when auto-approve is on:
//   - query flag `sandbox_auto_approve=1` on the authorize URL, or
//   - admin setting `POST /_admin/settings {"autoApprove": true}` / startSandbox({ autoApprove }).
// `login_hint` picks the account; otherwise the scenario's `me`.
import type { SandboxContext } from '../context';
import type { Ctx } from '../http';
import { opaqueToken } from '../ids';
import type { Provider } from './grants';

export interface PendingAuthorization {
  id: string;
  provider: Provider;
  clientId: string;
  redirectUri: string;
  scope: string[];
  state?: string;
  codeChallenge?: string;
  codeChallengeMethod?: string;
  nonce?: string;
  offline: boolean;
  loginHint?: string;
  /** query (redirect) or form_post (an auto-submitting form, which msal-node requires). */
  responseMode: 'query' | 'form_post';
  expiresAt: number;
}

// Per sandbox, so that several sandboxes in one process never see each other's requests.
const pendingBySandbox = new WeakMap<SandboxContext, Map<string, PendingAuthorization>>();
function pendingOf(sb: SandboxContext): Map<string, PendingAuthorization> {
  let map = pendingBySandbox.get(sb);
  if (!map) {
    map = new Map();
    pendingBySandbox.set(sb, map);
  }
  return map;
}

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/** Desktop apps redirect to a loopback port (RFC 8252 §7.3); the sandbox accepts only that. */
export function isLoopbackRedirect(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  } catch {
    return false;
  }
}

function errorPage(ctx: Ctx, message: string): void {
  ctx.sendHtml(400, page('Sign-in error', `<p class="error">${escapeHtml(message)}</p>`));
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#1f2328}
h1{font-size:1.3rem}.who label{display:block;padding:.4rem 0}.actions{margin-top:1.2rem;display:flex;gap:.6rem}
button{font-size:1rem;padding:.5rem 1.2rem;border-radius:6px;border:1px solid #8c959f;background:#fff;cursor:pointer}
button[value=allow]{background:#1f6feb;color:#fff;border-color:#1f6feb}.error{color:#b42318}.scopes{font-size:.85rem;color:#57606a}</style>
</head><body>${body}</body></html>`;
}

export interface AuthorizeParams {
  provider: Provider;
  providerName: string;
}

/** Handles GET authorize for either provider. */
export function handleAuthorize(ctx: Ctx, sb: SandboxContext, params: AuthorizeParams): void {
  const q = ctx.query;
  const clientId = q.get('client_id');
  const redirectUri = q.get('redirect_uri');
  if (!clientId) return errorPage(ctx, 'Missing required parameter: client_id');
  if (!redirectUri) return errorPage(ctx, 'Missing required parameter: redirect_uri');
  if (!isLoopbackRedirect(redirectUri)) {
    return errorPage(ctx, `redirect_uri must be a loopback address (http://127.0.0.1:PORT/... or http://localhost:PORT/...), got ${redirectUri}`);
  }
  const state = q.get('state') ?? undefined;
  const mode = q.get('response_mode') ?? 'query';
  if (mode !== 'query' && mode !== 'form_post') return errorPage(ctx, 'response_mode must be query or form_post');
  const fail = (error: string, description: string): void =>
    respondTo(ctx, redirectUri, mode, { error, error_description: description, ...(state !== undefined ? { state } : {}) });
  if (q.get('response_type') !== 'code') return fail('unsupported_response_type', 'response_type must be code');
  const challenge = q.get('code_challenge') ?? undefined;
  const method = q.get('code_challenge_method') ?? undefined;
  if (challenge !== undefined) {
    if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(challenge)) return fail('invalid_request', 'code_challenge must be 43-128 characters of [A-Za-z0-9-._~]');
    if (method !== undefined && method !== 'S256' && method !== 'plain') return fail('invalid_request', 'code_challenge_method must be S256 or plain');
  } else if (method !== undefined) {
    return fail('invalid_request', 'code_challenge_method given without code_challenge');
  }
  const scope = (q.get('scope') ?? '').split(/\s+/).filter(Boolean);
  if (scope.length === 0) return fail('invalid_scope', 'Missing required parameter: scope');
  const request: PendingAuthorization = {
    id: opaqueToken('', 18),
    provider: params.provider,
    clientId,
    redirectUri,
    scope,
    ...(state !== undefined ? { state } : {}),
    ...(challenge !== undefined ? { codeChallenge: challenge, codeChallengeMethod: method ?? 'plain' } : {}),
    ...(q.get('nonce') ? { nonce: q.get('nonce') as string } : {}),
    offline: params.provider === 'microsoft' ? scope.includes('offline_access') : q.get('access_type') === 'offline',
    ...(q.get('login_hint') ? { loginHint: q.get('login_hint') as string } : {}),
    responseMode: mode,
    expiresAt: Date.now() + 15 * 60_000,
  };
  const auto = ['1', 'true', 'yes'].includes((q.get('sandbox_auto_approve') ?? '').toLowerCase()) || sb.settings.autoApprove;
  const hinted = sb.store.person(request.loginHint);
  const defaultEmail = hinted && !hinted.resource ? hinted.email : sb.store.me;
  if (auto) {
    if (!defaultEmail) return fail('access_denied', 'the sandbox has no people to sign in as');
    return approve(ctx, sb, request, defaultEmail);
  }
  pendingOf(sb).set(request.id, request);
  const people = [...sb.store.people.values()].filter((p) => !p.resource);
  const choices = people
    .map(
      (p) =>
        `<label><input type="radio" name="email" value="${escapeHtml(p.email)}"${p.email === defaultEmail ? ' checked' : ''}> ${escapeHtml(p.name)} &lt;${escapeHtml(p.email)}&gt;</label>`,
    )
    .join('');
  ctx.sendHtml(
    200,
    page(
      `Sign in – ${params.providerName} (sandbox)`,
      `<h1>${escapeHtml(params.providerName)} sandbox</h1>
<p>An app (client <code>${escapeHtml(clientId)}</code>) wants to access your calendar.</p>
<p class="scopes">Requested: ${scope.map(escapeHtml).join(', ')}</p>
<form method="post" action="/_oauth/consent">
<input type="hidden" name="request" value="${request.id}">
<div class="who">${choices || '<p class="error">No people in this scenario.</p>'}</div>
<div class="actions"><button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button></div>
</form>`,
    ),
  );
}

/** POST /_oauth/consent from the consent page. */
export async function handleConsent(ctx: Ctx, sb: SandboxContext): Promise<void> {
  const form = await ctx.form();
  const request = pendingOf(sb).get(form.get('request') ?? '');
  if (!request || request.expiresAt < Date.now()) return errorPage(ctx, 'This sign-in request has expired. Start again from the app.');
  pendingOf(sb).delete(request.id);
  if (form.get('decision') !== 'allow') {
    return respondTo(ctx, request.redirectUri, request.responseMode, {
      error: 'access_denied',
      error_description: 'The user denied the request.',
      ...(request.state !== undefined ? { state: request.state } : {}),
    });
  }
  const person = sb.store.person(form.get('email') ?? undefined);
  if (!person || person.resource) return errorPage(ctx, 'Choose an account to continue.');
  approve(ctx, sb, request, person.email);
}

function approve(ctx: Ctx, sb: SandboxContext, request: PendingAuthorization, email: string): void {
  const code = sb.grants.issueCode({
    provider: request.provider,
    clientId: request.clientId,
    redirectUri: request.redirectUri,
    email,
    scope: request.scope,
    ...(request.codeChallenge ? { codeChallenge: request.codeChallenge } : {}),
    ...(request.codeChallengeMethod ? { codeChallengeMethod: request.codeChallengeMethod } : {}),
    ...(request.nonce ? { nonce: request.nonce } : {}),
    offline: request.offline,
  });
  const extra: Record<string, string> =
    request.provider === 'google'
      ? { scope: request.scope.join(' '), authuser: '0', prompt: 'consent' }
      : { client_info: clientInfo(sb, email), session_state: opaqueToken('', 12) };
  respondTo(ctx, request.redirectUri, request.responseMode, {
    code: code.code,
    ...(request.state !== undefined ? { state: request.state } : {}),
    ...extra,
  });
}

/** Entra's client_info: base64url JSON of the user's object id and tenant id. */
export function clientInfo(sb: SandboxContext, email: string): string {
  const person = sb.store.person(email);
  return Buffer.from(JSON.stringify({ uid: person?.objectId ?? '', utid: sb.tenantId })).toString('base64url');
}

/** Returns the authorization response: a redirect with query parameters, or a form_post page. */
function respondTo(ctx: Ctx, redirectUri: string, mode: 'query' | 'form_post', params: Record<string, string>): void {
  if (mode === 'form_post') {
    const inputs = Object.entries(params)
      .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
      .join('');
    return ctx.sendHtml(
      200,
      page('Signing in…', `<form method="post" action="${escapeHtml(redirectUri)}">${inputs}<noscript><button type="submit">Continue</button></noscript></form><script>document.forms[0].submit()</script>`),
    );
  }
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  ctx.redirect(url.toString());
}

export function clearPendingAuthorizations(sb: SandboxContext): void {
  pendingOf(sb).clear();
}
