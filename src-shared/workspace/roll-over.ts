// Roll-over (docs/architecture.md §5 "Roll-over"): three hours after a meeting of a series ends,
// its unfinished topics and action items move to the next meeting of the series, exactly once,
// whichever participant's app does it and however often.
//
// Pure over two Y.Docs and a clock the caller passes, so the same code runs in the renderer's
// runner (leader window), in Node tests and against a real sync server.
//
// Exactly once without coordination: the copy of entry X lands in the next meeting's doc under a
// key derived from X's own id (`rolledEntryId`). Entry ids are random UUIDs made in exactly one
// meeting's doc, so X's id already names its source meeting; nothing else is mixed in on purpose,
// because the two apps name that meeting differently (calendar meeting ids include the account;
// a room id may be missing on one side). Two apps rolling at the same moment, or one while the
// other is offline, write the same key with the same content; Yjs keeps one value per map key, so
// the docs converge to one copy. The source keeps its entries, marked `movedTo` (the next
// meeting's start date), which also stops a later pass from rolling them again.
//
// Marks (fields of the entry's Y.Map; MeetingWorkspace reads them as optional Entry fields):
//   rolledFrom  'YYYY-MM-DD' on a copy: start date of the meeting the entry was first raised in
//   movedTo     'YYYY-MM-DD' on the original: start date of the meeting it moved to
import * as Y from 'yjs';
import { base32, sha256 } from '../meeting/sha256';
import type { MeetingDoc } from '../meeting/model';
import type { ListKind } from './meeting-doc';

/** A meeting's unfinished entries move this long after it ends. */
export const ROLL_OVER_DELAY_MS = 3 * 60 * 60_000;

/**
 * Meetings whose roll-over fell due longer ago than this are history: a runner does not look at
 * them (an app first started today does not rewrite last year's meetings).
 */
export const ROLL_OVER_HORIZON_MS = 30 * 24 * 60 * 60_000;

/** Rolled copies sort before the next meeting's own entries, in their old order. */
const ROLLED_ORDER_OFFSET = 1_000_000;

/** The id the copy of entry `id` of list `kind` gets in the next meeting: the same in every app. */
export function rolledEntryId(kind: ListKind, id: string): string {
  const input = JSON.stringify(['duet-rollover-v1', kind, id]);
  return `r-${base32(sha256(new TextEncoder().encode(input))).slice(0, 26)}`;
}

type RollMeeting = Pick<MeetingDoc, 'id' | 'seriesId' | 'start' | 'end' | 'state'>;

/** When `meeting`'s roll-over is due (epoch ms). */
export const rollOverDueAt = (meeting: Pick<MeetingDoc, 'end'>): number => meeting.end + ROLL_OVER_DELAY_MS;

/**
 * Whether `meeting` takes part in roll-over at `now`: in a series, not cancelled, due, and not
 * beyond the horizon. Archived meetings still roll (archiving is about lists, not content).
 */
export function isRollOverDue(meeting: RollMeeting, now: number): boolean {
  if (!meeting.seriesId || meeting.state === 'cancelled') return false;
  const due = rollOverDueAt(meeting);
  return due <= now && now - due <= ROLL_OVER_HORIZON_MS;
}

/**
 * The next meeting of `meeting`'s series: the earliest one starting later that is not cancelled
 * (ties by id, the same in every app that holds the same meetings). Null when there is none yet:
 * the roll-over waits for it (the series' next occurrence may not be imported yet).
 */
export function nextMeetingOf<M extends RollMeeting>(meeting: RollMeeting, meetings: readonly M[]): M | null {
  let best: M | null = null;
  for (const m of meetings) {
    if (m.seriesId !== meeting.seriesId || m.id === meeting.id || m.state === 'cancelled') continue;
    if (m.start <= meeting.start) continue;
    if (!best || m.start < best.start || (m.start === best.start && m.id < best.id)) best = m;
  }
  return best;
}

