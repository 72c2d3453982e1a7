// @vitest-environment happy-dom
// The shell as the e2e suite and a keyboard user see it: names, aria-current, headings, shortcuts,
// empty states, the Presenting toggle, and the full-page error when there is no bridge.
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../../src-renderer/src/app/App';
import { boot } from '../../../src-renderer/src/app/boot';
import { NoBridgeError } from '../../../src-renderer/src/bridge';
import type { DuetDatabase } from '../../../src-renderer/src/db/database';
import { useNavigation } from '../../../src-renderer/src/state/navigation';
import { usePresenting } from '../../../src-renderer/src/state/presenting';
import { openMemoryDb } from './support/render-app';
import { sampleDocs } from './support/sample-docs';
import { createTestBridge, type TestBridge } from './support/test-bridge';

let db: DuetDatabase;
let bridge: TestBridge;

beforeEach(async () => {
  window.location.hash = '';
  useNavigation.setState({ section: 'up-next', pendingFocus: false });
  usePresenting.setState({ presenting: false });
  db = await openMemoryDb();
  bridge = createTestBridge();
});
afterEach(async () => {
  cleanup();
  await db.close();
});

const renderApp = () => render(<App services={{ bridge: bridge.api, db }} />);
const nav = () => screen.getByRole('navigation', { name: 'Sections' });
const h1 = () => screen.getByRole('heading', { level: 1 });

describe('app shell', () => {
  it('has a Sections navigation with exactly the six section names and marks the current one', async () => {
    renderApp();
    const links = within(nav()).getAllByRole('link');
    expect(
      links.map((l) => `${accessibleName(l)}${l.getAttribute('aria-current') === 'page' ? '*' : ''}`),
    ).toEqual(['Up next*', 'Meetings', 'Team', 'Settings', 'Inbox', 'Action items']);
    expect(await screen.findByRole('heading', { level: 1, name: 'Up next' })).toBeTruthy();
  });

  it('opens each section from the navigation with its own <h1>', async () => {
    renderApp();
    for (const name of ['Meetings', 'Team', 'Settings', 'Inbox', 'Action items', 'Up next']) {
      fireEvent.click(within(nav()).getByRole('link', { name }));
      expect(h1().textContent).toBe(name);
      expect(within(nav()).getByRole('link', { name }).getAttribute('aria-current')).toBe('page');
      expect(
        within(nav())
          .getAllByRole('link')
          .filter((l) => l.getAttribute('aria-current')).length,
      ).toBe(1);
    }
  });

  it('switches sections with Ctrl+1..4 and moves focus to the new heading', async () => {
    renderApp();
    for (const [digit, name] of [
      ['3', 'Team'],
      ['2', 'Meetings'],
      ['4', 'Settings'],
      ['1', 'Up next'],
    ] as const) {
      act(() => {
        window.dispatchEvent(
          new KeyboardEvent('keydown', {
            key: digit,
            code: `Digit${digit}`,
            ctrlKey: true,
            bubbles: true,
            cancelable: true,
          }),
        );
      });
      expect(h1().textContent).toBe(name);
      expect(document.activeElement).toBe(h1());
    }
    expect(window.location.hash).toBe('#/up-next');
  });

  it('opens the section named in the URL hash', () => {
    window.location.hash = '#/team';
    renderApp();
    expect(h1().textContent).toBe('Team');
  });

  it('Up next with no meetings says so and its button leads to Settings', async () => {
    renderApp();
    expect(await screen.findByText('No 1:1s coming up')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Connect a calendar' }));
    expect(h1().textContent).toBe('Settings');
  });

  it('Up next lists a coming meeting by the other person, with its cadence and a calendar mark', async () => {
    const start = Date.now() + 3_600_000;
    await db.people.insert(sampleDocs.people);
    await db.series.insert(sampleDocs.series);
    await db.meetings.insert({
      ...sampleDocs.meetings,
      title: 'Ada / Me weekly',
      start,
      end: start + 1_800_000,
    });
    bridge.state.accounts = [
      {
        id: 'acc',
        provider: 'google',
        sandbox: false,
        email: 'me@example.com',
        name: 'Me',
        status: 'connected',
        lastSyncAt: 0,
        lastError: '',
        progress: null,
        push: true,
        pollMinutes: 5,
      },
    ];
    renderApp();
    expect(await screen.findByText('Ada / Me weekly')).toBeTruthy();
    const meeting = screen.getByTestId('meeting');
    expect(within(meeting).getByText('Ada Lovelace')).toBeTruthy();
    expect(within(meeting).getByText('Weekly')).toBeTruthy();
    expect(within(meeting).getByRole('img', { name: 'From the sandbox calendar' })).toBeTruthy();
    expect(screen.queryByText('No 1:1s coming up')).toBeNull();
  });

  it('names the other person even when the user is on the team too', async () => {
    const start = Date.now() + 3_600_000;
    await db.people.bulkInsert([
      sampleDocs.people,
      { ...sampleDocs.people, id: 'p-me', name: 'Me Myself', email: 'me@example.com', aliases: [] },
    ]);
    await db.meetings.insert({ ...sampleDocs.meetings, seriesId: '', start, end: start + 1_800_000 });
    bridge.state.accounts = [
      {
        id: 'acc',
        provider: 'google',
        sandbox: false,
        email: 'ME@example.com',
        name: 'Me',
        status: 'connected',
        lastSyncAt: 0,
        lastError: '',
        progress: null,
        push: true,
        pollMinutes: 5,
      },
    ];
    renderApp();
    const meeting = await screen.findByTestId('meeting');
    await within(meeting).findByText('Ada Lovelace');
    expect(within(meeting).queryByText('Me Myself')).toBeNull();
  });

  it('once a calendar is connected, an empty Up next points to the team and the diagnostics', async () => {
    bridge.state.accounts = [
      {
        id: 'acc',
        provider: 'microsoft',
        sandbox: true,
        email: 'me@example.com',
        name: 'Me',
        status: 'connected',
        lastSyncAt: 0,
        lastError: '',
        progress: null,
        push: true,
        pollMinutes: 5,
      },
    ];
    renderApp();
    expect(await screen.findByRole('button', { name: 'Add your team' })).toBeTruthy();
    expect(await screen.findByText(/Your calendar is connected/)).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Why isn’t my 1:1 showing?' }).getAttribute('href')).toBe(
      '#/settings/diagnostics',
    );
  });

  it('Meetings and Team explain what to do when empty', async () => {
    renderApp();
    fireEvent.click(within(nav()).getByRole('link', { name: 'Meetings' }));
    expect(await screen.findByText('No meetings yet')).toBeTruthy();
    fireEvent.click(within(nav()).getByRole('link', { name: 'Team' }));
    expect(await screen.findByText('No one on your team yet')).toBeTruthy();
  });

  it('Presenting: the header toggle tells main, and main’s event (global shortcut) flips it back', async () => {
    renderApp();
    const toggle = screen.getByRole('button', { name: 'Presenting mode' });
    expect(toggle.getAttribute('aria-pressed')).toBe('false');
    await act(async () => {
      fireEvent.click(toggle);
    });
    expect(toggle.getAttribute('aria-pressed')).toBe('true');
    expect(bridge.calls).toContainEqual({ ns: 'app', method: 'setPresenting', input: { on: true } });
    expect(screen.getByText('Presenting — private notes are hidden.')).toBeTruthy();
    act(() => bridge.emit('app.presenting', { on: false }));
    expect(toggle.getAttribute('aria-pressed')).toBe('false');
  });
});

