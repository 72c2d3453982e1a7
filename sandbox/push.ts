// Push notifications: Google watch channels (a `sync` message, then `exists` on each change)
// and Graph subscriptions (validation handshake, change and lifecycle notifications). Driven
// by the store's change feed. Deliveries go only to loopback addresses.
import http from 'node:http';
import https from 'node:https';
import { rootCertificates } from 'node:tls';
import { ValidationError } from './errors';
import type { Faults } from './faults';
import { uuid } from './ids';
import type { Store, StoreChange } from './store';

export interface GoogleChannel {
  id: string;
  resourceId: string;
  resourceUri: string;
  token?: string;
  address: string;
  expiration: number;
  calendarId: string;
  email: string;
  messageNumber: number;
}

export interface GraphSubscription {
  id: string;
  resource: string;
  changeType: string;
  notificationUrl: string;
  lifecycleNotificationUrl?: string;
  clientState?: string;
  expirationDateTime: number;
  email: string;
  calendarId: string;
  applicationId: string;
  creatorId: string;
}

export interface DeliveryLogEntry {
  at: string;
  kind: 'google' | 'graph' | 'graph-lifecycle' | 'graph-validation';
  target: string;
  id: string;
  detail: string;
  status?: number;
  error?: string;
  dropped?: boolean;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** Sandbox rule: callbacks must stay on this machine (no traffic leaves loopback). */
export function assertLoopbackUrl(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new ValidationError(field, `${field} must be a URL string`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ValidationError(field, `${field} must be an absolute URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ValidationError(field, `${field} must be http(s)`);
  if (!LOOPBACK_HOSTS.has(url.hostname)) {
    throw new ValidationError(field, `${field} must point at 127.0.0.1, localhost or ::1 in the sandbox`);
  }
  return value;
}

interface PostResult {
  status: number;
  body: string;
}

export class PushService {
  readonly channels = new Map<string, GoogleChannel>();
  readonly subscriptions = new Map<string, GraphSubscription>();
  readonly log: DeliveryLogEntry[] = [];
  private readonly queues = new Map<string, Promise<void>>();
  private readonly inFlight = new Set<AbortController>();
  private readonly trusted: string[];
  private readonly unsubscribe: () => void;

  constructor(
    private readonly store: Store,
    private readonly faults: Faults,
    caCertPem: string,
    private readonly tenantId: string,
  ) {
    this.trusted = [...rootCertificates, caCertPem];
    this.unsubscribe = store.onChange((changes) => this.onChange(changes));
  }

  clear(): void {
    this.channels.clear();
    this.subscriptions.clear();
    this.log.length = 0;
  }

  close(): void {
    this.unsubscribe();
    for (const c of this.inFlight) c.abort();
  }

  /** Waits until every queued delivery has been attempted (for tests and shutdown). */
  async idle(): Promise<void> {
    while (this.queues.size > 0) await Promise.all([...this.queues.values()]);
  }

  private record(entry: Omit<DeliveryLogEntry, 'at'>): void {
    this.log.push({ at: new Date().toISOString(), ...entry });
    if (this.log.length > 500) this.log.splice(0, this.log.length - 500);
  }

  /** Runs deliveries to one target in order (so `sync` always precedes `exists`). */
  private enqueue(key: string, task: () => Promise<void>): void {
    const previous = this.queues.get(key) ?? Promise.resolve();
    const next = previous.then(task).catch(() => undefined);
    this.queues.set(key, next);
    void next.then(() => {
      if (this.queues.get(key) === next) this.queues.delete(key);
    });
  }

  post(address: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<PostResult> {
    const url = new URL(address);
    const controller = new AbortController();
    this.inFlight.add(controller);
    const client = url.protocol === 'https:' ? https : http;
    return new Promise<PostResult>((resolve, reject) => {
      const req = client.request(
        url,
        {
          method: 'POST',
          headers: { 'content-length': String(Buffer.byteLength(body)), ...headers },
          signal: controller.signal,
          timeout: timeoutMs,
          ...(url.protocol === 'https:' ? { ca: this.trusted } : {}),
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end(body);
    }).finally(() => this.inFlight.delete(controller));
  }

  // ---- Google watch channels -------------------------------------------------------------

  addChannel(channel: Omit<GoogleChannel, 'messageNumber'>): GoogleChannel {
    if (this.channels.has(channel.id)) throw new ValidationError('id', `Channel id ${channel.id} not unique`);
    const stored: GoogleChannel = { ...channel, messageNumber: 0 };
    this.channels.set(stored.id, stored);
    this.deliverGoogle(stored, 'sync');
    return stored;
  }

  stopChannel(id: string, resourceId: string | undefined): boolean {
    const channel = this.channels.get(id);
    if (!channel || (resourceId !== undefined && channel.resourceId !== resourceId)) return false;
    this.channels.delete(id);
    return true;
  }

  private deliverGoogle(channel: GoogleChannel, state: 'sync' | 'exists'): void {
    channel.messageNumber += 1;
    const number = channel.messageNumber;
    this.enqueue(`google:${channel.id}`, async () => {
      if (this.faults.takePushDrop(channel.address)) {
        this.record({ kind: 'google', target: channel.address, id: channel.id, detail: state, dropped: true });
        return;
      }
      const headers: Record<string, string> = {
        'x-goog-channel-id': channel.id,
        'x-goog-channel-expiration': new Date(channel.expiration).toUTCString(),
        'x-goog-resource-id': channel.resourceId,
        'x-goog-resource-uri': channel.resourceUri,
        'x-goog-resource-state': state,
        'x-goog-message-number': String(number),
        'user-agent': 'APIs-Google; (+https://developers.google.com/webmasters/APIs-Google.html)',
      };
      if (channel.token !== undefined) headers['x-goog-channel-token'] = channel.token;
      try {
        const res = await this.post(channel.address, headers, '', 5000);
        this.record({ kind: 'google', target: channel.address, id: channel.id, detail: state, status: res.status });
      } catch (error) {
        this.record({ kind: 'google', target: channel.address, id: channel.id, detail: state, error: (error as Error).message });
      }
    });
  }

  // ---- Graph subscriptions ---------------------------------------------------------------

  /** Graph's validation handshake: POST ?validationToken=..., expect 200 echoing it. */
  async validateEndpoint(address: string, timeoutMs: number, subscriptionId: string): Promise<string | undefined> {
    const token = `Validation: Testing client application reachability for subscription Request-Id: ${uuid()}`;
    const url = new URL(address);
    url.searchParams.set('validationToken', token);
    try {
      const res = await this.post(url.toString(), { 'content-type': 'text/plain; charset=utf-8' }, '', timeoutMs);
      const ok = res.status === 200 && res.body === token;
      this.record({ kind: 'graph-validation', target: address, id: subscriptionId, detail: ok ? 'validated' : 'bad answer', status: res.status });
      if (res.status !== 200) return `Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request (got ${res.status}).`;
      if (!ok) return 'Subscription validation request failed. Response must exactly match validationToken query parameter.';
      return undefined;
    } catch (error) {
      this.record({ kind: 'graph-validation', target: address, id: subscriptionId, detail: 'failed', error: (error as Error).message });
      return `Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request. ${(error as Error).message}`;
    }
  }

  notifyGraph(subscription: GraphSubscription, value: Array<Record<string, unknown>>, kind: 'graph' | 'graph-lifecycle'): void {
    const address = kind === 'graph' ? subscription.notificationUrl : (subscription.lifecycleNotificationUrl ?? subscription.notificationUrl);
    this.enqueue(`graph:${subscription.id}`, async () => {
      const detail = value.map((v) => (v.lifecycleEvent as string | undefined) ?? (v.changeType as string)).join(',');
      if (this.faults.takePushDrop(address)) {
        this.record({ kind, target: address, id: subscription.id, detail, dropped: true });
        return;
      }
      try {
        const res = await this.post(address, { 'content-type': 'application/json; charset=utf-8' }, JSON.stringify({ value }), 5000);
        this.record({ kind, target: address, id: subscription.id, detail, status: res.status });
      } catch (error) {
        this.record({ kind, target: address, id: subscription.id, detail, error: (error as Error).message });
      }
    });
  }

  sendLifecycle(subscription: GraphSubscription, lifecycleEvent: 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed'): void {
    this.notifyGraph(
      subscription,
      [
        {
          subscriptionId: subscription.id,
          subscriptionExpirationDateTime: new Date(subscription.expirationDateTime).toISOString(),
          tenantId: this.tenantId,
          ...(subscription.clientState !== undefined ? { clientState: subscription.clientState } : {}),
          lifecycleEvent,
        },
      ],
      'graph-lifecycle',
    );
    if (lifecycleEvent === 'subscriptionRemoved') this.subscriptions.delete(subscription.id);
  }

  // ---- change feed -----------------------------------------------------------------------

  private onChange(changes: StoreChange[]): void {
    const now = Date.now();
    const touched = new Set<string>();
    for (const change of changes) for (const id of [...change.before.keys(), ...change.after.keys()]) touched.add(id);

    for (const channel of [...this.channels.values()]) {
      if (channel.expiration < now) {
        this.channels.delete(channel.id);
        continue;
      }
      if (touched.has(channel.calendarId)) this.deliverGoogle(channel, 'exists');
    }

    for (const subscription of [...this.subscriptions.values()]) {
      if (subscription.expirationDateTime < now) {
        this.subscriptions.delete(subscription.id);
        continue;
      }
      const wanted = new Set(subscription.changeType.split(',').map((s) => s.trim()));
      const user = this.store.person(subscription.email);
      const value: Array<Record<string, unknown>> = [];
      for (const change of changes) {
        const type = graphChangeType(change, subscription.calendarId);
        if (!type || !wanted.has(type)) continue;
        const resource = `Users/${user?.objectId ?? subscription.email}/Events/${change.eventId}`;
        value.push({
          subscriptionId: subscription.id,
          subscriptionExpirationDateTime: new Date(subscription.expirationDateTime).toISOString(),
          changeType: type,
          resource,
          resourceData: {
            '@odata.type': '#Microsoft.Graph.Event',
            '@odata.id': resource,
            '@odata.etag': `W/"${changeKey(change.event.seq)}"`,
            id: change.eventId,
          },
          ...(subscription.clientState !== undefined ? { clientState: subscription.clientState } : {}),
          tenantId: this.tenantId,
        });
      }
      if (value.length > 0) this.notifyGraph(subscription, value, 'graph');
    }
  }
}

/** created / updated / deleted as an Outlook calendar would report this change. */
export function graphChangeType(change: StoreChange, calendarId: string): 'created' | 'updated' | 'deleted' | undefined {
  const before = change.before.get(calendarId);
  const after = change.after.get(calendarId);
  const existedBefore = before !== undefined && before !== 'cancelled';
  const existsAfter = after !== undefined && after !== 'cancelled';
  if (!existedBefore && existsAfter) return 'created';
  if (existedBefore && !existsAfter) return 'deleted';
  if (existedBefore && existsAfter) return 'updated';
  return undefined;
}

/** Graph changeKey for a stored version. */
export function changeKey(seq: number): string {
  return Buffer.from(`sandbox-change-${seq}`).toString('base64');
}
