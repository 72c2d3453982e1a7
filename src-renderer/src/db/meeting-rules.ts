// The meeting lifecycle rules, enforced where meetings are written (docs/architecture.md §2
// "Lifecycle rules"): RxDB hooks on the meetings and series collections, installed by
// openDuetDatabase, so no screen, bridge call or write from another window can break them.
//   - Archive: a meeting that has ended; a series that has ended (no coming meeting that is not
//     cancelled). Unarchive: always.
//   - Delete: only a meeting that has not started, only by its owner (one of the user's own
//     addresses), and only one that does not follow a calendar event (that one is cancelled in
//     the calendar, or with "Cancel meeting" for an event Duet made: otherwise the next sync
//     would bring it back). A meeting that has started can only be archived.
//   - The calendar ingest and the rooms pass remove meetings the calendar or the server took
//     away (docs/architecture.md §4-5); they declare those removals first (`allowRemoval`).
// Each refusal is a MeetingRuleError whose message is the sentence the UI shows.
import type { RxCollection } from 'rxdb';
import type { MeetingDoc, SeriesDoc } from '../../../src-shared/meeting/model';
import type { DuetDatabase } from './database';

export class MeetingRuleError extends Error {}

/** The address a meeting made without a calendar is owned by (features/schedule/schedule-meeting.ts). */
export const LOCAL_OWNER = 'you@duet.invalid';

export type Verdict = { ok: true } | { ok: false; reason: string };
const OK: Verdict = { ok: true };
const no = (reason: string): Verdict => ({ ok: false, reason });

type RuleMeeting = Pick<MeetingDoc, 'start' | 'end' | 'state' | 'owner' | 'linkState' | 'calendarLink'>;

export function canArchiveMeeting(m: RuleMeeting, now: number): Verdict {
  if (m.state === 'archived') return no('This meeting is already archived.');
  if (m.end > now) return no('Only a meeting that has ended can be archived.');
  return OK;
}

export function canUnarchiveMeeting(m: RuleMeeting): Verdict {
  return m.state === 'archived' ? OK : no('This meeting is not archived.');
}

/** `mine`: the user's own addresses (calendar accounts' and the local owner). */
export function canDeleteMeeting(m: RuleMeeting, mine: ReadonlySet<string>, now: number): Verdict {
  if (m.start <= now) return no('A meeting that has started cannot be deleted; archive it instead.');
  if (!mine.has(m.owner.toLowerCase())) return no(`Only the meeting's owner (${m.owner}) can delete it.`);
  if (m.linkState === 'linked' && m.calendarLink)
    return no(
      m.calendarLink.managedByApp
        ? 'This meeting is on your calendar: cancel it instead.'
        : 'This meeting follows a calendar event: cancel it in the calendar.',
    );
  return OK;
}

/** `coming`: how many of the series' meetings end after now and are not cancelled. */
export function canArchiveSeries(s: Pick<SeriesDoc, 'archived'>, coming: number): Verdict {
  if (s.archived) return no('This series is already archived.');
  if (coming > 0) return no('Only a series that has ended can be archived: it still has meetings coming.');
  return OK;
}

// Removals declared by the ingest and the rooms pass, per collection: each id allows one removal.
const declared = new WeakMap<object, Set<string>>();

/**
 * Lets the next removal of each of `ids` through: for the writers that follow the calendar or the
 * sync server (the ingest removing a meeting whose event is gone, the rooms pass removing a
 * shared copy), never for a person's delete.
 */
export function allowRemoval(collection: RxCollection<MeetingDoc>, ids: readonly string[]): void {
  let set = declared.get(collection);
  if (!set) declared.set(collection, (set = new Set()));
  for (const id of ids) set.add(id);
}

export interface RuleContext {
  now: () => number;
  /** The user's own addresses, lower-cased. */
  mine: () => Promise<ReadonlySet<string>>;
}

