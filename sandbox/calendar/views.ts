// Views of the store as a calendar shows them: single events, recurring masters, their
// occurrences (virtual, computed from RRULE/EXDATE) and exceptions (stored separately).
import type { GEvent, StoredEvent } from '../model';
import {
  expandOccurrences,
  formatEventTime,
  instanceSuffix,
  occurrenceKey,
  parseEventTime,
  shiftTime,
  startMs,
  type EventTime,
} from '../recurrence';
import type { Store } from '../store';

export type ViewKind = 'single' | 'master' | 'occurrence' | 'exception';

export interface EventView {
  id: string;
  kind: ViewKind;
  /** Google-shaped data of this view (viewer-neutral). */
  data: GEvent;
  /** Change sequence the view's etag derives from. */
  seq: number;
  start: EventTime;
  end: EventTime;
  originalStart?: EventTime;
  /** The stored record holding the data (the master, for an occurrence). */
  stored: StoredEvent;
  masterId?: string;
}

export interface ViewOptions {
  singleEvents: boolean;
  fromMs?: number;
  toMs?: number;
  /** Include cancelled events/instances (deleted events, cancelled exceptions). */
  includeCancelled: boolean;
  /** Upper bound for expanding open-ended series when no toMs is given (now + horizon). */
  horizonMs: number;
}

const DAY = 86_400_000;

export function calendarZone(store: Store, calendarId: string): string {
  return store.calendars.get(calendarId)?.timeZone ?? 'UTC';
}

function timesOf(data: GEvent, zone: string): { start: EventTime; end: EventTime } {
  return { start: parseEventTime(data.start, zone, 'start'), end: parseEventTime(data.end, zone, 'end') };
}

function duration(start: EventTime, end: EventTime, zone: string): { ms: number; days: number } {
  const ms = startMs(end, zone) - startMs(start, zone);
  return { ms, days: Math.round(ms / DAY) };
}

export function viewOfStored(event: StoredEvent, zone: string): EventView {
  const { start, end } = timesOf(event.data, zone);
  const kind: ViewKind = event.data.recurringEventId ? 'exception' : event.data.recurrence?.length ? 'master' : 'single';
  const view: EventView = { id: event.id, kind, data: event.data, seq: event.seq, start, end, stored: event };
  if (kind === 'exception') {
    view.masterId = event.data.recurringEventId;
    if (event.data.originalStartTime) view.originalStart = parseEventTime(event.data.originalStartTime, zone, 'originalStartTime');
  }
  return view;
}

export function occurrenceView(master: StoredEvent, original: EventTime, zone: string): EventView {
  const { start, end } = timesOf(master.data, zone);
  const d = duration(start, end, zone);
  const occEnd = shiftTime(original, d.ms, d.days);
  const data: GEvent = {
    ...structuredClone(master.data),
    id: `${master.id}_${instanceSuffix(original)}`,
    recurringEventId: master.id,
    originalStartTime: formatEventTime(original),
    start: formatEventTime(original),
    end: formatEventTime(occEnd),
  };
  delete data.recurrence;
  return {
    id: data.id as string,
    kind: 'occurrence',
    data,
    seq: master.seq,
    start: original,
    end: occEnd,
    originalStart: original,
    stored: master,
    masterId: master.id,
  };
}

function overlaps(view: EventView, zone: string, fromMs: number, toMs: number): boolean {
  const s = startMs(view.start, zone);
  const e = startMs(view.end, zone);
  // Google: timeMin bounds the end (exclusive), timeMax bounds the start (exclusive).
  return s < toMs && (e > fromMs || (e === s && s >= fromMs));
}

/** Original-start keys of a master's stored exceptions (moved or cancelled instances). */
export function exceptionKeys(store: Store, masterId: string, zone: string): Set<string> {
  const keys = new Set<string>();
  for (const ex of store.exceptionsOf(masterId)) {
    if (ex.data.originalStartTime) keys.add(occurrenceKey(parseEventTime(ex.data.originalStartTime, zone, 'originalStartTime')));
  }
  return keys;
}

/** Occurrences of a master in a range, minus the ones replaced by exceptions. */
export function occurrencesOf(store: Store, master: StoredEvent, zone: string, fromMs: number, toMs: number): EventView[] {
  const { start, end } = timesOf(master.data, zone);
  const d = duration(start, end, zone);
  const replaced = exceptionKeys(store, master.id, zone);
  return expandOccurrences(start, master.data.recurrence ?? [], { fromMs: fromMs - Math.max(d.ms, 0), toMs, zone })
    .filter((t) => !replaced.has(occurrenceKey(t)))
    .map((t) => occurrenceView(master, t, zone))
    .filter((v) => overlaps(v, zone, fromMs, toMs));
}

