// Sign-in secrets at rest (docs/architecture.md §2): every token is sealed by Platform.secrets
// (safeStorage in the desktop app) before it reaches the key-value store, so the store's file
// never holds a token in clear.
import type { ICachePlugin, TokenCacheContext } from '@azure/msal-node';
import type { SecretStorage } from '../platform/types';
import type { KeyValueStore } from '../storage/types';

export interface Vault {
  get<T>(key: string): T | undefined;
  set(key: string, value: unknown): void;
  delete(key: string): void;
}

export function createVault(store: KeyValueStore, secrets: SecretStorage): Vault {
  const at = (key: string) => `auth.sealed.${key}`;
  return {
    get<T>(key: string) {
      const sealed = store.get<string>(at(key));
      if (typeof sealed !== 'string') return undefined;
      try {
        return JSON.parse(secrets.decrypt(sealed)) as T;
      } catch {
        // Sealed under another key (a reinstalled keychain): as good as absent; the account
        // shows "Reconnect" rather than failing on every call.
        return undefined;
      }
    },
    set(key, value) {
      store.set(at(key), secrets.encrypt(JSON.stringify(value)));
    },
    delete(key) {
      store.delete(at(key));
    },
  };
}

/** msal-node's token cache persisted through the vault (its own ICachePlugin, same storage). */
export function msalCachePlugin(vault: Vault, key: string): ICachePlugin {
  return {
    beforeCacheAccess(context: TokenCacheContext) {
      const serialized = vault.get<string>(key);
      if (serialized) context.tokenCache.deserialize(serialized);
      return Promise.resolve();
    },
    afterCacheAccess(context: TokenCacheContext) {
      if (context.cacheHasChanged) vault.set(key, context.tokenCache.serialize());
      return Promise.resolve();
    },
  };
}
