// One contract suite over every bridge transport that can run here: in-process, the web-mode
// WebSocket, and Electron IPC through a simulated ipcMain/ipcRenderer pair (the binary is absent).
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { contract, type DuetApi } from '../../../src-shared/bridge/contract';
import { BridgeError, createClient, withBridgeErrors, type ClientTransport } from '../../../src-shared/bridge/define';
import { createWsClientTransport } from '../../../src-shared/bridge/ws-client';
import { createIpcTransport } from '../../../src-preload/ipc-transport';
import { createMainBridge } from '../../../src-main/bridge/handlers';
import { inProcessTransport } from '../../../src-main/bridge/host';
import { attachIpcBridge, type IpcMainLike } from '../../../src-main/bridge/ipc';
import { attachWsBridge } from '../../../src-main/bridge/ws-server';
import { createNodePlatform } from '../../../src-main/platform/node';
import { createMainServices } from '../../../src-main/services/create';
import { jsonFileStore } from '../../../src-main/storage/json-file';

type Host = ReturnType<typeof createMainBridge>;

async function makeHost(dir: string, logged: string[] = []) {
  const platform = createNodePlatform({ userData: dir, version: '9.9.9', openExternal: async () => undefined });
  const services = await createMainServices({
    mode: 'web',
    platform,
    store: jsonFileStore(join(dir, 'settings.json')),
    env: {},
    startEmbeddedSyncServer: () => async () => ({ url: 'ws://127.0.0.1:1', close: async () => undefined }),
  });
  return { host: createMainBridge(services, (msg) => logged.push(msg)), services, logged };
}

interface TransportCase {
  name: string;
  wrapClient?: (t: ClientTransport) => DuetApi;
  connect(host: Host): Promise<{ transport: ClientTransport; close(): Promise<void> }>;
}

/** An in-memory stand-in for Electron's IPC: values cross by structured clone, as they do for real. */
function simulatedIpc(frameUrl: string) {
  const handlers = new Map<string, (event: { senderFrame: { url: string } }, ...args: unknown[]) => unknown>();
  const rendererListeners = new Map<string, ((e: unknown, ...a: unknown[]) => void)[]>();
  const ipcMain: IpcMainLike = {
    handle: (ch, fn) => void handlers.set(ch, fn),
    removeHandler: (ch) => void handlers.delete(ch),
  };
  const ipcRenderer = {
    invoke: async (ch: string, ...args: unknown[]) => {
      const fn = handlers.get(ch);
      if (!fn) throw new Error(`No handler registered for '${ch}'`);
      return structuredClone(await fn({ senderFrame: { url: frameUrl } }, ...structuredClone(args)));
    },
    on: (ch: string, l: (e: unknown, ...a: unknown[]) => void) => rendererListeners.set(ch, [...(rendererListeners.get(ch) ?? []), l]),
  };
  const webContents = {
    send: (ch: string, ...args: unknown[]) => {
      for (const l of rendererListeners.get(ch) ?? []) l({}, ...structuredClone(args));
    },
    isDestroyed: () => false,
  };
  return { ipcMain, ipcRenderer, webContents };
}

/**
 * What Electron's contextBridge does to rejections on the way into the page: an Error arrives as a
 * new Error with only its message; other values arrive as structured clones.
 */
function contextBridgeClone(api: DuetApi): DuetApi {
  const raw = api as unknown as Record<string, Record<string, (i?: unknown) => Promise<unknown>>>;
  const out: Record<string, unknown> = { on: api.on };
  for (const ns of Object.keys(contract.methods)) {
    out[ns] = Object.fromEntries(
      Object.keys(raw[ns]!).map((m) => [
        m,
        (i?: unknown) =>
          raw[ns]![m]!(i).catch((e: unknown) => {
            throw e instanceof Error ? new Error(e.message) : structuredClone(e);
          }),
      ]),
    );
  }
  return out as unknown as DuetApi;
}

const APP_URL = 'file:///opt/duet/out/renderer/index.html';
const isAppUrl = (u: string) => u === APP_URL;

function listen(server: Server) {
  return new Promise<number>((ok) =>
    server.listen(0, '127.0.0.1', () => {
      const a = server.address();
      ok(typeof a === 'object' && a ? a.port : 0);
    }),
  );
}

