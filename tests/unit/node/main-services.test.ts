import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findDeepLinkInArgv, parseDeepLink } from '../../../src-main/app/deep-link';
import { fileKeySecrets } from '../../../src-main/platform/node';
import { createSettingsService } from '../../../src-main/services/settings';
import { createSyncServerService } from '../../../src-main/services/sync-server';
import { jsonFileStore } from '../../../src-main/storage/json-file';

let dir: string;
beforeEach(() => void (dir = mkdtempSync(join(tmpdir(), 'duet-main-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('deep links', () => {
  it.each([
    ['duet://meeting/abc_123', { kind: 'meeting', meetingId: 'abc_123' }],
    ['duet:meeting/abc', { kind: 'meeting', meetingId: 'abc' }],
    ['DUET://', { kind: 'open' }],
    ['duet://meeting/%2e%2e%2fetc', null],
    ['duet://meeting/' + 'x'.repeat(129), null],
    ['duet://meeting/a/b', null],
    ['duet://settings', null],
    ['https://meeting/abc', null],
    ['::::', null],
  ])('%s', (url, expected) => expect(parseDeepLink(url)).toEqual(expected));

  it('finds the link a second instance was started with', () => {
    expect(findDeepLinkInArgv(['/usr/bin/duet', '--flag', 'duet://meeting/x'])).toBe('duet://meeting/x');
    expect(findDeepLinkInArgv(['/usr/bin/duet'])).toBeNull();
  });
});

describe('node secret storage', () => {
  it('round-trips, never stores plain text, and detects tampering', () => {
    const s = fileKeySecrets(dir);
    const sealed = s.encrypt('refresh-token-XYZ');
    expect(sealed).not.toContain('refresh-token');
    expect(s.decrypt(sealed)).toBe('refresh-token-XYZ');
    expect(s.encrypt('same')).not.toBe(s.encrypt('same'));
    const parts = sealed.split('.');
    parts[3] = Buffer.from('refresh-token-ABC').toString('base64');
    expect(() => s.decrypt(parts.join('.'))).toThrow();
    expect(statSync(join(dir, 'secret.key')).mode & 0o077).toBe(0);
    // A second instance over the same folder reads the same key.
    expect(fileKeySecrets(dir).decrypt(sealed)).toBe('refresh-token-XYZ');
  });
});

describe('json file store', () => {
  it('persists across instances and returns copies, not live references', () => {
    const a = jsonFileStore(join(dir, 's.json'));
    const v = { list: [1, 2] };
    a.set('k', v);
    v.list.push(3);
    expect(a.get('k')).toEqual({ list: [1, 2] });
    expect(jsonFileStore(join(dir, 's.json')).get('k')).toEqual({ list: [1, 2] });
    a.delete('k');
    expect(jsonFileStore(join(dir, 's.json')).get('k')).toBeUndefined();
    expect(a.get('__proto__')).toBeUndefined();
  });

  it('sets a damaged file aside instead of losing it', () => {
    writeFileSync(join(dir, 's.json'), '{"settings": {"googleClientId": "x"');
    const s = jsonFileStore(join(dir, 's.json'));
    expect(s.get('settings')).toBeUndefined();
    const aside = readdirSync(dir).find((f) => f.startsWith('s.json.damaged-'));
    expect(aside).toBeDefined();
    expect(readFileSync(join(dir, aside!), 'utf8')).toContain('googleClientId');
  });
});

describe('settings service', () => {
  it('fills defaults from the environment, trims ids and notifies listeners', () => {
    const store = jsonFileStore(join(dir, 's.json'));
    const s = createSettingsService(store, { DUET_GOOGLE_CLIENT_ID: 'env-id' });
    expect(s.get()).toEqual({
      syncServerUrl: '',
      googleClientId: 'env-id',
      microsoftClientId: '',
      googleClientSecret: '',
      pollMinutes: 5,
      calendarMode: 'sandbox',
    });
    const seen: string[] = [];
    s.onChange((x) => seen.push(x.microsoftClientId));
    s.update({ microsoftClientId: ' ms-id ' });
    expect(seen).toEqual(['ms-id']);
    expect(createSettingsService(store, {}).get().microsoftClientId).toBe('ms-id');
  });

  it('uses client ids and the secret from the environment but never writes them to the file', () => {
    const file = join(dir, 'settings.json');
    const env = {
      DUET_GOOGLE_CLIENT_ID: 'env-google',
      DUET_MICROSOFT_CLIENT_ID: 'env-microsoft',
      DUET_GOOGLE_CLIENT_SECRET: 'env-secret',
    };
    const s = createSettingsService(jsonFileStore(file), env);
    // Saving something else, and even re-saving the value the environment gives, writes no env value.
    s.update({ pollMinutes: 10, googleClientId: 'env-google' });
    expect(s.get()).toMatchObject({ googleClientId: 'env-google', microsoftClientId: 'env-microsoft', pollMinutes: 10 });
    const written = readFileSync(file, 'utf8');
    expect(written).not.toMatch(/env-google|env-microsoft|env-secret/);
    expect(JSON.parse(written)).toEqual({ settings: { pollMinutes: 10 } });
    // Without the environment, the app sees only what the user chose.
    expect(createSettingsService(jsonFileStore(file), {}).get()).toMatchObject({ googleClientId: '', pollMinutes: 10 });
    // A value the user types overrides the environment and is kept; clearing it is a choice too.
    s.update({ googleClientId: ' typed-id ' });
    expect(createSettingsService(jsonFileStore(file), env).get().googleClientId).toBe('typed-id');
    s.update({ microsoftClientId: '' });
    expect(createSettingsService(jsonFileStore(file), env).get().microsoftClientId).toBe('');
    // Setting it back to the environment's value removes it from the file again.
    s.update({ googleClientId: 'env-google', microsoftClientId: 'env-microsoft' });
    expect(readFileSync(file, 'utf8')).not.toMatch(/env-|typed-id/);
  });
});

describe('sync server service', () => {
  it('starts the embedded server only without a URL and stops it when one is set', async () => {
    const events: string[] = [];
    let running = 0;
    const svc = createSyncServerService(async () => {
      running++;
      return { url: 'ws://127.0.0.1:7777', close: async () => void running-- };
    });
    svc.onChange((i) => events.push(`${i.state}:${i.url}`));
    // Two concurrent configurations must not start two servers.
    await Promise.all([svc.configure(''), svc.configure('')]);
    expect(running).toBe(1);
    expect(svc.info()).toEqual({ url: 'ws://127.0.0.1:7777', embedded: true, state: 'running' });
    await svc.configure('wss://sync.example.com');
    expect(running).toBe(0);
    expect(svc.info()).toMatchObject({ url: 'wss://sync.example.com', embedded: false });
    await svc.stop();
    expect(events).toEqual(['starting:', 'running:ws://127.0.0.1:7777', 'running:ws://127.0.0.1:7777', 'running:wss://sync.example.com', 'stopped:wss://sync.example.com']);
  });

  it('reports a failed embedded start as an error state with a reason', async () => {
    const svc = createSyncServerService(async () => {
      throw new Error('EADDRINUSE');
    });
    const info = await svc.configure('');
    expect(info.state).toBe('error');
    expect(info.error).toMatch(/could not start: EADDRINUSE/);
  });
});
