// Graph change-notification subscriptions on a user's events: create (with the validation
// handshake), list, get, renew (PATCH, at most 10080 minutes ahead), reauthorize, delete.
import type { SandboxContext } from '../context';
import { ValidationError } from '../errors';
import type { Ctx, Handler, Router } from '../http';
import { uuid } from '../ids';
import { assertLoopbackUrl, type GraphSubscription } from '../push';
import { parseRfc3339 } from '../tz';
import { authenticateGraph, type GraphCaller } from './routes';
import { graphError, storeCalendarId, toGraphError } from './shape';

/** Outlook event subscriptions live at most 10080 minutes (7 days). */
export const MAX_SUBSCRIPTION_MINUTES = 10_080;
const CHANGE_TYPES = new Set(['created', 'updated', 'deleted']);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function expiration(value: unknown): number {
  if (typeof value !== 'string') throw new ValidationError('expirationDateTime', 'expirationDateTime is required (ISO 8601 date-time)');
  const ms = parseRfc3339(value);
  if (Number.isNaN(ms)) throw new ValidationError('expirationDateTime', 'expirationDateTime must be an ISO 8601 date-time with an offset');
  if (ms <= Date.now()) throw graphError(400, 'ExtensionError', 'Subscription expiration must be in the future.');
  if (ms > Date.now() + MAX_SUBSCRIPTION_MINUTES * 60_000) {
    throw graphError(400, 'ExtensionError', `Subscription expiration can only be ${MAX_SUBSCRIPTION_MINUTES} minutes in the future.`);
  }
  return ms;
}

