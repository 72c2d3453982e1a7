// The renderer tests' bridge answers exactly as main does: the same calls and the same faults,
// through the test bridge (fake handlers) and through main's real bridge over the web host's
// WebSocket transport (real services), reach the renderer as the same errors.
import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { contract, type DuetApi } from '../../../src-shared/bridge/contract';
import { BridgeError, createClient, withBridgeErrors } from '../../../src-shared/bridge/define';
import { createWsClientTransport } from '../../../src-shared/bridge/ws-client';
import { createMainBridge } from '../../../src-main/bridge/handlers';
import { attachWsBridge } from '../../../src-main/bridge/ws-server';
import { createNodePlatform } from '../../../src-main/platform/node';
import { createMainServices } from '../../../src-main/services/create';
import { jsonFileStore } from '../../../src-main/storage/json-file';
import { createTestBridge } from '../web/support/test-bridge';

let dir: string;
let main: DuetApi;
let services: Awaited<ReturnType<typeof createMainServices>>;
const mainLogged: string[] = [];
let closeMain: () => Promise<void>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'duet-test-bridge-'));
  services = await createMainServices({
    mode: 'web',
    platform: createNodePlatform({ userData: dir, version: '9.8.7', openExternal: async () => undefined }),
    store: jsonFileStore(join(dir, 'settings.json')),
    env: {},
    startEmbeddedSyncServer: () => async () => ({ url: 'ws://127.0.0.1:1', close: async () => undefined }),
  });
  const host = createMainBridge(services, (msg) => mainLogged.push(msg));
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as { port: number };
  const ws = attachWsBridge(host, { server, path: '/bridge', allowedOrigins: [] });
  const transport = createWsClientTransport(
    `ws://127.0.0.1:${port}/bridge`,
    ws.token,
    (u) => new WebSocket(u),
  );
  await transport.ready;
  main = withBridgeErrors(contract, createClient(contract, transport, { plainErrors: true }));
  closeMain = async () => {
    transport.close();
    await ws.close();
    await new Promise((r) => server.close(r));
    await services.stop();
  };
});
afterAll(async () => {
  await closeMain?.();
  rmSync(dir, { recursive: true, force: true });
});

/** What the renderer can see of a rejection. */
async function failure(p: Promise<unknown>) {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BridgeError);
  const { name, code, message, path } = err as BridgeError;
  return { name, code, message, path };
}

describe('the test bridge answers as main does', () => {
  it('refuses input outside the contract with the same error, before any handler runs', async () => {
    const bridge = createTestBridge();
    const cases: ((api: DuetApi) => Promise<unknown>)[] = [
      (api) => api.settings.update({ syncServerUrl: 'http://sync.example.com' }),
      // @ts-expect-error deliberately outside the contract
      (api) => api.settings.update({ calendarMode: 'carrier-pigeon' }),
      // @ts-expect-error unknown keys are refused, not dropped
      (api) => api.settings.update({ isAdmin: true }),
      (api) => api.shell.openExternal({ url: 'file:///etc/passwd' }),
      // @ts-expect-error missing input
      (api) => api.accounts.disconnect(),
    ];
    for (const call of cases) expect(await failure(call(bridge.api))).toEqual(await failure(call(main)));
    expect(bridge.calls).toEqual([]);
  });

  it('turns a thrown error into the same HANDLER_FAILED, and logs it as main does', async () => {
    const boom = () => {
      throw new Error('no browser configured');
    };
    const bridge = createTestBridge({ shell: { openExternal: boom } });
    services.platform.openExternal = async () => boom();
    const call = (api: DuetApi) => api.shell.openExternal({ url: 'https://example.org' });
    const seen = await failure(call(bridge.api));
    expect(seen).toEqual(await failure(call(main)));
    expect(seen).toMatchObject({ code: 'HANDLER_FAILED', message: 'no browser configured' });
    expect(bridge.logged).toEqual(mainLogged);
    expect(bridge.logged).toEqual(['bridge handler shell.openExternal failed']);
  });

  it("keeps a handler's own BAD_PAYLOAD with its field, as main does", async () => {
    const refuse = () => {
      throw new BridgeError({
        code: 'BAD_PAYLOAD',
        path: 'url',
        message: 'Only web pages open outside Duet.',
      });
    };
    const bridge = createTestBridge({ shell: { openExternal: refuse } });
    services.platform.openExternal = async () => refuse();
    const call = (api: DuetApi) => api.shell.openExternal({ url: 'https://example.org' });
    expect(await failure(call(bridge.api))).toEqual(await failure(call(main)));
  });

  it('refuses a fake result outside the contract (BAD_OUTPUT), as main refuses its own', async () => {
    const bogus = { url: 42 } as never;
    const bridge = createTestBridge({ sync: { serverInfo: () => bogus } });
    services.syncServer.info = () => bogus;
    const seen = await failure(bridge.api.sync.serverInfo());
    expect(seen).toEqual(await failure(main.sync.serverInfo()));
    expect(seen.code).toBe('BAD_OUTPUT');
  });

  it('records only calls that reached a handler, with the validated input', async () => {
    const bridge = createTestBridge();
    await bridge.api.settings.update({ googleClientId: 'abc' });
    await bridge.api.settings.update({ syncServerUrl: 'nope' }).catch(() => undefined);
    expect(bridge.calls).toEqual([{ ns: 'settings', method: 'update', input: { googleClientId: 'abc' } }]);
  });

  it('refuses to emit an event payload outside the contract (a wrong test, not a silent drop)', () => {
    const bridge = createTestBridge();
    const seen: unknown[] = [];
    bridge.api.on('app.presenting', (p) => seen.push(p));
    expect(() => bridge.emit('app.presenting', { on: 'yes' } as never)).toThrow();
    bridge.emit('app.presenting', { on: true });
    expect(seen).toEqual([{ on: true }]);
  });
});
