// One pass of the roll-over runner (docs/architecture.md §5 "Roll-over"): every meeting of a
// series whose roll-over is due gets its unfinished entries moved to the next meeting, through
// whatever opens a meeting's doc (the renderer: its local copy plus the room when it has one; the
// tests: a real sync server). Free of DOM and bridge imports.
import type * as Y from 'yjs';
import type { MeetingDoc } from '../meeting/model';
import { applyRollOver, isRollOverDue, nextMeetingOf, rollOverDueAt, unfinishedEntries } from './roll-over';

export interface OpenedDoc {
  doc: Y.Doc;
  /**
   * Stores what was written (local copy; the room, confirmed stored, when connected) and lets go
   * of the doc. Throws when the writes could not be confirmed.
   */
  close(): Promise<void>;
}

/** Opens a meeting's doc with everything this app can get of it: its local copy, then its room. */
export type OpenMeetingDoc = (meeting: MeetingDoc) => Promise<OpenedDoc>;

export interface RollOverPassOptions {
  now: number;
  open: OpenMeetingDoc;
  /**
   * Meetings found with nothing left to move, kept by the caller across passes so each is
   * looked at once per app run (a later pass still retries those that failed or had no next
   * meeting yet).
   */
  settled: Set<string>;
  /** Meetings looked at per pass (each opens one or two docs); the rest wait for the next pass. */
  limit?: number;
}

export interface RollOverPassResult {
  /** Meetings whose entries moved in this pass. */
  rolled: { from: string; to: string; written: number; marked: number }[];
  /** Due meetings with unfinished entries but no next meeting yet. */
  waiting: string[];
  errors: string[];
}

export async function rollOverPass(
  meetings: readonly MeetingDoc[],
  options: RollOverPassOptions,
): Promise<RollOverPassResult> {
  const result: RollOverPassResult = { rolled: [], waiting: [], errors: [] };
  const due = meetings
    .filter((m) => !options.settled.has(m.id) && isRollOverDue(m, options.now))
    .sort((a, b) => rollOverDueAt(a) - rollOverDueAt(b) || (a.id < b.id ? -1 : 1));
  for (const meeting of due.slice(0, options.limit ?? 20)) {
    try {
      const outcome = await rollOne(meeting, meetings, options.open);
      if (outcome === 'settled') options.settled.add(meeting.id);
      else if (outcome === 'waiting') result.waiting.push(meeting.id);
      else {
        result.rolled.push(outcome);
        options.settled.add(meeting.id);
      }
    } catch (error) {
      result.errors.push(`${meeting.id}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return result;
}

async function rollOne(
  meeting: MeetingDoc,
  meetings: readonly MeetingDoc[],
  open: OpenMeetingDoc,
): Promise<'settled' | 'waiting' | RollOverPassResult['rolled'][number]> {
  const source = await open(meeting);
  let closed = false;
  try {
    if (!unfinishedEntries(source.doc).length) return 'settled';
    const next = nextMeetingOf(meeting, meetings);
    if (!next) return 'waiting';
    const target = await open(next);
    let counts;
    try {
      counts = applyRollOver(source.doc, target.doc, { sourceStart: meeting.start, targetStart: next.start });
    } finally {
      // The copies are stored before the source's marks (applyRollOver's order, kept here).
      await target.close();
    }
    closed = true;
    await source.close();
    return { from: meeting.id, to: next.id, ...counts };
  } finally {
    if (!closed) await source.close().catch(() => undefined);
  }
}
