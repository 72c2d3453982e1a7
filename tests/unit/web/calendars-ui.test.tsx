// @vitest-environment happy-dom
// Settings → Calendars driven as a user would: connect, wait, cancel, see each account's state in
// words, Sync now, Reconnect, Disconnect with its confirmation.
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { AccountInfo } from '../../../src-shared/bridge/contract';
import { BridgeError } from '../../../src-shared/bridge/define';
import { CalendarsPanel } from '../../../src-renderer/src/features/calendars/CalendarsPanel';
import type { DuetDatabase } from '../../../src-renderer/src/db/database';
import { useToasts } from '../../../src-renderer/src/state/toasts';
import { Toasts } from '../../../src-renderer/src/ui/Toasts';
import { renderWithServices } from './support/render-app';
import { createTestBridge, type TestBridge } from './support/test-bridge';

let db: DuetDatabase | undefined;
beforeEach(() => useToasts.setState({ toasts: [] }));
afterEach(async () => {
  cleanup();
  await db?.close();
});

const maya = (patch: Partial<AccountInfo> = {}): AccountInfo => ({
  id: 'acc-maya',
  provider: 'microsoft',
  sandbox: true,
  email: 'maya.chen@acme.test',
  name: 'Maya Chen',
  status: 'connected',
  lastSyncAt: Date.now() - 5 * 60_000,
  lastError: '',
  progress: null,
  push: true,
  pollMinutes: 5,
  ...patch,
});

async function renderPanel(bridge: TestBridge = createTestBridge(), opened: string[] = []) {
  const r = await renderWithServices(
    <>
      <CalendarsPanel openTab={(url) => opened.push(url)} />
      <Toasts />
    </>,
    bridge,
  );
  db = r.db;
  await screen.findByRole('button', { name: 'Connect sandbox calendar' });
  return r;
}

const account = (email: string) => screen.getByRole('listitem', { name: email });

it('offers one connect button per available provider, with exactly these names', async () => {
  const bridge = createTestBridge();
  bridge.state.settings.googleClientId = 'g-id';
  await renderPanel(bridge);
  expect(screen.getByRole('button', { name: 'Connect Google Calendar' })).toBeTruthy();
  expect(screen.getByRole('button', { name: 'Connect sandbox calendar' })).toBeTruthy();
  // Microsoft needs a client id in this bridge: no button, and the reason in words.
  expect(screen.queryByRole('button', { name: 'Connect Microsoft 365' })).toBeNull();
  expect(
    within(screen.getByTestId('provider-microsoft')).getByText('Enter a Microsoft client ID to connect.'),
  ).toBeTruthy();
  expect(screen.getByText('No calendar connected yet.')).toBeTruthy();
});

it('opens the sign-in page in a new tab when main did not, waits, and reports the connection', async () => {
  const opened: string[] = [];
  const bridge = createTestBridge({
    accounts: {
      connect: ({ provider }) => ({
        flowId: `flow-${provider}`,
        authUrl: 'https://127.0.0.1:9/authorize?x=1',
        openedExternally: false,
      }),
    },
  });
  await renderPanel(bridge, opened);
  fireEvent.click(screen.getByRole('button', { name: 'Connect sandbox calendar' }));
  const status = screen.getByTestId('sign-in-status');
  await within(status).findByText(/Waiting for you to sign in to the sandbox calendar/);
  expect(opened).toEqual(['https://127.0.0.1:9/authorize?x=1']);
  // A blocked pop-up is not a dead end: the page can be opened from a link.
  expect(within(status).getByRole('link', { name: 'Open the sign-in page' }).getAttribute('href')).toBe(
    'https://127.0.0.1:9/authorize?x=1',
  );
  // While waiting, another sign-in cannot start; Cancel can stop this one.
  expect(
    (screen.getByRole('button', { name: 'Connect sandbox calendar' }) as HTMLButtonElement).disabled,
  ).toBe(true);
  expect(screen.getByRole('button', { name: 'Cancel' })).toBeTruthy();
  expect(document.activeElement).toBe(status);

  // Another flow's outcome is not ours.
  act(() =>
    bridge.emit('accounts.signIn', {
      flowId: 'someone-else',
      provider: 'google',
      state: 'failed',
      error: 'x',
    }),
  );
  expect(within(status).queryByText(/Could not connect/)).toBeNull();

  act(() => {
    bridge.state.accounts = [maya({ status: 'syncing', progress: { pages: 2, events: 180 }, lastSyncAt: 0 })];
    bridge.emit('accounts.changed', bridge.state.accounts);
    bridge.emit('accounts.signIn', {
      flowId: 'flow-sandbox',
      provider: 'sandbox',
      state: 'completed',
      accountId: 'acc-maya',
    });
  });
  expect(
    within(status).getByText('Connected to the sandbox calendar. Its import progress shows with the account.'),
  ).toBeTruthy();
  const row = account('maya.chen@acme.test');
  expect(within(row).getByTestId('account-status').textContent).toBe('Syncing');
  expect(within(row).getByText('Importing… 2 pages, 180 events so far')).toBeTruthy();
  expect(within(row).getByText('Not synced yet')).toBeTruthy();
  expect(screen.getByRole('button', { name: 'Connect sandbox calendar' })).toBeTruthy();
});

