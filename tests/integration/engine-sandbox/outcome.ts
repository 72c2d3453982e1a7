// Runs the engine on what a face returned and reads the result back in the seed's terms.
import {
  applyActions,
  scan,
  type CalendarEvent,
  type Decisions,
  type EventDecision,
  type ScanMeeting,
  type Scenario,
  type ScanMode,
} from '../../../src-shared/engine';
import { MAYA, PEOPLE } from './seed-facts';

export interface Outcome {
  scenario: Scenario;
  decisions: Decisions;
  /** The meetings after applying the scan's actions to the scenario's meetings. */
  meetings: ScanMeeting[];
}

export function runEngine(
  events: CalendarEvent[],
  now: Date,
  meetings: ScanMeeting[] = [],
  mode: ScanMode = 'full',
): Outcome {
  const scenario: Scenario = { now: now.toISOString(), self: MAYA, mode, people: PEOPLE, events, meetings };
  const decisions = scan(scenario);
  return { scenario, decisions, meetings: applyActions(scenario, decisions.actions) };
}

/** The series an event belongs to: its master's id, or its own for a single event or master. */
export const rootOf = (ev: CalendarEvent): string => ev.recurringEventId ?? ev.id;

/** Decisions about the (non-cancelled) events of one series or single event, with their events. */
export function decisionsOf(
  o: Outcome,
  rootId: string,
): Array<{ event: CalendarEvent; decision: EventDecision }> {
  const byId = new Map(o.decisions.events.map((d) => [d.id, d]));
  return o.scenario.events
    .filter((ev) => rootOf(ev) === rootId && ev.status !== 'cancelled')
    .map((event) => ({ event, decision: byId.get(event.id) as EventDecision }));
}

export const counterpartOf = (m: ScanMeeting): string =>
  m.participants[0] === MAYA ? m.participants[1] : m.participants[0];

/** Starts (epoch ms, ascending) of the meetings with one person. */
export function meetingStarts(meetings: ScanMeeting[], person: string): number[] {
  return meetings
    .filter((m) => counterpartOf(m) === person)
    .map((m) => Date.parse(m.start))
    .sort((a, b) => a - b);
}

/** The 1:1 occurrences as comparable keys: counterpart and start instant. */
export function occurrenceKeys(meetings: ScanMeeting[]): string[] {
  return meetings.map((m) => `${counterpartOf(m)} ${new Date(Date.parse(m.start)).toISOString()}`).sort();
}

/** The meeting standing for the occurrence of `person` that starts at `ms`. */
export function meetingAt(meetings: ScanMeeting[], person: string, ms: number): ScanMeeting | undefined {
  return meetings.find((m) => counterpartOf(m) === person && Date.parse(m.start) === ms);
}
