// Property tests over arbitrary (valid) scenarios: the engine never throws, its answer does not
// depend on input order, and applying its actions settles the meetings (scan → apply → scan
// gives no actions). Arbitrary JSON never makes the parser throw.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyActions } from '../../../src-shared/engine/apply';
import { REASON_CODES, type Action, type Attendee, type CalendarEvent, type ScanMeeting, type Person, type Scenario } from '../../../src-shared/engine/model';
import { scan } from '../../../src-shared/engine/scan';
import { parseScenario, validateScenario } from '../../../src-shared/engine/validate';
import { LEE, MAYA, ROOM, RUTH, SAM } from './helpers';

const NOW_MS = Date.parse('2024-03-06T17:00:00Z');
const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const ADDRESSES = [MAYA, SAM, LEE, RUTH, 'sam@acme-legacy.com', 'SAM.ORTIZ@acme.io', 'lee.park+x@acme.io', 'guest@partner.example', ROOM];
const TITLES = ['Maya / Sam', '1:1 Lee', 'Weekly one-on-one', 'Standup', 'Lunch', '', 'Sam <> Maya'];
const ZONES = [undefined, 'America/New_York', 'Europe/London', 'Asia/Kolkata'];
const DAYS = ['MO', 'TU', 'WE', 'TH', 'FR'];

const peopleArb: fc.Arbitrary<Person[]> = fc.record({
  self: fc.boolean(),
  samAliases: fc.subarray(['sam@acme-legacy.com', 'samuel.ortiz@acme.io']),
  others: fc.subarray([LEE, RUTH, 'guest@partner.example']),
}).map(({ self, samAliases, others }) => [
  ...(self ? [{ email: MAYA, name: 'Maya' }] : []),
  { email: SAM, aliases: samAliases },
  ...others.map((email) => ({ email })),
]);

const attendeeArb: fc.Arbitrary<Attendee> = fc.record(
  {
    email: fc.constantFrom(...ADDRESSES),
    response: fc.constantFrom('accepted', 'declined', 'tentative', 'needsAction'),
    resource: fc.boolean(),
    optional: fc.boolean(),
  },
  { requiredKeys: ['email'] },
);

const ruleArb = fc
  .record({
    freq: fc.constantFrom('DAILY', 'WEEKLY', 'WEEKLY', 'MONTHLY'),
    interval: fc.integer({ min: 1, max: 3 }),
    end: fc.oneof(fc.constant(''), fc.integer({ min: 1, max: 12 }).map((c) => `;COUNT=${c}`), fc.integer({ min: -20, max: 40 }).map((d) => `;UNTIL=${iso(NOW_MS + d * 86_400_000).replace(/[-:]/g, '').slice(0, 15)}Z`)),
    byDay: fc.subarray(DAYS),
    exdateWeeks: fc.subarray([0, 1, 2, 3, 5, 8]),
  })
  .map((r) => ({ ...r, byDay: r.freq === 'WEEKLY' ? r.byDay : [] }));

interface RawEvent {
  kind: 'single' | 'master' | 'instance';
  primary: boolean;
  title: string;
  startMin: number;
  durationMin: number;
  allDay: boolean;
  status: 'confirmed' | 'tentative' | 'cancelled';
  organizer: string | undefined;
  attendees: Attendee[];
  timeZone: string | undefined;
  rule: { freq: string; interval: number; end: string; byDay: string[]; exdateWeeks: number[] };
  ref: number;
  weeks: number;
  moveMin: number;
}

const randomEventArb: fc.Arbitrary<RawEvent> = fc.record({
  kind: fc.constantFrom<RawEvent['kind']>('single', 'single', 'master', 'instance'),
  primary: fc.boolean(),
  title: fc.constantFrom(...TITLES),
  startMin: fc.integer({ min: -50 * 96, max: 40 * 96 }).map((q) => q * 15),
  durationMin: fc.constantFrom(0, 9, 10, 30, 45, 120, 121),
  allDay: fc.boolean().chain((b) => (b ? fc.boolean() : fc.constant(false))),
  status: fc.constantFrom<RawEvent['status']>('confirmed', 'confirmed', 'tentative', 'cancelled'),
  organizer: fc.option(fc.constantFrom(MAYA, SAM, LEE, 'c_team@group.calendar.google.com'), { nil: undefined }),
  attendees: fc.array(attendeeArb, { maxLength: 4 }),
  timeZone: fc.constantFrom(...ZONES),
  rule: ruleArb,
  ref: fc.nat(),
  weeks: fc.integer({ min: 0, max: 8 }),
  moveMin: fc.constantFrom(0, 0, 60, -1440),
});

