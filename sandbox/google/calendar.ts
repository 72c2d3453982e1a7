// Google Calendar v3 face: calendarList, events (list/get/insert/patch/update/delete/instances),
// incremental sync with syncToken, events.watch and channels.stop.
import { createHash } from 'node:crypto';
import { viewsForCalendar, findView, type EventView } from '../calendar/views';
import type { SandboxContext } from '../context';
import { ValidationError } from '../errors';
import type { Ctx, Handler, Router } from '../http';
import type { Calendar, GEvent } from '../model';
import type { AccessToken } from '../oauth/grants';
import { assertLoopbackUrl } from '../push';
import { diffSnapshots, type Snapshot } from '../sync-state';
import { isValidTimeZone, parseRfc3339 } from '../tz';
import { applyFields, parseFields } from './fields';
import { calendarListEntry, cancelledStub, etagOf, googleError, renderGoogleEvent, toGoogleError } from './shape';

const PREFIX = '/calendar/v3';
const SCOPE_BASE = 'https://www.googleapis.com/auth/';
const READ_SCOPES = ['calendar', 'calendar.readonly', 'calendar.events', 'calendar.events.readonly', 'calendar.events.owned', 'calendar.events.owned.readonly'];
const WRITE_SCOPES = ['calendar', 'calendar.events', 'calendar.events.owned'];
/** calendarList and calendars.get are not covered by the calendar.events scopes. */
const CALENDAR_LIST_SCOPES = ['calendar', 'calendar.readonly', 'calendar.calendarlist', 'calendar.calendarlist.readonly', 'calendar.calendars', 'calendar.calendars.readonly'];
/** Parameters Google refuses next to a syncToken. */
const NOT_WITH_SYNC_TOKEN = ['iCalUID', 'orderBy', 'privateExtendedProperty', 'q', 'sharedExtendedProperty', 'timeMin', 'timeMax', 'updatedMin'];

interface Page {
  items: GEvent[];
  envelope: Record<string, unknown>;
  nextSyncToken?: string;
}

