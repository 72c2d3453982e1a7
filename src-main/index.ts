// Electron entry: the thin shell. Everything it wires up (services, bridge, window rules) is plain
// Node code tested without Electron; this file only connects it to Electron's objects.
import { app, BrowserWindow, globalShortcut, ipcMain, session, shell } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { findDeepLinkInArgv, PROTOCOL } from './app/deep-link';
import { createMainBridge } from './bridge/handlers';
import { attachIpcBridge } from './bridge/ipc';
import { createElectronPlatform } from './platform/electron';
import { createMainServices } from './services/create';
import { startEmbeddedSyncServer } from './services/embedded-sync';
import { electronKeyValueStore } from './storage/electron-store';
import { createPrivateNotesWindows } from './window/private-notes-window';
import { ALLOWED_PERMISSIONS, guardContents, isExternalWebUrl, mainWindowOptions, makeAppUrlCheck } from './window/security';
import { RENDERER_CSP_HEADER } from '../src-shared/security/csp';

const PRESENTING_SHORTCUT = 'CommandOrControl+Shift+H';

if (!app.requestSingleInstanceLock()) {
  // Another Duet is running: it receives our argv (and any duet:// link) through 'second-instance'.
  app.quit();
} else {
  void main();
}

async function main() {
  if (process.defaultApp && process.argv[1]) {
    app.setAsDefaultProtocolClient(PROTOCOL, process.execPath, [process.argv[1]]);
  } else {
    app.setAsDefaultProtocolClient(PROTOCOL);
  }

  // A link can arrive before the services exist (macOS open-url at launch): it waits here, then in
  // the services' inbox until the window takes it (app/deep-link.ts).
  let earlyLinks: string[] = [];
  let offerLink = (url: string) => void earlyLinks.push(url);
  const launchLink = findDeepLinkInArgv(process.argv);
  if (launchLink) offerLink(launchLink);
  app.on('open-url', (event, url) => {
    event.preventDefault();
    offerLink(url);
  });

  await app.whenReady();

  const platform = createElectronPlatform();
  const rendererUrl = process.env.ELECTRON_RENDERER_URL; // set by electron-vite in dev
  const entry = rendererUrl ?? pathToFileURL(join(import.meta.dirname, '../renderer/index.html')).href;
  const preloadPath = join(import.meta.dirname, '../preload/index.cjs');
  const services = await createMainServices({
    windows: createPrivateNotesWindows({
      entry,
      preloadPath,
      create: (options) => new BrowserWindow(options),
    }),
    mode: 'desktop',
    platform,
    store: electronKeyValueStore('duet-main'),
    startEmbeddedSyncServer: (trust) => startEmbeddedSyncServer(join(platform.paths.userData, 'sync-server'), trust),
  });
  const bridge = createMainBridge(services);

  const isAppUrl = makeAppUrlCheck(entry);
  const openExternal = (url: string) => {
    if (isExternalWebUrl(url)) void shell.openExternal(url);
  };

  attachIpcBridge(bridge, ipcMain, () => BrowserWindow.getAllWindows().map((w) => w.webContents), isAppUrl);

  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback) => callback(ALLOWED_PERMISSIONS.has(permission)));
  // The bundle carries the CSP as a <meta> tag; the header adds frame-ancestors. Not in dev: Vite's
  // React refresh preamble is an inline script that only runs because it precedes the meta tag.
  if (!rendererUrl) {
    session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [RENDERER_CSP_HEADER] } });
    });
  }
  app.on('web-contents-created', (_e, contents) => guardContents(contents, isAppUrl, openExternal));

  let win: BrowserWindow | null = null;
  const createWindow = () => {
    win = new BrowserWindow(mainWindowOptions(preloadPath));
    win.once('ready-to-show', () => win?.show());
    win.on('closed', () => (win = null));
    void win.loadURL(entry);
  };

  // From now on a link goes to the inbox: the bridge tells the window, which takes it.
  offerLink = (url) => {
    services.deepLinks.offer(url);
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  };
  for (const url of earlyLinks) offerLink(url);
  earlyLinks = [];

  app.on('second-instance', (_e, argv) => {
    const url = findDeepLinkInArgv(argv);
    if (url) offerLink(url);
    else if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });

  globalShortcut.register(PRESENTING_SHORTCUT, () => services.presenting.set(!services.presenting.get()));

  createWindow();
  app.on('activate', () => {
    if (!win) createWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', (event) => {
    globalShortcut.unregisterAll();
    event.preventDefault();
    void services.stop().finally(() => app.exit(0));
  });
}
