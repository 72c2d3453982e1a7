// Applies a scan's actions to the meetings: the stored documents themselves (applyToMeetings, what
// the app writes to RxDB), or a scan file's meetings (applyActions, what the CLI and the
// idempotency property use: scan → apply → scan gives no actions).
import { analyze, indexOfEvent, masterOccurrence, occurrenceOfEvent, type Analysis, type Occurrence } from './analyze';
import { calendarMeetingId, nextMeetingId, sharedMeetingId } from '../meeting/meeting-id';
import { linkOf, linkTo } from './meeting-link';
import type { Action, CalendarEvent, Meeting, MeetingLink, Scenario, ScanMeeting } from './model';
import { toScanMeeting } from './scan-file';
import { cmp } from './people';
import { instantOf, toIso } from './time';

export class ApplyError extends Error {}

function occurrenceFor(a: Analysis, action: Action): Occurrence {
  const idx = action.eventId === undefined ? undefined : indexOfEvent(a, action.eventId);
  const occ =
    idx === undefined
      ? undefined
      : action.instanceStart === undefined
        ? occurrenceOfEvent(a, idx)
        : masterOccurrence(a, idx, instantOf(action.instanceStart));
  if (!occ) throw new ApplyError(`${action.op}: no occurrence for ${action.eventId ?? '?'} ${action.instanceStart ?? ''}`);
  return occ;
}

/**
 * The canonical link to an occurrence (docs/architecture.md §4): a one-off event by its id; an
 * occurrence of a series by (master id, original start), whether the master's rule produced it or
 * the provider listed it as its own instance event. So a second pass over the other listing of the
 * same calendar finds the same link and has nothing to do.
 */
export function canonicalLink(a: Analysis, occ: Pick<Occurrence, 'eventIndex' | 'instanceStart'>): MeetingLink {
  const ev = a.events[occ.eventIndex] as CalendarEvent;
  if (occ.instanceStart !== undefined) return { eventId: ev.id, instanceStart: toIso(occ.instanceStart) };
  if (ev.recurringEventId !== undefined) {
    return { eventId: ev.recurringEventId, instanceStart: toIso(instantOf(ev.originalStart ?? ev.start)) };
  }
  return { eventId: ev.id };
}

/**
 * The deterministic id of a meeting created for an occurrence (src-shared/meeting/meeting-id.ts,
 * docs/architecture.md §4): from its iCalendar UID and original start, so the same occurrence gets
 * the same id whether its master's rule produced it or the provider listed it as its own instance
 * event, and whichever connected account listed it. The series' UID is read from the master when
 * it is in the listing (Graph without `uid` gives each occurrence an iCalUId of its own).
 */
export function createdMeetingId(a: Analysis, occ: Pick<Occurrence, 'eventIndex' | 'instanceStart'>): string {
  const ev = a.events[occ.eventIndex] as CalendarEvent;
  const base = { provider: ev.provider, accountId: ev.accountId };
  if (occ.instanceStart !== undefined) {
    return ev.iCalUID ? sharedMeetingId(ev.iCalUID, occ.instanceStart) : calendarMeetingId({ ...base, key: ev.id, originalStart: occ.instanceStart });
  }
  if (ev.recurringEventId !== undefined) {
    const original = instantOf(ev.originalStart ?? ev.start);
    const masterIdx = a.masterIndex.get(ev.recurringEventId);
    const uid = (masterIdx === undefined ? undefined : a.events[masterIdx]?.iCalUID) ?? ev.iCalUID;
    return uid ? sharedMeetingId(uid, original) : calendarMeetingId({ ...base, key: ev.recurringEventId, originalStart: original });
  }
  return ev.iCalUID ? sharedMeetingId(ev.iCalUID) : calendarMeetingId({ ...base, key: ev.id });
}

export interface ApplyOptions {
  /**
   * The series id of a recurring master's meetings ('' when it forms no series): detection's
   * choice. `stored` is the meeting's current series id.
   */
  seriesIdOf?: (masterEventId: string, stored: string) => string;
}

const sortedPair = (a: string, b: string): string[] => [a.toLowerCase(), b.toLowerCase()].sort();

/**
 * The stored documents after applying `actions` (from decide(a)) to a.input.meetings, sorted by id.
 * Whole documents: a created meeting gets its deterministic id, owner and link; a linked or updated
 * one its occurrence's title and times; every linked meeting its event's current link (etag,
 * instance) and series. Meetings the actions leave alone keep everything else as stored.
 */
