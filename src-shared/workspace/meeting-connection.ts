// One meeting's Y.Doc on the wire (docs/architecture.md §5): a y-websocket provider to the sync
// server, authenticated with the signed-in user's ID token in `params.token`, plus an optional
// local persistence (y-indexeddb in the renderer) so the doc opens offline and survives a reload.
// Kept free of DOM and bridge imports so the same code runs against a real sync server in Node.
import { WebsocketProvider } from 'y-websocket';
import { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';

/** What the UI says, in these words: live with the server, catching up, or cut off. */
export type ConnectionState = 'live' | 'syncing' | 'offline';

export interface TokenFeed {
  /** The current ID token, or null when nobody is signed in. */
  current(): string | null;
  /** Called whenever main refreshes or drops the identity; returns the unsubscribe. */
  subscribe(onToken: (token: string | null) => void): () => void;
}

export interface LocalPersistence {
  readonly whenSynced: Promise<unknown>;
  destroy(): Promise<void> | void;
}

export interface MeetingConnectionOptions {
  doc: Y.Doc;
  /** The sync server's WebSocket URL (`sync.serverInfo().url`). */
  serverUrl: string;
  roomId: string;
  tokens: TokenFeed;
  /**
   * Presence to carry (presence.ts). It outlives the connection, so the notes editor's carets
   * and the page's presence exist before the room does and across reconnections.
   */
  awareness?: Awareness;
  /**
   * No presence at all (the background sync, docs/architecture.md §5): this client announces
   * nobody (its awareness has no local state, so y-websocket sends none) and neither takes nor
   * answers others' awareness, so it never echoes the other person's state back either. The
   * other person never sees this app "here". Ignores `awareness`.
   */
  silent?: boolean;
  /** Opens the doc's local copy (y-indexeddb in the renderer); none in Node tests. */
  persist?: (name: string, doc: Y.Doc) => LocalPersistence;
  /** Node has no global WebSocket before 22; tests pass `ws`. */
  WebSocketPolyfill?: typeof globalThis.WebSocket;
  /** Two tabs of one app may share updates over BroadcastChannel; tests turn it off. */
  disableBc?: boolean;
  maxBackoffTime?: number;
}

export interface MeetingConnection {
  readonly provider: WebsocketProvider;
  /** Resolves once the local copy (if any) has been loaded into the doc. */
  readonly loaded: Promise<void>;
  state(): ConnectionState;
  onState(listener: (state: ConnectionState) => void): () => void;
  destroy(): void;
}

/** The local store's name for a room's doc: one database per meeting room. */
export const localDocName = (roomId: string): string => `duet-meeting-${roomId}`;

export function openMeetingConnection(options: MeetingConnectionOptions): MeetingConnection {
  const { doc, tokens } = options;
  const persistence = options.persist?.(localDocName(options.roomId), doc);
  const initial = tokens.current();
  let awareness = options.silent ? undefined : options.awareness;
  if (options.silent) {
    awareness = new Awareness(doc);
    awareness.setLocalState(null);
  }
  const provider = new WebsocketProvider(options.serverUrl, options.roomId, doc, {
    params: { token: initial ?? '' },
    connect: initial !== null,
    ...(awareness ? { awareness } : {}),
    ...(options.WebSocketPolyfill ? { WebSocketPolyfill: options.WebSocketPolyfill } : {}),
    ...(options.disableBc ? { disableBc: true } : {}),
    ...(options.maxBackoffTime ? { maxBackoffTime: options.maxBackoffTime } : {}),
  });

  if (options.silent) {
    // y-websocket's messages 1 (awareness) and 3 (query awareness): dropped unanswered. Set before
    // any message can arrive (the socket opens asynchronously).
    const ignore = () => undefined;
    provider.messageHandlers[1] = ignore;
    provider.messageHandlers[3] = ignore;
  }

  const listeners = new Set<(state: ConnectionState) => void>();
  let last: ConnectionState | null = null;
  const compute = (): ConnectionState =>
    !provider.wsconnected ? 'offline' : provider.synced ? 'live' : 'syncing';
  const emit = () => {
    const now = compute();
    if (now === last) return;
    last = now;
    for (const l of listeners) l(now);
  };
  provider.on('status', emit);
  provider.on('sync', emit);
  provider.on('connection-close', emit);
  provider.on('closed', emit);

  // The server closes a session 5 minutes after its token's exp (sync-server README "Identity")
  // and the client reconnects with whatever params.token holds then, so every refresh from main
  // goes straight into params. A refusal (4401: expired/untrusted) stops the stock client; a new
  // token starts it again. Signing out disconnects.
  const unsubscribe = tokens.subscribe((token) => {
    if (token === null) {
      provider.disconnect();
      emit();
      return;
    }
    const changed = provider.params.token !== token;
    provider.params.token = token;
    if (!provider.shouldConnect || (changed && !provider.wsconnected && !provider.wsconnecting))
      provider.connect();
  });

  const loaded = persistence ? persistence.whenSynced.then(() => undefined) : Promise.resolve();

  return {
    provider,
    loaded,
    state: compute,
    onState(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    destroy() {
      unsubscribe();
      listeners.clear();
      provider.destroy();
      // The provider does not end the awareness it made itself (its timer would keep a Node
      // process alive); one handed in belongs to the caller.
      if (options.silent || !options.awareness) provider.awareness.destroy();
      void persistence?.destroy();
    },
  };
}
