// A real bridge client (createClient over the contract) on an in-test transport that checks
// inputs and outputs with the contract's zod schemas, like the hosts do — so the renderer sees
// the same BridgeErrors it would see from main. Handlers play a small fake main.
import {
  contract,
  type AccountInfo,
  type DuetApi,
  type MainSettings,
  type ProviderInfo,
  type SyncServerInfo,
} from '../../../../src-shared/bridge/contract';
import {
  BridgeError,
  createClient,
  type BridgeResult,
  type ClientTransport,
  type Handlers,
} from '../../../../src-shared/bridge/define';
import type { z } from 'zod';

type DuetHandlers = Handlers<typeof contract>;
type EventName = keyof typeof contract.events & string;

export interface TestBridge {
  api: DuetApi;
  emit<K extends EventName>(event: K, payload: z.input<(typeof contract.events)[K]>): void;
  /** Every call that reached a handler, in order. */
  calls: { ns: string; method: string; input: unknown }[];
  state: { settings: MainSettings; serverInfo: SyncServerInfo; presenting: boolean; accounts: AccountInfo[] };
}

const badPayload = (error: z.ZodError): BridgeResult => {
  const issue = error.issues[0];
  return {
    ok: false,
    error: {
      code: 'BAD_PAYLOAD',
      message: issue?.message ?? 'Invalid input',
      path: issue?.path.join('.') ?? '',
    },
  };
};

export function createTestBridge(
  overrides: { [NS in keyof DuetHandlers]?: Partial<DuetHandlers[NS]> } = {},
): TestBridge {
  const state: TestBridge['state'] = {
    settings: {
      syncServerUrl: '',
      googleClientId: '',
      microsoftClientId: '',
      googleClientSecret: '',
      pollMinutes: 5,
      calendarMode: 'sandbox',
    },
    serverInfo: { url: 'ws://127.0.0.1:41234', embedded: true, state: 'running' },
    presenting: false,
    accounts: [],
  };
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const emit = (event: string, payload: unknown) => {
    for (const l of listeners.get(event) ?? []) l(payload);
  };

  const providers = (): ProviderInfo[] => [
    {
      provider: 'sandbox',
      label: 'Sandbox calendar',
      available: true,
      reason: 'A local stand-in calendar; no account needed.',
    },
    state.settings.googleClientId
      ? { provider: 'google', label: 'Google Calendar', available: true }
      : {
          provider: 'google',
          label: 'Google Calendar',
          available: false,
          reason: 'Enter a Google client ID to connect.',
        },
    state.settings.microsoftClientId
      ? { provider: 'microsoft', label: 'Microsoft 365', available: true }
      : {
          provider: 'microsoft',
          label: 'Microsoft 365',
          available: false,
          reason: 'Enter a Microsoft client ID to connect.',
        },
  ];

  const base: DuetHandlers = {
    app: {
      info: () => ({ name: 'Duet', version: '9.8.7', mode: 'web', platform: 'linux' }),
      getPresenting: () => ({ on: state.presenting }),
      setPresenting: ({ on }) => {
        if (on !== state.presenting) {
          state.presenting = on;
          emit('app.presenting', { on });
        }
        return { on };
      },
    },
    settings: {
      get: () => state.settings,
      update: (patch) => {
        state.settings = { ...state.settings, ...patch };
        emit('settings.changed', state.settings);
        return state.settings;
      },
    },
    shell: { openExternal: () => ({ opened: true }) },
    sync: { serverInfo: () => state.serverInfo },
    accounts: {
      list: () => state.accounts,
      connect: () => {
        throw new Error('no sign-in in this test bridge');
      },
      cancelSignIn: () => ({ cancelled: false }),
      disconnect: ({ accountId }) => {
        const before = state.accounts.length;
        state.accounts = state.accounts.filter((a) => a.id !== accountId);
        if (state.accounts.length !== before) emit('accounts.changed', state.accounts);
        return { disconnected: state.accounts.length !== before };
      },
      identity: () => null,
    },
    calendar: {
      providers,
      syncNow: () => ({ started: false }),
      nextBatch: () => null,
      ackBatch: () => ({ ok: true }),
      directory: () => [],
    },
  };
  const handlers = {
    app: { ...base.app, ...overrides.app },
    settings: { ...base.settings, ...overrides.settings },
    shell: { ...base.shell, ...overrides.shell },
    sync: { ...base.sync, ...overrides.sync },
    accounts: { ...base.accounts, ...overrides.accounts },
    calendar: { ...base.calendar, ...overrides.calendar },
  } as DuetHandlers;

  const calls: TestBridge['calls'] = [];
  const transport: ClientTransport = {
    async call(ns, method, input) {
      const spec = (
        contract.methods as Record<string, Record<string, { input: z.ZodType; output: z.ZodType }>>
      )[ns]?.[method];
      const handler = (
        handlers as unknown as Record<string, Record<string, (i: unknown, ctx: unknown) => unknown>>
      )[ns]?.[method];
      if (!spec || !handler)
        return { ok: false, error: { code: 'UNKNOWN_METHOD', message: `Unknown method ${ns}.${method}` } };
      const parsed = spec.input.safeParse(input);
      if (!parsed.success) return badPayload(parsed.error);
      calls.push({ ns, method, input: parsed.data });
      try {
        const value = await handler(parsed.data, { transport: 'in-process' });
        const out = spec.output.safeParse(value);
        return out.success
          ? { ok: true, value: out.data }
          : { ok: false, error: { code: 'BAD_OUTPUT', message: out.error.message } };
      } catch (err) {
        // A fake main may reject with a typed error of its own (e.g. BAD_PAYLOAD on one field).
        if (err instanceof BridgeError)
          return {
            ok: false,
            error: { code: err.code, message: err.message, ...(err.path ? { path: err.path } : {}) },
          };
        return {
          ok: false,
          error: { code: 'HANDLER_FAILED', message: err instanceof Error ? err.message : String(err) },
        };
      }
    },
    subscribe(event, listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener);
      return () => set.delete(listener);
    },
  };

  return {
    api: createClient(contract, transport),
    emit: (event, payload) => emit(event, contract.events[event].parse(payload)),
    calls,
    state,
  };
}