// Mostly well-formed 1:1s (with Sam under any of his addresses, or Lee), so that linking,
// updating and series handling are exercised, not only rejections.
const oneOnOneArb: fc.Arbitrary<RawEvent> = fc
  .record({
    base: randomEventArb,
    counterpart: fc.constantFrom(SAM, 'sam@acme-legacy.com', 'Sam.Ortiz@acme.io', LEE),
    title: fc.constantFrom('Maya / Sam', '1:1 Lee', 'Weekly one-on-one', 'Sam <> Maya'),
    durationMin: fc.constantFrom(25, 30, 45, 60),
    startMin: fc.integer({ min: -32 * 96, max: 30 * 96 }).map((q) => q * 15),
  })
  .map(({ base, counterpart, title, durationMin, startMin }) => ({
    ...base,
    primary: true,
    allDay: false,
    status: base.status === 'cancelled' && base.ref % 3 !== 0 ? 'confirmed' : base.status,
    title,
    durationMin,
    startMin,
    organizer: MAYA,
    attendees: [{ email: MAYA, response: 'accepted' }, { email: counterpart }],
  }));

const rawEventArb = fc.oneof({ arbitrary: oneOnOneArb, weight: 3 }, { arbitrary: randomEventArb, weight: 1 });

function buildEvents(raws: RawEvent[]): CalendarEvent[] {
  const masters = raws.map((r, i) => ({ r, i })).filter(({ r }) => r.kind === 'master');
  return raws.map((r, i) => {
    const start = NOW_MS + r.startMin * MIN;
    const ev: CalendarEvent = {
      id: `e${i}`,
      calendarId: 'cal',
      primary: r.primary,
      title: r.title,
      start: r.allDay ? iso(start).slice(0, 10) : iso(start),
      end: r.allDay ? iso(start + 86_400_000).slice(0, 10) : iso(start + r.durationMin * MIN),
      status: r.status,
      attendees: r.attendees,
    };
    if (r.allDay) ev.allDay = true;
    if (r.organizer) ev.organizer = r.organizer;
    if (r.kind === 'master') {
      const rule = `RRULE:FREQ=${r.rule.freq};INTERVAL=${r.rule.interval}${r.rule.byDay.length ? `;BYDAY=${r.rule.byDay.join(',')}` : ''}${r.rule.end}`;
      ev.recurrence = [rule, ...r.rule.exdateWeeks.map((w) => `EXDATE:${iso(start + w * 7 * 86_400_000).replace(/[-:]/g, '').slice(0, 15)}Z`)];
      if (r.timeZone) ev.timeZone = r.timeZone;
    }
    if (r.kind === 'instance') {
      const m = masters.length > 0 ? masters[r.ref % (masters.length + 1)] : undefined;
      const masterStart = m ? NOW_MS + m.r.startMin * MIN : start;
      const original = masterStart + r.weeks * 7 * 86_400_000;
      ev.recurringEventId = m ? `e${m.i}` : 'gone-master';
      ev.originalStart = iso(original);
      ev.start = iso(original + r.moveMin * MIN);
      ev.end = iso(original + (r.moveMin + r.durationMin) * MIN);
      delete ev.allDay;
    }
    return ev;
  });
}

const rawMeetingArb = fc.record({
  participants: fc.tuple(fc.constantFrom(MAYA, 'maya.chen@ACME.io', SAM, LEE), fc.constantFrom(SAM, 'sam@acme-legacy.com', LEE, RUTH, MAYA)),
  shiftMin: fc.constantFrom(0, 0, 30, -60, 11 * 60, -12 * 60, 13 * 60, 7 * 1440),
  durationMin: fc.constantFrom(30, 45),
  link: fc.constantFrom('none', 'none', 'event', 'occurrence', 'missing'),
  ref: fc.nat(),
  weeks: fc.integer({ min: 0, max: 8 }),
  hasContent: fc.boolean(),
  title: fc.constantFrom(...TITLES),
  pairFromEvent: fc.boolean(),
});

