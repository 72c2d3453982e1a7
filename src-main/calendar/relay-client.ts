// The app's side of the sync server's webhook relay (sync-server/README.md "Relay";
// docs/architecture.md §6): a provider cannot call a desktop app, so channels and subscriptions
// point at the relay, which checks their secrets and forwards "calendar changed" to the owner's
// apps over `/_events`. Every call is authenticated with the user's current ID token.
import WebSocket from 'ws';

export type RelayRegistration =
  | {
      provider: 'google';
      channelId: string;
      token: string;
      account: string;
      calendarId?: string;
      expiration?: number;
    }
  | {
      provider: 'microsoft';
      clientState: string;
      account: string;
      subscriptionId?: string;
      calendarId?: string;
      expiration?: number;
    };

/** What the relay forwards (sync-server/relay/event-hub.ts). */
export interface RelayEvent {
  type: 'calendar.changed' | 'calendar.subscription';
  provider: 'google' | 'microsoft';
  account: string;
  channelId?: string;
  subscriptionId?: string;
  lifecycleEvent?: 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed';
}

export interface RelayListener {
  close(): void;
}

export class RelayError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'RelayError';
  }
}

export interface RelayClient {
  /** `{http}/hooks/google` or `{http}/hooks/graph`: where providers are told to deliver. */
  hookAddress(provider: 'google' | 'microsoft'): string;
  register(reg: RelayRegistration): Promise<void>;
  /** By Google channel id or Graph subscription id; an unknown one is not an error. */
  unregister(provider: 'google' | 'microsoft', id: string): Promise<void>;
  /**
   * Listens on `/_events`, reconnecting after `reconnectMs` when the socket drops; `onOpen` runs on
   * every (re)connection, so the caller can catch up on what it may have missed meanwhile.
   */
  listen(onEvent: (event: RelayEvent) => void, onOpen?: () => void): RelayListener;
}

export interface RelayClientOptions {
  /** The sync server's ws:// or wss:// URL (http(s) works too). */
  url: string;
  idToken: () => string | null;
  reconnectMs?: number;
}

const toHttp = (url: string) => url.replace(/^ws(s?):\/\//, 'http$1://').replace(/\/+$/, '');
const toWs = (url: string) => url.replace(/^http(s?):\/\//, 'ws$1://').replace(/\/+$/, '');

function parseEvent(text: string): RelayEvent | undefined {
  try {
    const e = JSON.parse(text) as Partial<RelayEvent>;
    if (e.type !== 'calendar.changed' && e.type !== 'calendar.subscription') return undefined;
    if (e.provider !== 'google' && e.provider !== 'microsoft') return undefined;
    if (typeof e.account !== 'string') return undefined;
    return e as RelayEvent;
  } catch {
    return undefined;
  }
}

export function createRelayClient(options: RelayClientOptions): RelayClient {
  const http = toHttp(options.url);
  const token = (): string => {
    const t = options.idToken();
    if (!t) throw new RelayError(401, 'No signed-in identity to authenticate to the sync server with.');
    return t;
  };
  const send = async (method: string, path: string, body?: unknown): Promise<Response> => {
    const res = await fetch(`${http}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token()}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return res;
  };

  return {
    hookAddress: (provider) => `${http}/hooks/${provider === 'google' ? 'google' : 'graph'}`,

    async register(reg) {
      const res = await send('POST', '/hooks/registrations', reg);
      if (!res.ok) {
        const text = await res.text();
        throw new RelayError(
          res.status,
          `The sync server refused the push registration (${res.status}): ${text.slice(0, 200)}`,
        );
      }
    },

    async unregister(provider, id) {
      const res = await send('DELETE', `/hooks/registrations/${provider}/${encodeURIComponent(id)}`);
      if (!res.ok && res.status !== 404) {
        throw new RelayError(
          res.status,
          `The sync server did not remove the push registration (${res.status}).`,
        );
      }
    },

    listen(onEvent, onOpen) {
      let closed = false;
      let socket: WebSocket | null = null;
      let timer: NodeJS.Timeout | null = null;
      const connect = () => {
        if (closed) return;
        const t = options.idToken();
        if (!t) return void (timer = setTimeout(connect, options.reconnectMs ?? 5000));
        const ws = new WebSocket(`${toWs(options.url)}/_events?token=${encodeURIComponent(t)}`);
        socket = ws;
        ws.on('open', () => onOpen?.());
        ws.on('message', (data: WebSocket.RawData) => {
          const event = parseEvent(String(data));
          if (event) onEvent(event);
        });
        ws.on('error', () => {
          /* 'close' follows and reconnects */
        });
        ws.on('close', () => {
          if (socket === ws) socket = null;
          if (!closed) timer = setTimeout(connect, options.reconnectMs ?? 5000);
        });
      };
      connect();
      return {
        close() {
          closed = true;
          if (timer) clearTimeout(timer);
          socket?.terminate();
          socket = null;
        },
      };
    },
  };
}
