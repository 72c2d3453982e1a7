// Microsoft Graph v1.0 face: /me, /me/calendars, /me/calendarView (+ /delta), /me/events CRUD
// with single-value extended properties and $filter, instances, responses; the org chart
// (/me/manager, /me/directReports).
import { CalendarOps } from '../calendar/ops';
import { findView, viewsForCalendar, type EventView } from '../calendar/views';
import type { SandboxContext } from '../context';
import { ValidationError } from '../errors';
import type { Ctx, Handler, Router } from '../http';
import type { Calendar, GEvent, Person } from '../model';
import type { AccessToken } from '../oauth/grants';
import { diffSnapshots, type Snapshot } from '../sync-state';
import { parseRfc3339 } from '../tz';
import { evaluate, parseExpand, parseFilter, ODataError, type Expr } from './odata';
import {
  applyGraphExtras,
  calendarResource,
  extendedPropertiesOf,
  CHANGE_KEY_CONFLICT,
  graphError,
  graphToGoogle,
  ianaZone,
  renderGraphEvent,
  storeCalendarId,
  toGraphError,
  userResource,
} from './shape';

const V = '/v1.0';
const DEFAULT_PAGE = 10;
const MAX_PAGE = 1000;

export interface GraphCaller {
  token: AccessToken;
  person: Person;
}

type Need = 'user' | 'read' | 'write';