const scenarioArb: fc.Arbitrary<Scenario> = fc
  .record({
    people: peopleArb,
    raws: fc.array(rawEventArb, { maxLength: 14 }),
    rawMeetings: fc.array(rawMeetingArb, { maxLength: 8 }),
    mode: fc.constantFrom('full', 'incremental'),
    settings: fc.record(
      {
        matchMode: fc.constantFrom('keywords', 'two-person'),
        keywords: fc.subarray(['/', '1:1', 'one-on-one', 'sync', '']),
        pastDays: fc.integer({ min: 0, max: 45 }),
        futureDays: fc.integer({ min: 0, max: 45 }),
        minMinutes: fc.constantFrom(0, 10, 30),
        maxMinutes: fc.constantFrom(30, 120, 600),
      },
      { requiredKeys: ['matchMode'] },
    ),
  })
  .map(({ people, raws, rawMeetings, mode, settings }) => {
    const events = buildEvents(raws);
    const meetings: ScanMeeting[] = rawMeetings.map((r, k) => {
      const near = events.length > 0 ? events[(r.ref * 7 + 3) % events.length] : undefined;
      const start = (near ? Date.parse(near.start) : NOW_MS) + r.shiftMin * MIN;
      const m: ScanMeeting = {
        id: `m${k}`,
        participants: r.pairFromEvent && near?.attendees[1] ? [MAYA, near.attendees[1].email] : r.participants,
        title: r.title,
        start: iso(start),
        end: iso(start + r.durationMin * MIN),
        link: null,
        hasContent: r.hasContent,
      };
      const target = events.length > 0 ? events[r.ref % events.length] : undefined;
      if (r.link === 'event' && target) m.link = { eventId: target.id };
      if (r.link === 'occurrence' && target) {
        const t = Date.parse(target.start) + r.weeks * 7 * 86_400_000;
        m.link = { eventId: target.id, instanceStart: iso(t) };
        m.start = iso(t);
        m.end = iso(t + r.durationMin * MIN);
      }
      if (r.link === 'missing') m.link = { eventId: `missing${r.ref % 3}` };
      return m;
    });
    return { now: iso(NOW_MS), self: MAYA, mode, people, settings, events, meetings } as Scenario;
  });

const withShuffles = scenarioArb.chain((s) =>
  fc.record({
    s: fc.constant(s),
    events: fc.shuffledSubarray(s.events, { minLength: s.events.length }),
    people: fc.shuffledSubarray(s.people, { minLength: s.people.length }),
    meetings: fc.shuffledSubarray(s.meetings ?? [], { minLength: (s.meetings ?? []).length }),
  }),
);

const RUNS = { numRuns: 200 };

describe('engine properties', () => {
  it('arbitrary scenarios are valid input and never make scan throw', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        expect(validateScenario(JSON.parse(JSON.stringify(s)))).toMatchObject({ ok: true });
        const d = scan(s);
        expect(d.events).toHaveLength(s.events.length);
        expect(new Set(d.events.map((e) => e.id)).size).toBe(s.events.length);
        for (const e of d.events) {
          expect(e.oneOnOne).toBe(e.reasons.length === 0);
          expect(e.reasons).toEqual(REASON_CODES.filter((c) => e.reasons.includes(c)));
        }
      }),
      RUNS,
    );
  });

  it('shuffling events, people or meetings changes nothing', () => {
    fc.assert(
      fc.property(withShuffles, ({ s, events, people, meetings }) => {
        expect(scan({ ...s, events, people, meetings })).toEqual(scan(s));
      }),
      RUNS,
    );
  });

  it('scan → apply → scan gives no actions, and leaves each occurrence it acted on linked once', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const first = scan(s);
        const meetings = applyActions(s, first.actions);
        const second = scan({ ...s, meetings });
        expect(second.actions).toEqual([]);
        // Each meeting is linked at most once per occurrence after applying.
        const keys = meetings.filter((m) => m.link).map((m) => `${m.link?.eventId}|${m.link?.instanceStart ? Date.parse(m.link.instanceStart) : ''}`);
        // Links are canonical: an instance event's occurrence is named by (master, original start).
        const canonical = (a: Action): string => {
          const ev = s.events.find((e) => e.id === a.eventId);
          if (a.instanceStart === undefined && ev?.recurringEventId !== undefined) return `${ev.recurringEventId}|${Date.parse(ev.originalStart ?? ev.start)}`;
          return `${a.eventId}|${a.instanceStart ? Date.parse(a.instanceStart) : ''}`;
        };
        const linkedNow = new Set(first.actions.filter((a) => a.op === 'link' || a.op === 'create').map(canonical));
        for (const k of linkedNow) expect(keys.filter((x) => x === k)).toHaveLength(1);
      }),
      RUNS,
    );
  });

  it('arbitrary JSON never makes the parser throw, and errors are one line', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), scenarioArb.map((s) => mutate(s))), (value) => {
        const result = parseScenario(JSON.stringify(value) ?? 'null');
        if (!result.ok) expect(result.error).toMatch(/^[^\n]+: [^\n]+$/);
      }),
      RUNS,
    );
  });
});

/** A valid scenario with one field knocked out of shape. */
function mutate(s: Scenario): unknown {
  const copy = JSON.parse(JSON.stringify(s)) as { events: Record<string, unknown>[] };
  const ev = copy.events[0];
  if (ev) ev.start = 'tomorrow at ten';
  return copy;
}