export function registerGoogleCalendar(router: Router, sb: SandboxContext): void {
  const route = (method: string, path: string, handler: (ctx: Ctx, token: AccessToken) => Promise<void> | void, write = false): void => {
    const scopes = path.startsWith('/users/me/calendarList') || path === '/calendars/:calendarId' ? CALENDAR_LIST_SCOPES : write ? WRITE_SCOPES : READ_SCOPES;
    const wrapped: Handler = async (ctx) => {
      try {
        const token = authenticate(ctx, sb, scopes);
        await handler(ctx, token);
      } catch (error) {
        throw toGoogleError(error);
      }
    };
    router.add(method, PREFIX + path, wrapped);
  };

  route('GET', '/users/me/calendarList', (ctx, token) => {
    const calendars = sb.store.calendarsOwnedBy(token.email);
    const items = calendars.map((c) => calendarListEntry(c, sb.store.seq));
    send(ctx, { kind: 'calendar#calendarList', etag: etagOf(sb.store.seq), nextSyncToken: `calendarList-${sb.store.seq}`, items });
  });

  route('GET', '/users/me/calendarList/:calendarId', (ctx, token) => {
    send(ctx, calendarListEntry(calendarFor(sb, token, ctx.params.calendarId), sb.store.seq));
  });

  route('GET', '/calendars/:calendarId', (ctx, token) => {
    const c = calendarFor(sb, token, ctx.params.calendarId);
    send(ctx, {
      kind: 'calendar#calendar',
      etag: etagOf(sb.store.seq),
      id: c.id,
      summary: c.summary,
      ...(c.description ? { description: c.description } : {}),
      timeZone: c.timeZone,
      conferenceProperties: { allowedConferenceSolutionTypes: ['hangoutsMeet'] },
    });
  });

  route('GET', '/calendars/:calendarId/events', (ctx, token) => {
    const calendar = calendarFor(sb, token, ctx.params.calendarId);
    listEvents(ctx, sb, calendar);
  });

  route('GET', '/calendars/:calendarId/events/:eventId/instances', (ctx, token) => {
    const calendar = calendarFor(sb, token, ctx.params.calendarId);
    const masterId = ctx.params.eventId as string;
    const master = sb.store.get(masterId);
    if (!master || !master.data.recurrence?.length || !sb.store.isIn(master, calendar.id)) throw googleError(404, 'notFound', 'Not Found');
    const q = ctx.query;
    const showDeleted = q.get('showDeleted') === 'true';
    const fromMs = timeParam(q, 'timeMin');
    const toMs = timeParam(q, 'timeMax');
    // `originalStart` names one occurrence by where the rule put it, wherever it has moved since.
    const originalMs = timeParam(q, 'originalStart');
    const views = viewsForCalendar(sb.store, calendar.id, {
      singleEvents: true,
      ...(fromMs !== undefined ? { fromMs } : {}),
      ...(toMs !== undefined ? { toMs } : {}),
      includeCancelled: showDeleted,
      horizonMs: sb.ops.horizonMs(),
    }).filter(
      (v) =>
        v.masterId === masterId &&
        (originalMs === undefined || (v.originalStart !== undefined && !v.originalStart.allDay && v.originalStart.ms === originalMs)),
    );
    const items = views.map((v) => renderGoogleEvent(sb.store, v, calendar, sb.urls.origin, tzParam(q)));
    servePage(ctx, sb, calendar, { items, envelope: envelope(calendar, items, tzParam(q)) }, maxResults(q));
  });

  route('GET', '/calendars/:calendarId/events/:eventId', (ctx, token) => {
    const calendar = calendarFor(sb, token, ctx.params.calendarId);
    const view = findView(sb.store, ctx.params.eventId as string, calendar.id);
    if (!view) throw googleError(404, 'notFound', 'Not Found');
    send(ctx, renderGoogleEvent(sb.store, view, calendar, sb.urls.origin, tzParam(ctx.query)));
  });

  route(
    'POST',
    '/calendars/:calendarId/events',
    async (ctx, token) => {
      const calendar = calendarFor(sb, token, ctx.params.calendarId);
      const body = await ctx.json((m) => googleError(400, 'parseError', m));
      const stored = sb.ops.create(calendar.id, body, { email: token.email, trusted: false }, { conferenceDataVersion: conferenceVersion(ctx) });
      const view = findView(sb.store, stored.id, calendar.id) as EventView;
      send(ctx, renderGoogleEvent(sb.store, view, calendar, sb.urls.origin));
    },
    true,
  );

  const modify = (replace: boolean) => async (ctx: Ctx, token: AccessToken) => {
    const calendar = calendarFor(sb, token, ctx.params.calendarId);
    const body = await ctx.json((m) => googleError(400, 'parseError', m));
    // A conditional write (If-Match: the etag read) fails when the event changed since.
    const ifMatch = ctx.header('if-match');
    if (ifMatch && ifMatch !== '*') {
      const current = findView(sb.store, ctx.params.eventId as string, calendar.id);
      if (current && renderGoogleEvent(sb.store, current, calendar, sb.urls.origin).etag !== ifMatch)
        throw googleError(412, 'conditionNotMet', 'Precondition Failed');
    }
    const view = sb.ops.patch(calendar.id, ctx.params.eventId as string, body, { email: token.email, trusted: false }, { replace, conferenceDataVersion: conferenceVersion(ctx) });
    const seen = findView(sb.store, view.id, calendar.id) ?? view;
    send(ctx, renderGoogleEvent(sb.store, seen, calendar, sb.urls.origin));
  };
  route('PATCH', '/calendars/:calendarId/events/:eventId', modify(false), true);
  route('PUT', '/calendars/:calendarId/events/:eventId', modify(true), true);

  route(
    'DELETE',
    '/calendars/:calendarId/events/:eventId',
    (ctx, token) => {
      const calendar = calendarFor(sb, token, ctx.params.calendarId);
      sb.ops.remove(calendar.id, ctx.params.eventId as string, { email: token.email, trusted: false });
      ctx.send(204);
    },
    true,
  );

  route('POST', '/calendars/:calendarId/events/watch', async (ctx, token) => {
    const calendar = calendarFor(sb, token, ctx.params.calendarId);
    const body = (await ctx.json((m) => googleError(400, 'parseError', m))) as Record<string, unknown> | undefined;
    if (!body || typeof body !== 'object') throw new ValidationError('body', 'the channel must be a JSON object');
    if (typeof body.id !== 'string' || !/^[A-Za-z0-9\-_+/=]{1,64}$/.test(body.id)) {
      throw new ValidationError('id', 'id must be 1-64 characters of A-Z a-z 0-9 - _ + / =');
    }
    if (body.type !== 'web_hook' && body.type !== 'webhook') throw new ValidationError('type', 'type must be "web_hook"');
    const address = assertLoopbackUrl(body.address, 'address');
    if (body.token !== undefined && typeof body.token !== 'string') throw new ValidationError('token', 'token must be a string');
    const params = (body.params ?? {}) as Record<string, unknown>;
    const maxMs = 30 * 86_400_000;
    let expiration = Date.now() + 7 * 86_400_000;
    if (params.ttl !== undefined) {
      const ttl = Number(params.ttl);
      if (!Number.isFinite(ttl) || ttl <= 0) throw new ValidationError('params.ttl', 'params.ttl must be a positive number of seconds');
      expiration = Date.now() + ttl * 1000;
    } else if (body.expiration !== undefined) {
      const requested = Number(body.expiration);
      if (!Number.isFinite(requested)) throw new ValidationError('expiration', 'expiration must be milliseconds since the epoch');
      expiration = requested;
    }
    expiration = Math.min(expiration, Date.now() + maxMs);
    const resourceId = createHash('sha256').update(`${calendar.id}|${token.email}`).digest('base64url').slice(0, 27);
    const channel = sb.push.addChannel({
      id: body.id,
      resourceId,
      resourceUri: `${sb.urls.googleRootUrl}calendar/v3/calendars/${encodeURIComponent(calendar.id)}/events?alt=json`,
      ...(typeof body.token === 'string' ? { token: body.token } : {}),
      address,
      expiration,
      calendarId: calendar.id,
      email: token.email,
    });
    send(ctx, {
      kind: 'api#channel',
      id: channel.id,
      resourceId: channel.resourceId,
      resourceUri: channel.resourceUri,
      ...(channel.token !== undefined ? { token: channel.token } : {}),
      expiration: String(channel.expiration),
    });
  });

  route('POST', '/channels/stop', async (ctx) => {
    const body = (await ctx.json((m) => googleError(400, 'parseError', m))) as Record<string, unknown> | undefined;
    if (!body || typeof body.id !== 'string') throw new ValidationError('id', 'id is required');
    if (typeof body.resourceId !== 'string') throw new ValidationError('resourceId', 'resourceId is required');
    if (!sb.push.stopChannel(body.id, body.resourceId)) {
      throw googleError(404, 'notFound', `Channel '${body.id}' not found for project 'duet-sandbox'`);
    }
    ctx.send(204);
  });
}