describe('presenting on open', () => {
  it('a window opened while main is presenting starts with private notes hidden', async () => {
    bridge.state.presenting = true;
    renderApp();
    const toggle = screen.getByRole('button', { name: 'Presenting mode' });
    await expect.poll(() => toggle.getAttribute('aria-pressed')).toBe('true');
    expect(bridge.calls).toContainEqual({ ns: 'app', method: 'getPresenting', input: undefined });
  });
});

describe('boot', () => {
  it('shows a full-page explanation instead of crashing when there is no bridge', async () => {
    const container = document.createElement('div');
    document.body.append(container);
    let handle: { unmount(): void } | undefined;
    await act(async () => {
      handle = await boot(container, {
        getBridge: () => {
          throw new NoBridgeError();
        },
        openDatabase: () => Promise.reject(new Error('must not be reached')),
      });
    });
    const alert = within(container).getByRole('alert');
    expect(within(alert).getByRole('heading', { level: 1 }).textContent).toBe('Duet is not connected');
    expect(alert.textContent).toContain(new NoBridgeError().message);
    act(() => handle?.unmount());
    container.remove();
  });

  it('follows duet://meeting/<id>: the link given at launch, then one sent later; each only once', async () => {
    await db.meetings.insert({ ...sampleDocs.meetings, id: 'm-deep-1', title: 'Deep one' });
    await db.meetings.insert({ ...sampleDocs.meetings, id: 'm-deep-2', title: 'Deep two' });
    const waiting = ['duet://meeting/m-deep-1'];
    bridge = createTestBridge({ app: { takeDeepLink: () => ({ url: waiting.shift() ?? null }) } });
    renderApp();
    expect(await screen.findByRole('heading', { level: 1, name: 'Deep one' })).toBeTruthy();
    expect(window.location.hash).toBe('#/meetings/m-deep-1');
    // A later link (second instance, macOS open-url): main keeps it and says so.
    waiting.push('duet://meeting/m-deep-2');
    act(() => bridge.emit('app.deepLink', { url: 'duet://meeting/m-deep-2' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Deep two' })).toBeTruthy();
    // Something that is not a meeting link moves nothing.
    waiting.push('duet://settings');
    act(() => bridge.emit('app.deepLink', { url: 'duet://settings' }));
    await new Promise((r) => setTimeout(r, 50));
    expect(window.location.hash).toBe('#/meetings/m-deep-2');
    expect(bridge.calls.filter((c) => c.method === 'takeDeepLink')).toHaveLength(3);
  });

  it('explains a database that will not open', async () => {
    const container = document.createElement('div');
    let handle: { unmount(): void } | undefined;
    await act(async () => {
      handle = await boot(container, {
        getBridge: () => bridge.api,
        openDatabase: () => Promise.reject(new Error('IndexedDB is disabled')),
      });
    });
    expect(within(container).getByRole('alert').textContent).toContain('IndexedDB is disabled');
    act(() => handle?.unmount());
  });
});

/** Accessible name of a nav link: its text minus aria-hidden parts (icon, shortcut hint). */
function accessibleName(el: Element): string {
  const clone = el.cloneNode(true) as Element;
  clone.querySelectorAll('[aria-hidden="true"]').forEach((n) => n.remove());
  return (clone.textContent ?? '').trim();
}
