// One detection run over one account's cached events (docs/architecture.md §3, §4, §6): the stored
// meetings go to the engine as they are (one shape: src-shared/meeting/model.ts), and the engine
// hands back whole documents; this module only decides which of them changed and must be written. Pure: the renderer's ingest loads the inputs and writes the plan.
import { analyzeInput, type Analysis } from '../engine/analyze';
import { applyToMeetings } from '../engine/apply';
import { linkTo } from '../engine/meeting-link';
import type { CalendarEvent, Decisions, EngineInput, Person, ReasonCode, SeriesDecision, Settings } from '../engine/model';
import { decide } from '../engine/scan';
import { detectSplits } from '../engine/series';
import { toIso } from '../engine/time';
import type { CalendarLink, MeetingDoc, SeriesDoc } from './model';
import { sharedMeetingId } from './meeting-id';
import { leadMaster, linkedSeriesKey, masterGone, seriesOwners } from './series-links';
import { base32, sha256 } from './sha256';

export interface DetectionInput {
  accountId: string;
  provider: 'google' | 'microsoft';
  /** The account's email: the engine's `self`. */
  self: string;
  /** The cache holds the account's whole window: an event missing from it is gone. */
  complete: boolean;
  events: readonly CalendarEvent[];
  people: readonly Person[];
  settings: Settings;
  /** Epoch ms. */
  now: number;
  /** Every stored meeting; the run takes those it may touch (see meetingsForAccount). */
  meetings: readonly MeetingDoc[];
  series: readonly SeriesDoc[];
  /** Meetings with an agenda topic, action item, shared or private note: never deleted. */
  withContent: ReadonlySet<string>;
}

export interface DetectionPlan {
  /** Meetings to write (created or changed), whole documents. */
  meetings: MeetingDoc[];
  /** Meeting ids to delete. */
  deletions: string[];
  series: SeriesDoc[];
  /** `sharedWithOtherAccount`: occurrences not created because another account's meeting stands for them. */
  counts: { created: number; updated: number; unlinked: number; deleted: number; sharedWithOtherAccount: number };
}

export interface DetectionResult {
  decisions: Decisions;
  analysis: Analysis;
  plan: DetectionPlan;
}

/**
 * The meetings one account's run may touch: those linked to its events, and every unlinked,
 * unarchived one (step 2 of §4 may link it). Meetings of other accounts are left alone: to this
 * account's cache their events look absent.
 */
export function meetingsForAccount(meetings: readonly MeetingDoc[], accountId: string): MeetingDoc[] {
  return meetings.filter((m) =>
    m.linkState === 'linked' ? m.calendarLink?.accountId === accountId : m.linkState === 'unlinked' && m.state !== 'archived',
  );
}

/** The meeting id an event's UID and original start give (meeting-id.ts); undefined without a UID. */
export function sharedKeyOf(link: CalendarLink): string | undefined {
  if (link.iCalUID === '') return undefined;
  return sharedMeetingId(link.iCalUID, link.recurringEventId !== '' ? link.originalStart : undefined);
}

/** Ids and UID keys of the meetings linked to other accounts' events. */
function heldByOtherAccounts(meetings: readonly MeetingDoc[], accountId: string): Set<string> {
  const held = new Set<string>();
  for (const m of meetings) {
    if (m.linkState !== 'linked' || !m.calendarLink || m.calendarLink.accountId === accountId) continue;
    held.add(m.id);
    const key = sharedKeyOf(m.calendarLink);
    if (key !== undefined) held.add(key);
  }
  return held;
}

/** Deterministic series id: the same recurring series gets the same id on every run. */
export function seriesIdFor(provider: string, accountId: string, masterId: string): string {
  const input = JSON.stringify(['duet-series-v1', provider, accountId, masterId]);
  return `ser-${base32(sha256(new TextEncoder().encode(input))).slice(0, 26)}`;
}

