// Serves the built renderer to a browser with the same CSP the desktop window gets, plus the
// bridge's address in a <meta> tag. The files are the app's code and nothing else: no user data and
// never the launch secret, which reaches the page only through the URL the host prints
// (docs/architecture.md §1, web mode). That is why they need no secret, and why a reload of a tab
// whose address bar no longer shows the secret still loads.
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RENDERER_CSP_HEADER } from '../../src-shared/security/csp';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export class BadRequestUrl extends Error {}

/** The request's path, decoded; throws BadRequestUrl for what no browser sends (`/%`, `http://[`). */
export function requestPath(rawUrl: string | undefined): string {
  try {
    return decodeURIComponent(new URL(rawUrl ?? '/', 'http://127.0.0.1').pathname);
  } catch {
    throw new BadRequestUrl(`Malformed request URL`);
  }
}

export function createStaticHandler(rootDir: string, bridge: () => { url: string }) {
  const root = normalize(rootDir);
  return async (req: IncomingMessage, res: ServerResponse) => {
    const headers = {
      'Content-Security-Policy': RENDERER_CSP_HEADER,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cache-Control': 'no-store',
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, headers).end();
      return;
    }
    let pathname: string;
    try {
      pathname = requestPath(req.url);
    } catch {
      res.writeHead(400, { ...headers, 'Content-Type': 'text/plain' }).end('Bad request');
      return;
    }
    if (pathname.includes('\0')) {
      res.writeHead(400, { ...headers, 'Content-Type': 'text/plain' }).end('Bad request');
      return;
    }
    const file = normalize(join(root, pathname === '/' ? 'index.html' : pathname));
    if (file !== root && !file.startsWith(root + sep)) {
      res.writeHead(403, headers).end();
      return;
    }
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain' }).end('Not found');
      return;
    }
    const type = TYPES[extname(file)] ?? 'application/octet-stream';
    if (extname(file) === '.html') {
      const meta = `<meta name="duet-bridge" content="${escapeAttr(JSON.stringify(bridge()))}">`;
      body = Buffer.from(body.toString('utf8').replace('<head>', `<head>\n    ${meta}`));
    }
    res.writeHead(200, { ...headers, 'Content-Type': type, 'Content-Length': body.length });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}
