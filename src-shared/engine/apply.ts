// Applies a scan's actions to the meetings list: what the app does with a scan's result, and
// what the idempotency property is checked against (scan → apply → scan gives no actions).
import { analyze, indexOfEvent, masterOccurrence, occurrenceOfEvent, type Analysis, type Occurrence } from './analyze';
import { calendarMeetingId, nextMeetingId } from '../meeting/meeting-id';
import type { Action, CalendarEvent, Meeting, MeetingLink, Scenario } from './model';
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

function adopt(a: Analysis, m: Meeting, occ: Occurrence, withLink: boolean): Meeting {
  const next: Meeting = { ...m, title: occ.title, start: toIso(occ.start), end: toIso(occ.end) };
  if (withLink) next.link = canonicalLink(a, occ);
  return next;
}

/**
 * The deterministic id of a meeting created for an occurrence (src-shared/meeting/meeting-id.ts):
 * the same occurrence gets the same id whether its master's rule produced it or the provider
 * listed it as its own instance event.
 */
export function createdMeetingId(a: Analysis, occ: Pick<Occurrence, 'eventIndex' | 'instanceStart'>): string {
  const ev = a.events[occ.eventIndex] as CalendarEvent;
  const base = { provider: ev.provider, accountId: ev.accountId };
  if (occ.instanceStart !== undefined) return calendarMeetingId({ ...base, key: ev.id, originalStart: occ.instanceStart });
  if (ev.recurringEventId !== undefined) {
    return calendarMeetingId({ ...base, key: ev.recurringEventId, originalStart: instantOf(ev.originalStart ?? ev.start) });
  }
  return calendarMeetingId({ ...base, key: ev.iCalUID ?? ev.id });
}

/**
 * The meetings after applying `actions` (from scan(scenario)) to scenario.meetings, sorted by id.
 * Created meetings get a deterministic id derived from their occurrence.
 */
export function applyActions(scenario: Scenario, actions: readonly Action[], analysis?: Analysis): Meeting[] {
  const a = analysis ?? analyze(scenario);
  const byId = new Map<string, Meeting>();
  for (const m of scenario.meetings ?? []) byId.set(m.id, m);
  const get = (action: Action): Meeting => {
    const m = action.meetingId === undefined ? undefined : byId.get(action.meetingId);
    if (!m) throw new ApplyError(`${action.op}: unknown meeting ${action.meetingId ?? '?'}`);
    return m;
  };
  for (const action of actions) {
    switch (action.op) {
      case 'create': {
        const occ = occurrenceFor(a, action);
        const base = createdMeetingId(a, occ);
        let id = base;
        for (let k = 2; byId.has(id); k++) id = nextMeetingId(base, k);
        byId.set(id, adopt(a, { id, participants: [a.dir.selfId, occ.counterpart as string], start: '', end: '', hasContent: false }, occ, true));
        break;
      }
      case 'link': {
        const m = get(action);
        byId.set(m.id, adopt(a, m, occurrenceFor(a, action), true));
        break;
      }
      case 'update': {
        const m = get(action);
        byId.set(m.id, adopt(a, m, occurrenceFor(a, action), false));
        break;
      }
      case 'unlink': {
        const m = get(action);
        byId.set(m.id, { ...m, link: null });
        break;
      }
      case 'delete':
        get(action);
        byId.delete(action.meetingId as string);
        break;
    }
  }
  return [...byId.values()].sort((x, y) => cmp(x.id, y.id));
}
