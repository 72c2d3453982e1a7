// One Content-Security-Policy for the renderer wherever it runs: injected as a <meta> tag at
// build time (Electron loads files, where response headers cannot be set) and sent as a header by
// the web-mode host. Scripts only from the app itself; sockets may reach any ws(s) host because the
// sync server's address is user-configured.
export const RENDERER_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // React writes style attributes; no remote stylesheets.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self' ws: wss:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
  "worker-src 'self' blob:",
].join('; ');

/** Sent as a header only: frame-ancestors is ignored (and warned about) inside a <meta> tag. */
export const RENDERER_CSP_HEADER = `${RENDERER_CSP}; frame-ancestors 'none'`;