function normalizeScopes(scopes: string[]): Set<string> {
  return new Set(scopes.map((s) => s.replace(/^https:\/\/graph\.microsoft\.com\//i, '').toLowerCase()));
}

export function authenticateGraph(ctx: Ctx, sb: SandboxContext, need: Need): GraphCaller {
  const header = ctx.header('authorization');
  const value = header?.match(/^Bearer\s+(.+)$/i)?.[1];
  if (!value) throw graphError(401, 'InvalidAuthenticationToken', 'Access token is empty.');
  const token = sb.grants.authenticate('microsoft', value);
  if (!token) {
    const known = sb.grants.lookupAccessToken(value);
    throw graphError(401, 'InvalidAuthenticationToken', known ? 'Lifetime validation failed, the token is expired.' : 'IDX14100: JWT is not well formed.');
  }
  const person = sb.store.person(token.email);
  if (!person) throw graphError(401, 'InvalidAuthenticationToken', 'The user of this token no longer exists.');
  const scopes = normalizeScopes(token.scope);
  const ok =
    need === 'user'
      ? ['user.read', 'user.readwrite', 'user.readbasic.all', 'user.read.all'].some((s) => scopes.has(s))
      : need === 'read'
        ? ['calendars.read', 'calendars.readwrite', 'calendars.readbasic'].some((s) => scopes.has(s))
        : scopes.has('calendars.readwrite');
  if (!ok) throw graphError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
  return { token, person };
}

interface Prefer {
  maxPageSize?: number;
  timeZone?: string;
  /** The zone name as asked for (Windows or IANA): Graph echoes it in start/end.timeZone. */
  timeZoneName?: string;
  applied: string[];
}

function parsePrefer(ctx: Ctx): Prefer {
  const out: Prefer = { applied: [] };
  for (const part of (ctx.header('prefer') ?? '').split(',')) {
    const m = /^\s*([\w.]+)\s*=\s*"?([^"]*)"?\s*$/.exec(part);
    if (!m) continue;
    const key = (m[1] as string).toLowerCase();
    if (key === 'odata.maxpagesize') {
      const n = Number(m[2]);
      if (Number.isInteger(n) && n > 0) {
        out.maxPageSize = Math.min(n, MAX_PAGE);
        out.applied.push(`odata.maxpagesize=${out.maxPageSize}`);
      }
    } else if (key === 'outlook.timezone') {
      out.timeZone = ianaZone(m[2], 'Prefer outlook.timezone');
      out.timeZoneName = m[2];
      out.applied.push(`outlook.timezone="${m[2]}"`);
    }
  }
  return out;
}

function preferHeaders(prefer: Prefer): Record<string, string> {
  return prefer.applied.length ? { 'preference-applied': prefer.applied.join(', ') } : {};
}

/** Whether a mailbox shows this view: cancelled meetings vanish for the organizer. */
function visibleInMailbox(sb: SandboxContext, view: EventView, viewer: Person): boolean {
  if (view.data.status !== 'cancelled') return true;
  const masterPurged = view.masterId ? sb.store.get(view.masterId)?.purged : false;
  if (view.stored.purged || masterPurged) return false;
  return !sb.ops.isOrganizer(view.stored, viewer.email);
}

interface Query {
  filter?: Expr;
  select?: string[];
  expandProps?: { filter?: Expr };
  orderBy?: { path: string[]; desc: boolean };
}

function parseQuery(ctx: Ctx): Query {
  const q = ctx.query;
  const out: Query = {};
  try {
    const filter = q.get('$filter');
    if (filter) out.filter = parseFilter(filter);
    const expand = q.get('$expand');
    if (expand) {
      for (const item of parseExpand(expand)) {
        if (item.name.toLowerCase() !== 'singlevalueextendedproperties') {
          throw graphError(400, 'BadRequest', `Parsing OData Select and Expand failed: Could not find a property named '${item.name}' on type 'microsoft.graph.event'.`);
        }
        out.expandProps = item.filter ? { filter: item.filter } : {};
      }
    }
  } catch (error) {
    if (error instanceof ODataError) throw graphError(400, 'BadRequest', `Invalid filter clause: ${error.message}`);
    throw error;
  }
  const select = q.get('$select');
  if (select) out.select = select.split(',').map((s) => s.trim()).filter(Boolean);
  const orderBy = q.get('$orderby');
  if (orderBy) {
    const [path = '', dir] = orderBy.trim().split(/\s+/);
    out.orderBy = { path: path.split('/'), desc: dir?.toLowerCase() === 'desc' };
  }
  return out;
}

function shape(sb: SandboxContext, view: EventView, caller: GraphCaller, calendar: Calendar, prefer: Prefer, query: Query): Record<string, unknown> {
  const rendered = renderGraphEvent(view, {
    store: sb.store,
    calendar,
    viewer: caller.person,
    origin: sb.urls.origin,
    outputTz: prefer.timeZone ?? 'UTC',
    ...(prefer.timeZoneName ? { outputTzName: prefer.timeZoneName } : {}),
    zone: calendar.timeZone,
  });
  if (query.expandProps) {
    const props = extendedPropertiesOf(view).filter((p) => !query.expandProps?.filter || evaluate(query.expandProps.filter, p));
    rendered.singleValueExtendedProperties = props;
  }
  if (!query.select) return rendered;
  const out: Record<string, unknown> = { '@odata.etag': rendered['@odata.etag'], id: rendered.id };
  for (const name of query.select) {
    const key = Object.keys(rendered).find((k) => k.toLowerCase() === name.toLowerCase());
    if (!key) throw graphError(400, 'BadRequest', `Parsing OData Select and Expand failed: Could not find a property named '${name}' on type 'microsoft.graph.event'.`);
    out[key] = rendered[key];
  }
  if (rendered.singleValueExtendedProperties) out.singleValueExtendedProperties = rendered.singleValueExtendedProperties;
  return out;
}

/** Applies $filter (evaluated with extended properties visible) and $orderby. */
function filterAndOrder(sb: SandboxContext, views: EventView[], caller: GraphCaller, calendar: Calendar, query: Query): EventView[] {
  let out = views;
  if (query.filter) {
    const filter = query.filter;
    out = out.filter((v) => {
      const item = renderGraphEvent(v, { store: sb.store, calendar, viewer: caller.person, origin: sb.urls.origin, outputTz: 'UTC', zone: calendar.timeZone });
      item.singleValueExtendedProperties = extendedPropertiesOf(v);
      return evaluate(filter, item);
    });
  }
  if (query.orderBy) {
    const { path, desc } = query.orderBy;
    const keyOf = (v: EventView): string => {
      const item = renderGraphEvent(v, { store: sb.store, calendar, viewer: caller.person, origin: sb.urls.origin, outputTz: 'UTC', zone: calendar.timeZone });
      let value: unknown = item;
      for (const p of path) value = (value as Record<string, unknown> | undefined)?.[p];
      return String(value ?? '');
    };
    out = [...out].sort((a, b) => keyOf(a).localeCompare(keyOf(b)) * (desc ? -1 : 1));
  }
  return out;
}

function windowParam(ctx: Ctx, name: string, required: boolean): number | undefined {
  const raw = ctx.query.get(name);
  if (raw === null || raw === '') {
    if (required) throw graphError(400, 'ErrorInvalidParameter', 'This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.');
    return undefined;
  }
  const text = raw.replace(' ', '+');
  let ms = parseRfc3339(text);
  if (Number.isNaN(ms) && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text)) ms = Date.parse(`${text}Z`);
  if (Number.isNaN(ms)) throw graphError(400, 'ErrorInvalidParameter', `The value '${raw}' of parameter '${name}' is invalid.`);
  return ms;
}

