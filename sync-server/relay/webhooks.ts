// The public endpoints the providers call. Both answer from memory only (no storage, no
// outbound calls), well within Google's and Graph's deadlines, and forward at most one
// "calendar changed" per registration per request to the owner's apps.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../log';
import { HttpError, readBody, sendJson, sendText } from '../http/io';
import type { EventHub } from './event-hub';
import { microsoftRegistrationId, secretMatches, type RegistrationStore } from './registrations';

const GRAPH_BODY_LIMIT = 1024 * 1024;
const LIFECYCLE_EVENTS = new Set(['reauthorizationRequired', 'subscriptionRemoved', 'missed']);

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** POST /hooks/google: Google Calendar push (events.watch) notifications. */
export async function handleGoogleHook(
  req: IncomingMessage,
  res: ServerResponse,
  regs: RegistrationStore,
  hub: EventHub,
  log: Logger,
): Promise<void> {
  req.resume(); // Google sends no body; never buffer one.
  const channelId = header(req, 'x-goog-channel-id');
  const token = header(req, 'x-goog-channel-token') ?? '';
  const state = header(req, 'x-goog-resource-state');
  if (!channelId) return sendJson(res, 400, { error: 'X-Goog-Channel-ID is required' });
  const reg = await regs.get('google', channelId);
  if (!reg) {
    log.info('google notification for unknown channel', { channelId });
    return sendJson(res, 404, { error: 'unknown channel' });
  }
  if (!secretMatches(token, reg.secretDigest)) {
    log.warn('google notification with wrong channel token', { channelId });
    return sendJson(res, 403, { error: 'channel token does not match' });
  }
  // "sync" only confirms the channel was created; nothing changed yet.
  if (state !== 'sync') {
    const delivered = hub.publish(reg.owner, {
      type: 'calendar.changed',
      provider: 'google',
      account: reg.account,
      channelId,
      ...(reg.calendarId ? { calendarId: reg.calendarId } : {}),
    });
    log.debug('google notification relayed', { channelId, state, delivered });
  }
  res.writeHead(200).end();
}

interface GraphItem {
  subscriptionId?: unknown;
  clientState?: unknown;
  lifecycleEvent?: unknown;
}

/** POST /hooks/graph: Microsoft Graph change and lifecycle notifications, and the handshake. */
export async function handleGraphHook(
  req: IncomingMessage,
  res: ServerResponse,
  regs: RegistrationStore,
  hub: EventHub,
  log: Logger,
): Promise<void> {
  const validationToken = new URL(req.url ?? '/', 'http://x').searchParams.get('validationToken');
  if (validationToken !== null) {
    // Subscription creation (and lifecycle URL) handshake: echo the decoded token as plain text.
    req.resume();
    if (validationToken.length > 1024) return sendJson(res, 400, { error: 'validationToken too long' });
    return sendText(res, 200, validationToken);
  }
  let items: GraphItem[];
  try {
    const body = JSON.parse((await readBody(req, GRAPH_BODY_LIMIT)).toString('utf8')) as { value?: unknown };
    if (!Array.isArray(body.value)) throw new Error('no value array');
    items = body.value as GraphItem[];
  } catch (err) {
    if (err instanceof HttpError) throw err;
    return sendJson(res, 400, { error: 'expected a JSON body {"value": [...]}' });
  }
  let accepted = 0;
  const changed = new Set<string>();
  for (const item of items) {
    if (typeof item !== 'object' || item === null || typeof item.clientState !== 'string') continue;
    const reg = await regs.get('microsoft', microsoftRegistrationId(item.clientState));
    if (!reg || !secretMatches(item.clientState, reg.secretDigest)) continue;
    const subscriptionId = typeof item.subscriptionId === 'string' ? item.subscriptionId : undefined;
    if (reg.subscriptionId !== undefined && reg.subscriptionId !== subscriptionId) continue;
    accepted++;
    if (typeof item.lifecycleEvent === 'string') {
      if (!LIFECYCLE_EVENTS.has(item.lifecycleEvent)) continue;
      hub.publish(reg.owner, {
        type: 'calendar.subscription',
        provider: 'microsoft',
        account: reg.account,
        lifecycleEvent: item.lifecycleEvent,
        ...(subscriptionId ? { subscriptionId } : {}),
      });
      continue;
    }
    // Many items for one subscription in one POST are one "go sync" for the app.
    if (changed.has(reg.id)) continue;
    changed.add(reg.id);
    hub.publish(reg.owner, {
      type: 'calendar.changed',
      provider: 'microsoft',
      account: reg.account,
      ...(subscriptionId ? { subscriptionId } : {}),
      ...(reg.calendarId ? { calendarId: reg.calendarId } : {}),
    });
  }
  if (accepted === 0 && items.length > 0) {
    log.warn('graph notification with no matching clientState', { items: items.length });
    return sendJson(res, 403, { error: 'no notification matched a registered clientState' });
  }
  res.writeHead(202).end();
}
