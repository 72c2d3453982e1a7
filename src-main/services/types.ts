// The services main offers the bridge (docs/architecture.md §1): the bridge routes and validates,
// these hold the state. Each is a plain Node module behind this interface, so the desktop app, the
// web-mode host and the tests assemble the same ones (src-main/services/create.ts).
import type {
  AccountProvider,
  CalendarBatch,
  ConnectableProvider,
  DirectoryPerson,
  Identity,
  SignInStart,
  SignInState,
} from '../../src-shared/bridge/contract';
import type { ActivityLog } from '../calendar/activity-log';
import type { SchedulePreferencesStore } from '../calendar/schedule-preferences';
import type { ScheduleService } from '../calendar/schedule-service';
import type { ImportedLinksService } from '../calendar/imported-links';
import type { DeepLinkInbox } from '../app/deep-link';
import type { Platform } from '../platform/types';
import type { PresentingState } from './presenting';
import type { PrivateNoteKeyService } from './private-note-key';
import type { SandboxService } from './sandbox';
import type { SettingsService } from './settings';
import type { SyncServerService } from './sync-server';

/** A connected calendar account as sign-in knows it (tokens live behind it, never in here). */
export interface AccountRecord {
  id: string;
  provider: AccountProvider;
  sandbox: boolean;
  email: string;
  name: string;
  /** `needs-reconnect`: the grant was revoked or expired (invalid_grant); the user must sign in again. */
  auth: 'connected' | 'needs-reconnect';
  connectedAt: number;
}

/** Where an account's calendar API lives: the real provider, or the sandbox's faces. */
export interface ProviderEndpoints {
  /** Google: the Calendar API root (e.g. https://www.googleapis.com/). */
  googleRootUrl?: string;
  /** Microsoft: the Graph base URL (e.g. https://graph.microsoft.com/v1.0). */
  graphBaseUrl?: string;
  /** PEM of an extra CA to trust for these endpoints (the sandbox's), else undefined. */
  ca?: string;
}

/** Sign-in, tokens and identity (docs/architecture.md §6). Tokens never leave this service. */
export interface AccountsService {
  list(): AccountRecord[];
  connect(provider: ConnectableProvider, accountId?: string): Promise<SignInStart>;
  cancelSignIn(flowId: string): boolean;
  /** Revokes the grant, forgets the tokens, removes the account; meetings stay. */
  disconnect(accountId: string): Promise<void>;
  /** The sync-server identity: the freshest ID token of the first connected account, or null. */
  identity(): Identity;
  /**
   * A valid access token (refreshed when needed). Throws `ReconnectRequiredError` after invalid_grant.
   * `forceRefresh`: the API refused the current token (401): get a new one, or learn the grant is gone.
   */
  getAccessToken(accountId: string, options?: { forceRefresh?: boolean }): Promise<string>;
  endpoints(accountId: string): ProviderEndpoints;
  onChange(listener: () => void): () => void;
  onSignIn(listener: (state: SignInState) => void): () => void;
  onIdentity(listener: (identity: Identity) => void): () => void;
  stop(): Promise<void>;
}

/** Thrown by token access when the provider refused the grant: the account shows "Reconnect". */
export class ReconnectRequiredError extends Error {
  constructor(
    readonly accountId: string,
    message = 'The calendar provider no longer accepts this sign-in. Reconnect the account.',
  ) {
    super(message);
    this.name = 'ReconnectRequiredError';
  }
}

/** Sync state of one account as the scheduler sees it. */
export interface AccountSyncStatus {
  state: 'idle' | 'syncing' | 'offline' | 'error';
  lastSyncAt: number;
  lastError: string;
  progress: { pages: number; events: number } | null;
  push: boolean;
  pollMinutes: number;
}

/** Per-account import, incremental sync, push and polling (docs/architecture.md §6). */
export interface CalendarSyncService {
  status(accountId: string): AccountSyncStatus;
  /** Starts an incremental sync now (all accounts when none is named). False when nothing was started. */
  syncNow(accountId?: string): boolean;
  /** The oldest unacknowledged batch, or null. */
  nextBatch(): CalendarBatch | null;
  /** The renderer stored (ok) or could not store the batch; the cursor advances only on ok. */
  ackBatch(batchId: string, ok: boolean, error?: string): void;
  directory(accountId: string): Promise<DirectoryPerson[]>;
  onChange(listener: () => void): () => void;
  onBatchReady(listener: (accountId: string) => void): () => void;
  stop(): Promise<void>;
}

export interface MainServices {
  mode: 'desktop' | 'web';
  platform: Platform;
  settings: SettingsService;
  syncServer: SyncServerService;
  presenting: PresentingState;
  /** The key private notes are encrypted with, sealed by Platform.secrets (docs/architecture.md §2). */
  privateNoteKey: PrivateNoteKeyService;
  accounts: AccountsService;
  calendarSync: CalendarSyncService;
  /** Scheduling 1:1s onto calendars (calendar/schedule-service.ts). */
  schedule: ScheduleService;
  /** Every calendar write Duet made (calendar/activity-log.ts), read in Settings → Activity. */
  activity: ActivityLog;
  /** The lengths the scheduling form offers. */
  schedulePreferences: SchedulePreferencesStore;
  /** The optional Duet link on imported 1:1 events the user organizes (calendar/imported-links.ts). */
  importedLinks: ImportedLinksService;
  /** The sandbox calendar: started in-process on first use, or the one `--sandbox URL` names. */
  sandbox: SandboxService;
  /** duet:// links waiting for the renderer (app/deep-link.ts). */
  deepLinks: DeepLinkInbox;
  /** Windows beyond the main one (desktop only; web mode has none). */
  windows: AppWindows;
}

export interface AppWindows {
  /** Opens or focuses a meeting's private-notes window; false where there are no separate windows. */
  openPrivateNotes(meetingId: string): Promise<boolean>;
}
