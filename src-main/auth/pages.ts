// The pages the browser shows when sign-in returns to the app's loopback address. The user has
// just left the provider's page; tell them plainly what happened and that the tab can go.
const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} – Duet</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;max-width:30rem;margin:4rem auto;padding:0 1rem;color:#1f2328;line-height:1.5}
h1{font-size:1.35rem}.muted{color:#57606a}</style></head><body>${body}</body></html>`;
}

export function signedInPage(email?: string): string {
  return page(
    'Signed in',
    `<h1>You're signed in${email ? ` as ${escapeHtml(email)}` : ''}</h1>
<p>Duet is importing your calendar now. You can close this tab and go back to Duet.</p>`,
  );
}

export function signInFailedPage(message: string): string {
  return page(
    'Sign-in did not finish',
    `<h1>Sign-in did not finish</h1><p>${escapeHtml(message)}</p>
<p class="muted">You can close this tab and try again from Duet's Settings.</p>`,
  );
}

export function staleCallbackPage(): string {
  return page(
    'Sign-in link no longer valid',
    `<h1>This sign-in link is no longer valid</h1>
<p>It does not belong to the sign-in Duet is waiting for (it may be from an older attempt). Start again from Duet's Settings.</p>`,
  );
}
