// Shared bits of the sandbox integration tests.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export { ANA, JONAS, LEE, MAYA, PRIYA, ROOM, SAM, TOM } from '../../support/seed-people';

/** Status and body of a failed googleapis / gaxios call. */
export async function googleFailure(promise: Promise<unknown>): Promise<{ status: number; reason?: string; headers?: Headers; data: unknown }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { status?: number; response?: { status: number; data: { error?: { errors?: Array<{ reason: string }> } }; headers?: Headers } };
    return {
      status: e.response?.status ?? e.status ?? 0,
      reason: e.response?.data?.error?.errors?.[0]?.reason,
      ...(e.response?.headers ? { headers: e.response.headers } : {}),
      data: e.response?.data,
    };
  }
  throw new Error('expected the call to fail');
}

/** Status and code of a failed Graph client call. */
export async function graphFailure(promise: Promise<unknown>): Promise<{ statusCode: number; code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { statusCode: number; code: string; message: string };
    return { statusCode: e.statusCode, code: e.code, message: e.message };
  }
  throw new Error('expected the call to fail');
}

export interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * A local HTTP endpoint that records what it receives. `respond` decides the answer (default:
 * echo a Graph validationToken, else 202).
 */
export async function startReceiver(respond?: (req: Received, res: http.ServerResponse) => void): Promise<{
  url: string;
  received: Received[];
  waitFor(predicate: (r: Received[]) => boolean, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}> {
  const received: Received[] = [];
  const waiters = new Set<() => void>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const entry: Received = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      received.push(entry);
      for (const w of waiters) w();
      if (respond) return respond(entry, res);
      const token = new URL(entry.url, 'http://x').searchParams.get('validationToken');
      if (token !== null) {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end(token);
        return;
      }
      res.writeHead(202);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    waitFor(predicate, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (predicate(received)) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(received);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`receiver: condition not met in ${timeoutMs} ms; got ${received.length} requests`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export const days = (n: number): number => n * 86_400_000;
export const iso = (ms: number): string => new Date(ms).toISOString();
