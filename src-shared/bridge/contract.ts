// THE bridge contract between main (or the web-mode Node host) and the renderer.
// Add a method here and TypeScript demands a handler in src-main/bridge/handlers.ts;
// the renderer's `window.duet` type follows automatically.
import { z } from 'zod';
import { defineContract, method, type ClientApi } from './define';

export const calendarMode = z.enum(['sandbox', 'real']);

export const mainSettings = z.object({
  /** Empty = run the embedded sync server on loopback. */
  syncServerUrl: z.string(),
  googleClientId: z.string(),
  microsoftClientId: z.string(),
  /** Which calendar providers Settings offers: the sandbox stand-ins or the real ones. */
  calendarMode,
});
export type MainSettings = z.infer<typeof mainSettings>;

export const settingsPatch = mainSettings
  .partial()
  .strict()
  .refine((p) => p.syncServerUrl === undefined || p.syncServerUrl === '' || /^wss?:\/\//.test(p.syncServerUrl), {
    message: 'syncServerUrl must start with ws:// or wss://, or be empty for the embedded server',
    path: ['syncServerUrl'],
  });

export const appInfo = z.object({
  name: z.string(),
  version: z.string(),
  mode: z.enum(['desktop', 'web']),
  platform: z.string(),
});

export const syncServerInfo = z.object({
  url: z.string(),
  embedded: z.boolean(),
  state: z.enum(['starting', 'running', 'stopped', 'error']),
  error: z.string().optional(),
});
export type SyncServerInfo = z.infer<typeof syncServerInfo>;

export const providerInfo = z.object({
  provider: z.enum(['google', 'microsoft', 'sandbox']),
  label: z.string(),
  /** False when the provider needs a client id that has not been entered yet. */
  available: z.boolean(),
  reason: z.string().optional(),
});
export type ProviderInfo = z.infer<typeof providerInfo>;

export const contract = defineContract({
  methods: {
    app: {
      info: method(z.void(), appInfo),
      /** Presenting mode hides private notes; main keeps the state so the global shortcut can flip it. */
      setPresenting: method(z.object({ on: z.boolean() }), z.object({ on: z.boolean() })),
      /** Read once by each window as it opens, so a new window follows the current mode. */
      getPresenting: method(z.void(), z.object({ on: z.boolean() })),
    },
    settings: {
      get: method(z.void(), mainSettings),
      update: method(settingsPatch, mainSettings),
    },
    shell: {
      /** Opens http(s) and mailto links in the system browser / mail client; nothing else. */
      openExternal: method(
        z.object({ url: z.string().regex(/^(https?:|mailto:)/i, 'only http, https and mailto links can be opened') }),
        z.object({ opened: z.boolean() }),
      ),
    },
    sync: {
      serverInfo: method(z.void(), syncServerInfo),
    },
    calendar: {
      providers: method(z.void(), z.array(providerInfo)),
    },
  },
  events: {
    /** A duet:// link the OS handed to the app (second instance or open-url). */
    'app.deepLink': z.object({ url: z.string() }),
    'settings.changed': mainSettings,
    /** Presenting mode changed (button, global shortcut or tray): every window follows. */
    'app.presenting': z.object({ on: z.boolean() }),
    'sync.serverInfo': syncServerInfo,
  },
});

export type DuetContract = typeof contract;
export type DuetApi = ClientApi<DuetContract>;
