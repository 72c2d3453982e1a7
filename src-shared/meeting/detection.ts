// One detection run over one account's cached events (docs/architecture.md §3, §4, §6): the stored
// meetings go to the engine as they are (engine view below), the engine's actions come back as
// document writes. Pure: the renderer's ingest loads the inputs and writes the plan.
import { analyze, indexOfEvent, type Analysis } from '../engine/analyze';
import { applyActions } from '../engine/apply';
import type { CalendarEvent, Decisions, Meeting, MeetingLink, Person, ReasonCode, Scenario, Settings } from '../engine/model';
import { decide } from '../engine/scan';
import { instantOf, toIso } from '../engine/time';
import type { CalendarLink, MeetingDoc, SeriesDoc } from './model';
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
  counts: { created: number; updated: number; unlinked: number; deleted: number };
}

export interface DetectionResult {
  decisions: Decisions;
  analysis: Analysis;
  plan: DetectionPlan;
}

/** A stored meeting as the engine sees it: the same id, instants, participants and link. */
export function toEngineMeeting(doc: MeetingDoc, hasContent: boolean): Meeting {
  const link = doc.linkState === 'linked' && doc.calendarLink ? doc.calendarLink : undefined;
  return {
    id: doc.id,
    participants: [doc.participants[0] ?? '', doc.participants[1] ?? ''],
    title: doc.title,
    start: toIso(doc.start),
    end: toIso(doc.end),
    link: link ? engineLink(link) : null,
    hasContent,
  };
}

/**
 * The engine's canonical link (docs/architecture.md §4): an occurrence of a series is named by its
 * master id and original start, whichever event (master or instance) the stored link addresses.
 */
