// docs/architecture.md §4: give every candidate occurrence a meeting, exactly once.
//   1. a meeting linked to the occurrence → `update` when its title, start or end differ;
//   2. else the closest meeting of the same two people within ±12 h that is unlinked, or whose
//      link points at something gone (this is how a "this and following" split or a re-created
//      event is relinked) → `link`;
//   3. else `create`.
// A linked meeting in the window whose event is cancelled or gone (absent in a full scan, or an
// occurrence its present master no longer produces) → `delete`, or `unlink` when it has content,
// unless step 2 (or a detected "this and following" split) hands it to a new occurrence first; a
// split's meeting whose continuation lies just past the window's far end waits, with no action.
// Links are canonical: an occurrence of a series is named by (master id, original start) however
// the provider listed it, so a slot now held by an explicit instance needs no action (idempotence
// across Google's master expansion and Graph's per-occurrence events); only a legacy link naming
// an instance event by its own id is re-pointed with `link`.
// A linked event that stops qualifying (declined, retitled) keeps its meeting, which keeps
// following the event's times: only cancellation or disappearance removes a meeting.
// Meetings are indexed by link target and by counterpart, so the cost is linear in events + meetings.
import { linkedEventIndex, masterOccurrence, occurrenceOfEvent, type Analysis, type MasterInfo, type Occurrence } from './analyze';
import { linkOf, type LinkKey } from './meeting-link';
import type { Action, ActionOp, CalendarEvent, Meeting } from './model';
import { sortByTime } from './order';
import { cmp } from './people';
import { expandRecurrence, seriesZone } from './recurrence';
import { detectSplits, periodMs } from './series';
import { HOUR_MS, instantOf, toIso } from './time';

export const LINK_TOLERANCE_MS = 12 * HOUR_MS;

interface MeetingState {
  meeting: Meeting;
  /** The stored document's canonical link (meeting-link.ts), read once. */
  link: LinkKey | null;
  start: number;
  end: number;
}

type LinkState =
  | { kind: 'present'; occ: Occurrence; rekey: boolean }
  /** `cancelled`: the provider says so (wherever the meeting is); otherwise inferred from absence. */
  | { kind: 'gone'; cancelled?: true }
  | { kind: 'keep' };

const CANCELLED: LinkState = { kind: 'gone', cancelled: true };

function resolveLink(a: Analysis, m: MeetingState): LinkState {
  const link = m.link;
  if (!link) return { kind: 'keep' };
  const full = (a.input.mode ?? 'full') === 'full';
  let eventId = link.eventId;
  let t = link.instanceStart;
  let idx = linkedEventIndex(a, eventId);
  // A link naming an instance event by its own id (scan files written before the canonical form)
  // is read as its slot, and re-pointed once to the canonical (master, original start).
  let rekey = false;
  if (t === undefined && idx !== undefined && !a.masters.has(idx)) {
    const ev = a.events[idx] as CalendarEvent;
    if (ev.recurringEventId !== undefined) {
      eventId = ev.recurringEventId;
      t = instantOf(ev.originalStart ?? ev.start);
      idx = a.masterIndex.get(eventId);
      rekey = true;
    }
  }
  if (t === undefined) {
    if (idx === undefined) return full ? { kind: 'gone' } : { kind: 'keep' };
    const ev = a.events[idx] as CalendarEvent;
    if (ev.status === 'cancelled') return CANCELLED;
    const occ = occurrenceOfEvent(a, idx);
    // A link to a recurring master as a whole names no occurrence: treat it as stale.
    return occ ? { kind: 'present', occ, rekey: false } : { kind: 'gone' };
  }
  // The canonical link of an occurrence (docs/architecture.md §4): whichever event stands for the
  // slot now — an explicit instance (moved, modified, or simply listed on its own, as Graph lists
  // every occurrence) or the master's rule — the link stays (master id, original start).
  const inst = a.instanceAt.get(eventId)?.get(t);
  if (inst !== undefined) {
    const instEv = a.events[inst] as CalendarEvent;
    if (instEv.status === 'cancelled') return CANCELLED;
    const occ = occurrenceOfEvent(a, inst);
    return occ ? { kind: 'present', occ, rekey } : { kind: 'gone' };
  }
  if (idx === undefined) return full ? { kind: 'gone' } : { kind: 'keep' };
  const ev = a.events[idx] as CalendarEvent;
  if (ev.status === 'cancelled') return CANCELLED;
  if (a.masters.has(idx)) {
    const occ = masterOccurrence(a, idx, t);
    if (occ) return { kind: 'present', occ, rekey };
    // Outside the window the master was not expanded: we cannot tell, so nothing changes.
    return t >= a.window.from && t <= a.window.to ? { kind: 'gone' } : { kind: 'keep' };
  }
  // A single event linked as if it were an occurrence (its rule was removed): stale link.
  return { kind: 'gone' };
}

