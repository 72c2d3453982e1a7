// The sandbox's two faces read the ways a Duet calendar adapter can read them: through Duet's own
// adapters (providerFace), and through the REAL Google and Graph clients in other shapes the
// product does not use, every payload normalized by src-shared/calendar. Each face gives a
// complete picture of the primary calendar over the scan window (fit for a full-mode scan) and
// can catch up after changes: Google syncToken, Graph calendarView/delta, or a full re-fetch.
import type { Client, GraphRequest } from '@microsoft/microsoft-graph-client';
import type { calendar_v3 } from '@googleapis/calendar';
import {
  normalizeGoogleEvent,
  normalizeGraphEvent,
  type GoogleEvent,
  type GraphEvent,
} from '../../../src-shared/calendar';
import { isTombstone } from '../../../src-shared/calendar/change-schema';
import { analyze, type CalendarChange, type CalendarEvent } from '../../../src-shared/engine';
import type { CalendarProvider } from '../../../src-main/calendar/provider';

export interface FetchWindow {
  /** The scan's now (ISO) and owner: needed to expand Graph masters like the engine does. */
  now: string;
  self: string;
  from: number;
  to: number;
}

export interface FaceSession {
  /** The calendar as last seen: every event of the window, cancelled instances included where the face shows them. */
  events: CalendarEvent[];
  /** Catches up with the calendar and returns the new complete picture. */
  refresh(): Promise<CalendarEvent[]>;
}

export interface Face {
  /** `masters`: recurring masters plus their exceptions; `instances`: every occurrence is its own event. */
  shape: 'masters' | 'instances';
  open(window: FetchWindow): Promise<FaceSession>;
}

const iso = (ms: number): string => new Date(ms).toISOString();

// ---- The product's adapters (src-main/calendar) ------------------------------------------

/**
 * Duet's own CalendarProvider on the primary calendar: the full import over the window, then
 * its incremental rounds (Google syncToken, Graph calendarView/delta), removals as tombstones.
 */
export function providerFace(provider: CalendarProvider): Face {
  return {
    shape: provider.provider === 'google' ? 'masters' : 'instances',
    async open(w) {
      const primary = (await provider.listCalendars()).find((c) => c.primary);
      if (!primary) throw new Error('the account has no primary calendar');
      const cache = new Map<string, CalendarEvent>();
      const apply = (changes: CalendarChange[]): void => {
        for (const c of changes) {
          if (isTombstone(c)) cache.delete(c.id);
          else cache.set(c.id, c);
        }
      };
      const first = await provider.fullImport(primary.id, { from: w.from, to: w.to });
      apply(first.changes);
      let cursor = first.cursor;
      const session: FaceSession = {
        events: [...cache.values()],
        async refresh() {
          const round = await provider.changes(primary.id, cursor);
          apply(round.changes);
          cursor = round.cursor;
          session.events = [...cache.values()];
          return session.events;
        },
      };
      return session;
    },
  };
}
// Google's timeMax and Graph's endDateTime exclude an event starting exactly there; the engine's window includes it.
const EDGE_MS = 60_000;

// ---- Google Calendar v3 -----------------------------------------------------------------

async function listAll(
  cal: calendar_v3.Calendar,
  params: calendar_v3.Params$Resource$Events$List,
): Promise<{ items: GoogleEvent[]; nextSyncToken?: string }> {
  const items: GoogleEvent[] = [];
  let pageToken: string | undefined;
  for (;;) {
    // Small pages, so paging is part of what is exercised.
    const { data } = await cal.events.list({
      calendarId: 'primary',
      maxResults: 25,
      ...params,
      ...(pageToken ? { pageToken } : {}),
    });
    items.push(...((data.items ?? []) as GoogleEvent[]));
    if (!data.nextPageToken)
      return data.nextSyncToken ? { items, nextSyncToken: data.nextSyncToken } : { items };
    pageToken = data.nextPageToken;
  }
}

/** Applies Google items (a full list or a sync round) to a cache keyed by event id. */
function mergeGoogle(cache: Map<string, CalendarEvent>, items: GoogleEvent[], calendarId: string): void {
  for (const item of items) {
    const ev = normalizeGoogleEvent(item, { calendarId, primary: true });
    if (ev) cache.set(ev.id, ev);
    // A sync stub of something gone is only {id, status: 'cancelled'} (with singleEvents=true, every
    // instance a "this and following" edit removes comes so): the normalizer has no time to build
    // an event from and skips it, so the cache must drop the id itself or keep a stale occurrence.
    else if (item.id && item.status === 'cancelled') cache.delete(item.id);
  }
}

export function googleFace(cal: calendar_v3.Calendar, singleEvents: boolean): Face {
  return {
    shape: singleEvents ? 'instances' : 'masters',
    async open(w) {
      const first = await listAll(cal, { timeMin: iso(w.from), timeMax: iso(w.to + EDGE_MS), singleEvents });
      const cache = new Map<string, CalendarEvent>();
      mergeGoogle(cache, first.items, w.self);
      let syncToken = first.nextSyncToken;
      const session: FaceSession = {
        events: [...cache.values()],
        async refresh() {
          if (!syncToken) throw new Error('events.list gave no nextSyncToken');
          const round = await listAll(cal, { syncToken });
          mergeGoogle(cache, round.items, w.self);
          syncToken = round.nextSyncToken;
          session.events = [...cache.values()];
          return session.events;
        },
      };
      return session;
    },
  };
}

// ---- Microsoft Graph v1.0 -----------------------------------------------------------------

