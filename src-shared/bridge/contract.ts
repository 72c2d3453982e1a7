// THE bridge contract between main (or the web-mode Node host) and the renderer.
// Add a method here and TypeScript demands a handler in src-main/bridge/handlers.ts;
// the renderer's `window.duet` type follows automatically.
import { z } from 'zod';
import { defineContract, method, type ClientApi } from './define';
import { calendarChangeSchema } from '../calendar/change-schema';
import { scheduleEvents, scheduleMethods } from './schedule-contract';
import { importedLinksEvents, importedLinksMethods } from './imported-links-contract';
import { isMeetingId } from '../meeting/meeting-id';

export const calendarMode = z.enum(['sandbox', 'real']);

export const mainSettings = z.object({
  /** Empty = run the embedded sync server on loopback. */
  syncServerUrl: z.string(),
  googleClientId: z.string(),
  microsoftClientId: z.string(),
  /**
   * Google "Desktop app" clients still send their (non-secret) client secret to the token
   * endpoint; Microsoft public clients have none.
   */
  googleClientSecret: z.string(),
  /** Minutes between calendar polls (push covers the time in between where it works). */
  pollMinutes: z.number().int().min(1).max(1440),
  /** Which calendar providers Settings offers: the sandbox stand-ins or the real ones. */
  calendarMode,
});
export type MainSettings = z.infer<typeof mainSettings>;

export const settingsPatch = mainSettings
  .partial()
  .strict()
  .refine(
    (p) => p.syncServerUrl === undefined || p.syncServerUrl === '' || /^wss?:\/\//.test(p.syncServerUrl),
    {
      message: 'syncServerUrl must start with ws:// or wss://, or be empty for the embedded server',
      path: ['syncServerUrl'],
    },
  );

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

// ---- Calendar accounts and sync (docs/architecture.md §6) ----------------------------------

/** What Settings offers to connect: the real providers, or the sandbox's Microsoft face in one click. */
export const connectableProvider = z.enum(['google', 'microsoft', 'sandbox']);
export type ConnectableProvider = z.infer<typeof connectableProvider>;
export const accountProvider = z.enum(['google', 'microsoft']);
export type AccountProvider = z.infer<typeof accountProvider>;

export const accountStatus = z.enum(['connected', 'syncing', 'offline', 'needs-reconnect', 'error']);
export type AccountStatus = z.infer<typeof accountStatus>;

export const accountInfo = z.object({
  id: z.string(),
  provider: accountProvider,
  /** Signed in against the local sandbox rather than the real provider. */
  sandbox: z.boolean(),
  email: z.string(),
  name: z.string(),
  status: accountStatus,
  /** Epoch ms of the last successful sync; 0 = never. */
  lastSyncAt: z.number(),
  /** The last error in words for the user ('' = none). */
  lastError: z.string(),
  /** While an import runs: pages and events fetched so far. */
  progress: z.object({ pages: z.number(), events: z.number() }).nullable(),
  /** Push notifications reach this account's sync (else it relies on the poll). */
  push: z.boolean(),
  pollMinutes: z.number(),
});
export type AccountInfo = z.infer<typeof accountInfo>;

export const signInState = z.object({
  flowId: z.string(),
  provider: connectableProvider,
  state: z.enum(['waiting', 'completed', 'cancelled', 'failed', 'timed-out']),
  accountId: z.string().optional(),
  error: z.string().optional(),
});
export type SignInState = z.infer<typeof signInState>;

export const signInStart = z.object({
  flowId: z.string(),
  /** The provider's sign-in page. */
  authUrl: z.string(),
  /** True when main opened it in the system browser; otherwise the page opens it (web mode: a new tab). */
  openedExternally: z.boolean(),
});
export type SignInStart = z.infer<typeof signInStart>;

/** The signed-in user's identity for the sync server: an OpenID Connect ID token, kept fresh by main. */
export const identity = z
  .object({
    email: z.string(),
    idToken: z.string(),
    expiresAt: z.number(),
    issuer: z.string(),
    accountId: z.string(),
  })
  .nullable();
export type Identity = z.infer<typeof identity>;

/**
 * Normalized changes from one account. `replace`: the events are the account's whole scan window
 * (an import or full resync), so cached events of that account not among them are gone. The
 * account's cursor advances only when the renderer acknowledges the batch as stored.
 */
export const calendarBatch = z.object({
  id: z.string(),
  accountId: z.string(),
  provider: accountProvider,
  /** The account's email: the engine's `self`. */
  self: z.string(),
  kind: z.enum(['initial', 'full', 'incremental']),
  replace: z.boolean(),
  changes: z.array(calendarChangeSchema),
});
export type CalendarBatch = z.infer<typeof calendarBatch>;

