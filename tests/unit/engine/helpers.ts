// Builders for realistic scenarios: a manager (Maya) on her primary Google calendar in New York,
// her reports, a room, and one-on-ones shaped like the ones calendars really hold.
import { applyActions } from '../../../src-shared/engine/apply';
import type { CalendarEvent, Decisions, EventDecision, ScanMeeting, Person, Scenario } from '../../../src-shared/engine/model';
import { scan } from '../../../src-shared/engine/scan';

export const NOW = '2024-03-06T17:00:00Z';
export const MAYA = 'maya.chen@acme.io';
export const SAM = 'sam.ortiz@acme.io';
export const LEE = 'lee.park@acme.io';
export const RUTH = 'ruth.adeyemi@acme.io';
export const EA = 'jo.assistant@acme.io';
export const ROOM = 'c_1889f3a2b4@resource.calendar.google.com';

export const PEOPLE: Person[] = [
  { email: MAYA, name: 'Maya Chen' },
  { email: SAM, name: 'Sam Ortiz', aliases: ['sam@acme-legacy.com', 'samuel.ortiz@acme.io'] },
  { email: LEE, name: 'Lee Park' },
  { email: RUTH, name: 'Ruth Adeyemi' },
  { email: EA, name: 'Jo (EA)' },
];

let counter = 0;

/** A 30-minute 1:1 between Maya and Sam tomorrow at 10:00 New York time: passes every rule. */
export function oneOnOne(overrides: Partial<CalendarEvent> = {}): CalendarEvent {
  counter++;
  return {
    id: `evt${counter}`,
    calendarId: MAYA,
    primary: true,
    title: 'Maya / Sam',
    start: '2024-03-07T10:00:00-05:00',
    end: '2024-03-07T10:30:00-05:00',
    status: 'confirmed',
    organizer: MAYA,
    attendees: [
      { email: MAYA, response: 'accepted' },
      { email: SAM, response: 'accepted' },
    ],
    ...overrides,
  };
}

export function scenario(events: CalendarEvent[], extra: Partial<Scenario> = {}): Scenario {
  return { now: NOW, self: MAYA, people: PEOPLE, events, ...extra };
}

export function decisionOf(d: Decisions, id: string): EventDecision {
  const found = d.events.find((e) => e.id === id);
  if (!found) throw new Error(`no decision for ${id}`);
  return found;
}

/** Scans, applies the actions, and returns the second scan (which must have no actions). */
export function settle(s: Scenario): { first: Decisions; meetings: ScanMeeting[]; second: Decisions } {
  const first = scan(s);
  const meetings = applyActions(s, first.actions);
  const second = scan({ ...s, meetings });
  return { first, meetings, second };
}

export function meeting(overrides: Partial<ScanMeeting> & Pick<ScanMeeting, 'id'>): ScanMeeting {
  return {
    participants: [MAYA, SAM],
    title: 'Maya / Sam',
    start: '2024-03-07T15:00:00.000Z',
    end: '2024-03-07T15:30:00.000Z',
    link: null,
    hasContent: false,
    ...overrides,
  };
}