function pageSize(ctx: Ctx, prefer: Prefer): number {
  const top = ctx.query.get('$top');
  if (top !== null) {
    const n = Number(top);
    if (!Number.isInteger(n) || n < 1) throw graphError(400, 'BadRequest', `Invalid $top value '${top}'.`);
    return Math.min(n, MAX_PAGE);
  }
  return prefer.maxPageSize ?? DEFAULT_PAGE;
}

function skipParam(ctx: Ctx): number {
  const raw = ctx.query.get('$skip');
  if (raw === null) return 0;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw graphError(400, 'BadRequest', `Invalid $skip value '${raw}'.`);
  return n;
}

export function registerGraph(router: Router, sb: SandboxContext): void {
  const route = (method: string, path: string, need: Need, handler: (ctx: Ctx, caller: GraphCaller) => Promise<void> | void): void => {
    const wrapped: Handler = async (ctx) => {
      try {
        await handler(ctx, authenticateGraph(ctx, sb, need));
      } catch (error) {
        throw toGraphError(error);
      }
    };
    router.add(method, V + path, wrapped);
  };
  /** The same handler under /me/..., /me/calendar/... and /me/calendars/{id}/... */
  const perCalendar = (method: string, suffix: string, need: Need, handler: (ctx: Ctx, caller: GraphCaller, calendar: Calendar) => Promise<void> | void, prefixes = ['/me', '/me/calendar', '/me/calendars/:calendarId']): void => {
    for (const prefix of prefixes) {
      route(method, prefix + suffix, need, (ctx, caller) => handler(ctx, caller, calendarOf(sb, caller, ctx.params.calendarId)));
    }
  };

  route('GET', '/me', 'user', (ctx, caller) => ctx.sendJson(200, userResource(caller.person, sb.urls.graphBaseUrl)));

  // ---- directory (the scenario's org chart) ---------------------------------------------------
  /** A user as the directory shows it; `employeeHireDate` only when $select asks for it, as in Graph. */
  const directoryUser = (ctx: Ctx, person: Person): Record<string, unknown> => {
    const user: Record<string, unknown> = userResource(person, sb.urls.graphBaseUrl);
    delete user['@odata.context'];
    user['@odata.type'] = '#microsoft.graph.user';
    const select = ctx.query.get('$select')?.split(',').map((f) => f.trim().toLowerCase());
    if (select?.includes('employeehiredate')) user.employeeHireDate = person.hireDate ? `${person.hireDate}T00:00:00Z` : null;
    if (!select) return user;
    return Object.fromEntries(Object.entries(user).filter(([k]) => k.startsWith('@odata.') || k === 'id' || select.includes(k.toLowerCase())));
  };
  route('GET', '/me/manager', 'user', (ctx, caller) => {
    const manager = caller.person.manager ? sb.store.person(caller.person.manager) : undefined;
    if (!manager) throw graphError(404, 'Request_ResourceNotFound', `Resource 'manager' does not exist or one of its queried reference-property objects are not present.`);
    ctx.sendJson(200, { '@odata.context': `${sb.urls.graphBaseUrl}/$metadata#directoryObjects/$entity`, ...directoryUser(ctx, manager) });
  });
  route('GET', '/me/directReports', 'user', (ctx, caller) => {
    const reports = [...sb.store.people.values()].filter((p) => !p.resource && p.manager === caller.person.email);
    sendCollection(ctx, sb, reports.map((p) => directoryUser(ctx, p)), pageSize(ctx, parsePrefer(ctx)), parsePrefer(ctx), 'directoryObjects');
  });

  route('GET', '/me/calendars', 'read', (ctx, caller) => {
    const calendars = sb.store.calendarsOwnedBy(caller.person.email).sort((a, b) => Number(b.primary) - Number(a.primary));
    ctx.sendJson(200, {
      '@odata.context': `${sb.urls.graphBaseUrl}/$metadata#users('${caller.person.objectId}')/calendars`,
      value: calendars.map((c) => calendarResource(c, sb.store, sb.store.seq)),
    });
  });
  route('GET', '/me/calendar', 'read', (ctx, caller) => ctx.sendJson(200, calendarResource(calendarOf(sb, caller, undefined), sb.store, sb.store.seq)));
  route('GET', '/me/calendars/:calendarId', 'read', (ctx, caller) =>
    ctx.sendJson(200, calendarResource(calendarOf(sb, caller, ctx.params.calendarId), sb.store, sb.store.seq)),
  );

  // ---- calendarView ----------------------------------------------------------------------
  perCalendar('GET', '/calendarView', 'read', (ctx, caller, calendar) => {
    const prefer = parsePrefer(ctx);
    const query = parseQuery(ctx);
    const fromMs = windowParam(ctx, 'startDateTime', true) as number;
    const toMs = windowParam(ctx, 'endDateTime', true) as number;
    const views = mailboxViews(sb, caller, calendar, { singleEvents: true, fromMs, toMs });
    sendCollection(ctx, sb, filterAndOrder(sb, views, caller, calendar, query).map((v) => shape(sb, v, caller, calendar, prefer, query)), pageSize(ctx, prefer), prefer, 'events');
  });

  perCalendar('GET', '/calendarView/delta', 'read', (ctx, caller, calendar) => delta(ctx, sb, caller, calendar));

  // ---- events ----------------------------------------------------------------------------
  perCalendar('GET', '/events', 'read', (ctx, caller, calendar) => {
    const prefer = parsePrefer(ctx);
    const query = parseQuery(ctx);
    const views = mailboxViews(sb, caller, calendar, { singleEvents: false }).filter((v) => v.kind === 'single' || v.kind === 'master');
    sendCollection(ctx, sb, filterAndOrder(sb, views, caller, calendar, query).map((v) => shape(sb, v, caller, calendar, prefer, query)), pageSize(ctx, prefer), prefer, 'events');
  });

  perCalendar('POST', '/events', 'write', async (ctx, caller, calendar) => {
    const prefer = parsePrefer(ctx);
    const body = await ctx.json((m) => graphError(400, 'RequestBodyRead', m));
    const input = graphToGoogle(body, undefined);
    if (input.transactionId) {
      const existing = [...sb.store.events.values()].find((e) => e.graphTransactionId === input.transactionId && e.calendarId === calendar.id);
      if (existing) {
        const view = findView(sb.store, existing.id, calendar.id) as EventView;
        return ctx.sendJson(201, shape(sb, view, caller, calendar, prefer, {}), preferHeaders(prefer));
      }
    }
    const google: GEvent & Record<string, unknown> = { ...(input.google as GEvent) };
    const propertyIds: Record<string, string> = {};
    applyGraphExtras(google, propertyIds, input);
    const stored = sb.ops.create(calendar.id, google, { email: caller.person.email, trusted: false }, { conferenceDataVersion: 1 });
    stored.graphPropertyIds = propertyIds;
    if (input.transactionId) stored.graphTransactionId = input.transactionId;
    const view = findView(sb.store, stored.id, calendar.id) as EventView;
    ctx.sendJson(201, shape(sb, view, caller, calendar, prefer, {}), {
      location: `${sb.urls.graphBaseUrl}/me/events/${encodeURIComponent(stored.id)}`,
      ...preferHeaders(prefer),
    });
  });

  perCalendar('GET', '/events/:eventId', 'read', (ctx, caller, calendar) => {
    const prefer = parsePrefer(ctx);
    const view = mailboxView(sb, caller, calendar, ctx.params.eventId as string);
    ctx.sendJson(200, shape(sb, view, caller, calendar, prefer, parseQuery(ctx)), preferHeaders(prefer));
  });

  perCalendar('PATCH', '/events/:eventId', 'write', async (ctx, caller, calendar) => {
    const prefer = parsePrefer(ctx);
    const view = mailboxView(sb, caller, calendar, ctx.params.eventId as string);
    const body = await ctx.json((m) => graphError(400, 'RequestBodyRead', m));
    // A conditional write (If-Match: the @odata.etag read) fails when the item changed since.
    const ifMatch = ctx.header('if-match');
    if (ifMatch && ifMatch !== '*' && shape(sb, view, caller, calendar, prefer, {})['@odata.etag'] !== ifMatch)
      throw graphError(412, 'ErrorIrresolvableConflict', CHANGE_KEY_CONFLICT);
    const input = graphToGoogle(body, { allDay: view.start.allDay, start: view.start });
    const patch: Record<string, unknown> = { ...input.google };
    if (input.extendedProperties?.length) {
      patch.extendedProperties = { private: Object.fromEntries(input.extendedProperties.map((p) => [p.id.replace(/^String \{[^}]+\} Name /, ''), p.value])) };
    }
    if (input.teams === true && view.data.conferenceData?.conferenceSolution?.key.type !== 'addOn') patch.conferenceData = CalendarOps.teamsConference();
    if (input.teams === false) patch.conferenceData = null;
    const updated = sb.ops.patch(calendar.id, view.id, patch, { email: caller.person.email, trusted: false }, { conferenceDataVersion: input.teams === undefined ? 0 : 1 });
    for (const p of input.extendedProperties ?? []) updated.stored.graphPropertyIds[p.id.replace(/^String \{[^}]+\} Name /, '')] = p.id;
    const seen = findView(sb.store, updated.id, calendar.id) ?? updated;
    ctx.sendJson(200, shape(sb, seen, caller, calendar, prefer, {}), preferHeaders(prefer));
  });

  perCalendar('DELETE', '/events/:eventId', 'write', (ctx, caller, calendar) => {
    const view = mailboxView(sb, caller, calendar, ctx.params.eventId as string);
    sb.ops.remove(calendar.id, view.id, { email: caller.person.email, trusted: false });
    ctx.send(204);
  });

  perCalendar('GET', '/events/:eventId/instances', 'read', (ctx, caller, calendar) => {
    const prefer = parsePrefer(ctx);
    const query = parseQuery(ctx);
    const master = mailboxView(sb, caller, calendar, ctx.params.eventId as string);
    if (master.kind !== 'master') throw graphError(400, 'ErrorInvalidRequest', 'The specified event is not a series master.');
    const fromMs = windowParam(ctx, 'startDateTime', true) as number;
    const toMs = windowParam(ctx, 'endDateTime', true) as number;
    const views = mailboxViews(sb, caller, calendar, { singleEvents: true, fromMs, toMs }).filter((v) => v.masterId === master.id);
    sendCollection(ctx, sb, filterAndOrder(sb, views, caller, calendar, query).map((v) => shape(sb, v, caller, calendar, prefer, query)), pageSize(ctx, prefer), prefer, 'events');
  });

  const respond = (status: 'accepted' | 'declined' | 'tentative') => (ctx: Ctx, caller: GraphCaller, calendar: Calendar) => {
    const view = mailboxView(sb, caller, calendar, ctx.params.eventId as string);
    if (sb.ops.isOrganizer(view.stored, caller.person.email)) {
      throw graphError(400, 'ErrorInvalidRequest', "Your request can't be completed. You can't respond to a meeting you organized.");
    }
    sb.ops.respond(view.id, caller.person.email, status, calendar.id);
    ctx.send(202);
  };
  perCalendar('POST', '/events/:eventId/accept', 'write', respond('accepted'));
  perCalendar('POST', '/events/:eventId/decline', 'write', respond('declined'));
  perCalendar('POST', '/events/:eventId/tentativelyAccept', 'write', respond('tentative'));
  perCalendar('POST', '/events/:eventId/cancel', 'write', (ctx, caller, calendar) => {
    const view = mailboxView(sb, caller, calendar, ctx.params.eventId as string);
    if (!sb.ops.isOrganizer(view.stored, caller.person.email)) {
      throw graphError(400, 'ErrorAccessDenied', 'Your request can\'t be completed. You need to be an organizer to cancel a meeting.');
    }
    sb.ops.remove(calendar.id, view.id, { email: caller.person.email, trusted: false });
    ctx.send(202);
  });
}

