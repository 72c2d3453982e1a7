// Admin API (JSON over HTTPS under /_admin) for tests, the seed and demos. Calendar edits here
// behave like a person using the calendar's own UI. Bad input answers 400 naming the field.
import { findView } from './calendar/views';
import type { SandboxContext, Settings } from './context';
import { ConflictError, ForbiddenError, GoneError, NotFoundError, ValidationError } from './errors';
import { renderGoogleEvent } from './google/shape';
import { HttpError, type Ctx, type Handler, type Router } from './http';
import type { GAttendee } from './model';
import type { Provider } from './oauth/grants';
import { microsoftIdToken } from './oauth/microsoft';
import { loadScenario } from './scenario';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export const DEFAULT_SCOPES: Record<Provider, string[]> = {
  google: ['openid', 'email', 'profile', 'https://www.googleapis.com/auth/calendar'],
  microsoft: ['openid', 'profile', 'offline_access', 'User.Read', 'Calendars.ReadWrite'],
};

function adminError(error: unknown): unknown {
  if (error instanceof ValidationError) return new HttpError(400, { error: error.message, field: error.field });
  if (error instanceof NotFoundError) return new HttpError(404, { error: error.message });
  if (error instanceof GoneError) return new HttpError(410, { error: error.message });
  if (error instanceof ConflictError) return new HttpError(409, { error: error.message });
  if (error instanceof ForbiddenError) return new HttpError(403, { error: error.message });
  return error;
}

async function jsonBody(ctx: Ctx): Promise<Record<string, unknown>> {
  const body = await ctx.json((m) => new HttpError(400, { error: m, field: 'body' }));
  if (body === undefined) return {};
  if (!isObject(body)) throw new ValidationError('body', 'the body must be a JSON object');
  return body;
}

function email(value: unknown, field = 'email'): string {
  if (typeof value !== 'string' || !EMAIL.test(value)) throw new ValidationError(field, `${field} must be an email address`);
  return value;
}

function optionalInt(value: unknown, field: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ValidationError(field, `${field} must be an integer between ${min} and ${max}`);
  }
  return value;
}

