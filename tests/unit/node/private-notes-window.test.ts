// The private-notes window as main creates it, with the Electron window replaced by a recording
// fake (the Electron binary is not available to tests): the same hardened renderer as the main
// window, content protection switched on before the page loads or shows, one window per meeting,
// and hostile meeting ids refused. Web mode has no such window.
import { describe, expect, it } from 'vitest';
import type { BrowserWindowConstructorOptions } from 'electron';
import { createMainBridge } from '../../../src-main/bridge/handlers';
import { hardenedWebPreferences } from '../../../src-main/window/security';
import {
  createPrivateNotesWindows,
  privateNotesUrl,
  privateNotesWindowOptions,
  type ProtectableWindow,
} from '../../../src-main/window/private-notes-window';

const ENTRY = 'file:///opt/Duet/resources/app/out/renderer/index.html';
const PRELOAD = '/opt/Duet/resources/app/out/preload/index.cjs';

function recorder() {
  const log: string[] = [];
  const made: { options: BrowserWindowConstructorOptions; win: ProtectableWindow; fire(e: string): void }[] = [];
  const create = (options: BrowserWindowConstructorOptions) => {
    const listeners: Record<string, (() => void)[]> = {};
    let destroyed = false;
    const n = made.length;
    const win: ProtectableWindow = {
      setContentProtection: (on) => void log.push(`${n}:protect ${on}`),
      loadURL: (url) => (log.push(`${n}:load ${url}`), Promise.resolve()),
      once: (event, l) => void (listeners[event] = [...(listeners[event] ?? []), l]),
      show: () => void log.push(`${n}:show`),
      focus: () => void log.push(`${n}:focus`),
      restore: () => void log.push(`${n}:restore`),
      isMinimized: () => false,
      isDestroyed: () => destroyed,
    };
    const fire = (event: string) => {
      if (event === 'closed') destroyed = true;
      for (const l of listeners[event] ?? []) l();
    };
    made.push({ options, win, fire });
    return win;
  };
  return { log, made, create };
}

describe('private-notes window', () => {
  it('uses the main window’s hardened renderer settings and is hidden until painted', () => {
    const opts = privateNotesWindowOptions(PRELOAD);
    expect(opts.webPreferences).toEqual(hardenedWebPreferences(PRELOAD));
    expect(opts.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    expect(opts.show).toBe(false);
  });

  it('switches content protection on before loading or showing, then shows the meeting’s private notes', async () => {
    const r = recorder();
    const windows = createPrivateNotesWindows({ entry: ENTRY, preloadPath: PRELOAD, create: r.create });
    expect(await windows.openPrivateNotes('m-42')).toBe(true);
    r.made[0]!.fire('ready-to-show');
    expect(r.log).toEqual([
      '0:protect true',
      `0:load ${ENTRY}#/private-notes/m-42`,
      '0:show',
    ]);
    expect(privateNotesUrl('http://localhost:5173/', 'a_b-1')).toBe('http://localhost:5173/#/private-notes/a_b-1');
  });

  it('brings an open window forward instead of opening a second; a closed one is opened anew', async () => {
    const r = recorder();
    const windows = createPrivateNotesWindows({ entry: ENTRY, preloadPath: PRELOAD, create: r.create });
    await windows.openPrivateNotes('m-1');
    await windows.openPrivateNotes('m-1');
    expect(r.made).toHaveLength(1);
    expect(r.log).toContain('0:focus');
    await windows.openPrivateNotes('m-2');
    expect(r.made).toHaveLength(2);
    r.made[0]!.fire('closed');
    await windows.openPrivateNotes('m-1');
    expect(r.made).toHaveLength(3);
    expect(r.log.filter((l) => l.endsWith('protect true'))).toHaveLength(3);
  });

  it('refuses what is not a meeting id (no window, no URL built from it)', async () => {
    const r = recorder();
    const windows = createPrivateNotesWindows({ entry: ENTRY, preloadPath: PRELOAD, create: r.create });
    for (const bad of ['', '../settings', 'm#/settings', 'x'.repeat(200), 'a b']) {
      await expect(windows.openPrivateNotes(bad)).rejects.toThrow('not a meeting id');
    }
    expect(r.made).toHaveLength(0);
  });

  it('the bridge refuses a bad id before any handler runs, and answers opened: false without windows', async () => {
    const opened: string[] = [];
    const services = {
      deepLinks: { offer: () => true, take: () => null, onOffer: () => () => undefined },
      windows: { openPrivateNotes: (id: string) => (opened.push(id), Promise.resolve(false)) },
    };
    // Only what the two app methods touch: the rest of main's services are never called here.
    const host = createMainBridge(stubServices(services));
    const call = (input: unknown) => host.dispatch('app', 'openPrivateNotes', input, { transport: 'in-process' });
    expect(await call({ meetingId: 'm-7' })).toMatchObject({ ok: true, value: { opened: false } });
    expect(await call({ meetingId: '../../etc' })).toMatchObject({ ok: false });
    expect(opened).toEqual(['m-7']);
  });
});

function stubServices(parts: object): Parameters<typeof createMainBridge>[0] {
  const quiet = () => () => undefined;
  const anyService = new Proxy({}, { get: (_t, key) => (key === 'onChange' || String(key).startsWith('on') ? quiet : () => undefined) });
  return new Proxy(parts, {
    get: (t, key) => (key in t ? (t as Record<string | symbol, unknown>)[key] : anyService),
  }) as Parameters<typeof createMainBridge>[0];
}

describe('deep-link inbox', () => {
  it('keeps a link until taken once, tells listeners, and drops links Duet does not understand', async () => {
    const { createDeepLinkInbox, parseDeepLink } = await import('../../../src-main/app/deep-link');
    const inbox = createDeepLinkInbox(parseDeepLink);
    const heard: string[] = [];
    inbox.onOffer((u) => heard.push(u));
    expect(inbox.offer('duet://meeting/m-9')).toBe(true);
    expect(inbox.offer('duet://settings/../../x')).toBe(false);
    expect(inbox.offer('https://evil.example/')).toBe(false);
    expect(heard).toEqual(['duet://meeting/m-9']);
    expect(inbox.take()).toBe('duet://meeting/m-9');
    expect(inbox.take()).toBeNull();
  });
});
