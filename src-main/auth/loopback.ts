// The loopback redirect of a desktop sign-in (RFC 8252 §7.3; docs/architecture.md §6): an HTTP
// listener on 127.0.0.1 at a random port, waiting for the provider to send the browser back with
// a code. A callback whose `state` is not the one this sign-in sent is refused and ignored (it is
// from another attempt, or forged), so it can neither finish nor break the sign-in in progress.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { staleCallbackPage } from './pages';

export interface LoopbackCallback {
  params: URLSearchParams;
  /** Answers the browser (the page after the code exchange: success or failure). */
  reply(status: number, html: string): void;
}

export interface Loopback {
  /** http://127.0.0.1:PORT/ */
  redirectUri: string;
  /** Resolves with the first callback carrying the expected state (a code or an error). */
  callback: Promise<LoopbackCallback>;
  close(): void;
}

export async function startLoopback(expectedState: string): Promise<Loopback> {
  let deliver!: (cb: LoopbackCallback) => void;
  const callback = new Promise<LoopbackCallback>((resolve) => (deliver = resolve));
  let delivered = false;
  const server = http.createServer((req, res) => {
    const send = (status: number, html: string) => {
      if (res.headersSent) return;
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(html);
    };
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET' || url.pathname !== '/') {
      res.writeHead(404).end();
      return;
    }
    const params = url.searchParams;
    if (!params.has('code') && !params.has('error')) {
      res.writeHead(404).end(); // favicon and the like
      return;
    }
    const states = params.getAll('state');
    if (delivered || states.length !== 1 || states[0] !== expectedState) {
      send(400, staleCallbackPage());
      return;
    }
    delivered = true;
    deliver({ params, reply: send });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    redirectUri: `http://127.0.0.1:${port}/`,
    callback,
    close() {
      server.close();
      server.closeIdleConnections();
      // Give a reply in flight a moment to reach the browser before dropping what is left.
      setTimeout(() => server.closeAllConnections(), 1000).unref();
    },
  };
}