export const directoryPerson = z.object({
  email: z.string(),
  name: z.string(),
  relation: z.enum(['manager', 'report']),
  /** Epoch ms of the hire date where the directory has it. */
  hireDate: z.number().optional(),
});
export type DirectoryPerson = z.infer<typeof directoryPerson>;

export const contract = defineContract({
  methods: {
    app: {
      info: method(z.void(), appInfo),
      /** Presenting mode hides private notes; main keeps the state so the global shortcut can flip it. */
      setPresenting: method(z.object({ on: z.boolean() }), z.object({ on: z.boolean() })),
      /** Read once by each window as it opens, so a new window follows the current mode. */
      getPresenting: method(z.void(), z.object({ on: z.boolean() })),
      /**
       * Shows an OS notification through the platform (Electron's Notification). `shown` is false
       * where the platform has none (web mode: the renderer then uses the browser's API).
       */
      notify: method(
        z.object({ title: z.string().min(1).max(300), body: z.string().max(2000) }),
        z.object({ shown: z.boolean() }),
      ),
      /**
       * The duet:// link the OS handed over and no window has followed yet, taken once (null when
       * none): read at start, since a link given with the launch arrives before any window listens.
       */
      takeDeepLink: method(z.void(), z.object({ url: z.string().nullable() })),
      /**
       * Desktop: opens (or brings forward) the meeting's private notes in a window of their own,
       * excluded from screen capture where the OS allows it. Web mode: `opened: false`.
       */
      openPrivateNotes: method(
        z.object({ meetingId: z.string().refine(isMeetingId, 'not a meeting id') }),
        z.object({ opened: z.boolean() }),
      ),
    },
    settings: {
      get: method(z.void(), mainSettings),
      update: method(settingsPatch, mainSettings),
    },
    shell: {
      /** Opens http(s) and mailto links in the system browser / mail client; nothing else. */
      openExternal: method(
        z.object({
          url: z.string().regex(/^(https?:|mailto:)/i, 'only http, https and mailto links can be opened'),
        }),
        z.object({ opened: z.boolean() }),
      ),
    },
    sync: {
      serverInfo: method(z.void(), syncServerInfo),
    },
    privateNotes: {
      /**
       * The AES-256 key (base64) private notes are encrypted with at rest. Kept by main, sealed by
       * the platform's secret storage; the renderer holds it in memory only (docs/architecture.md §2).
       */
      key: method(z.void(), z.object({ key: z.string().regex(/^[A-Za-z0-9+/]{43}=$/) })),
    },
    accounts: {
      list: method(z.void(), z.array(accountInfo)),
      /** Starts a sign-in (or a reconnect of `accountId`); its outcome arrives as `accounts.signIn` events. */
      connect: method(
        z.object({ provider: connectableProvider, accountId: z.string().optional() }),
        signInStart,
      ),
      cancelSignIn: method(z.object({ flowId: z.string() }), z.object({ cancelled: z.boolean() })),
      /** Revokes the grant and stops push channels; meetings stay. */
      disconnect: method(z.object({ accountId: z.string() }), z.object({ disconnected: z.boolean() })),
      identity: method(z.void(), identity),
    },
    calendar: {
      providers: method(z.void(), z.array(providerInfo)),
      syncNow: method(z.object({ accountId: z.string().optional() }), z.object({ started: z.boolean() })),
      /** The oldest batch not yet acknowledged, or null. Only the leading window asks. */
      nextBatch: method(z.void(), calendarBatch.nullable()),
      ackBatch: method(
        z.object({ batchId: z.string(), ok: z.boolean(), error: z.string().max(2000).optional() }),
        z.object({ ok: z.boolean() }),
      ),
      /** The account's manager and direct reports from the provider's directory (Microsoft), else []. */
      directory: method(z.object({ accountId: z.string() }), z.array(directoryPerson)),
    },
    /** Scheduling 1:1s onto the calendar and the log of every calendar write (schedule-contract.ts). */
    schedule: scheduleMethods,
    /** The optional Duet link on imported 1:1 events the user organizes (imported-links-contract.ts). */
    importedLinks: importedLinksMethods,
  },
  events: {
    /** A duet:// link the OS handed to the app (second instance or open-url). */
    'app.deepLink': z.object({ url: z.string() }),
    'settings.changed': mainSettings,
    /** Presenting mode changed (button, global shortcut or tray): every window follows. */
    'app.presenting': z.object({ on: z.boolean() }),
    'sync.serverInfo': syncServerInfo,
    'accounts.changed': z.array(accountInfo),
    'accounts.signIn': signInState,
    'accounts.identity': identity,
    /** A batch is waiting for `calendar.nextBatch`. */
    'calendar.batchReady': z.object({ accountId: z.string() }),
    ...scheduleEvents,
    ...importedLinksEvents,
  },
});

export type DuetContract = typeof contract;
export type DuetApi = ClientApi<DuetContract>;