export function applyToMeetings(a: Analysis, actions: readonly Action[], options: ApplyOptions = {}): Meeting[] {
  const input = a.input;
  const now = instantOf(input.now);
  const byId = new Map<string, Meeting>();
  for (const m of input.meetings ?? []) byId.set(m.id, m);
  const get = (action: Action): Meeting => {
    const m = action.meetingId === undefined ? undefined : byId.get(action.meetingId);
    if (!m) throw new ApplyError(`${action.op}: unknown meeting ${action.meetingId ?? '?'}`);
    return m;
  };
  const adopt = (m: Meeting, occ: Occurrence, withLink: boolean): Meeting => {
    const next: Meeting = { ...m, title: occ.title, start: occ.start, end: occ.end };
    if (withLink) {
      next.calendarLink = linkTo(input, a.events[occ.eventIndex] as CalendarEvent, occ.instanceStart);
      next.linkState = 'linked';
    }
    return next;
  };
  for (const action of actions) {
    switch (action.op) {
      case 'create': {
        const occ = occurrenceFor(a, action);
        const base = createdMeetingId(a, occ);
        let id = base;
        for (let k = 2; byId.has(id); k++) id = nextMeetingId(base, k);
        const ev = a.events[occ.eventIndex] as CalendarEvent;
        const participants = sortedPair(a.dir.selfId, occ.counterpart as string);
        const organizer = ev.organizer?.toLowerCase();
        const resolved = organizer === undefined ? undefined : (a.dir.resolve(organizer) ?? organizer);
        const created: Meeting = {
          id,
          seriesId: '',
          title: '',
          start: occ.start,
          end: occ.end,
          participants,
          owner: resolved !== undefined && participants.includes(resolved) ? resolved : a.dir.selfId,
          source: 'calendar',
          linkState: 'linked',
          state: 'scheduled',
          roomId: '',
          createdAt: now,
          updatedAt: now,
        };
        byId.set(id, adopt(created, occ, true));
        break;
      }
      case 'link': {
        const m = get(action);
        byId.set(m.id, adopt(m, occurrenceFor(a, action), true));
        break;
      }
      case 'update': {
        const m = get(action);
        byId.set(m.id, adopt(m, occurrenceFor(a, action), false));
        break;
      }
      case 'unlink': {
        // docs/architecture.md §4: an event cancelled or gone leaves a meeting with content in
        // place, struck through; its link stays as the record of the event it came from.
        const m = get(action);
        byId.set(m.id, { ...m, linkState: 'unlinked', state: m.state === 'scheduled' ? 'cancelled' : m.state });
        break;
      }
      case 'delete':
        get(action);
        byId.delete(action.meetingId as string);
        break;
    }
  }
  const out: Meeting[] = [];
  for (const m of byId.values()) out.push(refreshLink(a, m, options));
  return out.sort((x, y) => cmp(x.id, y.id));
}

/** A linked meeting follows its event's current version: the link (etag, instance event) and series. */
function refreshLink(a: Analysis, m: Meeting, options: ApplyOptions): Meeting {
  const link = linkOf(m);
  if (!link) return m;
  // The concrete event behind the canonical link: the instance standing for the slot, else the
  // master whose rule produces it (writes address that event).
  const slot = link.instanceStart;
  const inst = slot === undefined ? undefined : a.instanceAt.get(link.eventId)?.get(slot);
  const idx = inst ?? indexOfEvent(a, link.eventId);
  const ev = idx === undefined ? undefined : a.events[idx];
  if (!ev) return m;
  const instanceStart = inst === undefined ? slot : undefined;
  const seriesKey = instanceStart !== undefined ? ev.id : ev.recurringEventId;
  const next: Meeting = {
    ...m,
    calendarLink: linkTo(a.input, ev, instanceStart),
    seriesId: seriesKey === undefined ? '' : (options.seriesIdOf?.(seriesKey, m.seriesId) ?? ''),
  };
  if (next.state === 'cancelled') next.state = 'scheduled';
  return next;
}

/**
 * A scan file's meetings after applying `actions` (from scan(scenario)), in the file's form, sorted
 * by id: what the CLI's users and the idempotency property check (scan → apply → scan gives no actions).
 */
export function applyActions(scenario: Scenario, actions: readonly Action[], analysis?: Analysis): ScanMeeting[] {
  const a = analysis ?? analyze(scenario);
  const withContent = a.input.withContent;
  return applyToMeetings(a, actions).map((m) => toScanMeeting(m, withContent?.has(m.id) === true));
}
