// @vitest-environment happy-dom
// Settings against a real bridge client whose transport validates with the contract's schemas.
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, expect, it } from 'vitest';
import { BridgeError } from '../../../src-shared/bridge/define';
import { ConnectionForm } from '../../../src-renderer/src/features/settings/ConnectionForm';
import { SettingsSection } from '../../../src-renderer/src/features/settings/SettingsSection';
import {
  DEFAULT_KEYWORDS,
  loadPreferences,
} from '../../../src-renderer/src/features/settings/preferences-repo';
import type { DuetDatabase } from '../../../src-renderer/src/db/database';
import { renderWithServices } from './support/render-app';
import { createTestBridge } from './support/test-bridge';

let db: DuetDatabase | undefined;
afterEach(async () => {
  cleanup();
  await db?.close();
});

async function renderSettings(bridge = createTestBridge()) {
  const r = await renderWithServices(<SettingsSection />, bridge);
  db = r.db;
  // Wait until main's settings arrived (the Save button is disabled before).
  await waitFor(() =>
    expect((screen.getByRole('button', { name: 'Save connections' }) as HTMLButtonElement).disabled).toBe(
      false,
    ),
  );
  return r;
}

const connections = () => screen.getByRole('form', { name: 'Connections' });

/** The error shown in the same field wrapper as the control, and linked to it. */
function fieldError(name: string): string | null {
  const wrapper = connections().querySelector(`[data-field="${name}"]`)!;
  const control = wrapper.querySelector('input, select')!;
  const error = wrapper.querySelector('.field__error');
  if (!error) return null;
  expect(control.getAttribute('aria-invalid')).toBe('true');
  expect(control.getAttribute('aria-describedby')?.split(' ')).toContain(error.id);
  return error.textContent;
}

it('shows a BAD_PAYLOAD from the bridge next to the field its path names', async () => {
  const bridge = createTestBridge();
  await renderSettings(bridge);
  fireEvent.change(within(connections()).getByLabelText('Sync server URL'), {
    target: { value: 'http://sync.example.com' },
  });
  fireEvent.click(screen.getByRole('button', { name: 'Save connections' }));
  await waitFor(() =>
    expect(fieldError('syncServerUrl')).toBe(
      'syncServerUrl must start with ws:// or wss://, or be empty for the embedded server',
    ),
  );
  expect(fieldError('googleClientId')).toBeNull();
  expect(fieldError('microsoftClientId')).toBeNull();
  // The contract refused it before any handler ran: nothing was saved.
  expect(bridge.calls.filter((c) => c.method === 'update')).toEqual([]);
  expect(bridge.state.settings.syncServerUrl).toBe('');
});

it('puts a BAD_PAYLOAD raised by main on another field next to that field', async () => {
  const bridge = createTestBridge({
    settings: {
      update: (patch) => {
        if (patch.microsoftClientId?.includes(' '))
          throw new BridgeError({
            code: 'BAD_PAYLOAD',
            path: 'microsoftClientId',
            message: 'A client ID has no spaces.',
          });
        return {
          syncServerUrl: '',
          googleClientId: '',
          microsoftClientId: '',
          googleClientSecret: '',
          pollMinutes: 5,
          calendarMode: 'sandbox',
        };
      },
    },
  });
  await renderSettings(bridge);
  fireEvent.change(within(connections()).getByLabelText('Microsoft client ID'), {
    target: { value: 'abc def' },
  });
  fireEvent.click(screen.getByRole('button', { name: 'Save connections' }));
  await waitFor(() => expect(fieldError('microsoftClientId')).toBe('A client ID has no spaces.'));
  expect(fieldError('syncServerUrl')).toBeNull();
});

it('saves only what changed, says so, and lists the providers again', async () => {
  const bridge = createTestBridge();
  await renderSettings(bridge);
  expect(await screen.findByText('Enter a Google client ID to connect.')).toBeTruthy();
  fireEvent.change(within(connections()).getByLabelText('Google client ID'), {
    target: { value: '  1234.apps.example  ' },
  });
  fireEvent.click(screen.getByRole('button', { name: 'Save connections' }));
  expect(await within(connections()).findByText('Saved.')).toBeTruthy();
  expect(bridge.calls.filter((c) => c.method === 'update')).toEqual([
    { ns: 'settings', method: 'update', input: { googleClientId: '1234.apps.example' } },
  ]);
  await waitFor(() => expect(screen.queryByText('Enter a Google client ID to connect.')).toBeNull());
  expect(screen.getByRole('button', { name: 'Connect Google Calendar' })).toBeTruthy();
});