const transports: TransportCase[] = [
  {
    name: 'in-process',
    connect: async (host) => ({ transport: inProcessTransport(host), close: async () => undefined }),
  },
  {
    name: 'websocket',
    async connect(host) {
      const server = createServer();
      const port = await listen(server);
      const bridge = attachWsBridge(host, { server, path: '/bridge', allowedOrigins: [] });
      const transport = createWsClientTransport(`ws://127.0.0.1:${port}/bridge`, bridge.token, (u) => new WebSocket(u));
      await transport.ready;
      return {
        transport,
        async close() {
          transport.close();
          await bridge.close();
          await new Promise((r) => server.close(r));
        },
      };
    },
  },
  {
    name: 'electron ipc (simulated)',
    async connect(host) {
      const ipc = simulatedIpc(APP_URL);
      const detach = attachIpcBridge(host, ipc.ipcMain, () => [ipc.webContents], isAppUrl);
      return { transport: createIpcTransport(ipc.ipcRenderer), close: async () => detach() };
    },
    // What the page sees in Electron: the preload's client (plain-data rejections, as contextBridge
    // would deliver them after cloning) rewrapped by the renderer.
    wrapClient: (transport) =>
      withBridgeErrors(contract, contextBridgeClone(createClient(contract, transport, { plainErrors: true }))),
  },
];

async function expectBridgeError(p: Promise<unknown>, code: string, path?: string) {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BridgeError);
  expect((err as BridgeError).code).toBe(code);
  if (path !== undefined) expect((err as BridgeError).path).toBe(path);
  return err as BridgeError;
}