interface GraphPage {
  value?: GraphEvent[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

/** A Graph request, in the given zone when there is one (Graph then writes every time as wall clock there). */
function graphApi(client: Client, path: string, timeZone: string | undefined): GraphRequest {
  const request = client.api(path);
  return timeZone ? request.header('Prefer', `outlook.timezone="${timeZone}"`) : request;
}

/** All pages of a collection (nextLink), and the deltaLink that ends a delta round. */
async function follow(
  client: Client,
  first: GraphRequest,
  timeZone?: string,
): Promise<{ value: GraphEvent[]; deltaLink?: string }> {
  const value: GraphEvent[] = [];
  let page = (await first.get()) as GraphPage;
  for (;;) {
    value.push(...(page.value ?? []));
    const next = page['@odata.nextLink'];
    if (!next) return page['@odata.deltaLink'] ? { value, deltaLink: page['@odata.deltaLink'] } : { value };
    page = (await graphApi(client, next, timeZone).get()) as GraphPage;
  }
}

function mergeGraph(cache: Map<string, CalendarEvent>, items: GraphEvent[], self: string): void {
  for (const item of items) {
    if (item['@removed']) {
      if (item.id) cache.delete(item.id);
      continue;
    }
    const ev = normalizeGraphEvent(item, { calendarId: 'primary', primary: true, ownerEmail: self });
    if (ev) cache.set(ev.id, ev);
  }
}

/**
 * /me/calendarView over the window (every occurrence); catches up with calendarView/delta. With
 * `timeZone` (a Windows or IANA name) every request asks Graph for wall-clock times in that zone.
 */
export function graphCalendarViewFace(client: Client, timeZone?: string): Face {
  return {
    shape: 'instances',
    async open(w) {
      const window = { startDateTime: iso(w.from), endDateTime: iso(w.to + EDGE_MS) };
      const view = await follow(
        client,
        graphApi(client, '/me/calendarView', timeZone).query(window).top(25),
        timeZone,
      );
      const cache = new Map<string, CalendarEvent>();
      mergeGraph(cache, view.value, w.self);
      // A delta round over the same window: its first pass repeats the view, its deltaLink is what later rounds need.
      let deltaLink = (
        await follow(client, graphApi(client, '/me/calendarView/delta', timeZone).query(window), timeZone)
      ).deltaLink;
      const session: FaceSession = {
        events: [...cache.values()],
        async refresh() {
          if (!deltaLink) throw new Error('calendarView/delta gave no deltaLink');
          const round = await follow(client, graphApi(client, deltaLink, timeZone), timeZone);
          mergeGraph(cache, round.value, w.self);
          deltaLink = round.deltaLink;
          session.events = [...cache.values()];
          return session.events;
        },
      };
      return session;
    },
  };
}

/**
 * Graph v1.0 never says which occurrences of a series were cancelled: a seriesMaster carries only
 * its pattern, and /instances simply leaves the cancelled ones out. An adapter that hands masters
 * to the engine must therefore turn "the rule makes a slot that /instances does not list" into an
 * EXDATE, over the window it asked /instances about.
 */
export function excludeUnlistedSlots(
  master: CalendarEvent,
  instances: CalendarEvent[],
  w: FetchWindow,
): CalendarEvent {
  const generated =
    analyze({ now: w.now, self: w.self, people: [], events: [master] }).masters.get(0)?.generated ?? [];
  const listed = new Set(instances.map((i) => Date.parse(i.originalStart ?? i.start)));
  const exdates = generated
    .filter((t) => !listed.has(t))
    .map((t) => `EXDATE:${iso(t).replace(/[-:]|\.\d{3}/g, '')}`);
  return exdates.length === 0
    ? master
    : { ...master, recurrence: [...(master.recurrence ?? []), ...exdates] };
}

/**
 * /me/events (single events and series masters) plus each master's exceptions from /instances
 * over the window. With `excludeCancelled` false the masters go to the engine as Graph gives them,
 * which shows what the engine would invent without the step above. Catches up by re-fetching.
 */
export function graphEventsFace(client: Client, excludeCancelled = true): Face {
  return {
    shape: 'masters',
    async open(w) {
      const cal = { calendarId: 'primary', primary: true, ownerEmail: w.self };
      const fetchAll = async (): Promise<CalendarEvent[]> => {
        const listed = await follow(client, client.api('/me/events').top(25));
        const out: CalendarEvent[] = [];
        for (const item of listed.value) {
          const ev = normalizeGraphEvent(item, cal);
          if (!ev) continue;
          if (item.type !== 'seriesMaster') {
            out.push(ev);
            continue;
          }
          const window = { startDateTime: iso(w.from), endDateTime: iso(w.to + EDGE_MS) };
          const raw = await follow(
            client,
            client
              .api(`/me/events/${encodeURIComponent(ev.id)}/instances`)
              .query(window)
              .top(50),
          );
          const normalize = (items: GraphEvent[]): CalendarEvent[] =>
            items.map((i) => normalizeGraphEvent(i, cal)).filter((i): i is CalendarEvent => i !== undefined);
          const instances = normalize(raw.value);
          out.push(...normalize(raw.value.filter((i) => i.type === 'exception')));
          out.push(excludeCancelled ? excludeUnlistedSlots(ev, instances, w) : ev);
        }
        return out;
      };
      const session: FaceSession = {
        events: await fetchAll(),
        async refresh() {
          session.events = await fetchAll();
          return session.events;
        },
      };
      return session;
    },
  };
}
