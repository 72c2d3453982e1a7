// How main's HTTP clients trust the sandbox's certificate without NODE_EXTRA_CA_CERTS
// (docs/architecture.md §6): the app cannot set that variable for itself (Node reads it once at
// start), so every client that talks to the sandbox is handed its CA explicitly:
//   - google-auth-library / gaxios: `transporterOptions.agent` (gaxios uses node-fetch in Node,
//     which honours an https.Agent);
//   - msal-node: `system.networkClient` (its default client is the global fetch, which cannot
//     be given a CA);
//   - the Graph client: a last middleware that sends with `caFetch` instead of the global fetch.
// Real providers get none of this: their endpoints use the system's roots as usual.
import http from 'node:http';
import https from 'node:https';
import { rootCertificates } from 'node:tls';
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';

export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** Node's roots plus the extra CA: passing `ca` alone would replace the roots. */
export function caList(caPem: string): string[] {
  return [...rootCertificates, caPem];
}

/** An https.Agent that trusts the extra CA (keep-alive: sign-in and sync reuse connections). */
export function httpsAgentFor(caPem: string): https.Agent {
  return new https.Agent({ ca: caList(caPem), keepAlive: true });
}

async function bodyOf(input: string | URL | Request, init?: RequestInit): Promise<Buffer | undefined> {
  const body = init?.body ?? (input instanceof Request && input.body ? await input.arrayBuffer() : undefined);
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof URLSearchParams) return Buffer.from(body.toString(), 'utf8');
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof Blob) return Buffer.from(await body.arrayBuffer());
  throw new TypeError('caFetch: unsupported request body type');
}

/**
 * A `fetch` over node:http(s) that trusts `caPem` as well as the system roots. Redirects are
 * returned, not followed (the Graph client and msal handle them themselves); no compression is
 * asked for, so none needs undoing.
 */
export function caFetch(caPem: string, agent: https.Agent = httpsAgentFor(caPem)): FetchLike {
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError(`unsupported protocol ${url.protocol}`);
    const headers: Record<string, string> = {};
    new Headers(input instanceof Request ? input.headers : undefined).forEach((v, k) => (headers[k] = v));
    new Headers(init?.headers).forEach((v, k) => (headers[k] = v));
    const payload = await bodyOf(input, init);
    if (payload) headers['content-length'] = String(payload.length);
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    const signal = init?.signal ?? undefined;
    return new Promise<Response>((resolve, reject) => {
      const request = (url.protocol === 'https:' ? https : http).request(url, {
        method,
        headers,
        ...(url.protocol === 'https:' ? { agent } : {}),
        ...(signal ? { signal } : {}),
      });
      request.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const out = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            if (typeof value === 'string') out.set(name, value);
            else if (Array.isArray(value)) for (const v of value) out.append(name, v);
          }
          const status = res.statusCode ?? 500;
          const noBody = status === 204 || status === 304 || status < 200 || method === 'HEAD';
          resolve(new Response(noBody ? null : Buffer.concat(chunks), { status, statusText: res.statusMessage ?? '', headers: out }));
        });
      });
      request.on('error', (err) => reject(signal?.aborted && signal.reason instanceof Error ? signal.reason : err));
      request.end(payload);
    });
  };
}

/** msal-node's network module over `caFetch` (same shape as msal's own: JSON bodies, lower-case headers). */
export function msalNetworkClient(fetchImpl: FetchLike): INetworkModule {
  const send = async <T>(url: string, method: 'GET' | 'POST', options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> => {
    const response = await fetchImpl(url, {
      method,
      ...(options?.headers ? { headers: options.headers } : {}),
      ...(method === 'POST' ? { body: options?.body ?? '' } : {}),
      ...(timeout ? { signal: AbortSignal.timeout(timeout) } : {}),
    });
    const headers: Record<string, string> = {};
    response.headers.forEach((v, k) => (headers[k.toLowerCase()] = v));
    const text = await response.text();
    let body: unknown = {};
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        throw new Error(`${method} ${url} answered ${response.status} with a body that is not JSON`);
      }
    }
    return { headers, body: body as T, status: response.status };
  };
  return {
    sendGetRequestAsync: (url, options, timeout) => send(url, 'GET', options, timeout),
    sendPostRequestAsync: (url, options) => send(url, 'POST', options),
  };
}

/**
 * The Graph client's last middleware, sending with `fetchImpl` (its own HTTPMessageHandler calls
 * the global fetch, which cannot trust an extra CA). Use it at the end of
 * `Client.initWithMiddleware({ middleware: [...handlers, graphFetchHandler(fetch)] })`.
 */
export function graphFetchHandler(fetchImpl: FetchLike): { execute(context: { request: RequestInfo; options?: RequestInit; response?: Response }): Promise<void> } {
  return {
    async execute(context) {
      context.response = await fetchImpl(context.request, context.options);
    },
  };
}