export function viewsForCalendar(store: Store, calendarId: string, options: ViewOptions): EventView[] {
  const zone = calendarZone(store, calendarId);
  const fromMs = options.fromMs ?? -8.64e15;
  const toMs = options.toMs ?? 8.64e15;
  // Without timeMax, open-ended series are expanded up to the horizon (counted from now, or
  // from the series' start when it lies further ahead).
  const span = options.horizonMs - Date.now();
  const expandTo = (view: EventView): number => options.toMs ?? Math.max(options.horizonMs, startMs(view.start, zone) + span);
  const out: EventView[] = [];
  for (const event of store.eventsIn(calendarId)) {
    const cancelled = event.data.status === 'cancelled';
    const view = viewOfStored(event, zone);
    if (view.kind === 'master') {
      if (options.singleEvents) {
        if (cancelled && !options.includeCancelled) continue;
        for (const occ of occurrencesOf(store, event, zone, fromMs, expandTo(view))) {
          out.push(occ);
        }
      } else {
        if (cancelled && !options.includeCancelled) continue;
        // A master is listed when any of its occurrences falls in the window.
        const any =
          options.fromMs === undefined && options.toMs === undefined
            ? true
            : occurrencesOf(store, event, zone, fromMs, expandTo(view)).length > 0 ||
              store.exceptionsOf(event.id).some((ex) => overlaps(viewOfStored(ex, zone), zone, fromMs, toMs));
        if (any) out.push(view);
      }
      continue;
    }
    if (view.kind === 'exception') {
      const master = view.masterId ? store.get(view.masterId) : undefined;
      const masterGone = master?.data.status === 'cancelled';
      // Google: cancelled exceptions are listed with singleEvents=false even without
      // showDeleted (so clients learn which instances are gone); with singleEvents=true only
      // when showDeleted is set.
      if ((cancelled || masterGone) && !options.includeCancelled && (options.singleEvents || masterGone)) continue;
      if (!overlaps(view, zone, fromMs, toMs)) continue;
      out.push(masterGone && !cancelled ? { ...view, data: { ...view.data, status: 'cancelled' } } : view);
      continue;
    }
    if (cancelled && !options.includeCancelled) continue;
    if (!overlaps(view, zone, fromMs, toMs)) continue;
    out.push(view);
  }
  if (options.singleEvents) {
    // Occurrences of a cancelled master are cancelled too (seen only with showDeleted).
    for (const v of out) if (v.kind === 'occurrence' && v.stored.data.status === 'cancelled') v.data = { ...v.data, status: 'cancelled' };
  }
  return out.sort((a, b) => startMs(a.start, zone) - startMs(b.start, zone) || a.id.localeCompare(b.id));
}

/** Splits an instance id (`MASTER_20240506T080000Z` or `MASTER_20240506`). */
export function parseInstanceId(id: string): { masterId: string; suffix: string } | undefined {
  const at = id.lastIndexOf('_');
  if (at <= 0) return undefined;
  const suffix = id.slice(at + 1);
  if (!/^\d{8}(T\d{6}Z)?$/.test(suffix)) return undefined;
  return { masterId: id.slice(0, at), suffix };
}

/** Any event by id as seen from a calendar: stored, or a virtual occurrence of a master. */
export function findView(store: Store, id: string, calendarId: string | undefined): EventView | undefined {
  const stored = store.get(id);
  const zoneFor = (e: StoredEvent): string => calendarZone(store, calendarId ?? e.calendarId);
  if (stored) {
    if (calendarId && !store.isIn(stored, calendarId)) return undefined;
    return viewOfStored(stored, zoneFor(stored));
  }
  const parsed = parseInstanceId(id);
  if (!parsed) return undefined;
  const master = store.get(parsed.masterId);
  if (!master || !master.data.recurrence?.length) return undefined;
  if (calendarId && !store.isIn(master, calendarId)) return undefined;
  const zone = zoneFor(master);
  const { start } = timesOf(master.data, zone);
  const original = originalFromSuffix(parsed.suffix, start);
  if (!original) return undefined;
  const at = startMs(original, zone);
  const hit = expandOccurrences(start, master.data.recurrence, { fromMs: at, toMs: at + 1, zone }).find(
    (t) => occurrenceKey(t) === occurrenceKey(original),
  );
  if (!hit) return undefined;
  if (exceptionKeys(store, master.id, zone).has(occurrenceKey(hit))) return undefined;
  const view = occurrenceView(master, hit, zone);
  if (master.data.status === 'cancelled') view.data = { ...view.data, status: 'cancelled' };
  return view;
}

function originalFromSuffix(suffix: string, masterStart: EventTime): EventTime | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})Z)?$/.exec(suffix);
  if (!m) return undefined;
  if (masterStart.allDay) return m[4] ? undefined : { allDay: true, date: `${m[1]}-${m[2]}-${m[3]}` };
  if (!m[4]) return undefined;
  return {
    allDay: false,
    ms: Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])),
    tz: masterStart.tz,
  };
}