function inWindow(a: Analysis, m: MeetingState): boolean {
  const { from, to } = a.window;
  if (m.start < from || m.start > to) return false;
  const t = m.link?.instanceStart;
  if (t === undefined) return true;
  return t >= from && t <= to;
}

function occAction(op: ActionOp, occ: Occurrence, meetingId?: string): Action {
  const action: Action = { op, eventId: occ.eventId };
  if (occ.instanceStart !== undefined) action.instanceStart = toIso(occ.instanceStart);
  if (meetingId !== undefined) action.meetingId = meetingId;
  return action;
}

function differs(m: MeetingState, occ: Occurrence): boolean {
  return (m.meeting.title ?? '') !== occ.title || m.start !== occ.start || m.end !== occ.end;
}

function compareOcc(x: Occurrence, y: Occurrence): number {
  return x.start - y.start || cmp(x.eventId, y.eventId) || (x.instanceStart ?? 0) - (y.instanceStart ?? 0);
}

function compareMeeting(x: MeetingState, y: MeetingState): number {
  return x.start - y.start || cmp(x.meeting.id, y.meeting.id);
}

const OP_RANK: Record<ActionOp, number> = { create: 0, link: 1, update: 2, unlink: 3, delete: 4 };

/** Order among actions at the same second: by event (see sortByTime), op, occurrence, meeting. */
export function compareActions(x: Action, y: Action): number {
  return (
    OP_RANK[x.op] - OP_RANK[y.op] ||
    cmp(x.eventId ?? '', y.eventId ?? '') ||
    cmp(x.instanceStart ?? '', y.instanceStart ?? '') ||
    cmp(x.meetingId ?? '', y.meetingId ?? '')
  );
}

const SPLIT_SHIFT_MS = 7 * 24 * HOUR_MS;

/**
 * "This and following" (docs/architecture.md §4): when a master was ended and a new one continues it
 * unambiguously, the meetings of the old master's vanished occurrences move to the new master's
 * occurrences in order, even when the edit moved the day (beyond the ±12 h of step 2).
 */