describe.each(transports)('bridge contract over $name', (tc) => {
  let dir: string;
  let host: Host;
  let services: Awaited<ReturnType<typeof makeHost>>['services'];
  let logged: string[];
  let api: DuetApi;
  let transport: ClientTransport;
  let close: () => Promise<void>;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'duet-bridge-'));
    ({ host, services, logged } = await makeHost(dir));
    ({ transport, close } = await tc.connect(host));
    api = tc.wrapClient ? tc.wrapClient(transport) : createClient(contract, transport);
  });
  afterEach(async () => {
    await close();
    await services.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers a plain request with the contract shape', async () => {
    const info = await api.app.info();
    expect(info).toEqual({ name: 'Duet', version: '9.9.9', mode: 'web', platform: process.platform });
  });

  it('round-trips a valid update and persists it', async () => {
    const next = await api.settings.update({ googleClientId: '  abc.apps.example  ' });
    expect(next.googleClientId).toBe('abc.apps.example');
    expect((await api.settings.get()).googleClientId).toBe('abc.apps.example');
    const providers = await api.calendar.providers();
    expect(providers.find((p) => p.provider === 'google')).toEqual({ provider: 'google', label: 'Google Calendar', available: true });
    // Without a client id Microsoft still connects, against the sandbox's face, and says so.
    expect(providers.find((p) => p.provider === 'microsoft')).toMatchObject({ available: true, reason: expect.stringContaining('sandbox') });
  });

  it('rejects a malformed payload with BAD_PAYLOAD naming the field, and keeps serving', async () => {
    await expectBridgeError(api.settings.update({ syncServerUrl: 'http://nope' }), 'BAD_PAYLOAD', 'syncServerUrl');
    // @ts-expect-error deliberately outside the contract
    await expectBridgeError(api.settings.update({ calendarMode: 'carrier-pigeon' }), 'BAD_PAYLOAD', 'calendarMode');
    // @ts-expect-error unknown keys are refused, not silently dropped
    await expectBridgeError(api.settings.update({ isAdmin: true }), 'BAD_PAYLOAD');
    await expectBridgeError(api.shell.openExternal({ url: 'file:///etc/passwd' }), 'BAD_PAYLOAD', 'url');
    expect((await api.settings.get()).syncServerUrl).toBe('');
    expect((await api.app.info()).name).toBe('Duet');
  });

  it('answers unknown methods and prototype keys with UNKNOWN_METHOD', async () => {
    for (const [ns, m] of [
      ['nope', 'x'],
      ['app', 'nope'],
      ['__proto__', 'toString'],
      ['app', 'constructor'],
      ['settings', 'hasOwnProperty'],
    ] as const) {
      const r = await transport.call(ns, m, undefined);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('UNKNOWN_METHOD');
    }
  });

  it('turns a throwing handler into HANDLER_FAILED without crashing the host', async () => {
    services.platform.openExternal = async () => {
      throw new Error('no browser configured');
    };
    const err = await expectBridgeError(api.shell.openExternal({ url: 'https://example.org' }), 'HANDLER_FAILED');
    expect(err.message).toBe('no browser configured');
    expect(logged).toEqual(['bridge handler shell.openExternal failed']);
    expect((await api.app.info()).version).toBe('9.9.9');
  });

  it("words a field's BAD_PAYLOAD in the contract's own words, for the renderer to show by the field", async () => {
    const err = await expectBridgeError(api.settings.update({ syncServerUrl: 'http://nope' }), 'BAD_PAYLOAD', 'syncServerUrl');
    expect(err.message).toBe('syncServerUrl must start with ws:// or wss://, or be empty for the embedded server');
    // Without a field the message names the method, for whoever reads it in a log.
    // @ts-expect-error unknown keys are refused
    const noField = await expectBridgeError(api.settings.update({ isAdmin: true }), 'BAD_PAYLOAD');
    expect(noField.path).toBeUndefined();
    expect(noField.message).toMatch(/^settings\.update: /);
  });

  it("keeps a handler's own BAD_PAYLOAD (message and field); any other error a handler throws is HANDLER_FAILED", async () => {
    services.platform.openExternal = async () => {
      throw new BridgeError({ code: 'BAD_PAYLOAD', path: 'url', message: 'Only web pages open outside Duet.' });
    };
    const own = await expectBridgeError(api.shell.openExternal({ url: 'https://example.org' }), 'BAD_PAYLOAD', 'url');
    expect(own.message).toBe('Only web pages open outside Duet.');
    // A refused input is not a failure of main: nothing is logged.
    expect(logged).toEqual([]);
    services.platform.openExternal = async () => {
      throw new BridgeError({ code: 'TRANSPORT', message: 'pretending to be the wire' });
    };
    const other = await expectBridgeError(api.shell.openExternal({ url: 'https://example.org' }), 'HANDLER_FAILED');
    expect(other.message).toBe('pretending to be the wire');
    expect(other.path).toBeUndefined();
    expect(logged).toEqual(['bridge handler shell.openExternal failed']);
  });

  it('delivers subscribed events until unsubscribed', async () => {
    const seen: string[] = [];
    const off = api.on('settings.changed', (s) => seen.push(s.microsoftClientId));
    await api.settings.update({ microsoftClientId: 'first' });
    await expect.poll(() => seen).toEqual(['first']);
    off();
    await api.settings.update({ microsoftClientId: 'second' });
    await api.app.info(); // a full round trip after the update: any stray event would have arrived
    expect(seen).toEqual(['first']);
  });

  it('carries presenting mode as state in main and as an event to every window', async () => {
    const seen: boolean[] = [];
    const off = api.on('app.presenting', ({ on }) => seen.push(on));
    expect(await api.app.setPresenting({ on: true })).toEqual({ on: true });
    services.presenting.set(false); // what the global shortcut does
    await expect.poll(() => seen).toEqual([true, false]);
    off();
  });

  it('refuses to subscribe to an event outside the contract', () => {
    // @ts-expect-error not a contract event
    expect(() => api.on('app.exfiltrate', () => undefined)).toThrow(BridgeError);
  });
});

