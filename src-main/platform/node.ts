// Plain-Node platform for web mode and tests. There is no OS keychain here, so secrets are sealed
// with AES-256-GCM under a random key kept in the data folder with owner-only permissions: it keeps
// tokens out of plain sight in backups and logs, but it is weaker than safeStorage, which is why
// `osProtected` is false and the UI can say so.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import type { Platform, SecretStorage } from './types';

const KEY_FILE = 'secret.key';

export function fileKeySecrets(dir: string): SecretStorage {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const keyPath = join(dir, KEY_FILE);
  if (!existsSync(keyPath)) writeFileSync(keyPath, randomBytes(32), { mode: 0o600, flag: 'wx' });
  const key = readFileSync(keyPath);
  if (key.length !== 32) throw new Error(`The secret key file ${keyPath} is damaged; delete it and reconnect your calendars.`);
  return {
    osProtected: false,
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join('.');
    },
    decrypt(sealed) {
      const [version, iv, tag, body] = sealed.split('.');
      if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('Not a sealed secret.');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
    },
  };
}

export interface NodePlatformOptions {
  userData: string;
  version: string;
  /** Tests pass a recorder; by default xdg-open/open is used. */
  openExternal?: (url: string) => Promise<void>;
  notify?: (title: string, body: string) => Promise<boolean>;
}

function systemOpen(url: string): Promise<void> {
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, [url], { stdio: 'ignore', detached: true });
    child.once('error', (err) => reject(new Error(`Could not open ${url}: ${err.message}`)));
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });
}

export function createNodePlatform(opts: NodePlatformOptions): Platform {
  mkdirSync(opts.userData, { recursive: true, mode: 0o700 });
  return {
    kind: 'node',
    version: opts.version,
    secrets: fileKeySecrets(opts.userData),
    paths: { userData: opts.userData, logs: join(opts.userData, 'logs') },
    // Web mode has no OS notifications of its own; the renderer uses the browser's Notification API.
    notify: opts.notify ?? (async () => false),
    openExternal: opts.openExternal ?? systemOpen,
  };
}