function relinkSplits(
  a: Analysis,
  orphans: readonly MeetingState[],
  owner: ReadonlyMap<Occurrence, MeetingState>,
  relink: (occ: Occurrence, m: MeetingState) => void,
  keep: (m: MeetingState) => void,
): void {
  if (orphans.length === 0) return;
  const { splits } = detectSplits(a);
  if (splits.length === 0) return;
  const orphansOf = new Map<string, MeetingState[]>();
  for (const m of orphans) {
    const id = m.link?.eventId;
    if (id === undefined) continue;
    const list = orphansOf.get(id);
    if (list) list.push(m);
    else orphansOf.set(id, [m]);
  }
  for (const { from, to } of splits) {
    const olds = (orphansOf.get(from) ?? []).sort(compareMeeting);
    const toIndex = a.masterIndex.get(to);
    const news = (toIndex === undefined ? [] : (a.masters.get(toIndex)?.occurrences ?? [])).filter((o) => o.candidate && !owner.has(o));
    const oldMaster = a.masters.get(a.masterIndex.get(from) ?? -1);
    const last = oldMaster?.generated.at(-1) ?? -Infinity;
    // A meeting moves at most one period of the old rule (a week at least): detectSplits lets the
    // new part start up to a period before the old one ends, so a biweekly series can move 13 days.
    const rule = oldMaster?.set.rules[0];
    const shift = Math.max(SPLIT_SHIFT_MS, rule ? periodMs(rule) : 0);
    // Only the old series' occurrences after its new end are continued by the new master.
    const continued = olds.filter((m) => m.start > last);
    for (let k = 0; k < Math.min(continued.length, news.length); k++) {
      const m = continued[k] as MeetingState;
      const occ = news[k] as Occurrence;
      if (Math.abs(occ.start - m.start) <= shift) relink(occ, m);
    }
    // A meeting left over at the far end of the window (Monday 14 December moved to Thursday
    // 17 December, past the window) is kept as it is while the new master still has an occurrence
    // just beyond the window within the shift: deleting it now and creating a meeting for its
    // continuation tomorrow would lose its identity (and its content). It stays an orphan of the
    // old master, so the scan in which its continuation enters the window relinks it above. Keeping
    // it rather than linking it to an occurrence beyond the window means no link ever names a slot
    // the analysis did not expand, so applying and rescanning gives no actions (idempotence).
    if (continued.length > news.length && toIndex !== undefined) {
      const ev = a.events[toIndex] as CalendarEvent;
      const set = (a.masters.get(toIndex) as MasterInfo).set;
      const zone = seriesZone(set, ev.timeZone, ev.start);
      for (let k = news.length; k < continued.length; k++) {
        const m = continued[k] as MeetingState;
        if (m.start + shift <= a.window.to) continue;
        if (expandRecurrence(set, a.starts[toIndex] as number, zone, a.window.to + 1, m.start + shift).length > 0) keep(m);
      }
    }
  }
}

