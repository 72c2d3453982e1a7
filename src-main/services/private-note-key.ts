// The key private notes are encrypted with at rest (docs/architecture.md §2): 32 random bytes made
// on first use, kept only sealed by Platform.secrets (safeStorage, the OS keychain, in the desktop
// app) in main's key-value store, and handed to the renderer on request through the bridge
// (`privateNotes.key`), where WebCrypto uses it for AES-GCM. The renderer never stores it.
import { randomBytes } from 'node:crypto';
import type { SecretStorage } from '../platform/types';
import type { KeyValueStore } from '../storage/types';

export const PRIVATE_NOTE_KEY_BYTES = 32;
const STORE_KEY = 'privateNotes.sealedKey';

export interface PrivateNoteKeyService {
  /** The key, base64 (made and sealed on first use). Throws when the sealed key cannot be opened. */
  key(): string;
}

export class PrivateNoteKeyError extends Error {}

export function createPrivateNoteKeyService(
  store: KeyValueStore,
  secrets: SecretStorage,
): PrivateNoteKeyService {
  let cached: string | null = null;
  return {
    key() {
      if (cached) return cached;
      const sealed = store.get<unknown>(STORE_KEY);
      if (sealed === undefined) {
        const fresh = randomBytes(PRIVATE_NOTE_KEY_BYTES).toString('base64');
        store.set(STORE_KEY, secrets.encrypt(fresh));
        return (cached = fresh);
      }
      // A key that cannot be opened is never replaced: a new one would make every note written
      // with the old one unreadable for good. The notes stay stored; the user sees why.
      let opened: string;
      try {
        if (typeof sealed !== 'string') throw new Error('not a sealed string');
        opened = secrets.decrypt(sealed);
      } catch {
        throw new PrivateNoteKeyError(
          "This system's secret storage cannot open the private notes key (was the keychain reset?). " +
            'Your private notes are still stored, but cannot be read until it can.',
        );
      }
      if (Buffer.from(opened, 'base64').length !== PRIVATE_NOTE_KEY_BYTES)
        throw new PrivateNoteKeyError(
          'The stored private notes key is damaged; your private notes cannot be read.',
        );
      return (cached = opened);
    },
  };
}
