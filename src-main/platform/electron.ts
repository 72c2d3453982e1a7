// Electron's implementation of the platform: the only file besides index.ts and window/ that
// touches Electron APIs for OS services.
import { app, Notification, safeStorage, shell } from 'electron';
import { join } from 'node:path';
import type { Platform } from './types';

export function createElectronPlatform(): Platform {
  return {
    kind: 'electron',
    version: app.getVersion(),
    secrets: {
      get osProtected() {
        return safeStorage.isEncryptionAvailable();
      },
      encrypt(plain) {
        if (!safeStorage.isEncryptionAvailable()) {
          throw new Error('This system offers no secure storage for sign-in tokens; unlock your keychain and try again.');
        }
        return safeStorage.encryptString(plain).toString('base64');
      },
      decrypt(sealed) {
        return safeStorage.decryptString(Buffer.from(sealed, 'base64'));
      },
    },
    paths: { userData: app.getPath('userData'), logs: app.getPath('logs') || join(app.getPath('userData'), 'logs') },
    async notify(title, body) {
      if (!Notification.isSupported()) return false;
      new Notification({ title, body }).show();
      return true;
    },
    openExternal: (url) => shell.openExternal(url),
  };
}