export function engineLink(link: CalendarLink): MeetingLink {
  return link.recurringEventId !== '' ? { eventId: link.recurringEventId, instanceStart: toIso(link.originalStart) } : { eventId: link.eventId };
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

/** Deterministic series id: the same recurring series gets the same id on every run. */
export function seriesIdFor(provider: string, accountId: string, masterId: string): string {
  const input = JSON.stringify(['duet-series-v1', provider, accountId, masterId]);
  return `ser-${base32(sha256(new TextEncoder().encode(input))).slice(0, 26)}`;
}

export function scenarioOf(input: DetectionInput, meetings: readonly MeetingDoc[]): Scenario {
  return {
    now: toIso(input.now),
    self: input.self,
    mode: input.complete ? 'full' : 'incremental',
    people: [...input.people],
    settings: input.settings,
    events: [...input.events],
    meetings: meetings.map((m) => toEngineMeeting(m, input.withContent.has(m.id))),
  };
}

const sortedPair = (a: string, b: string): string[] => [a.toLowerCase(), b.toLowerCase()].sort();

export function runDetection(input: DetectionInput): DetectionResult {
  const mine = meetingsForAccount(input.meetings, input.accountId);
  const scenario = scenarioOf(input, mine);
  const analysis = analyze(scenario);
  const decisions: Decisions = decide(analysis);
  const after = decisions.actions.length === 0 ? (scenario.meetings ?? []) : applyActions(scenario, decisions.actions, analysis);

  const seriesIds = new Map<string, SeriesDoc>();
  const existingSeries = new Map(input.series.map((s) => [s.id, s]));
  const seriesOut: SeriesDoc[] = [];
  for (const sd of decisions.series) {
    const id = seriesIdFor(input.provider, input.accountId, sd.eventId);
    const masterIdx = analysis.masterIndex.get(sd.eventId);
    const master = masterIdx === undefined ? undefined : analysis.events[masterIdx];
    const old = existingSeries.get(id);
    const next: SeriesDoc = {
      id,
      title: master?.title ?? old?.title ?? '',
      participants: sortedPair(analysis.dir.selfId, sd.counterpart),
      cadence: sd.cadence,
      linkState: 'linked',
      archived: old?.archived ?? false,
      createdAt: old?.createdAt ?? input.now,
      updatedAt: old?.updatedAt ?? input.now,
    };
    if (master) next.calendarLink = linkFor(input, master, undefined);
    seriesIds.set(sd.eventId, next);
    if (!old || !sameSeries(old, next)) seriesOut.push({ ...next, updatedAt: input.now });
  }

  const before = new Map(mine.map((m) => [m.id, m]));
  const plan: DetectionPlan = { meetings: [], deletions: [], series: seriesOut, counts: { created: 0, updated: 0, unlinked: 0, deleted: 0 } };
  const seen = new Set<string>();
  for (const m of after) {
    seen.add(m.id);
    const old = before.get(m.id);
    const doc = docFor(input, analysis, m, old, seriesIds);
    if (!old) {
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
  return { decisions, analysis, plan };
}

function linkFor(input: DetectionInput, ev: CalendarEvent, instanceStart: number | undefined): CalendarLink {
  const recurring = instanceStart !== undefined ? ev.id : (ev.recurringEventId ?? '');
  const original =
    instanceStart !== undefined ? instanceStart : ev.recurringEventId !== undefined ? instantOf(ev.originalStart ?? ev.start) : 0;
  return {
    provider: ev.provider ?? input.provider,
    accountId: input.accountId,
    calendarId: ev.calendarId,
    eventId: ev.id,
    iCalUID: ev.iCalUID ?? '',
    recurringEventId: recurring,
    originalStart: original,
    instanceStart: instanceStart ?? 0,
    etag: ev.etag ?? '',
    managedByApp: ev.duetMeetingId !== undefined,
  };
}

function docFor(
  input: DetectionInput,
  a: Analysis,
  m: Meeting,
  old: MeetingDoc | undefined,
  seriesIds: ReadonlyMap<string, SeriesDoc>,
): MeetingDoc {
  const start = instantOf(m.start);
  const end = instantOf(m.end);
  const base: MeetingDoc = old
    ? { ...old }
    : {
        id: m.id,
        seriesId: '',
        title: '',
        start,
        end,
        participants: sortedPair(m.participants[0], m.participants[1]),
        owner: a.dir.selfId,
        source: 'calendar',
        linkState: 'linked',
        state: 'scheduled',
        roomId: '',
        createdAt: input.now,
        updatedAt: input.now,
      };
  base.title = m.title ?? base.title;
  base.start = start;
  base.end = end;
  if (!m.link) {
    // §4: an event cancelled or gone leaves a meeting with content in place, struck through.
    if (old?.linkState === 'linked') {
      base.linkState = 'unlinked';
      if (base.state === 'scheduled') base.state = 'cancelled';
    }
    return base;
  }
  // The concrete event behind the canonical link: the instance standing for the slot, else the
  // master whose rule produces it (writes address that event).
  const slot = m.link.instanceStart === undefined ? undefined : instantOf(m.link.instanceStart);
  const inst = slot === undefined ? undefined : a.instanceAt.get(m.link.eventId)?.get(slot);
  const idx = inst ?? indexOfEvent(a, m.link.eventId);
  const ev = idx === undefined ? undefined : a.events[idx];
  if (!ev) return base;
  const instanceStart = inst === undefined ? slot : undefined;
  base.calendarLink = linkFor(input, ev, instanceStart);
  base.linkState = 'linked';
  if (base.state === 'cancelled') base.state = 'scheduled';
  const seriesKey = instanceStart !== undefined ? ev.id : ev.recurringEventId;
  base.seriesId = seriesKey === undefined ? '' : (seriesIds.get(seriesKey)?.id ?? '');
  if (!old) {
    const organizer = ev.organizer?.toLowerCase();
    const resolved = organizer === undefined ? undefined : (a.dir.resolve(organizer) ?? organizer);
    base.owner = resolved !== undefined && base.participants.includes(resolved) ? resolved : a.dir.selfId;
  }
  return base;
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