function calendarOf(sb: SandboxContext, caller: GraphCaller, graphId: string | undefined): Calendar {
  if (graphId === undefined) {
    const primary = sb.store.primaryCalendarOf(caller.person.email);
    if (!primary) throw graphError(404, 'ErrorItemNotFound', 'The user has no calendar.');
    return primary;
  }
  const id = storeCalendarId(graphId);
  const calendar = id ? sb.store.calendars.get(id) : undefined;
  if (!calendar || calendar.owner !== caller.person.email) throw graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
  return calendar;
}

function mailboxViews(sb: SandboxContext, caller: GraphCaller, calendar: Calendar, range: { singleEvents: boolean; fromMs?: number; toMs?: number }): EventView[] {
  return viewsForCalendar(sb.store, calendar.id, {
    singleEvents: range.singleEvents,
    ...(range.fromMs !== undefined ? { fromMs: range.fromMs } : {}),
    ...(range.toMs !== undefined ? { toMs: range.toMs } : {}),
    includeCancelled: true,
    horizonMs: sb.ops.horizonMs(),
  }).filter((v) => visibleInMailbox(sb, v, caller.person));
}

function mailboxView(sb: SandboxContext, caller: GraphCaller, calendar: Calendar, id: string): EventView {
  const view = findView(sb.store, id, calendar.id);
  if (!view || !visibleInMailbox(sb, view, caller.person)) throw graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
  return view;
}