interface OpenEntry {
  kind: ListKind;
  id: string;
  map: Y.Map<unknown>;
}

/** Entries of `doc` that are unfinished and not moved yet: what a roll-over would move. */
export function unfinishedEntries(doc: Y.Doc): OpenEntry[] {
  const out: OpenEntry[] = [];
  for (const kind of ['topics', 'items'] as const) {
    for (const [id, map] of doc.getMap<unknown>(kind).entries()) {
      if (!(map instanceof Y.Map)) continue; // a peer may have written anything
      const text = map.get('text');
      if (typeof text !== 'string' || !text) continue;
      if (map.get('done') === true) continue;
      if (isMarked(map.get('movedTo'))) continue;
      out.push({ kind, id, map: map as Y.Map<unknown> });
    }
  }
  return out;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** Any non-empty mark counts as moved (a peer's odd value must not make an entry roll twice). */
const isMarked = (v: unknown): boolean => (typeof v === 'string' && v !== '') || (typeof v === 'number' && v > 0);

/** 'YYYY-MM-DD' of an instant in this app's time zone (the user's): the marks' form. */
export function dayOf(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export interface RollOverInput {
  /** The meeting that ended (epoch ms): its start date is the "from <date>" of entries raised there. */
  sourceStart: number;
  /** The next meeting of the series (epoch ms): its start date is what source entries are marked moved to. */
  targetStart: number;
}

export interface RollOverResult {
  /** Copies written into the target (0 when another app, or an earlier pass, already wrote them). */
  written: number;
  /** Source entries marked moved by this call. */
  marked: number;
}

/**
 * Moves `source`'s unfinished entries into `target`. Idempotent: a copy already in the target is
 * left as it is (it may have been edited since), and marked entries are not moved again. The
 * target is written before the source is marked, so a pass interrupted in between finishes on the
 * next one instead of losing entries.
 */
export function applyRollOver(source: Y.Doc, target: Y.Doc, input: RollOverInput): RollOverResult {
  if (source === target) throw new Error('A meeting cannot roll over into itself.');
  if (!(input.targetStart > input.sourceStart))
    throw new Error('Roll-over goes to a later meeting of the series.');
  const open = unfinishedEntries(source);
  const result: RollOverResult = { written: 0, marked: 0 };
  if (!open.length) return result;
  target.transact(() => {
    for (const e of open) {
      const list = target.getMap<unknown>(e.kind);
      const id = rolledEntryId(e.kind, e.id);
      if (list.has(id)) continue;
      list.set(id, copyOf(e, input.sourceStart));
      result.written++;
    }
  }, ROLL_OVER_ORIGIN);
  source.transact(() => {
    for (const e of open) {
      e.map.set('movedTo', dayOf(input.targetStart));
      result.marked++;
    }
  }, ROLL_OVER_ORIGIN);
  return result;
}

/** The transaction origin of roll-over writes, for observers that want to tell them apart. */
export const ROLL_OVER_ORIGIN = 'duet-roll-over';

function copyOf(e: OpenEntry, sourceStart: number): Y.Map<unknown> {
  const m = new Y.Map<unknown>();
  const str = (k: string) => {
    const v = e.map.get(k);
    return typeof v === 'string' ? v : '';
  };
  const order = e.map.get('order');
  m.set('text', str('text'));
  m.set('author', str('author'));
  m.set('done', false);
  m.set('doneAt', 0);
  m.set('order', (typeof order === 'number' && Number.isFinite(order) ? order : 0) - ROLLED_ORDER_OFFSET);
  // "from <date>": the meeting the entry was first raised in, kept across further roll-overs.
  const earlier = e.map.get('rolledFrom');
  m.set('rolledFrom', typeof earlier === 'string' && DAY.test(earlier) ? earlier : dayOf(sourceStart));
  if (e.kind === 'items') {
    m.set('assignee', str('assignee'));
    m.set('due', str('due'));
  }
  return m;
}
