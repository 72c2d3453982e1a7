// A minimal `fetch` for OpenID discovery and JWKS downloads, built on node:http(s).
// Why not the global fetch: it only trusts extra CAs given through NODE_EXTRA_CA_CERTS at
// process start, which an embedded server (or a test worker) cannot set afterwards. This one
// takes extra CA certificates per server, caps the body size (a hostile issuer cannot make us
// buffer gigabytes) and never follows redirects (jose asks for redirect: "manual" as well).
import http from 'node:http';
import https from 'node:https';
import { rootCertificates } from 'node:tls';

const MAX_BODY_BYTES = 512 * 1024;

export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** `extraCaPem` may be a function, read per request, when the trusted CAs change at run time. */
export function createIssuerFetch(extraCaPem: readonly string[] | (() => readonly string[]) = []): FetchLike {
  const extra = typeof extraCaPem === 'function' ? extraCaPem : () => extraCaPem;
  return (input, init) =>
    new Promise<Response>((resolve, reject) => {
      // Passing `ca` replaces Node's default roots, so keep them and add ours.
      const pems = extra();
      const ca = pems.length > 0 ? [...rootCertificates, ...pems] : undefined;
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (url.protocol !== 'https:' && url.protocol !== 'http:') {
        reject(new TypeError(`unsupported protocol ${url.protocol}`));
        return;
      }
      const headers: Record<string, string> = {};
      new Headers(init?.headers).forEach((value, name) => (headers[name] = value));
      const signal = init?.signal ?? undefined;
      const request = (url.protocol === 'https:' ? https : http).request(url, {
        method: init?.method ?? 'GET',
        headers,
        ...(url.protocol === 'https:' && ca ? { ca } : {}),
        ...(signal ? { signal } : {}),
      });
      request.on('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BODY_BYTES) {
            request.destroy(new Error(`issuer response larger than ${MAX_BODY_BYTES} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => {
          const responseHeaders = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            if (typeof value === 'string') responseHeaders.set(name, value);
            else if (Array.isArray(value)) for (const v of value) responseHeaders.append(name, v);
          }
          const status = res.statusCode ?? 500;
          // Response forbids a body on 204/304; issuers never send those for JSON, but be safe.
          const body = status === 204 || status === 304 ? null : Buffer.concat(chunks);
          resolve(new Response(body, { status, headers: responseHeaders }));
        });
        res.on('error', reject);
      });
      request.on('error', (err) => {
        // AbortSignal.timeout aborts with a TimeoutError; jose maps that name to JWKSTimeout.
        if (signal?.aborted && signal.reason instanceof Error) reject(signal.reason);
        else reject(err);
      });
      request.end();
    });
}