/** Installs the rules on the two collections (series rules read the meetings collection). */
export function installMeetingRules(
  meetings: RxCollection<MeetingDoc>,
  series: RxCollection<SeriesDoc>,
  ctx: RuleContext,
): void {
  const refuse = (v: Verdict) => {
    if (!v.ok) throw new MeetingRuleError(v.reason);
  };
  meetings.preInsert((data: MeetingDoc) => {
    if (data.state === 'archived') refuse(canArchiveMeeting({ ...data, state: 'scheduled' }, ctx.now()));
  }, false);
  meetings.preSave((data: MeetingDoc, before: MeetingDoc) => {
    if (data.state === 'archived' && before.state !== 'archived')
      refuse(canArchiveMeeting({ ...data, state: before.state }, ctx.now()));
  }, false);
  meetings.preRemove(async (data: MeetingDoc) => {
    const set = declared.get(meetings);
    if (set?.delete(data.id)) return;
    refuse(canDeleteMeeting(data, await ctx.mine(), ctx.now()));
  }, false);

  const coming = (seriesId: string) =>
    meetings
      .count({ selector: { seriesId, end: { $gt: ctx.now() }, state: { $ne: 'cancelled' } } })
      .exec();
  series.preInsert(async (data: SeriesDoc) => {
    if (data.archived) refuse(canArchiveSeries({ archived: false }, await coming(data.id)));
  }, false);
  series.preSave(async (data: SeriesDoc, before: SeriesDoc) => {
    if (data.archived && !before.archived) refuse(canArchiveSeries(before, await coming(data.id)));
  }, false);
}

type OwnDb = Pick<DuetDatabase, 'calendarAccounts' | 'people'>;

/**
 * The user's own addresses: every connected calendar's address, the primary email of a person
 * the user is listed as (the engine's owner of calendar meetings), and the local owner.
 */
export async function ownAddresses(db: OwnDb): Promise<ReadonlySet<string>> {
  const out = new Set<string>([LOCAL_OWNER]);
  for (const a of await db.calendarAccounts.find().exec()) out.add(a.self.toLowerCase());
  for (const p of await db.people.find().exec()) {
    if (out.has(p.email) || p.aliases.some((x) => out.has(x))) out.add(p.email);
  }
  return out;
}

// The operations screens call (the meeting page; Meetings rows may use the same). The hooks above
// refuse anything else, so these only read the verdict first to show it in words.
type LifecycleDb = Pick<DuetDatabase, 'calendarAccounts' | 'people' | 'meetings' | 'series'>;

async function meetingOf(db: LifecycleDb, id: string) {
  const doc = await db.meetings.findOne(id).exec();
  if (!doc) throw new MeetingRuleError('That meeting no longer exists.');
  return doc;
}

export async function archiveMeeting(db: LifecycleDb, id: string, now = Date.now()): Promise<void> {
  await (await meetingOf(db, id)).incrementalPatch({ state: 'archived', updatedAt: now });
}

export async function unarchiveMeeting(db: LifecycleDb, id: string, now = Date.now()): Promise<void> {
  const doc = await meetingOf(db, id);
  const v = canUnarchiveMeeting(doc);
  if (!v.ok) throw new MeetingRuleError(v.reason);
  await doc.incrementalPatch({ state: 'scheduled', updatedAt: now });
}

export async function deleteMeeting(db: LifecycleDb, id: string): Promise<void> {
  await (await meetingOf(db, id)).remove();
}

/** What the meeting page shows: each action allowed, or why not. */
export async function meetingActions(
  db: LifecycleDb,
  m: MeetingDoc,
  now = Date.now(),
): Promise<{ archive: Verdict; unarchive: Verdict; delete: Verdict }> {
  return {
    archive: canArchiveMeeting(m, now),
    unarchive: canUnarchiveMeeting(m),
    delete: canDeleteMeeting(m, await ownAddresses(db), now),
  };
}

export async function archiveSeries(db: LifecycleDb, id: string, now = Date.now()): Promise<void> {
  const doc = await db.series.findOne(id).exec();
  if (!doc) throw new MeetingRuleError('That series no longer exists.');
  await doc.incrementalPatch({ archived: true, updatedAt: now });
}

export async function unarchiveSeries(db: LifecycleDb, id: string, now = Date.now()): Promise<void> {
  const doc = await db.series.findOne(id).exec();
  if (!doc) throw new MeetingRuleError('That series no longer exists.');
  if (!doc.archived) throw new MeetingRuleError('This series is not archived.');
  await doc.incrementalPatch({ archived: false, updatedAt: now });
}
