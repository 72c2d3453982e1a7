// Untrusted scenario JSON: the first problem comes back as one line naming the field.
import { describe, expect, it } from 'vitest';
import { parseScenario, validateScenario } from '../../../src-shared/engine/validate';
import { MAYA, NOW, SAM, oneOnOne } from './helpers';

const base = () => ({
  now: NOW,
  self: MAYA,
  people: [{ email: SAM }],
  events: [oneOnOne({ id: 'a' }), oneOnOne({ id: 'b' })] as unknown as Record<string, unknown>[],
  meetings: [] as Record<string, unknown>[],
});

type Edit = (s: ReturnType<typeof base>) => void;
const cases: [string, Edit, string][] = [
  ['now missing', (s) => delete (s as Partial<typeof s>).now, 'now: expected an ISO-8601 date-time'],
  ['now without a zone', (s) => (s.now = '2024-03-06T17:00:00'), 'now: expected an ISO-8601 date-time'],
  ['an impossible date', (s) => (s.events[1]!.start = '2024-02-30T10:00:00Z'), 'events[1].start: expected an ISO-8601 date-time'],
  ['self not an email', (s) => (s.self = 'maya'), 'self: expected an email address'],
  ['mode', (s) => Object.assign(s, { mode: 'partial' }), 'mode: expected one of "full", "incremental"'],
  ['people not an array', (s) => Object.assign(s, { people: {} }), 'people: expected an array'],
  ['an alias', (s) => (s.people = [{ email: SAM, aliases: ['sam'] } as never]), 'people[0].aliases[0]: expected an email address'],
  ['settings.matchMode', (s) => Object.assign(s, { settings: { matchMode: 'any' } }), 'settings.matchMode: expected one of "keywords", "two-person"'],
  ['settings.pastDays negative', (s) => Object.assign(s, { settings: { pastDays: -1 } }), 'settings.pastDays: expected a number from 0 to 3660'],
  ['settings bounds crossed', (s) => Object.assign(s, { settings: { minMinutes: 60, maxMinutes: 30 } }), 'settings.maxMinutes: must not be less than minMinutes'],
  ['settings.keywords item', (s) => Object.assign(s, { settings: { keywords: ['1:1', 7] } }), 'settings.keywords[1]: expected a string'],
  ['event id empty', (s) => (s.events[0]!.id = ''), 'events[0].id: expected a non-empty string'],
  ['event primary', (s) => (s.events[0]!.primary = 'yes'), 'events[0].primary: expected true or false'],
  ['event status', (s) => (s.events[0]!.status = 'deleted'), 'events[0].status: expected one of "confirmed", "tentative", "cancelled"'],
  ['attendees missing', (s) => delete s.events[1]!.attendees, 'events[1].attendees: expected an array'],
  ['attendee email', (s) => (s.events[0]!.attendees = [{ email: 'room 4' }]), 'events[0].attendees[0].email: expected an email address'],
  ['attendee response', (s) => (s.events[0]!.attendees = [{ email: SAM, response: 'maybe' }]), 'events[0].attendees[0].response: expected one of'],
  ['timeZone', (s) => (s.events[0]!.timeZone = 'Eastern Standard Time'), 'events[0].timeZone: unknown time zone "Eastern Standard Time"'],
  ['recurrence line', (s) => (s.events[0]!.recurrence = ['RRULE:FREQ=WEEKLY', 'RRULE:FREQ=MINUTELY']), 'events[0].recurrence[1]: invalid RRULE: unsupported FREQ "MINUTELY"'],
  ['duplicate event id', (s) => (s.events[1]!.id = 'a'), 'events[1].id: duplicate id "a" (also events[0])'],
  ['meeting participants', (s) => (s.meetings = [{ id: 'm', participants: [MAYA, SAM, SAM], start: NOW, end: NOW }]), 'meetings[0].participants: expected exactly 2 email addresses, got 3'],
  ['meeting link', (s) => (s.meetings = [{ id: 'm', participants: [MAYA, SAM], start: NOW, end: NOW, link: { instanceStart: NOW } }]), 'meetings[0].link.eventId: expected a string'],
];

describe('scenario validation', () => {
  it('accepts a good scenario and drops unknown fields', () => {
    const s = base();
    (s.events[0] as Record<string, unknown>).description = 'Agenda: the reorg';
    (s.events[0] as Record<string, unknown>).location = 'NYC-5-Boardroom';
    const r = validateScenario({ ...s, extra: true });
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.scenario.events[0]).not.toHaveProperty('description');
      expect(r.scenario.events[0]).toHaveProperty('location', 'NYC-5-Boardroom');
      expect(r.scenario).not.toHaveProperty('extra');
    }
  });

  it('treats null as absent for optional fields', () => {
    const s = base();
    Object.assign(s.events[0]!, { organizer: null, status: null, recurrence: null });
    s.meetings = [{ id: 'm', participants: [MAYA, SAM], start: NOW, end: NOW, link: null, title: null }];
    const r = validateScenario(s);
    expect(r).toMatchObject({ ok: true });
    if (r.ok) {
      expect(r.scenario.events[0]?.organizer).toBeUndefined();
      expect(r.scenario.meetings?.[0]?.link).toBeNull();
    }
  });

  it.each(cases)('%s', (_name, edit, message) => {
    const s = base();
    edit(s);
    const r = validateScenario(JSON.parse(JSON.stringify(s)));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.startsWith(message)).toBe(true);
      expect(r.error).not.toContain('\n');
    }
  });

  it.each([[[]], [null], ['scenario'], [42]])('a root that is not an object: %j', (root) => {
    expect(validateScenario(root)).toEqual({ ok: false, error: expect.stringMatching(/^\(root\): expected an object, got /) });
  });

  it('reports invalid JSON on one line', () => {
    const r = parseScenario('{\n  "now": \n');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/^\(root\): invalid JSON: [^\n]+$/);
  });
});
