// The desktop window's hardening, checked on the options and event handlers main actually installs.
import { describe, expect, it } from 'vitest';
import {
  ALLOWED_PERMISSIONS,
  guardContents,
  hardenedWebPreferences,
  mainWindowOptions,
  makeAppUrlCheck,
  type GuardableContents,
} from '../../../src-main/window/security';

function fakeContents() {
  const handlers: Record<string, ((e: { preventDefault(): void }, url: string) => void)[]> = {};
  let openHandler: ((d: { url: string }) => { action: string }) | null = null;
  const contents: GuardableContents = {
    setWindowOpenHandler: (h) => void (openHandler = h),
    on: (event: string, l: (e: { preventDefault(): void }, url: string) => void) =>
      void (handlers[event] = [...(handlers[event] ?? []), l]),
  };
  const fire = (event: string, url = '') => {
    let prevented = false;
    for (const h of handlers[event] ?? []) h({ preventDefault: () => void (prevented = true) }, url);
    return prevented;
  };
  return { contents, fire, open: (url: string) => openHandler?.({ url }) };
}

describe('window hardening', () => {
  it('creates windows with isolated, sandboxed, node-free renderers', () => {
    const opts = mainWindowOptions('/app/out/preload/index.cjs');
    expect(opts.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      preload: '/app/out/preload/index.cjs',
    });
    expect(hardenedWebPreferences('/app/out/preload/index.cjs')).toEqual(opts.webPreferences);
    expect(opts.show).toBe(false);
  });

  it('denies window.open, sending web links to the system browser and nothing else anywhere', () => {
    const opened: string[] = [];
    const { contents, open } = fakeContents();
    guardContents(contents, makeAppUrlCheck('file:///app/out/renderer/index.html'), (u) => opened.push(u));
    expect(open('https://meet.example.com/abc')).toEqual({ action: 'deny' });
    expect(open('javascript:alert(1)')).toEqual({ action: 'deny' });
    expect(open('file:///etc/passwd')).toEqual({ action: 'deny' });
    expect(open('mailto:lee@example.com')).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://meet.example.com/abc', 'mailto:lee@example.com']);
  });

  it('blocks navigation and redirects away from the app bundle, and webviews', () => {
    const opened: string[] = [];
    const { contents, fire } = fakeContents();
    guardContents(contents, makeAppUrlCheck('file:///app/out/renderer/index.html'), (u) => opened.push(u));
    expect(fire('will-navigate', 'file:///app/out/renderer/index.html#/team')).toBe(false);
    expect(fire('will-navigate', 'https://evil.example/')).toBe(true);
    expect(fire('will-navigate', 'file:///home/me/other.html')).toBe(true);
    expect(fire('will-redirect', 'https://evil.example/2')).toBe(true);
    expect(fire('will-attach-webview')).toBe(true);
    expect(opened).toEqual(['https://evil.example/', 'https://evil.example/2']);
  });

  it('treats only the dev server origin as the app in development', () => {
    const isApp = makeAppUrlCheck('http://localhost:5173/');
    expect(isApp('http://localhost:5173/#/settings')).toBe(true);
    expect(isApp('http://localhost:5174/')).toBe(false);
    expect(isApp('not a url')).toBe(false);
  });

  it('grants no device permissions', () => {
    for (const p of ['media', 'geolocation', 'openExternal', 'camera', 'midi', 'pointerLock']) {
      expect(ALLOWED_PERMISSIONS.has(p)).toBe(false);
    }
    expect(ALLOWED_PERMISSIONS.has('notifications')).toBe(true);
  });
});