it('takes Google’s client secret and the poll interval next to the client ids, sending only what changed', async () => {
  const bridge = createTestBridge();
  // As when DUET_GOOGLE_CLIENT_SECRET is set: main shows the value without having saved it.
  bridge.state.settings = { ...bridge.state.settings, googleClientSecret: 'from-env' };
  await renderSettings(bridge);
  const secret = within(connections()).getByLabelText('Google client secret') as HTMLInputElement;
  expect(secret.value).toBe('from-env');
  const poll = within(connections()).getByLabelText('Check calendars every (minutes)') as HTMLInputElement;
  expect(poll.value).toBe('5');

  // Saving another field leaves the secret out of the patch (main never writes env values).
  fireEvent.change(poll, { target: { value: '0' } });
  fireEvent.click(screen.getByRole('button', { name: 'Save connections' }));
  await waitFor(() => expect(fieldError('pollMinutes')).toBe('Enter a whole number of minutes from 1 to 1440.'));
  expect(bridge.calls.filter((c) => c.method === 'update')).toEqual([]);
  fireEvent.change(poll, { target: { value: ' 15 ' } });
  fireEvent.click(screen.getByRole('button', { name: 'Save connections' }));
  expect(await within(connections()).findByText('Saved.')).toBeTruthy();
  expect(fieldError('pollMinutes')).toBeNull();

  fireEvent.change(secret, { target: { value: '  GOCSPX-abc  ' } });
  fireEvent.click(screen.getByRole('button', { name: 'Save connections' }));
  await waitFor(() => expect(bridge.calls.filter((c) => c.method === 'update')).toHaveLength(2));
  expect(bridge.calls.filter((c) => c.method === 'update').map((c) => c.input)).toEqual([
    { pollMinutes: 15 },
    { googleClientSecret: 'GOCSPX-abc' },
  ]);
  expect(bridge.state.settings).toMatchObject({ pollMinutes: 15, googleClientSecret: 'GOCSPX-abc' });
});

it('lists the calendar providers with their availability and reasons', async () => {
  await renderSettings();
  const sandbox = await screen.findByTestId('provider-sandbox');
  expect(within(sandbox).getByText('Sandbox calendar')).toBeTruthy();
  expect(within(sandbox).getByRole('button', { name: 'Connect sandbox calendar' })).toBeTruthy();
  expect(within(screen.getByTestId('provider-microsoft')).getByText('Needs setup')).toBeTruthy();
});

it('shows the sync server state and follows sync.serverInfo events', async () => {
  const bridge = createTestBridge();
  await renderSettings(bridge);
  const panel = screen.getByTestId('sync-server');
  await within(panel).findByText('ws://127.0.0.1:41234');
  expect(within(panel).getByText('Running')).toBeTruthy();
  expect(within(panel).getByText(/^Embedded/)).toBeTruthy();
  act(() =>
    bridge.emit('sync.serverInfo', {
      url: 'wss://sync.example.com',
      embedded: false,
      state: 'error',
      error: 'Connection refused',
    }),
  );
  expect(within(panel).getByText('wss://sync.example.com')).toBeTruthy();
  expect(within(panel).getByText('Error')).toBeTruthy();
  expect(within(panel).getByText('Connection refused')).toBeTruthy();
  expect(within(panel).getByText('Your own server')).toBeTruthy();
});

it('shows the app name and version from main', async () => {
  await renderSettings();
  expect(await within(screen.getByTestId('about')).findByText('Duet 9.8.7')).toBeTruthy();
});

it('keeps detection keywords in RxDB, starting from the defaults', async () => {
  const { db } = await renderSettings();
  const keywords = await screen.findByRole('list', { name: 'Keywords' });
  expect(
    within(keywords)
      .getAllByRole('listitem')
      .map((li) => li.textContent?.replace('×', '')),
  ).toEqual([...DEFAULT_KEYWORDS]);

  fireEvent.click(screen.getByRole('button', { name: 'Remove keyword /' }));
  fireEvent.change(screen.getByLabelText('Add a keyword'), { target: { value: 'Check-in' } });
  fireEvent.click(screen.getByRole('button', { name: 'Add' }));
  fireEvent.change(screen.getByLabelText('Longest 1:1 (minutes)'), { target: { value: '5' } });
  fireEvent.click(screen.getByRole('button', { name: 'Save preferences' }));
  expect(await screen.findByText('The longest duration must not be shorter than the shortest.')).toBeTruthy();
  expect((await loadPreferences(db.preferences)).keywords).toEqual([...DEFAULT_KEYWORDS]);

  fireEvent.change(screen.getByLabelText('Longest 1:1 (minutes)'), { target: { value: '90' } });
  fireEvent.click(screen.getByRole('button', { name: 'Save preferences' }));
  await waitFor(async () => expect((await loadPreferences(db.preferences)).maxMinutes).toBe(90));
  expect((await loadPreferences(db.preferences)).keywords).toEqual([
    ...DEFAULT_KEYWORDS.filter((k) => k !== '/'),
    'Check-in',
  ]);
});

it('also places errors that arrive as plain data (as after crossing a context boundary)', async () => {
  const bridge = createTestBridge();
  const plain = {
    ...bridge.api,
    settings: {
      ...bridge.api.settings,
      update: () =>
        Promise.reject({ code: 'BAD_PAYLOAD', path: 'googleClientId', message: 'Not a client ID.' }),
    },
  };
  const r = await renderWithServices(<ConnectionForm />, { ...bridge, api: plain });
  db = r.db;
  await waitFor(() =>
    expect((screen.getByRole('button', { name: 'Save connections' }) as HTMLButtonElement).disabled).toBe(
      false,
    ),
  );
  fireEvent.change(within(connections()).getByLabelText('Google client ID'), { target: { value: 'x' } });
  fireEvent.click(screen.getByRole('button', { name: 'Save connections' }));
  await waitFor(() => expect(fieldError('googleClientId')).toBe('Not a client ID.'));
});
