// Shared helpers for the sync-server integration tests: a token source, HTTP calls, real
// y-websocket providers in Node, a server child process, and polling.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

// Every WebsocketProvider adds a process 'exit' listener; tests open more than ten.
process.setMaxListeners(100);

export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** Where ID tokens come from (the sandbox issuer, or the local test issuer). */
export interface TokenSource {
  readonly issuer: string;
  readonly audience: string;
  /** CA certificate the issuer's HTTPS chains to, if any. */
  readonly caPem: string | undefined;
  readonly caPath: string | undefined;
  token(email: string): Promise<string>;
}

export async function waitFor<T>(
  probe: () => T | Promise<T>,
  what: string,
  timeoutMs = 5000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export interface ApiResponse {
  status: number;
  body: unknown;
  text: string;
  headers: Headers;
}

export async function call(
  httpUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<ApiResponse> {
  const res = await fetch(`${httpUrl}${path}`, {
    method,
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...options.headers,
    },
    body:
      options.body === undefined
        ? undefined
        : typeof options.body === 'string'
          ? options.body
          : JSON.stringify(options.body),
  });
  const text = await res.text();
  let body: unknown = undefined;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, body, text, headers: res.headers };
}

export async function createRoom(
  httpUrl: string,
  token: string,
  participants: [string, string],
  iCalUID?: string,
): Promise<string> {
  const res = await call(httpUrl, 'POST', '/rooms', {
    token,
    body: { participants, ...(iCalUID ? { iCalUID } : {}) },
  });
  if (res.status !== 200 && res.status !== 201)
    throw new Error(`POST /rooms answered ${res.status}: ${res.text}`);
  return (res.body as { roomId: string }).roomId;
}

export interface Client {
  readonly doc: Y.Doc;
  readonly provider: WebsocketProvider;
  readonly text: Y.Text;
  /** Resolves on the first sync with the server. */
  synced(): Promise<void>;
  /** Resolves with the close code when the server ends the connection for good (4400-4499). */
  readonly refused: Promise<{ code: number; reason: string }>;
  /** Every close code the server sent. */
  readonly closeCodes: number[];
  destroy(): void;
}

export function connect(
  url: string,
  roomId: string,
  token: string,
  options: { doc?: Y.Doc; connect?: boolean } = {},
): Client {
  const doc = options.doc ?? new Y.Doc();
  const provider = new WebsocketProvider(url, roomId, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: { token },
    // Node has BroadcastChannel: without this, two providers in one process would sync
    // through it and bypass the server under test.
    disableBc: true,
    connect: options.connect ?? true,
    maxBackoffTime: 200,
  });
  const closeCodes: number[] = [];
  provider.on('connection-close', (event) => {
    if (event) closeCodes.push(event.code);
  });
  const refused = new Promise<{ code: number; reason: string }>((resolve) =>
    provider.on('closed', (event) => resolve(event)),
  );
  return {
    doc,
    provider,
    text: doc.getText('notes'),
    closeCodes,
    refused,
    synced: () =>
      provider.synced
        ? Promise.resolve()
        : new Promise((resolve) => {
            const onSync = (state: boolean) => {
              if (!state) return;
              provider.off('sync', onSync);
              resolve();
            };
            provider.on('sync', onSync);
          }),
    destroy: () => {
      provider.destroy();
      doc.destroy();
    },
  };
}

export interface ServerProcess {
  readonly url: string;
  readonly httpUrl: string;
  readonly child: ChildProcess;
  readonly stderr: string[];
  /** Resolves with the exit code (or signal) when the process ends. */
  readonly exited: Promise<number | NodeJS.Signals | null>;
}

/** Starts `sync-server/cli.ts` as its own Node process (so kill -9 hits the server itself). */
export async function spawnServer(args: string[], env: Record<string, string> = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'sync-server/cli.ts', ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stderr: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => stderr.push(line));
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal)),
  );
  const firstLine = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', resolve);
    void exited.then((code) =>
      reject(new Error(`server exited (${code}) before it was ready:\n${stderr.join('\n')}`)),
    );
  });
  const { url, httpUrl } = JSON.parse(firstLine) as { url: string; httpUrl: string };
  return { url, httpUrl, child, stderr, exited };
}

/** A raw WebSocket; resolves once open, or with the close code if the server refuses. */
export function rawSocket(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

export function closeCodeOf(ws: WebSocket): Promise<number> {
  return new Promise((resolve) => {
    if (ws.readyState === ws.CLOSED) resolve(-1);
    ws.once('close', (code) => resolve(code));
  });
}
