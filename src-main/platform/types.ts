// The small set of OS capabilities main-side services need. Electron provides them in the desktop
// app (platform/electron.ts); plain Node provides them in web mode and in tests (platform/node.ts).
// Services take a Platform and never import electron, so they run and are tested without it.

export interface SecretStorage {
  /** True when secrets are protected by the OS keychain (safeStorage); false for the Node fallback. */
  readonly osProtected: boolean;
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
}

export interface AppPaths {
  /** Per-user data folder: settings, tokens, the embedded sync server's data. */
  userData: string;
  logs: string;
}

export interface Platform {
  readonly kind: 'electron' | 'node';
  readonly secrets: SecretStorage;
  readonly paths: AppPaths;
  /** Shows an OS notification; resolves false where notifications are unsupported or denied. */
  notify(title: string, body: string): Promise<boolean>;
  /** Opens a URL in the system browser or mail client. Callers validate the scheme first. */
  openExternal(url: string): Promise<void>;
  readonly version: string;
}