function authenticate(ctx: Ctx, sb: SandboxContext, needed: string[]): AccessToken {
  const header = ctx.header('authorization');
  const bearer = header?.match(/^Bearer\s+(.+)$/i)?.[1] ?? ctx.query.get('access_token') ?? undefined;
  const token = sb.grants.authenticate('google', bearer);
  if (!token) {
    throw googleError(401, 'authError', 'Invalid Credentials', { location: 'Authorization', locationType: 'header' });
  }
  const granted = new Set(token.scope.filter((s) => s.startsWith(SCOPE_BASE)).map((s) => s.slice(SCOPE_BASE.length)));
  if (!needed.some((s) => granted.has(s))) {
    throw googleError(403, 'insufficientPermissions', 'Request had insufficient authentication scopes.');
  }
  return token;
}

function calendarFor(sb: SandboxContext, token: AccessToken, calendarId: string | undefined): Calendar {
  const calendar = calendarId === 'primary' ? sb.store.primaryCalendarOf(token.email) : sb.store.calendars.get(calendarId ?? '');
  const me = sb.store.person(token.email);
  if (!calendar || !me || calendar.owner !== me.email) throw googleError(404, 'notFound', 'Not Found');
  return calendar;
}

function send(ctx: Ctx, body: unknown): void {
  const fields = ctx.query.get('fields');
  if (!fields) return ctx.sendJson(200, body);
  let tree;
  try {
    tree = parseFields(fields);
  } catch (error) {
    throw googleError(400, 'invalidParameter', `Invalid field selection ${fields}: ${(error as Error).message}`);
  }
  ctx.sendJson(200, applyFields(body, tree));
}

function conferenceVersion(ctx: Ctx): number {
  const raw = ctx.query.get('conferenceDataVersion');
  if (raw === null) return 0;
  const v = Number(raw);
  if (v !== 0 && v !== 1) throw googleError(400, 'invalid', 'conferenceDataVersion must be 0 or 1', { location: 'conferenceDataVersion', locationType: 'parameter' });
  return v;
}