describe('websocket transport guards', () => {
  let dir: string;
  let server: Server;
  let port: number;
  let host: Host;
  let stopServices: () => Promise<void>;
  let bridge: ReturnType<typeof attachWsBridge>;
  const origin = 'http://127.0.0.1:4321';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'duet-bridge-ws-'));
    const made = await makeHost(dir);
    host = made.host;
    stopServices = made.services.stop;
    server = createServer();
    port = await listen(server);
    bridge = attachWsBridge(host, { server, path: '/bridge', allowedOrigins: [origin] });
  });
  afterAll(async () => {
    await bridge.close();
    await new Promise((r) => server.close(r));
    await stopServices();
    rmSync(dir, { recursive: true, force: true });
  });

  const openRaw = (token: string, headers: Record<string, string>) =>
    new Promise<{ ws?: WebSocket; status?: number }>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/bridge?token=${encodeURIComponent(token)}`, { headers });
      ws.once('open', () => resolve({ ws }));
      ws.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode }));
      ws.once('error', () => resolve({}));
    });

  it('refuses a wrong token with 401 and a foreign origin with 403', async () => {
    expect((await openRaw('guess', { Origin: origin })).status).toBe(401);
    expect((await openRaw(bridge.token, { Origin: 'http://evil.example' })).status).toBe(403);
    expect((await openRaw(bridge.token, {})).status).toBe(403);
    const ok = await openRaw(bridge.token, { Origin: origin });
    expect(ok.ws).toBeDefined();
    ok.ws?.close();
  });

  it('answers malformed frames with an error frame and keeps the connection usable', async () => {
    const { ws } = await openRaw(bridge.token, { Origin: origin });
    if (!ws) throw new Error('no connection');
    const frames: Record<string, unknown>[] = [];
    ws.on('message', (d) => frames.push(JSON.parse(d.toString()) as Record<string, unknown>));
    for (const junk of ['not json', '[]', 'null', '{"t":"call"}', '{"t":"call","id":"x","ns":1}', '{"t":"sub","event":"nope"}']) {
      ws.send(junk);
    }
    ws.send(Buffer.from([0xde, 0xad]), { binary: true });
    ws.send(JSON.stringify({ t: 'call', id: 7, ns: 'app', method: 'info' }));
    await expect.poll(() => frames.find((f) => f.t === 'result')).toBeTruthy();
    expect(frames.filter((f) => f.t === 'error')).toHaveLength(7);
    expect(frames.find((f) => f.t === 'result')).toMatchObject({ id: 7, result: { ok: true, value: { name: 'Duet' } } });
    ws.close();
  });
});

describe('electron ipc guards', () => {
  it('serves no call from a frame outside the app bundle', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'duet-bridge-ipc-'));
    const { host, services } = await makeHost(dir);
    const ipc = simulatedIpc('https://attacker.example/page.html');
    attachIpcBridge(host, ipc.ipcMain, () => [ipc.webContents], isAppUrl);
    const api = createClient(contract, createIpcTransport(ipc.ipcRenderer));
    await expectBridgeError(api.settings.update({ googleClientId: 'stolen' }), 'TRANSPORT');
    expect(services.settings.get().googleClientId).toBe('');
    await services.stop();
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('schedule calls refuse hostile input before main sees it', () => {
  it('checks meeting ids, times, lengths, repeats and zones', async () => {
    const { createTestBridge } = await import('../web/support/test-bridge');
    const bridge = createTestBridge();
    const good = {
      meetingId: 'app-1',
      accountId: 'acc',
      personEmail: 'noor.haddad@acme.test',
      personName: 'Noor Haddad',
      start: Date.UTC(2026, 11, 8, 9),
      minutes: 30,
      repeat: 'weekly' as const,
      video: true,
      timeZone: 'Europe/Berlin',
    };
    const refused = async (patch: Record<string, unknown>, path: string) => {
      const err = await bridge.api.schedule.create({ ...good, ...patch } as typeof good).catch((e: unknown) => e);
      expect(err, JSON.stringify(patch)).toMatchObject({ code: 'BAD_PAYLOAD', path });
    };
    await refused({ meetingId: '../../etc/passwd' }, 'meetingId');
    await refused({ meetingId: 'x'.repeat(129) }, 'meetingId');
    await refused({ minutes: 0 }, 'minutes');
    await refused({ minutes: 30.5 }, 'minutes');
    await refused({ repeat: 'daily' }, 'repeat');
    await refused({ timeZone: 'Mars/Olympus' }, 'timeZone');
    await refused({ start: Number.NaN }, 'start');
    await refused({ personEmail: 'not an address' }, 'personEmail');
    await refused({ personName: '   ' }, 'personName');
    // Nothing reached the handler; an unconnected account is the handler's own clear refusal.
    expect(bridge.calls.filter((c) => c.ns === 'schedule')).toEqual([]);
    await expect(bridge.api.schedule.create(good)).rejects.toMatchObject({
      code: 'HANDLER_FAILED',
      message: expect.stringContaining('not connected'),
    });
  });
});
