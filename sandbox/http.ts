// A tiny router and request context over node:https. Each face formats its own errors by
// throwing HttpError with a ready body.
import type { IncomingMessage, ServerResponse } from 'node:http';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body === 'string' ? body : `HTTP ${status}`);
  }
}

const MAX_BODY = 1_048_576;

export class Ctx {
  readonly url: URL;
  readonly method: string;
  params: Record<string, string> = {};
  private bodyPromise?: Promise<Buffer>;

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly origin: string,
  ) {
    this.url = new URL(req.url ?? '/', origin);
    this.method = (req.method ?? 'GET').toUpperCase();
  }

  get path(): string {
    return this.url.pathname;
  }

  get query(): URLSearchParams {
    return this.url.searchParams;
  }

  header(name: string): string | undefined {
    const v = this.req.headers[name.toLowerCase()];
    return Array.isArray(v) ? v.join(', ') : v;
  }

  rawBody(): Promise<Buffer> {
    this.bodyPromise ??= new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      this.req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY) {
          reject(new HttpError(413, { error: 'request body too large' }));
          this.req.destroy();
          return;
        }
        chunks.push(chunk);
      });
      this.req.on('end', () => resolve(Buffer.concat(chunks)));
      this.req.on('error', reject);
    });
    return this.bodyPromise;
  }

  /** Parsed JSON body; `onError` builds the face-specific error for unreadable JSON. */
  async json(onError: (message: string) => HttpError): Promise<unknown> {
    const raw = (await this.rawBody()).toString('utf8');
    if (raw.trim() === '') return undefined;
    try {
      return JSON.parse(raw);
    } catch (error) {
      throw onError(`request body is not valid JSON: ${(error as Error).message}`);
    }
  }

  async form(): Promise<URLSearchParams> {
    const raw = (await this.rawBody()).toString('utf8');
    return new URLSearchParams(raw);
  }

  send(status: number, body?: string | Buffer, headers: Record<string, string> = {}): void {
    if (this.res.headersSent) return;
    this.res.writeHead(status, headers);
    this.res.end(body);
  }

  sendJson(status: number, value: unknown, headers: Record<string, string> = {}): void {
    this.send(status, JSON.stringify(value), { 'content-type': 'application/json; charset=utf-8', ...headers });
  }

  sendHtml(status: number, html: string): void {
    this.send(status, html, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  }

  redirect(location: string): void {
    this.send(302, undefined, { location, 'cache-control': 'no-store' });
  }
}

export type Handler = (ctx: Ctx) => Promise<void> | void;

interface Route {
  method: string;
  segments: string[];
  handler: Handler;
}

export class Router {
  private readonly routes: Route[] = [];

  add(method: string, pattern: string, handler: Handler): this {
    this.routes.push({ method: method.toUpperCase(), segments: pattern.split('/').slice(1), handler });
    return this;
  }

  /** The handler for a path, or the methods the path supports (for 405), or nothing (404). */
  match(method: string, path: string): { handler: Handler; params: Record<string, string> } | { allowed: string[] } | undefined {
    const parts = path.split('/').slice(1);
    const allowed: string[] = [];
    for (const route of this.routes) {
      const params = matchSegments(route.segments, parts);
      if (!params) continue;
      if (route.method === method || (method === 'HEAD' && route.method === 'GET')) return { handler: route.handler, params };
      allowed.push(route.method);
    }
    return allowed.length > 0 ? { allowed } : undefined;
  }
}

function matchSegments(pattern: string[], parts: string[]): Record<string, string> | undefined {
  if (pattern.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i] ?? '';
    const actual = parts[i] ?? '';
    if (p.startsWith(':')) {
      if (actual === '') return undefined;
      try {
        params[p.slice(1)] = decodeURIComponent(actual);
      } catch {
        return undefined;
      }
    } else if (p !== actual) return undefined;
  }
  return params;
}