function timeParam(q: URLSearchParams, name: string): number | undefined {
  const raw = q.get(name);
  if (raw === null) return undefined;
  // A "+" offset arrives as a space when the client did not encode it.
  const ms = parseRfc3339(raw.replace(' ', '+'));
  if (Number.isNaN(ms)) {
    throw googleError(400, 'badRequest', `Bad Request: ${name} must be an RFC 3339 timestamp with a time zone offset`, { location: name, locationType: 'parameter' });
  }
  return ms;
}

function tzParam(q: URLSearchParams): string | undefined {
  const tz = q.get('timeZone');
  if (tz === null) return undefined;
  if (!isValidTimeZone(tz)) throw googleError(400, 'invalid', `Invalid time zone: ${tz}`, { location: 'timeZone', locationType: 'parameter' });
  return tz;
}

function maxResults(q: URLSearchParams): number {
  const raw = q.get('maxResults');
  if (raw === null) return 250;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw googleError(400, 'invalid', 'Invalid value for: maxResults', { location: 'maxResults', locationType: 'parameter' });
  return Math.min(n, 2500);
}

function envelope(calendar: Calendar, items: GEvent[], outputTz: string | undefined): Record<string, unknown> {
  const updated = items.reduce((max, e) => (e.updated && e.updated > max ? e.updated : max), '');
  return {
    kind: 'calendar#events',
    etag: etagOf(items.length + Math.floor(Date.now() / 1000)),
    summary: calendar.summary,
    ...(calendar.description ? { description: calendar.description } : {}),
    updated: updated || new Date().toISOString(),
    timeZone: outputTz ?? calendar.timeZone,
    accessRole: 'owner',
    defaultReminders: calendar.primary ? [{ method: 'popup', minutes: 10 }] : [],
  };
}

/** Every event of the calendar with its version: what a sync token remembers. */
function snapshotOf(sb: SandboxContext, calendar: Calendar, singleEvents: boolean): { snapshot: Snapshot; views: Map<string, EventView> } {
  const views = viewsForCalendar(sb.store, calendar.id, { singleEvents, includeCancelled: true, horizonMs: sb.ops.horizonMs() });
  const snapshot: Snapshot = new Map();
  const byId = new Map<string, EventView>();
  for (const v of views) {
    snapshot.set(v.id, v.seq);
    byId.set(v.id, v);
  }
  return { snapshot, views: byId };
}