export function registerAdmin(router: Router, sb: SandboxContext, initialSettings: Settings): void {
  const route = (method: string, path: string, handler: Handler): void => {
    router.add(method, `/_admin${path}`, async (ctx) => {
      try {
        await handler(ctx);
      } catch (error) {
        throw adminError(error);
      }
    });
  };

  route('GET', '', (ctx) => ctx.sendJson(200, { ...sb.urls, caCertPath: undefined, tenantId: sb.tenantId, me: sb.store.me }));

  route('POST', '/reset', async (ctx) => {
    const body = await jsonBody(ctx);
    if (body.scenario !== undefined && body.scenario !== 'initial' && body.scenario !== 'empty') {
      throw new ValidationError('scenario', 'scenario must be "initial" or "empty"');
    }
    sb.faults.clear();
    sb.push.clear();
    sb.grants.clear();
    sb.sync.clear();
    sb.requestLog.length = 0;
    sb.bodiesComplete = true;
    Object.assign(sb.settings, initialSettings);
    if (body.scenario === 'empty') loadScenario(sb.store, { people: [] }, () => sb.settings.horizonDays);
    else sb.loadInitialScenario();
    ctx.sendJson(200, { ok: true, events: sb.store.events.size, people: sb.store.people.size });
  });

  route('POST', '/scenario', async (ctx) => {
    const body = await jsonBody(ctx);
    loadScenario(sb.store, body, () => sb.settings.horizonDays);
    sb.sync.expireAll();
    ctx.sendJson(200, { ok: true, me: sb.store.me, events: sb.store.events.size, people: sb.store.people.size });
  });

  route('GET', '/people', (ctx) =>
    ctx.sendJson(200, { me: sb.store.me, people: [...sb.store.people.values()], calendars: [...sb.store.calendars.values()] }),
  );

  route('GET', '/events', (ctx) => {
    const calendarId = ctx.query.get('calendarId');
    const events = [...sb.store.events.values()].filter((e) => !calendarId || sb.store.isIn(e, calendarId));
    ctx.sendJson(200, { events: events.map((e) => ({ calendarId: e.calendarId, purged: e.purged, hiddenFor: e.hiddenFor, ...e.data })) });
  });

  const rendered = (id: string): unknown => {
    const view = findView(sb.store, id, undefined);
    if (!view) return undefined;
    const calendar = sb.store.calendars.get(view.stored.calendarId);
    return calendar ? renderGoogleEvent(sb.store, view, calendar, sb.urls.origin) : view.data;
  };

  route('POST', '/events', async (ctx) => {
    const body = await jsonBody(ctx);
    const { calendarId: rawCalendar, as: rawAs, ...event } = body;
    const as = rawAs === undefined ? undefined : email(rawAs, 'as');
    if (rawCalendar !== undefined && typeof rawCalendar !== 'string') throw new ValidationError('calendarId', 'calendarId must be a string');
    const owner = as ?? (isObject(event.organizer) ? (event.organizer.email as string) : undefined) ?? sb.store.me;
    const calendarId = (rawCalendar as string | undefined) ?? (owner ? sb.store.primaryCalendarOf(owner)?.id : undefined);
    if (!calendarId || !sb.store.calendars.has(calendarId)) throw new ValidationError('calendarId', 'calendarId must name a calendar (or give "as": a person with a calendar)');
    if (as && !event.organizer) {
      const person = sb.store.person(as);
      event.organizer = { email: person?.email ?? as, ...(person ? { displayName: person.name } : {}) };
    }
    const stored = sb.ops.create(calendarId, event, { trusted: true }, { conferenceDataVersion: 1, uiLike: true });
    ctx.sendJson(201, { id: stored.id, calendarId, event: rendered(stored.id) });
  });

  route('PATCH', '/events/:id', async (ctx) => {
    const id = ctx.params.id as string;
    const body = await jsonBody(ctx);
    if (body.action === undefined) {
      const view = sb.ops.patch(undefined, id, body, { trusted: true }, { conferenceDataVersion: 1 });
      return ctx.sendJson(200, { id: view.id, event: rendered(view.id) });
    }
    switch (body.action) {
      case 'accept':
      case 'decline':
      case 'tentative': {
        const status = body.action === 'accept' ? 'accepted' : body.action === 'decline' ? 'declined' : 'tentative';
        const view = sb.ops.respond(id, email(body.email), status);
        return ctx.sendJson(200, { id: view.id, event: rendered(view.id) });
      }
      case 'addAttendee': {
        const attendee: GAttendee = { email: email(body.email) };
        if (body.optional !== undefined) {
          if (typeof body.optional !== 'boolean') throw new ValidationError('optional', 'optional must be a boolean');
          if (body.optional) attendee.optional = true;
        }
        if (body.displayName !== undefined) {
          if (typeof body.displayName !== 'string') throw new ValidationError('displayName', 'displayName must be a string');
          attendee.displayName = body.displayName;
        }
        const view = sb.ops.addAttendee(id, attendee);
        return ctx.sendJson(200, { id: view.id, event: rendered(view.id) });
      }
      case 'removeAttendee': {
        const address = email(body.email);
        const view = findView(sb.store, id, undefined);
        if (!view) throw new NotFoundError(`event ${id} not found`);
        const remaining = (view.data.attendees ?? []).filter((a) => sb.store.person(a.email)?.email !== sb.store.person(address)?.email && a.email.toLowerCase() !== address.toLowerCase());
        if (remaining.length === (view.data.attendees ?? []).length) throw new ValidationError('email', `${address} is not an attendee of ${id}`);
        const updated = sb.ops.patch(undefined, id, { attendees: remaining }, { trusted: true });
        return ctx.sendJson(200, { id: updated.id, event: rendered(updated.id) });
      }
      case 'cancel': {
        const view = sb.ops.patch(undefined, id, { status: 'cancelled' }, { trusted: true });
        return ctx.sendJson(200, { id: view.id, event: rendered(view.id) });
      }
      case 'thisAndFollowing': {
        if (typeof body.from !== 'string') throw new ValidationError('from', 'from must be an instance id or the RFC 3339 start of an occurrence');
        const { ended, created } = sb.ops.split(id, body.from, body.changes, { trusted: true });
        return ctx.sendJson(200, { ended: rendered(ended.id), created: rendered(created.id) });
      }
      default:
        throw new ValidationError('action', 'action must be one of accept, decline, tentative, addAttendee, removeAttendee, cancel, thisAndFollowing (or omit it to patch fields)');
    }
  });

  route('DELETE', '/events/:id', (ctx) => {
    const as = ctx.query.get('as');
    sb.ops.remove(undefined, ctx.params.id as string, as ? { email: email(as, 'as'), trusted: false } : { trusted: true });
    ctx.send(204);
  });

  route('POST', '/faults', async (ctx) => {
    const result = sb.faults.add(await jsonBody(ctx));
    ctx.sendJson(201, result);
  });
  route('GET', '/faults', (ctx) => ctx.sendJson(200, { faults: sb.faults.list() }));
  route('DELETE', '/faults', (ctx) => {
    sb.faults.clear();
    ctx.send(204);
  });

  route('POST', '/id-token', async (ctx) => {
    const body = await jsonBody(ctx);
    const address = email(body.email);
    const aud = body.aud === undefined ? sb.settings.idTokenAudience : body.aud;
    if (typeof aud !== 'string' || aud === '') throw new ValidationError('aud', 'aud must be a non-empty string');
    const expiresIn = optionalInt(body.expiresInSeconds, 'expiresInSeconds', -86_400 * 365, 86_400 * 365) ?? 3600;
    if (body.emailVerified !== undefined && typeof body.emailVerified !== 'boolean') throw new ValidationError('emailVerified', 'emailVerified must be a boolean');
    if (body.nonce !== undefined && typeof body.nonce !== 'string') throw new ValidationError('nonce', 'nonce must be a string');
    if (body.name !== undefined && typeof body.name !== 'string') throw new ValidationError('name', 'name must be a string');
    if (body.issuer !== undefined && body.issuer !== 'sandbox' && body.issuer !== 'microsoft') throw new ValidationError('issuer', 'issuer must be "sandbox" or "microsoft"');
    if (body.unpublishedKey !== undefined && typeof body.unpublishedKey !== 'boolean') throw new ValidationError('unpublishedKey', 'unpublishedKey must be a boolean');
    const person = sb.store.person(address);
    const now = Math.floor(Date.now() / 1000);
    let token: string;
    if (body.issuer === 'microsoft') {
      if (!person) throw new ValidationError('email', 'a microsoft-issued token needs a person of the scenario');
      token = await microsoftIdToken(sb, person, aud);
    } else {
      const claims = {
        iss: sb.urls.issuer,
        aud,
        azp: aud,
        sub: person?.googleId ?? `sandbox:${address.toLowerCase()}`,
        email: address,
        email_verified: body.emailVerified ?? true,
        name: (body.name as string | undefined) ?? person?.name ?? address,
        ...(body.nonce ? { nonce: body.nonce as string } : {}),
        iat: Math.min(now, now + expiresIn - 60),
        exp: now + expiresIn,
      };
      token = await sb.keys.sign(claims, body.unpublishedKey ? sb.keys.unpublished() : sb.keys.current);
    }
    ctx.sendJson(200, { id_token: token, issuer: body.issuer === 'microsoft' ? `${sb.urls.microsoftAuthority}/v2.0` : sb.urls.issuer, jwksUrl: sb.urls.jwksUrl });
  });

  route('POST', '/access-token', async (ctx) => {
    const body = await jsonBody(ctx);
    const address = email(body.email);
    const person = sb.store.person(address);
    if (!person || person.resource) throw new ValidationError('email', `${address} is not a person of the scenario`);
    if (body.provider !== 'google' && body.provider !== 'microsoft') throw new ValidationError('provider', 'provider must be "google" or "microsoft"');
    const provider = body.provider;
    if (body.scope !== undefined && (!Array.isArray(body.scope) || body.scope.some((s) => typeof s !== 'string'))) {
      throw new ValidationError('scope', 'scope must be an array of strings');
    }
    if (body.clientId !== undefined && typeof body.clientId !== 'string') throw new ValidationError('clientId', 'clientId must be a string');
    const ttl = optionalInt(body.expiresInSeconds, 'expiresInSeconds', 1, 86_400) ?? sb.settings.accessTokenTtlSeconds;
    const token = sb.grants.issueAccessToken(
      { provider, email: person.email, scope: (body.scope as string[] | undefined) ?? DEFAULT_SCOPES[provider], clientId: (body.clientId as string | undefined) ?? 'sandbox-admin' },
      ttl,
    );
    ctx.sendJson(200, { access_token: token.token, token_type: 'Bearer', expires_in: ttl });
  });

  route('POST', '/revoke', async (ctx) => {
    const body = await jsonBody(ctx);
    const address = email(body.email);
    if (body.provider !== undefined && body.provider !== 'google' && body.provider !== 'microsoft') {
      throw new ValidationError('provider', 'provider must be "google" or "microsoft"');
    }
    ctx.sendJson(200, { revoked: sb.grants.revokeUser(address, body.provider as Provider | undefined) });
  });

  route('POST', '/expire-access-tokens', async (ctx) => {
    const body = await jsonBody(ctx);
    const address = email(body.email);
    if (body.provider !== undefined && body.provider !== 'google' && body.provider !== 'microsoft') {
      throw new ValidationError('provider', 'provider must be "google" or "microsoft"');
    }
    ctx.sendJson(200, { expired: sb.grants.expireAccessTokens(address, body.provider as Provider | undefined) });
  });

  route('GET', '/settings', (ctx) => ctx.sendJson(200, { ...sb.settings, me: sb.store.me }));
  route('POST', '/settings', async (ctx) => {
    const body = await jsonBody(ctx);
    const next: Partial<Settings> = {};
    for (const key of Object.keys(body)) {
      if (!['autoApprove', 'accessTokenTtlSeconds', 'idTokenTtlSeconds', 'googleRotatesRefreshTokens', 'handshakeTimeoutMs', 'horizonDays', 'idTokenAudience', 'me'].includes(key)) {
        throw new ValidationError(key, `${key} is not a setting (autoApprove, accessTokenTtlSeconds, idTokenTtlSeconds, googleRotatesRefreshTokens, handshakeTimeoutMs, horizonDays, idTokenAudience, me)`);
      }
    }
    if (body.autoApprove !== undefined) {
      if (typeof body.autoApprove !== 'boolean') throw new ValidationError('autoApprove', 'autoApprove must be a boolean');
      next.autoApprove = body.autoApprove;
    }
    const ttl = optionalInt(body.accessTokenTtlSeconds, 'accessTokenTtlSeconds', 1, 86_400);
    if (ttl !== undefined) next.accessTokenTtlSeconds = ttl;
    if (body.googleRotatesRefreshTokens !== undefined) {
      if (typeof body.googleRotatesRefreshTokens !== 'boolean') throw new ValidationError('googleRotatesRefreshTokens', 'googleRotatesRefreshTokens must be a boolean');
      next.googleRotatesRefreshTokens = body.googleRotatesRefreshTokens;
    }
    const idTtl = optionalInt(body.idTokenTtlSeconds, 'idTokenTtlSeconds', 1, 86_400);
    if (idTtl !== undefined) next.idTokenTtlSeconds = idTtl;
    const handshake = optionalInt(body.handshakeTimeoutMs, 'handshakeTimeoutMs', 1, 60_000);
    if (handshake !== undefined) next.handshakeTimeoutMs = handshake;
    const horizon = optionalInt(body.horizonDays, 'horizonDays', 1, 3660);
    if (horizon !== undefined) next.horizonDays = horizon;
    if (body.idTokenAudience !== undefined) {
      if (typeof body.idTokenAudience !== 'string' || body.idTokenAudience === '') throw new ValidationError('idTokenAudience', 'idTokenAudience must be a non-empty string');
      next.idTokenAudience = body.idTokenAudience;
    }
    if (body.me !== undefined) {
      const person = sb.store.person(email(body.me, 'me'));
      if (!person || person.resource) throw new ValidationError('me', 'me must be a person of the scenario');
      sb.store.me = person.email;
    }
    Object.assign(sb.settings, next);
    ctx.sendJson(200, { ...sb.settings, me: sb.store.me });
  });

  route('GET', '/requests', (ctx) => {
    const prefix = ctx.query.get('path');
    ctx.sendJson(200, {
      requests: sb.requestLog.filter((r) => !prefix || r.path.startsWith(prefix)),
      bodiesComplete: sb.bodiesComplete,
    });
  });

  route('GET', '/push', async (ctx) => {
    if (ctx.query.get('wait') === 'idle') await sb.push.idle();
    ctx.sendJson(200, {
      channels: [...sb.push.channels.values()],
      subscriptions: [...sb.push.subscriptions.values()],
      deliveries: sb.push.log,
    });
  });

  route('POST', '/subscriptions/:id/lifecycle', async (ctx) => {
    const body = await jsonBody(ctx);
    const s = sb.push.subscriptions.get(ctx.params.id as string);
    if (!s) throw new NotFoundError(`subscription ${ctx.params.id} not found`);
    const event = body.lifecycleEvent;
    if (event !== 'reauthorizationRequired' && event !== 'subscriptionRemoved' && event !== 'missed') {
      throw new ValidationError('lifecycleEvent', 'lifecycleEvent must be reauthorizationRequired, subscriptionRemoved or missed');
    }
    sb.push.sendLifecycle(s, event);
    ctx.sendJson(202, { ok: true });
  });
}