it('does not open a tab when main opened the system browser', async () => {
  const opened: string[] = [];
  const bridge = createTestBridge({
    accounts: {
      connect: () => ({ flowId: 'f1', authUrl: 'https://login.example/a', openedExternally: true }),
    },
  });
  await renderPanel(bridge, opened);
  fireEvent.click(screen.getByRole('button', { name: 'Connect sandbox calendar' }));
  await screen.findByText(/The sign-in page opened in your browser/);
  expect(opened).toEqual([]);
});

it('cancels a sign-in in progress', async () => {
  const bridge = createTestBridge({
    accounts: {
      connect: () => ({ flowId: 'f1', authUrl: 'https://login.example/a', openedExternally: true }),
      cancelSignIn: ({ flowId }) => {
        bridge.emit('accounts.signIn', { flowId, provider: 'sandbox', state: 'cancelled' });
        return { cancelled: true };
      },
    },
  });
  await renderPanel(bridge);
  fireEvent.click(screen.getByRole('button', { name: 'Connect sandbox calendar' }));
  fireEvent.click(await screen.findByRole('button', { name: 'Cancel' }));
  await screen.findByText('Sign-in cancelled. Nothing was connected.');
  expect(bridge.calls.filter((c) => c.method === 'cancelSignIn')).toEqual([
    { ns: 'accounts', method: 'cancelSignIn', input: { flowId: 'f1' } },
  ]);
  expect(screen.getByRole('button', { name: 'Connect sandbox calendar' })).toBeTruthy();
});

it('says in words why a sign-in failed, timed out or could not start', async () => {
  let fail = true;
  const bridge = createTestBridge({
    accounts: {
      connect: () => {
        if (fail) throw new BridgeError({ code: 'HANDLER_FAILED', message: 'The sandbox is not running' });
        return { flowId: 'f2', authUrl: 'https://login.example/a', openedExternally: true };
      },
    },
  });
  await renderPanel(bridge);
  fireEvent.click(screen.getByRole('button', { name: 'Connect sandbox calendar' }));
  await screen.findByText('Could not start signing in to the sandbox calendar: The sandbox is not running');
  fail = false;
  fireEvent.click(screen.getByRole('button', { name: 'Connect sandbox calendar' }));
  await screen.findByRole('button', { name: 'Cancel' });
  act(() =>
    bridge.emit('accounts.signIn', {
      flowId: 'f2',
      provider: 'sandbox',
      state: 'failed',
      error: 'access_denied',
    }),
  );
  expect(screen.getByText('Could not connect the sandbox calendar: access_denied. Try again.')).toBeTruthy();
  fireEvent.click(screen.getByRole('button', { name: 'Connect sandbox calendar' }));
  await screen.findByRole('button', { name: 'Cancel' });
  act(() => bridge.emit('accounts.signIn', { flowId: 'f2', provider: 'sandbox', state: 'timed-out' }));
  expect(screen.getByText(/took longer than 5 minutes/)).toBeTruthy();
});