/** Pages a collection with $skip, as Graph does for calendarView and events. */
function sendCollection(ctx: Ctx, sb: SandboxContext, items: unknown[], size: number, prefer: Prefer, entity: string): void {
  const skip = skipParam(ctx);
  const page = items.slice(skip, skip + size);
  const body: Record<string, unknown> = { '@odata.context': `${sb.urls.graphBaseUrl}/$metadata#Collection(${entity})`, value: page };
  if (skip + size < items.length) {
    const next = new URL(ctx.url.toString());
    next.searchParams.set('$skip', String(skip + size));
    if (!next.searchParams.has('$top') && size !== DEFAULT_PAGE) next.searchParams.set('$top', String(size));
    body['@odata.nextLink'] = `${sb.urls.origin}${next.pathname}${next.search}`;
  }
  ctx.sendJson(200, body, preferHeaders(prefer));
}

function snapshotFor(views: EventView[]): Snapshot {
  return new Map(views.map((v) => [v.id, v.seq]));
}

/** calendarView/delta: a round of nextLinks ending in a deltaLink; later rounds send changes. */
function delta(ctx: Ctx, sb: SandboxContext, caller: GraphCaller, calendar: Calendar): void {
  const prefer = parsePrefer(ctx);
  const base = `${sb.urls.origin}${ctx.path}`;
  const skipToken = ctx.query.get('$skiptoken');
  if (skipToken !== null) {
    // The page size chosen at the start of the round holds unless the client asks again.
    const cursor = sb.sync.page<Record<string, unknown>>(skipToken);
    if (!cursor || cursor.tail.calendarId !== calendar.id) throw graphError(400, 'ErrorInvalidUrlQuery', 'The skip token is not valid.');
    return sendDeltaPage(ctx, sb, calendar, cursor.items, prefer.maxPageSize ?? cursor.pageSize, cursor.tail.deltaToken as string, base, prefer);
  }
  const deltaToken = ctx.query.get('$deltatoken');
  const render = (v: EventView): Record<string, unknown> => shape(sb, v, caller, calendar, prefer, {});
  if (deltaToken !== null) {
    const state = sb.sync.deltaToken(deltaToken);
    if (!state || state.calendarId !== calendar.id || state.email !== caller.person.email) {
      throw graphError(410, 'SyncStateNotFound', 'The sync state generation is not found or has expired. Start a new synchronization round.');
    }
    const views = mailboxViews(sb, caller, calendar, { singleEvents: true, fromMs: state.fromMs, toMs: state.toMs });
    const snapshot = snapshotFor(views);
    const { changed, removed } = diffSnapshots(state.snapshot, snapshot);
    const byId = new Map(views.map((v) => [v.id, v]));
    const items = [
      ...changed.map((id) => render(byId.get(id) as EventView)),
      ...removed.map((id) => ({ '@odata.type': '#microsoft.graph.event', id, '@removed': { reason: 'deleted' } })),
    ];
    const size = prefer.maxPageSize ?? state.pageSize;
    const next = sb.sync.issueDeltaToken({ ...state, snapshot, pageSize: size });
    return sendDeltaPage(ctx, sb, calendar, items, size, next, base, prefer);
  }
  const fromMs = windowParam(ctx, 'startDateTime', true) as number;
  const toMs = windowParam(ctx, 'endDateTime', true) as number;
  if (toMs <= fromMs) throw new ValidationError('endDateTime', 'endDateTime must be after startDateTime');
  const views = mailboxViews(sb, caller, calendar, { singleEvents: true, fromMs, toMs });
  const size = prefer.maxPageSize ?? DEFAULT_PAGE;
  const token = sb.sync.issueDeltaToken({ email: caller.person.email, calendarId: calendar.id, fromMs, toMs, snapshot: snapshotFor(views), pageSize: size });
  sendDeltaPage(ctx, sb, calendar, views.map(render), size, token, base, prefer);
}

function sendDeltaPage(ctx: Ctx, sb: SandboxContext, calendar: Calendar, items: Array<Record<string, unknown>>, size: number, deltaToken: string, base: string, prefer: Prefer): void {
  const page = items.slice(0, size);
  const rest = items.slice(size);
  const body: Record<string, unknown> = { '@odata.context': `${sb.urls.graphBaseUrl}/$metadata#Collection(event)` };
  if (rest.length > 0) {
    const skip = sb.sync.issuePage({ items: rest, offset: 0, pageSize: size, tail: { calendarId: calendar.id, deltaToken } });
    body['@odata.nextLink'] = `${base}?$skiptoken=${skip}`;
  } else {
    body['@odata.deltaLink'] = `${base}?$deltatoken=${deltaToken}`;
  }
  body.value = page;
  ctx.sendJson(200, body, preferHeaders(prefer));
}
