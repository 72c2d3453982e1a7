// One Content-Security-Policy for the renderer wherever it runs: injected as a <meta> tag at
// build time (Electron loads files, where response headers cannot be set) and sent as a header by
// the web-mode host. Scripts only from the app itself; sockets and requests may reach any host because
// the sync server's address is user-configured.
export const RENDERER_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // React writes style attributes; no remote stylesheets.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  // The sync server's rooms API (POST /rooms, GET /rooms) is plain HTTP(S) on that same
  // user-configured host, so fetch needs what the sockets already have.
  "connect-src 'self' ws: wss: http: https:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
  "worker-src 'self' blob:",
].join('; ');

/** Sent as a header only: frame-ancestors is ignored (and warned about) inside a <meta> tag. */
export const RENDERER_CSP_HEADER = `${RENDERER_CSP}; frame-ancestors 'none'`;
