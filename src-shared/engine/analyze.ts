// One pass over the events: parse times, expand recurring masters inside the window (explicit
// instances and moved exceptions replace the occurrences they stand for), and judge every event
// once. Everything later (series, reconciliation, apply) reads this Analysis.
import { linkOf } from './meeting-link';
import { resolveSettings, type CalendarEvent, type EngineInput, type ResolvedSettings, type Scenario } from './model';
import { buildDirectory, type Directory } from './people';
import { expandRecurrence, hasRecurrenceRule, parseRecurrence, seriesZone, type RecurrenceSet } from './recurrence';
import { judge, newJudgement, REASON_BIT, windowOf, type Window } from './rules';
import { fromScanFile } from './scan-file';
import { instantOf } from './time';

/** One concrete meeting time coming from the calendar: a single event, an instance, or a generated occurrence. */
export interface Occurrence {
  eventIndex: number;
  eventId: string;
  /** Set for occurrences generated from a master's rule: their start (ms). */
  instanceStart?: number;
  start: number;
  end: number;
  title: string;
  /** Passes every rule: reconciliation must give it a meeting. */
  candidate: boolean;
  counterpart?: string;
}

export interface MasterInfo {
  set: RecurrenceSet;
  /** Rule occurrences inside the window, EXDATEs removed, before explicit instances replace any. */
  generated: number[];
  /** The occurrences still produced by the master (those not replaced by an explicit instance). */
  occurrences: Occurrence[];
}

export interface Analysis {
  /** What was analyzed: the meetings are the stored documents themselves. */
  input: EngineInput;
  settings: ResolvedSettings;
  window: Window;
  dir: Directory;
  events: readonly CalendarEvent[];
  starts: Float64Array;
  ends: Float64Array;
  masks: Int32Array;
  counterparts: (string | undefined)[];
  unknown: (string[] | undefined)[];
  /** Recurring masters by id. */
  masterIndex: Map<string, number>;
  /**
   * The events meeting links point at, by id (index -1: not in the input). Only these ids are
   * looked up while reconciling: indexing a million ids costs more than judging them.
   */
  linkTargets: Map<string, { index: number }>;
  /** Every event by id, built on first use by indexOfEvent (apply needs it, a scan does not). */
  fullIndex?: Map<string, number>;
  masters: Map<number, MasterInfo>;
  /** recurringEventId → originalStart (ms) → index of the explicit instance standing for it. */
  instanceAt: Map<string, Map<number, number>>;
  /** recurringEventId → indices of its explicit instances. */
  instancesOf: Map<string, number[]>;
  /** Occurrences of single events and explicit instances, by event index (created on demand). */
  singleOcc: (Occurrence | undefined)[];
  candidates: Occurrence[];
}

function masterSet(ev: CalendarEvent): RecurrenceSet | undefined {
  if (!hasRecurrenceRule(ev.recurrence)) return undefined;
  try {
    return parseRecurrence(ev.recurrence ?? []);
  } catch {
    // Validation refuses such input; an unvalidated caller gets the event judged as a single one.
    return undefined;
  }
}

/** A scan file's scenario (its meetings converted once, at the file boundary: scan-file.ts). */
export function analyze(scenario: Scenario): Analysis {
  return analyzeInput(fromScanFile(scenario));
}

