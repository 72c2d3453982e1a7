// Hardened defaults for every Duet window and the rules that keep a window on Duet's own pages.
// Pure functions over Electron's option and event shapes, so tests check them without the binary.
import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';

export function hardenedWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: true,
  };
}

export function mainWindowOptions(preloadPath: string, iconPath?: string): BrowserWindowConstructorOptions {
  return {
    width: 1200,
    height: 800,
    minWidth: 760,
    minHeight: 520,
    title: 'Duet',
    show: false, // shown on ready-to-show: no white flash
    autoHideMenuBar: true,
    ...(iconPath ? { icon: iconPath } : {}),
    webPreferences: hardenedWebPreferences(preloadPath),
  };
}

/** True for the URLs the app itself serves: its bundle on file://, or the dev server origin. */
export function makeAppUrlCheck(appEntry: string): (url: string) => boolean {
  const entry = new URL(appEntry);
  return (url) => {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return false;
    }
    if (entry.protocol === 'file:') return u.protocol === 'file:' && u.pathname === entry.pathname;
    return u.origin === entry.origin;
  };
}

export const isExternalWebUrl = (url: string) => /^(https?:|mailto:)/i.test(url);

export interface GuardableContents {
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' } | { action: 'allow' }): void;
  on(event: 'will-navigate' | 'will-redirect', listener: (event: { preventDefault(): void }, url: string) => void): void;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): void;
}

/**
 * Denies every window.open and every navigation away from the app. Web links the user clicks go
 * to the system browser instead; anything else (file:, javascript:, custom schemes) goes nowhere.
 */
export function guardContents(contents: GuardableContents, isAppUrl: (url: string) => boolean, openExternal: (url: string) => void) {
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalWebUrl(url)) openExternal(url);
    return { action: 'deny' };
  });
  const keepInApp = (event: { preventDefault(): void }, url: string) => {
    if (isAppUrl(url)) return;
    event.preventDefault();
    if (isExternalWebUrl(url)) openExternal(url);
  };
  contents.on('will-navigate', keepInApp);
  contents.on('will-redirect', keepInApp);
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** Permissions a Duet page may be granted; everything else (camera, geolocation, …) is refused. */
export const ALLOWED_PERMISSIONS = new Set(['notifications', 'clipboard-sanitized-write']);