export function reconcile(a: Analysis): Action[] {
  const actions: Action[] = [];
  // When each action happens (the occurrence's start, or the removed meeting's), for ordering.
  const when: number[] = [];
  const push = (action: Action, at: number) => {
    actions.push(action);
    when.push(at);
  };
  const meetings = a.input.meetings ?? [];
  const withContent = a.input.withContent;
  const owner = new Map<Occurrence, MeetingState>();
  const rekeyed = new Set<Occurrence>();
  const orphans: MeetingState[] = [];
  const unlinked: MeetingState[] = [];

  // An event absent from the input is gone only inside the window (outside it, the provider did
  // not list it); one the provider reports cancelled is gone wherever it is (docs/architecture.md §4).
  const orphan = (m: MeetingState, cancelled: boolean) => {
    if (cancelled || inWindow(a, m)) orphans.push(m);
  };

  for (const meeting of meetings) {
    const m: MeetingState = { meeting, link: linkOf(meeting), start: meeting.start, end: meeting.end };
    if (!m.link) {
      unlinked.push(m);
      continue;
    }
    const state = resolveLink(a, m);
    if (state.kind === 'gone') orphan(m, state.cancelled === true);
    else if (state.kind === 'present') {
      const current = owner.get(state.occ);
      // Two meetings linked to one occurrence: the smaller id keeps it. The other link is stale
      // for certain (the event is here, and taken), so it goes whether or not it is in the window.
      if (current === undefined || meeting.id < current.meeting.id) {
        owner.set(state.occ, m);
        if (state.rekey) rekeyed.add(state.occ);
        else rekeyed.delete(state.occ);
        if (current) orphans.push(current);
      } else {
        orphans.push(m);
      }
    }
  }

  for (const [occ, m] of owner) {
    if (rekeyed.has(occ)) push(occAction('link', occ, m.meeting.id), occ.start);
    else if (differs(m, occ)) push(occAction('update', occ, m.meeting.id), occ.start);
  }

  const adopted = new Set<MeetingState>();
  const taken = new Set<Occurrence>();
  relinkSplits(
    a,
    orphans,
    owner,
    (occ, m) => {
      adopted.add(m);
      taken.add(occ);
      push(occAction('link', occ, m.meeting.id), occ.start);
    },
    // Reserved for its continuation: neither offered to step 2 nor removed.
    (m) => adopted.add(m),
  );

  // Candidates still without a meeting, by counterpart (the pair always includes self).
  const waiting = new Map<string, Occurrence[]>();
  for (const occ of a.candidates) {
    if (owner.has(occ) || taken.has(occ)) continue;
    const key = occ.counterpart as string;
    let list = waiting.get(key);
    if (!list) waiting.set(key, (list = []));
    list.push(occ);
  }

  const pools = new Map<string, MeetingState[]>();
  const selfId = a.dir.selfId;
  const pool = (m: MeetingState) => {
    const p = m.meeting.participants[0] ?? '';
    const q = m.meeting.participants[1] ?? '';
    const x = a.dir.resolve(p.toLowerCase()) ?? p.toLowerCase();
    const y = a.dir.resolve(q.toLowerCase()) ?? q.toLowerCase();
    const other = x === selfId ? y : y === selfId ? x : undefined;
    if (other === undefined || other === selfId || !waiting.has(other)) return;
    let list = pools.get(other);
    if (!list) pools.set(other, (list = []));
    list.push(m);
  };
  for (const m of unlinked) pool(m);
  for (const m of orphans) if (!adopted.has(m)) pool(m);

  for (const [counterpart, unsortedOccs] of waiting) {
    const pooled = pools.get(counterpart);
    if (!pooled) {
      for (const occ of unsortedOccs) push(occAction('create', occ), occ.start);
      continue;
    }
    // Canonical order (by start second, then id), so pair indices below break ties canonically.
    const occs = sortByTime(unsortedOccs, (o) => o.start, (o) => o.eventId, compareOcc);
    const available = sortByTime(pooled, (m) => m.start, (m) => m.meeting.id);
    // Every (occurrence, meeting) pair within ±12 h, closest first. Starts are ordered by second,
    // so the sweep keeps a second of slack and tests the exact distance.
    const pairs: [number, number, number][] = [];
    let lo = 0;
    for (let ci = 0; ci < occs.length; ci++) {
      const s = (occs[ci] as Occurrence).start;
      while (lo < available.length && (available[lo] as MeetingState).start < s - LINK_TOLERANCE_MS - 1000) lo++;
      for (let mi = lo; mi < available.length; mi++) {
        const ms = (available[mi] as MeetingState).start;
        if (ms > s + LINK_TOLERANCE_MS + 1000) break;
        const distance = Math.abs(ms - s);
        if (distance <= LINK_TOLERANCE_MS) pairs.push([distance, ci, mi]);
      }
    }
    pairs.sort((x, y) => x[0] - y[0] || x[1] - y[1] || x[2] - y[2]);
    const takenOcc = new Uint8Array(occs.length);
    const takenMeeting = new Uint8Array(available.length);
    for (const [, ci, mi] of pairs) {
      if (takenOcc[ci] || takenMeeting[mi]) continue;
      takenOcc[ci] = 1;
      takenMeeting[mi] = 1;
      const m = available[mi] as MeetingState;
      adopted.add(m);
      push(occAction('link', occs[ci] as Occurrence, m.meeting.id), (occs[ci] as Occurrence).start);
    }
    for (let ci = 0; ci < occs.length; ci++) {
      if (!takenOcc[ci]) push(occAction('create', occs[ci] as Occurrence), (occs[ci] as Occurrence).start);
    }
  }

  for (const m of orphans) {
    if (adopted.has(m)) continue;
    const link = m.link;
    const action: Action = { op: withContent?.has(m.meeting.id) === true ? 'unlink' : 'delete' };
    if (link) {
      action.eventId = link.eventId;
      if (link.instanceStart !== undefined) action.instanceStart = toIso(link.instanceStart);
    }
    action.meetingId = m.meeting.id;
    push(action, m.start);
  }

  return sortByTime(actions, (_x, i) => when[i] as number, (x) => x.eventId ?? '', compareActions);
}