export function analyzeInput(scenario: EngineInput): Analysis {
  const settings = resolveSettings(scenario.settings);
  const window = windowOf(instantOf(scenario.now), settings);
  const dir = buildDirectory(scenario.people, scenario.self);
  const events = scenario.events;
  const n = events.length;
  const starts = new Float64Array(n);
  const ends = new Float64Array(n);
  const masks = new Int32Array(n);
  const counterparts: (string | undefined)[] = new Array<string | undefined>(n);
  const unknown: (string[] | undefined)[] = new Array<string[] | undefined>(n);
  const masterIndex = new Map<string, number>();
  const linkTargets = new Map<string, { index: number }>();
  const masters = new Map<number, MasterInfo>();
  // Per-event view of `masters` for the hot loops (an array read, not a hash lookup).
  const masterOf: (MasterInfo | undefined)[] = new Array<MasterInfo | undefined>(n);
  const instanceAt = new Map<string, Map<number, number>>();
  const instancesOf = new Map<string, number[]>();
  const singleOcc: (Occurrence | undefined)[] = new Array<Occurrence | undefined>(n);

  for (const m of scenario.meetings ?? []) {
    const link = linkOf(m);
    if (link && !linkTargets.has(link.eventId)) linkTargets.set(link.eventId, { index: -1 });
  }
  const anyLinks = linkTargets.size > 0;
  const candidates: Occurrence[] = [];
  const j = newJudgement();
  const masterList: number[] = [];
  let sharedSlots = false;

  // One pass over the events (at a million events, each pass is mostly memory traffic). Masters
  // are only registered here: they need every explicit instance first.
  for (let i = 0; i < n; i++) {
    const ev = events[i] as CalendarEvent;
    const id = ev.id;
    const start = instantOf(ev.start);
    const end = instantOf(ev.end);
    starts[i] = start;
    ends[i] = end;
    if (anyLinks) {
      const target = linkTargets.get(id);
      if (target) target.index = i;
    }
    if (ev.recurrence !== undefined && ev.recurrence.length > 0) {
      const set = masterSet(ev);
      if (set) {
        const info: MasterInfo = { set, generated: [], occurrences: [] };
        masters.set(i, info);
        masterOf[i] = info;
        masterIndex.set(id, i);
        masterList.push(i);
        continue;
      }
    }
    const r = ev.recurringEventId;
    if (r !== undefined) {
      let list = instancesOf.get(r);
      if (!list) instancesOf.set(r, (list = []));
      list.push(i);
      const original = ev.originalStart !== undefined ? instantOf(ev.originalStart) : start;
      let at = instanceAt.get(r);
      if (!at) instanceAt.set(r, (at = new Map()));
      const prev = at.get(original);
      // Two instances claiming one slot: the smaller id stands for it, whatever the input order.
      if (prev === undefined || id < (events[prev] as CalendarEvent).id) at.set(original, i);
      if (prev !== undefined) sharedSlots = true;
    }
    judge(ev, start, end, start >= window.from && start <= window.to, dir, settings, j);
    masks[i] = j.mask;
    counterparts[i] = j.counterpart;
    if (j.unknown !== undefined) unknown[i] = j.unknown;
    if (j.mask === 0) {
      const occ: Occurrence = { eventIndex: i, eventId: id, start, end, title: ev.title, candidate: true, counterpart: j.counterpart };
      singleOcc[i] = occ;
      candidates.push(occ);
    }
  }

  // A meeting's link names a slot (master id, original start: docs/architecture.md §4), so an
  // instance that lost its slot to another claiming the same one gets no meeting of its own.
  if (sharedSlots) {
    const kept = candidates.filter((occ) => {
      const ev = events[occ.eventIndex] as CalendarEvent;
      const r = ev.recurringEventId;
      if (r === undefined) return true;
      const original = ev.originalStart !== undefined ? instantOf(ev.originalStart) : starts[occ.eventIndex]!;
      return instanceAt.get(r)?.get(original) === occ.eventIndex;
    });
    candidates.length = 0;
    candidates.push(...kept);
  }

  for (const i of masterList) {
    const ev = events[i] as CalendarEvent;
    const master = masterOf[i] as MasterInfo;
    const start = starts[i]!;
    master.generated = expandRecurrence(master.set, start, seriesZone(master.set, ev.timeZone, ev.start), window.from, window.to);
    // In the window when any of its occurrences is: generated ones, or the explicit instances
    // standing in for them (a cancelled one removes its slot).
    const overrides = instanceAt.get(ev.id);
    let inWindow = false;
    for (const t of master.generated) {
      const inst = overrides?.get(t);
      if (inst === undefined) {
        inWindow = true;
      } else {
        const s = starts[inst]!;
        if ((events[inst] as CalendarEvent).status !== 'cancelled' && s >= window.from && s <= window.to) inWindow = true;
      }
    }
    judge(ev, start, ends[i]!, inWindow, dir, settings, j);
    masks[i] = j.mask;
    counterparts[i] = j.counterpart;
    if (j.unknown !== undefined) unknown[i] = j.unknown;
    if ((j.mask & REASON_BIT.CANCELLED) !== 0) continue;
    const candidate = j.mask === 0;
    const duration = ends[i]! - start;
    for (const t of master.generated) {
      if (overrides?.has(t)) continue;
      const occ: Occurrence = {
        eventIndex: i,
        eventId: ev.id,
        instanceStart: t,
        start: t,
        end: t + duration,
        title: ev.title,
        candidate,
        counterpart: j.counterpart,
      };
      master.occurrences.push(occ);
      if (candidate) candidates.push(occ);
    }
  }

  return {
    input: scenario,
    settings,
    window,
    dir,
    events,
    starts,
    ends,
    masks,
    counterparts,
    unknown,
    masterIndex,
    linkTargets,
    masters,
    instanceAt,
    instancesOf,
    singleOcc,
    candidates,
  };
}

/** Index of an event a meeting links to (undefined: not in the input). */
export function linkedEventIndex(a: Analysis, id: string): number | undefined {
  const index = a.linkTargets.get(id)?.index;
  return index === undefined || index < 0 ? undefined : index;
}

/** Index of any event by id (builds the full index once). */
export function indexOfEvent(a: Analysis, id: string): number | undefined {
  const quick = a.masterIndex.get(id) ?? linkedEventIndex(a, id);
  if (quick !== undefined) return quick;
  if (!a.fullIndex) {
    a.fullIndex = new Map();
    a.events.forEach((ev, i) => a.fullIndex?.set(ev.id, i));
  }
  return a.fullIndex.get(id);
}

/** The occurrence of a non-master, non-cancelled event (created lazily for non-candidates). */
export function occurrenceOfEvent(a: Analysis, i: number): Occurrence | undefined {
  const existing = a.singleOcc[i];
  if (existing) return existing;
  const ev = a.events[i] as CalendarEvent;
  if (a.masters.has(i) || ev.status === 'cancelled') return undefined;
  const occ: Occurrence = {
    eventIndex: i,
    eventId: ev.id,
    start: a.starts[i]!,
    end: a.ends[i]!,
    title: ev.title,
    candidate: a.masks[i] === 0,
    counterpart: a.counterparts[i],
  };
  a.singleOcc[i] = occ;
  return occ;
}

/** A master's still-produced occurrence starting at `t`, if any. */
export function masterOccurrence(a: Analysis, i: number, t: number): Occurrence | undefined {
  const occs = a.masters.get(i)?.occurrences;
  if (!occs) return undefined;
  let lo = 0;
  let hi = occs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = (occs[mid] as Occurrence).start;
    if (s === t) return occs[mid];
    if (s < t) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}