/** Which calendar a subscription resource names, for the calling user. */
function resourceCalendar(sb: SandboxContext, caller: GraphCaller, resource: unknown): string {
  if (typeof resource !== 'string') throw new ValidationError('resource', 'resource is required');
  const path = resource.replace(/^\/+/, '').replace(/^v1\.0\//, '');
  const me = /^(?:me|users\/([^/]+))\/(?:calendar\/)?events$/i.exec(path);
  if (me) {
    const user = me[1] ? decodeURIComponent(me[1]) : undefined;
    if (user && user.toLowerCase() !== caller.person.objectId && sb.store.person(user)?.email !== caller.person.email) {
      throw graphError(403, 'ExtensionError', 'Operation: Create; Exception: [Status Code: Forbidden; Reason: Access is denied.]');
    }
    const primary = sb.store.primaryCalendarOf(caller.person.email);
    if (!primary) throw graphError(404, 'ExtensionError', 'The user has no calendar.');
    return primary.id;
  }
  const calendar = /^(?:me|users\/[^/]+)\/calendars\/([^/]+)\/events$/i.exec(path);
  if (calendar) {
    const id = storeCalendarId(decodeURIComponent(calendar[1] as string));
    const found = id ? sb.store.calendars.get(id) : undefined;
    if (!found || found.owner !== caller.person.email) throw graphError(404, 'ExtensionError', 'The calendar of the subscription resource was not found.');
    return found.id;
  }
  throw graphError(400, 'InvalidRequest', `Resource '${resource}' is not supported for subscriptions in the sandbox (use me/events or me/calendars/{id}/events).`);
}

export function subscriptionResource(sb: SandboxContext, s: GraphSubscription): Record<string, unknown> {
  return {
    '@odata.context': `${sb.urls.graphBaseUrl}/$metadata#subscriptions/$entity`,
    id: s.id,
    resource: s.resource,
    applicationId: s.applicationId,
    changeType: s.changeType,
    clientState: s.clientState ?? null,
    notificationUrl: s.notificationUrl,
    notificationQueryOptions: null,
    lifecycleNotificationUrl: s.lifecycleNotificationUrl ?? null,
    expirationDateTime: new Date(s.expirationDateTime).toISOString(),
    creatorId: s.creatorId,
    includeResourceData: false,
    latestSupportedTlsVersion: 'v1_2',
    encryptionCertificate: null,
    encryptionCertificateId: null,
    notificationUrlAppId: null,
  };
}

export function registerGraphSubscriptions(router: Router, sb: SandboxContext): void {
  const route = (method: string, path: string, handler: (ctx: Ctx, caller: GraphCaller) => Promise<void> | void): void => {
    const wrapped: Handler = async (ctx) => {
      try {
        await handler(ctx, authenticateGraph(ctx, sb, 'read'));
      } catch (error) {
        throw toGraphError(error);
      }
    };
    router.add(method, `/v1.0${path}`, wrapped);
  };
  const own = (caller: GraphCaller, id: string | undefined): GraphSubscription => {
    const s = id ? sb.push.subscriptions.get(id) : undefined;
    if (!s || s.email !== caller.person.email) throw graphError(404, 'ResourceNotFound', `The object was not found.`);
    if (s.expirationDateTime < Date.now()) {
      sb.push.subscriptions.delete(s.id);
      throw graphError(404, 'ResourceNotFound', 'The subscription has expired.');
    }
    return s;
  };

  route('POST', '/subscriptions', async (ctx, caller) => {
    const body = await ctx.json((m) => graphError(400, 'BadRequest', m));
    if (!isObject(body)) throw new ValidationError('body', 'the subscription must be a JSON object');
    if (typeof body.changeType !== 'string' || body.changeType.split(',').some((t) => !CHANGE_TYPES.has(t.trim()))) {
      throw graphError(400, 'InvalidRequest', `Invalid 'changeType' attribute: '${String(body.changeType)}'. Use created, updated and/or deleted.`);
    }
    const notificationUrl = assertLoopbackUrl(body.notificationUrl, 'notificationUrl');
    const lifecycleNotificationUrl = body.lifecycleNotificationUrl === undefined || body.lifecycleNotificationUrl === null ? undefined : assertLoopbackUrl(body.lifecycleNotificationUrl, 'lifecycleNotificationUrl');
    if (body.clientState !== undefined && body.clientState !== null && (typeof body.clientState !== 'string' || body.clientState.length > 128)) {
      throw new ValidationError('clientState', 'clientState must be a string of at most 128 characters');
    }
    if (body.includeResourceData === true) throw graphError(400, 'InvalidRequest', 'includeResourceData requires encryptionCertificate, which the sandbox does not support.');
    const calendarId = resourceCalendar(sb, caller, body.resource);
    const expires = expiration(body.expirationDateTime);
    const id = uuid();
    const problem =
      (await sb.push.validateEndpoint(notificationUrl, sb.settings.handshakeTimeoutMs, id)) ??
      (lifecycleNotificationUrl ? await sb.push.validateEndpoint(lifecycleNotificationUrl, sb.settings.handshakeTimeoutMs, id) : undefined);
    if (problem) throw graphError(400, 'ValidationError', problem);
    const subscription: GraphSubscription = {
      id,
      resource: body.resource as string,
      changeType: body.changeType,
      notificationUrl,
      ...(lifecycleNotificationUrl ? { lifecycleNotificationUrl } : {}),
      ...(typeof body.clientState === 'string' ? { clientState: body.clientState } : {}),
      expirationDateTime: expires,
      email: caller.person.email,
      calendarId,
      applicationId: caller.token.clientId,
      creatorId: caller.person.objectId,
    };
    sb.push.subscriptions.set(id, subscription);
    ctx.sendJson(201, subscriptionResource(sb, subscription));
  });

  route('GET', '/subscriptions', (ctx, caller) => {
    const mine = [...sb.push.subscriptions.values()].filter((s) => s.email === caller.person.email && s.expirationDateTime > Date.now());
    ctx.sendJson(200, {
      '@odata.context': `${sb.urls.graphBaseUrl}/$metadata#subscriptions`,
      value: mine.map((s) => {
        const r = subscriptionResource(sb, s);
        delete r['@odata.context'];
        return r;
      }),
    });
  });

  route('GET', '/subscriptions/:id', (ctx, caller) => ctx.sendJson(200, subscriptionResource(sb, own(caller, ctx.params.id))));

  route('PATCH', '/subscriptions/:id', async (ctx, caller) => {
    const s = own(caller, ctx.params.id);
    const body = await ctx.json((m) => graphError(400, 'BadRequest', m));
    if (!isObject(body)) throw new ValidationError('body', 'the body must be a JSON object');
    for (const key of Object.keys(body)) {
      if (key !== 'expirationDateTime' && key !== 'notificationUrl' && !key.startsWith('@odata.')) {
        throw graphError(400, 'InvalidRequest', `Only expirationDateTime and notificationUrl can be updated, not ${key}.`);
      }
    }
    if (body.notificationUrl !== undefined) {
      const url = assertLoopbackUrl(body.notificationUrl, 'notificationUrl');
      const problem = await sb.push.validateEndpoint(url, sb.settings.handshakeTimeoutMs, s.id);
      if (problem) throw graphError(400, 'ValidationError', problem);
      s.notificationUrl = url;
    }
    if (body.expirationDateTime !== undefined) s.expirationDateTime = expiration(body.expirationDateTime);
    ctx.sendJson(200, subscriptionResource(sb, s));
  });

  route('POST', '/subscriptions/:id/reauthorize', (ctx, caller) => {
    own(caller, ctx.params.id);
    ctx.send(204);
  });

  route('DELETE', '/subscriptions/:id', (ctx, caller) => {
    const s = own(caller, ctx.params.id);
    sb.push.subscriptions.delete(s.id);
    ctx.send(204);
  });
}
