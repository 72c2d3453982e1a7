// Main's private-notes key (docs/architecture.md §2) with the real Node secret storage and JSON
// store of web mode: made once, stored only sealed, the same after a restart, and never replaced
// when it cannot be opened (a new key would strand every note written with the old one).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { fileKeySecrets } from '../../../src-main/platform/node';
import {
  createPrivateNoteKeyService,
  PrivateNoteKeyError,
} from '../../../src-main/services/private-note-key';
import { jsonFileStore } from '../../../src-main/storage/json-file';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'duet-note-key-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('makes a 32-byte key once, keeps it only sealed, and finds the same one after a restart', () => {
  const storePath = join(dir, 'store.json');
  const key = createPrivateNoteKeyService(jsonFileStore(storePath), fileKeySecrets(dir)).key();
  expect(Buffer.from(key, 'base64')).toHaveLength(32);
  expect(readFileSync(storePath, 'utf8')).not.toContain(key);
  const restarted = createPrivateNoteKeyService(jsonFileStore(storePath), fileKeySecrets(dir));
  expect(restarted.key()).toBe(key);
  const elsewhere = mkdtempSync(join(tmpdir(), 'duet-note-key-'));
  try {
    expect(
      createPrivateNoteKeyService(jsonFileStore(join(elsewhere, 's.json')), fileKeySecrets(elsewhere)).key(),
    ).not.toBe(key);
  } finally {
    rmSync(elsewhere, { recursive: true, force: true });
  }
});

it('says clearly when the secret storage cannot open the key, and does not replace it', () => {
  const storePath = join(dir, 'store.json');
  createPrivateNoteKeyService(jsonFileStore(storePath), fileKeySecrets(dir)).key();
  const sealedBefore = readFileSync(storePath, 'utf8');
  // Another keychain (a reinstall): the sealed key is there, but cannot be opened.
  const otherKeychain = fileKeySecrets(mkdtempSync(join(tmpdir(), 'duet-other-')));
  const service = createPrivateNoteKeyService(jsonFileStore(storePath), otherKeychain);
  expect(() => service.key()).toThrow(PrivateNoteKeyError);
  expect(() => service.key()).toThrow(/cannot open the private notes key/);
  expect(readFileSync(storePath, 'utf8')).toBe(sealedBefore);
});