it('shows each account: email, status in words, last sync, last error, polling', async () => {
  const bridge = createTestBridge();
  bridge.state.accounts = [
    maya({ push: false, pollMinutes: 7 }),
    maya({
      id: 'acc-g',
      provider: 'google',
      sandbox: false,
      email: 'maya@gmail.test',
      status: 'offline',
      lastError: 'The network is unreachable.',
      lastSyncAt: Date.now() - 3 * 3_600_000,
    }),
  ];
  await renderPanel(bridge);
  const ms = account('maya.chen@acme.test');
  expect(within(ms).getByTestId('account-status').textContent).toBe('Connected');
  expect(within(ms).getByText('Last synced 5 min ago')).toBeTruthy();
  expect(within(ms).getByText(/Checking every 7 min/)).toBeTruthy();
  expect(within(ms).getByText('Sandbox')).toBeTruthy();
  const g = account('maya@gmail.test');
  expect(within(g).getByTestId('account-status').textContent).toBe('Offline');
  expect(within(g).getByText('Last synced 3 h ago')).toBeTruthy();
  expect(within(g).getByText('The network is unreachable.')).toBeTruthy();
  expect(within(g).getByText(/It will catch up by itself/)).toBeTruthy();
  expect(within(g).queryByText(/Checking every/)).toBeNull();
  expect(within(g).getByText(/Live updates/)).toBeTruthy();
  expect(within(ms).queryByText(/Live updates/)).toBeNull();
});

it('Sync now asks main for that account and says what happened', async () => {
  let started = true;
  const bridge = createTestBridge({ calendar: { syncNow: () => ({ started }) } });
  bridge.state.accounts = [maya()];
  await renderPanel(bridge);
  fireEvent.click(within(account('maya.chen@acme.test')).getByRole('button', { name: 'Sync now' }));
  await screen.findByText('Syncing…');
  expect(bridge.calls.filter((c) => c.method === 'syncNow')).toEqual([
    { ns: 'calendar', method: 'syncNow', input: { accountId: 'acc-maya' } },
  ]);
  started = false;
  fireEvent.click(within(account('maya.chen@acme.test')).getByRole('button', { name: 'Sync now' }));
  await screen.findByText('A sync is already running.');
});

it('needs-reconnect shows Reconnect, which signs in again to the same account', async () => {
  const bridge = createTestBridge({
    accounts: {
      connect: () => ({ flowId: 'f3', authUrl: 'https://login.example/a', openedExternally: true }),
    },
  });
  bridge.state.accounts = [maya({ status: 'needs-reconnect', lastError: 'The grant was revoked.' })];
  await renderPanel(bridge);
  const row = account('maya.chen@acme.test');
  expect(within(row).getByTestId('account-status').textContent).toBe('Needs reconnect');
  expect((within(row).getByRole('button', { name: 'Sync now' }) as HTMLButtonElement).disabled).toBe(true);
  fireEvent.click(within(row).getByRole('button', { name: 'Reconnect' }));
  await screen.findByRole('button', { name: 'Cancel' });
  expect(bridge.calls.filter((c) => c.method === 'connect')).toEqual([
    { ns: 'accounts', method: 'connect', input: { provider: 'sandbox', accountId: 'acc-maya' } },
  ]);
});

it('Disconnect asks first, says meetings stay, and can be called off with Escape', async () => {
  const bridge = createTestBridge();
  bridge.state.accounts = [maya()];
  await renderPanel(bridge);
  const row = account('maya.chen@acme.test');
  fireEvent.click(within(row).getByRole('button', { name: 'Disconnect' }));
  const question = within(row).getByRole('group');
  expect(question.textContent).toContain('Your meetings, agendas and notes stay in Duet.');
  expect(document.activeElement).toBe(within(row).getByRole('button', { name: 'Keep connected' }));
  fireEvent.keyDown(question, { key: 'Escape' });
  expect(within(row).queryByRole('group')).toBeNull();
  expect(document.activeElement).toBe(within(row).getByRole('button', { name: 'Disconnect' }));
  expect(bridge.calls.filter((c) => c.method === 'disconnect')).toEqual([]);

  fireEvent.click(within(row).getByRole('button', { name: 'Disconnect' }));
  fireEvent.click(within(within(row).getByRole('group')).getByRole('button', { name: 'Disconnect' }));
  await screen.findByText('No calendar connected yet.');
  expect(screen.getByTestId('toast').textContent).toContain(
    'Disconnected maya.chen@acme.test. Your meetings stay in Duet.',
  );
  expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Calendars' }));
});
