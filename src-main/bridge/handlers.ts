// The one handler registry behind the bridge contract. TypeScript checks it against the contract:
// a method added there and missing here does not compile.
import { contract, type DuetContract } from '../../src-shared/bridge/contract';
import type { Handlers } from '../../src-shared/bridge/define';
import { accountInfo } from '../services/account-view';
import { listProviders } from '../services/providers';
import type { MainServices } from '../services/types';
import { createBridgeHost, type BridgeHost } from './host';

function listAccounts(s: MainServices) {
  return s.accounts.list().map((a) => accountInfo(a, s.calendarSync.status(a.id)));
}

export function createHandlers(s: MainServices): Handlers<DuetContract> {
  return {
    app: {
      info: () => ({ name: 'Duet', version: s.platform.version, mode: s.mode, platform: process.platform }),
      getPresenting: () => ({ on: s.presenting.get() }),
      setPresenting: ({ on }) => {
        s.presenting.set(on);
        return { on: s.presenting.get() };
      },
      notify: async ({ title, body }) => ({ shown: await s.platform.notify(title, body) }),
      takeDeepLink: () => ({ url: s.deepLinks.take() }),
      openPrivateNotes: async ({ meetingId }) => ({ opened: await s.windows.openPrivateNotes(meetingId) }),
    },
    settings: {
      get: () => s.settings.get(),
      update: async (patch) => {
        const next = s.settings.update(patch);
        if (patch.syncServerUrl !== undefined) await s.syncServer.configure(next.syncServerUrl);
        return next;
      },
    },
    shell: {
      openExternal: async ({ url }) => {
        await s.platform.openExternal(url);
        return { opened: true };
      },
    },
    sync: {
      serverInfo: () => s.syncServer.info(),
    },
    privateNotes: {
      key: () => ({ key: s.privateNoteKey.key() }),
    },
    accounts: {
      list: () => listAccounts(s),
      connect: ({ provider, accountId }) => s.accounts.connect(provider, accountId),
      cancelSignIn: ({ flowId }) => ({ cancelled: s.accounts.cancelSignIn(flowId) }),
      disconnect: async ({ accountId }) => {
        await s.accounts.disconnect(accountId);
        return { disconnected: true };
      },
      identity: () => s.accounts.identity(),
    },
    calendar: {
      providers: () => listProviders(s.settings.get()),
      syncNow: ({ accountId }) => ({ started: s.calendarSync.syncNow(accountId) }),
      nextBatch: () => s.calendarSync.nextBatch(),
      ackBatch: ({ batchId, ok, error }) => {
        s.calendarSync.ackBatch(batchId, ok, error);
        return { ok: true };
      },
      directory: ({ accountId }) => s.calendarSync.directory(accountId),
    },
    schedule: {
      create: (req) => s.schedule.create(req),
      reschedule: async (req) => {
        await s.schedule.reschedule(req);
        return { ok: true as const };
      },
      changeRepeat: async (req) => {
        await s.schedule.changeRepeat(req);
        return { ok: true as const };
      },
      cancel: async (req) => {
        await s.schedule.cancel(req);
        return { ok: true as const };
      },
      activity: () => s.activity.list(),
      preferences: () => s.schedulePreferences.get(),
      setPreferences: (next) => s.schedulePreferences.set(next),
    },
    importedLinks: {
      state: () => s.importedLinks.state(),
      setEnabled: ({ enabled }) => s.importedLinks.setEnabled(enabled),
      add: ({ items }) => s.importedLinks.add(items),
      retry: () => s.importedLinks.retry(),
    },
  };
}

/** Builds the host and wires service change notifications to bridge events. */
export function createMainBridge(
  s: MainServices,
  log?: (msg: string, err?: unknown) => void,
): BridgeHost<DuetContract> {
  const host = createBridgeHost(contract, createHandlers(s), log);
  s.settings.onChange((next) => host.emit('settings.changed', next));
  s.syncServer.onChange((info) => host.emit('sync.serverInfo', info));
  s.presenting.onChange((on) => host.emit('app.presenting', { on }));
  s.deepLinks.onOffer((url) => host.emit('app.deepLink', { url }));
  const accountsChanged = () => host.emit('accounts.changed', listAccounts(s));
  s.accounts.onChange(accountsChanged);
  s.calendarSync.onChange(accountsChanged);
  s.accounts.onSignIn((state) => host.emit('accounts.signIn', state));
  s.accounts.onIdentity((id) => host.emit('accounts.identity', id));
  s.calendarSync.onBatchReady((accountId) => host.emit('calendar.batchReady', { accountId }));
  s.activity.onRecord((entry) => host.emit('schedule.activity', entry));
  s.schedulePreferences.onChange((p) => host.emit('schedule.preferences', p));
  s.importedLinks.onChange((state) => host.emit('importedLinks.state', state));
  return host;
}