/** The engine's input: the stored documents as they are (no copy, no conversion). */
export function engineInputOf(input: DetectionInput, meetings: readonly MeetingDoc[]): EngineInput {
  return {
    now: toIso(input.now),
    self: input.self,
    mode: input.complete ? 'full' : 'incremental',
    people: [...input.people],
    settings: input.settings,
    events: [...input.events],
    meetings,
    withContent: input.withContent,
    provider: input.provider,
    accountId: input.accountId,
  };
}

const sortedPair = (a: string, b: string): string[] => [a.toLowerCase(), b.toLowerCase()].sort();

export function runDetection(input: DetectionInput): DetectionResult {
  const mine = meetingsForAccount(input.meetings, input.accountId);
  const analysis = analyzeInput(engineInputOf(input, mine));
  const decisions: Decisions = decide(analysis);

  // docs/architecture.md §4, "Series links": which series each master belongs to (a recorded
  // Relink choice, else its own), and the master each series follows.
  const ambiguousFrom = new Set(detectSplits(analysis).ambiguous);
  const owners = seriesOwners(input.accountId, input.series, (masterId) => seriesIdFor(input.provider, input.accountId, masterId));
  const existingSeries = new Map(input.series.map((s) => [s.id, s]));
  const groups = new Map<string, SeriesDecision[]>();
  for (const sd of decisions.series) {
    const id = owners.ownerOf(sd.eventId);
    const list = groups.get(id);
    if (list) list.push(sd);
    else groups.set(id, [sd]);
  }
  const seriesIds = new Map<string, SeriesDoc>();
  const seriesOut: SeriesDoc[] = [];
  for (const [id, members] of groups) {
    const old = existingSeries.get(id);
    const storedLink = old?.calendarLink?.accountId === input.accountId ? linkedSeriesKey(old.calendarLink) : undefined;
    const sd = leadMaster(analysis, members, storedLink);
    const masterIdx = analysis.masterIndex.get(sd.eventId);
    const master = masterIdx === undefined ? undefined : analysis.events[masterIdx];
    const next: SeriesDoc = {
      id,
      title: master?.title ?? old?.title ?? '',
      participants: sortedPair(analysis.dir.selfId, sd.counterpart),
      cadence: sd.cadence,
      // An ambiguous "this and following" split: which new event continues it is the user's call.
      linkState: ambiguousFrom.has(sd.eventId) ? 'disconnected' : 'linked',
      archived: old?.archived ?? false,
      createdAt: old?.createdAt ?? input.now,
      updatedAt: old?.updatedAt ?? input.now,
    };
    if (master) next.calendarLink = linkTo(input, master, undefined);
    // A series of loose instances (no master listed) keeps the link its Relink recorded.
    else if (old?.calendarLink && storedLink === sd.eventId) next.calendarLink = old.calendarLink;
    for (const member of members) seriesIds.set(member.eventId, next);
    if (!old || !sameSeries(old, next)) seriesOut.push({ ...next, updatedAt: input.now });
  }

  // Every linked meeting is refreshed (etag, instance, series), not only those the actions name.
  // A series this listing does not show as one (Graph's loose instances, say) keeps the meetings
  // it already had: the series id is a function of the master (or the series' recorded link), so
  // the stored one is still right.
  const seriesIdOf = (masterId: string, stored: string): string =>
    seriesIds.get(masterId)?.id ?? (stored !== '' && (stored === owners.ownerOf(masterId) || stored === owners.ownIdOf(masterId)) ? stored : '');
  const after = applyToMeetings(analysis, decisions.actions, { seriesIdOf });
  const before = new Map(mine.map((m) => [m.id, m]));
  const held = heldByOtherAccounts(input.meetings, input.accountId);
  const plan: DetectionPlan = { meetings: [], deletions: [], series: seriesOut, counts: { created: 0, updated: 0, unlinked: 0, deleted: 0, sharedWithOtherAccount: 0 } };
  const seen = new Set<string>();
  for (const doc of after) {
    seen.add(doc.id);
    const old = before.get(doc.id);
    if (!old) {
      // docs/architecture.md §4: the event is already a meeting through another account (same
      // UID and original start): that meeting stands for it, this account adds none.
      if (held.has(doc.id) || (doc.calendarLink && held.has(sharedKeyOf(doc.calendarLink) ?? ''))) {
        plan.counts.sharedWithOtherAccount++;
        continue;
      }
      plan.meetings.push(doc);
      plan.counts.created++;
    } else if (!sameMeeting(old, doc)) {
      plan.meetings.push({ ...doc, updatedAt: input.now });
      if (doc.linkState === 'unlinked' && old.linkState === 'linked') plan.counts.unlinked++;
      else plan.counts.updated++;
    }
  }
  for (const id of before.keys()) {
    if (!seen.has(id)) {
      plan.deletions.push(id);
      plan.counts.deleted++;
    }
  }
  plan.series.push(...disconnectedSeries(input, analysis, decisions, before, after, seriesIds));
  return { decisions, analysis, plan };
}

