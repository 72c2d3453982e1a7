// A real bridge for renderer tests: main's own bridge host (createBridgeHost, the one Electron and
// the web host serve) with its dispatch, validation and error results, reached through the
// in-process transport and a client built the way the desktop preload builds `window.duet`. So
// the renderer sees exactly the BridgeErrors it would see from main. Only the handlers are fake:
// they play a small main.
import {
  contract,
  type AccountInfo,
  type DuetApi,
  type MainSettings,
  type ProviderInfo,
  type SyncServerInfo,
} from '../../../../src-shared/bridge/contract';
import { createClient, withBridgeErrors, type Handlers } from '../../../../src-shared/bridge/define';
import type { ActivityEntry } from '../../../../src-shared/bridge/schedule-contract';
import { createBridgeHost, inProcessTransport } from '../../../../src-main/bridge/host';
import type { z } from 'zod';

type DuetHandlers = Handlers<typeof contract>;
type EventName = keyof typeof contract.events & string;

export interface TestBridge {
  api: DuetApi;
  emit<K extends EventName>(event: K, payload: z.input<(typeof contract.events)[K]>): void;
  /** Every call that reached a handler, in order. */
  calls: { ns: string; method: string; input: unknown }[];
  state: {
    settings: MainSettings;
    serverInfo: SyncServerInfo;
    presenting: boolean;
    accounts: AccountInfo[];
    privateNoteKey: string;
    /** Calendar writes the fake `schedule` handlers logged, newest first. */
    activity: ActivityEntry[];
    schedulePreferences: { lengths: number[] };
  };
  /** What the host logged (a handler that threw, a result outside the contract), as main logs it. */
  logged: string[];
}

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
    privateNoteKey: btoa(String.fromCharCode(...globalThis.crypto.getRandomValues(new Uint8Array(32)))),
    activity: [],
    schedulePreferences: { lengths: [30, 60] },
  };
  // Set once the host exists; fake handlers emit through it, as main's services do.
  let emit: <K extends EventName>(event: K, payload: z.input<(typeof contract.events)[K]>) => void = () => {
    throw new Error('the test bridge is not ready');
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
      // Like web mode's platform: no OS notifications; the renderer falls back to the browser's.
      notify: () => ({ shown: false }),
      // A small main: no link waiting, no separate windows (as in web mode).
      takeDeepLink: () => ({ url: null }),
      openPrivateNotes: () => ({ opened: false }),
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
    // One random key per bridge, as main makes one per installation.
    privateNotes: { key: () => ({ key: state.privateNoteKey }) },
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
    // A small main: creates "events" in memory and logs each write as main's activity log does.
    schedule: {
      create: (req) => {
        const account = state.accounts.find((a) => a.id === req.accountId);
        if (!account) throw new Error('That calendar account is not connected.');
        const eventId = `evt-${state.activity.length + 1}`;
        const entry: ActivityEntry = {
          id: `act-${state.activity.length + 1}`,
          at: Date.now(),
          action: 'create',
          ok: true,
          accountId: account.id,
          provider: account.provider,
          accountEmail: account.email,
          meetingId: req.meetingId,
          eventId,
          title: `1:1 with ${req.personName}`,
          detail: `${req.repeat} ${req.minutes} min`,
          error: '',
        };
        state.activity = [entry, ...state.activity];
        emit('schedule.activity', entry);
        return {
          accountId: account.id,
          provider: account.provider,
          calendarId: 'primary',
          eventId,
          iCalUID: `${eventId}@test`,
          start: req.start,
          end: req.start + req.minutes * 60_000,
        };
      },
      reschedule: () => ({ ok: true as const }),
      changeRepeat: () => ({ ok: true as const }),
      cancel: () => ({ ok: true as const }),
      activity: () => state.activity,
      preferences: () => state.schedulePreferences,
      setPreferences: (next) => {
        state.schedulePreferences = next;
        emit('schedule.preferences', next);
        return next;
      },
    },
    // The option stays off unless a test turns it on; nothing is written anywhere.
    importedLinks: {
      state: () => ({ enabled: false, running: null, done: 0, total: 0, failed: [] }),
      setEnabled: ({ enabled }) => ({ enabled, running: null, done: 0, total: 0, failed: [] }),
      add: () => ({ added: 0, skipped: 0, failed: 0 }),
      retry: () => ({ enabled: false, running: null, done: 0, total: 0, failed: [] }),
    },
  };
  const handlers = {
    app: { ...base.app, ...overrides.app },
    settings: { ...base.settings, ...overrides.settings },
    shell: { ...base.shell, ...overrides.shell },
    sync: { ...base.sync, ...overrides.sync },
    privateNotes: { ...base.privateNotes, ...overrides.privateNotes },
    accounts: { ...base.accounts, ...overrides.accounts },
    calendar: { ...base.calendar, ...overrides.calendar },
    schedule: { ...base.schedule, ...overrides.schedule },
    importedLinks: { ...base.importedLinks, ...overrides.importedLinks },
  } as DuetHandlers;

  // Record every call that reaches a handler (after the host validated its input).
  const calls: TestBridge['calls'] = [];
  const recorded: Record<string, Record<string, (input: unknown, ctx: unknown) => unknown>> = {};
  for (const [ns, group] of Object.entries(
    handlers as unknown as Record<string, Record<string, (i: unknown, c: unknown) => unknown>>,
  )) {
    recorded[ns] = {};
    for (const [method, handler] of Object.entries(group)) {
      recorded[ns][method] = (input, ctx) => {
        calls.push({ ns, method, input });
        return handler(input, ctx);
      };
    }
  }

  const logged: string[] = [];
  const host = createBridgeHost(contract, recorded as unknown as DuetHandlers, (msg) => logged.push(msg));
  emit = (event, payload) => {
    // A test that emits a payload outside the contract is wrong: say so instead of dropping it,
    // which is what the host does with a bad payload from main.
    contract.events[event].parse(payload);
    host.emit(event, payload);
  };
  // Like the desktop app: the preload's client rejects with plain data, the renderer rebuilds
  // BridgeErrors (src-preload/index.ts, src-renderer/src/bridge.ts).
  const api = withBridgeErrors(
    contract,
    createClient(contract, inProcessTransport(host), { plainErrors: true }),
  );

  return { api, emit: (event, payload) => emit(event, payload), calls, state, logged };
}