function listEvents(ctx: Ctx, sb: SandboxContext, calendar: Calendar): void {
  const q = ctx.query;
  const size = maxResults(q);
  const pageToken = q.get('pageToken');
  if (pageToken !== null) {
    const cursor = sb.sync.page<GEvent>(pageToken);
    if (!cursor || cursor.tail.calendarId !== calendar.id) throw googleError(400, 'invalid', 'Invalid page token', { location: 'pageToken', locationType: 'parameter' });
    const pageSize = q.has('maxResults') ? size : cursor.pageSize;
    return servePage(ctx, sb, calendar, { items: cursor.items.slice(cursor.offset), envelope: cursor.tail.envelope as Record<string, unknown>, ...(cursor.tail.nextSyncToken ? { nextSyncToken: cursor.tail.nextSyncToken as string } : {}) }, pageSize);
  }
  const outputTz = tzParam(q);
  const syncToken = q.get('syncToken');
  if (syncToken !== null) {
    const clash = NOT_WITH_SYNC_TOKEN.filter((p) => q.has(p));
    if (clash.length > 0) {
      throw googleError(400, 'invalid', `Sync token cannot be used with other query parameters: ${clash.join(', ')}`, { location: clash[0] as string, locationType: 'parameter' });
    }
    const state = sb.sync.syncToken(syncToken);
    if (!state || state.calendarId !== calendar.id) {
      throw googleError(410, 'fullSyncRequired', 'Sync token is no longer valid, a full sync is required.');
    }
    const { snapshot, views } = snapshotOf(sb, calendar, state.singleEvents);
    const { changed, removed } = diffSnapshots(state.snapshot, snapshot);
    const items: GEvent[] = [];
    for (const id of changed) {
      const view = views.get(id);
      if (view) items.push(renderGoogleEvent(sb.store, view, calendar, sb.urls.origin, outputTz));
    }
    for (const id of removed) {
      const view = findView(sb.store, id, undefined);
      const instance = view?.masterId && view.data.originalStartTime ? { recurringEventId: view.masterId, originalStartTime: view.data.originalStartTime } : undefined;
      items.push(cancelledStub(id, sb.store.seq, instance));
    }
    const nextSyncToken = sb.sync.issueSyncToken({ calendarId: calendar.id, singleEvents: state.singleEvents, snapshot });
    return servePage(ctx, sb, calendar, { items, envelope: envelope(calendar, items, outputTz), nextSyncToken }, size);
  }

  const singleEvents = q.get('singleEvents') === 'true';
  const showDeleted = q.get('showDeleted') === 'true';
  const orderBy = q.get('orderBy');
  if (orderBy !== null && orderBy !== 'startTime' && orderBy !== 'updated') {
    throw googleError(400, 'invalid', `Invalid value for: orderBy`, { location: 'orderBy', locationType: 'parameter' });
  }
  if (orderBy === 'startTime' && !singleEvents) {
    throw googleError(400, 'invalid', 'The requested ordering is not available for the particular query.', { location: 'orderBy', locationType: 'parameter' });
  }
  const fromMs = timeParam(q, 'timeMin');
  const toMs = timeParam(q, 'timeMax');
  if (fromMs !== undefined && toMs !== undefined && toMs <= fromMs) {
    throw googleError(400, 'timeRangeEmpty', 'The specified time range is empty.', { location: 'timeMax', locationType: 'parameter' });
  }
  const updatedMin = q.get('updatedMin') === null ? undefined : timeParam(q, 'updatedMin');
  const privateFilters = propertyFilters(q, 'privateExtendedProperty');
  const sharedFilters = propertyFilters(q, 'sharedExtendedProperty');
  const iCalUID = q.get('iCalUID');
  const text = q.get('q')?.toLowerCase();

  let views = viewsForCalendar(sb.store, calendar.id, {
    singleEvents,
    ...(fromMs !== undefined ? { fromMs } : {}),
    ...(toMs !== undefined ? { toMs } : {}),
    // With updatedMin Google returns deleted events whatever showDeleted says.
    includeCancelled: showDeleted || updatedMin !== undefined,
    horizonMs: sb.ops.horizonMs(),
  });
  views = views.filter((v) => {
    const d = v.data;
    if (privateFilters.some(([k, val]) => d.extendedProperties?.private?.[k] !== val)) return false;
    if (sharedFilters.some(([k, val]) => d.extendedProperties?.shared?.[k] !== val)) return false;
    if (iCalUID !== null && d.iCalUID !== iCalUID) return false;
    if (updatedMin !== undefined && Date.parse(d.updated ?? '') < updatedMin) return false;
    if (text && ![d.summary, d.description, d.location, ...(d.attendees ?? []).map((a) => a.email)].some((s) => s?.toLowerCase().includes(text))) return false;
    return true;
  });
  if (orderBy === 'updated') views.sort((a, b) => (a.data.updated ?? '').localeCompare(b.data.updated ?? ''));
  const items = views.map((v) => renderGoogleEvent(sb.store, v, calendar, sb.urls.origin, outputTz));
  const { snapshot } = snapshotOf(sb, calendar, singleEvents);
  const nextSyncToken = sb.sync.issueSyncToken({ calendarId: calendar.id, singleEvents, snapshot });
  servePage(ctx, sb, calendar, { items, envelope: envelope(calendar, items, outputTz), nextSyncToken }, size);
}

function propertyFilters(q: URLSearchParams, name: string): Array<[string, string]> {
  return q.getAll(name).map((raw) => {
    const at = raw.indexOf('=');
    if (at <= 0) throw googleError(400, 'invalid', `${name} must be propertyName=value`, { location: name, locationType: 'parameter' });
    return [raw.slice(0, at), raw.slice(at + 1)];
  });
}

/** Sends one page; the rest waits behind a nextPageToken, the last page carries nextSyncToken. */
function servePage(ctx: Ctx, sb: SandboxContext, calendar: Calendar, page: Page, size: number): void {
  const first = page.items.slice(0, size);
  const rest = page.items.slice(size);
  const body: Record<string, unknown> = { ...page.envelope };
  if (rest.length > 0) {
    body.nextPageToken = sb.sync.issuePage<GEvent>({
      items: rest,
      offset: 0,
      pageSize: size,
      tail: { calendarId: calendar.id, envelope: page.envelope, ...(page.nextSyncToken ? { nextSyncToken: page.nextSyncToken } : {}) },
    });
  } else if (page.nextSyncToken) {
    body.nextSyncToken = page.nextSyncToken;
  }
  body.items = first;
  send(ctx, body);
}