/**
 * docs/architecture.md §4, "Series links": a linked series that this pass finds no master for,
 * whose meetings the pass unlinked or deleted because their recurring event is gone (cancelled, or
 * absent from a whole-window cache), and that still has meetings (kept for their content) is
 * disconnected: new meetings from the calendar will not join it until the user relinks it. A second
 * pass removes nothing, so it leaves the series as it is (idempotent); a pass that finds its master
 * again (or the one the user chose) links it again.
 */
function disconnectedSeries(
  input: DetectionInput,
  analysis: Analysis,
  decisions: Decisions,
  before: ReadonlyMap<string, MeetingDoc>,
  after: readonly MeetingDoc[],
  decided: ReadonlyMap<string, SeriesDoc>,
): SeriesDoc[] {
  const removed = new Map<string, Set<string>>();
  for (const action of decisions.actions) {
    if ((action.op !== 'unlink' && action.op !== 'delete') || action.eventId === undefined) continue;
    const seriesId = before.get(action.meetingId ?? '')?.seriesId ?? '';
    if (seriesId === '') continue;
    const masters = removed.get(seriesId);
    if (masters) masters.add(action.eventId);
    else removed.set(seriesId, new Set([action.eventId]));
  }
  if (removed.size === 0) return [];
  const decidedIds = new Set([...decided.values()].map((s) => s.id));
  const out: SeriesDoc[] = [];
  for (const s of input.series) {
    const masters = removed.get(s.id);
    if (!masters || s.linkState !== 'linked' || decidedIds.has(s.id)) continue;
    if (![...masters].every((id) => masterGone(analysis, id))) continue;
    const kept = after.some((m) => m.seriesId === s.id) || input.meetings.some((m) => m.seriesId === s.id && !before.has(m.id));
    if (kept) out.push({ ...s, linkState: 'disconnected', updatedAt: input.now });
  }
  return out;
}

const linkKey = (l: CalendarLink | undefined): string => (l ? JSON.stringify([l.provider, l.accountId, l.calendarId, l.eventId, l.iCalUID, l.recurringEventId, l.originalStart, l.instanceStart, l.etag, l.managedByApp]) : '');

function sameMeeting(x: MeetingDoc, y: MeetingDoc): boolean {
  return (
    x.title === y.title &&
    x.start === y.start &&
    x.end === y.end &&
    x.seriesId === y.seriesId &&
    x.owner === y.owner &&
    x.linkState === y.linkState &&
    x.state === y.state &&
    x.participants.join() === y.participants.join() &&
    linkKey(x.calendarLink) === linkKey(y.calendarLink)
  );
}

function sameSeries(x: SeriesDoc, y: SeriesDoc): boolean {
  return (
    x.title === y.title &&
    x.cadence === y.cadence &&
    x.linkState === y.linkState &&
    x.participants.join() === y.participants.join() &&
    linkKey(x.calendarLink) === linkKey(y.calendarLink)
  );
}

/** Events not taken, by reason (an event with several reasons counts under each). */
export function skippedByReason(decisions: Decisions): Partial<Record<ReasonCode, number>> {
  const out: Partial<Record<ReasonCode, number>> = {};
  for (const e of decisions.events) for (const r of e.reasons) out[r] = (out[r] ?? 0) + 1;
  return out;
}
