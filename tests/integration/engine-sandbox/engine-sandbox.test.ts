// Issue 4, "normalizer tests from real-shaped payloads": the sandbox's default seed read through
// the REAL googleapis and Graph clients, normalized by src-shared/calendar, judged by the engine.
// The assertions are the seed's intent (sandbox/seed.ts), read from the seed itself: which events
// are 1:1s, with whom, how often, and why the others are not. Every face of the one store must
// lead to the same 1:1 occurrences, and catching up after calendar edits must give the right
// update / link / unlink / delete actions, after which a rescan has nothing left to do.
import type { Client } from '@microsoft/microsoft-graph-client';
import type { calendar_v3 } from '@googleapis/calendar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultScenario } from '../../../sandbox/seed';
import { addDays, compactUtc } from '../../../sandbox/tz';
import {
  analyze,
  detectSplits,
  validateScenario,
  type Action,
  type ScanMeeting,
} from '../../../src-shared/engine';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { googleCalendar, graphClient } from '../../support/sandbox-clients';
import { googleFace, graphCalendarViewFace, graphEventsFace, providerFace, type Face, type FetchWindow } from './faces';
import { createGoogleProvider } from '../../../src-main/calendar/google-provider';
import { createGraphProvider } from '../../../src-main/calendar/graph-provider';
import type { CalendarProvider } from '../../../src-main/calendar/provider';
import {
  counterpartOf,
  decisionsOf,
  meetingAt,
  meetingStarts,
  occurrenceKeys,
  runEngine,
  type Outcome,
} from './outcome';
import {
  ANA,
  DANA,
  DAY_MS,
  JONAS,
  LEE,
  LEE_ALIAS,
  MAYA,
  PRIYA,
  ROOM,
  SAM,
  TOM,
  inWindow,
  pinnedWednesdayNoon,
  sameLocalDate,
  seedFacts,
  type SeedFacts,
} from './seed-facts';

interface Clients {
  google: calendar_v3.Calendar;
  graph: Client;
  googleProvider: CalendarProvider;
  graphProvider: CalendarProvider;
}

const FACES: Array<{ name: string; make(c: Clients): Face }> = [
  {
    name: "Duet's Google adapter: masters and exceptions, then syncToken rounds",
    make: (c) => providerFace(c.googleProvider),
  },
  { name: 'Google events.list, instances (singleEvents=true)', make: (c) => googleFace(c.google, true) },
  { name: "Duet's Microsoft adapter: calendarView/delta", make: (c) => providerFace(c.graphProvider) },
  {
    name: 'Graph /me/calendarView in Pacific time (Prefer: outlook.timezone)',
    make: (c) => graphCalendarViewFace(c.graph, 'Pacific Standard Time'),
  },
  { name: 'Graph /me/events masters with /instances', make: (c) => graphEventsFace(c.graph) },
];

/** The recurring 1:1s the seed sets up, with the cadence its comments give them. */
const SERIES = [
  { title: 'Maya / Sam', person: SAM, cadence: 'weekly' },
  { title: '1:1 Maya <> Lee', person: LEE, cadence: 'biweekly' },
  { title: 'Priya / Maya', person: PRIYA, cadence: 'weekly' },
  { title: 'Maya <> Tom 1:1', person: TOM, cadence: 'monthly' },
  { title: '1on1 Maya/Jonas', person: JONAS, cadence: 'weekly' },
  { title: 'Dana / Maya 1:1', person: DANA, cadence: 'biweekly' },
  { title: 'Maya / Ana', person: ANA, cadence: 'weekly' },
] as const;

const HOUR_MS = 3_600_000;
const iso = (ms: number): string => new Date(ms).toISOString();
/** The sandbox's (Google's) id of one occurrence of a master. */
const instanceId = (masterId: string, startMs: number): string => `${masterId}_${compactUtc(startMs)}`;
/** Local "HH:MM" of a seed time. */
const timeOf = (t: { dateTime?: string | null } | undefined): string => (t?.dateTime ?? '').slice(11, 16);

interface Run {
  sb: TestSandbox;
  clients: Clients;
  facts: SeedFacts;
  window: FetchWindow;
  outcomes: Map<string, Outcome>;
}

/** Maya's real clients, with fresh tokens (a sandbox reset forgets the old ones). */
async function connect(sb: TestSandbox): Promise<Clients> {
  const googleToken = await sb.accessToken(MAYA, 'google');
  const graphToken = await sb.accessToken(MAYA, 'microsoft');
  return {
    google: googleCalendar(sb, googleToken),
    graph: graphClient(sb, graphToken),
    googleProvider: createGoogleProvider({ rootUrl: sb.googleRootUrl, accessToken: () => Promise.resolve(googleToken), accountId: MAYA, pageSize: 25 }),
    graphProvider: createGraphProvider({ graphBaseUrl: sb.graphBaseUrl, accessToken: () => Promise.resolve(graphToken), accountId: MAYA, ownerEmail: MAYA, pageSize: 25 }),
  };
}

/** Back to the seed as it was built, with new clients. */
async function resetRun(run: Run): Promise<void> {
  await run.sb.admin.reset();
  run.clients = await connect(run.sb);
}

async function startRun(pinned: boolean): Promise<Run> {
  let now: Date;
  let sb: TestSandbox;
  if (pinned) {
    now = pinnedWednesdayNoon(Date.now());
    sb = await startTestSandbox({ seed: defaultScenario(now) });
  } else {
    // The default seed depends only on the local date, so "now" read just before the start is
    // the sandbox's notion of now for it; should midnight pass meanwhile, the seed is rebuilt.
    now = new Date();
    sb = await startTestSandbox();
    if (!sameLocalDate(now.getTime(), Date.now())) {
      now = new Date();
      await sb.admin.reset();
    }
  }
  const facts = seedFacts(now);
  return {
    sb,
    clients: await connect(sb),
    facts,
    window: { now: now.toISOString(), self: MAYA, ...facts.window },
    outcomes: new Map(),
  };
}

/** "This and following": the seed's split names its second master `${old}_R${local start of the first moved slot}`. */
function splitOf(facts: SeedFacts): { oldId: string; newId: string; splitSlot: number; lastOld: number } {
  const old = facts.event('one-on-one: Ana & Maya');
  const next = facts.event('Maya / Ana');
  const m = /_R(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})\d{2}$/.exec(next.id);
  if (!m || !next.id.startsWith(old.id))
    throw new Error(`the seed's split ids changed: ${old.id} / ${next.id}`);
  const date = `${m[1]}-${m[2]}-${m[3]}`;
  const time = `${m[4]}:${m[5]}`;
  return {
    oldId: old.id,
    newId: next.id,
    splitSlot: facts.wall(date, time),
    lastOld: facts.wall(addDays(date, -7), time),
  };
}

describe.each([
  { clock: 'seed built for a Wednesday noon (every case inside the window)', pinned: true },
  { clock: 'seed built for the current time, as the sandbox starts by default', pinned: false },
])('$clock', ({ pinned }) => {
  let run: Run;
  beforeAll(async () => {
    run = await startRun(pinned);
  });
  afterAll(() => run?.sb.close());

  describe.each(FACES)('$name', ({ name, make }) => {
    let face: Face;
    let o: Outcome;
    let facts: SeedFacts;
    beforeAll(async () => {
      face = make(run.clients);
      facts = run.facts;
      o = runEngine((await face.open(run.window)).events, facts.now);
      run.outcomes.set(name, o);
    });

    it('normalizes every payload into valid engine input and answers for each event', () => {
      expect(o.scenario.events.length).toBeGreaterThan(10);
      // What the normalizers (and the Graph face's EXDATEs) produce is valid scan-command input as is.
      expect(validateScenario(JSON.parse(JSON.stringify(o.scenario)))).toMatchObject({ ok: true });
      expect(o.decisions.events.map((d) => d.id).sort()).toEqual(o.scenario.events.map((e) => e.id).sort());
      // A first scan has no meetings: every 1:1 occurrence is a create, and nothing else happens.
      expect(o.decisions.actions.every((a) => a.op === 'create')).toBe(true);
      expect(o.meetings).toHaveLength(o.decisions.actions.length);
    });

    it.each(SERIES)('takes $title with $person, $cadence', ({ title, person, cadence }) => {
      const master = facts.event(title);
      const decided = decisionsOf(o, master.id);
      expect(decided.length).toBeGreaterThan(0);
      for (const { decision } of decided)
        expect(decision).toMatchObject({ oneOnOne: true, reasons: [], counterpart: person });
      const series = o.decisions.series.filter((s) => s.eventId === master.id);
      // Without the master, cadence comes from the visible spacing: one visible monthly meeting says nothing yet.
      const expected = face.shape === 'masters' || decided.length >= 2 ? cadence : 'irregular';
      expect(series).toEqual([{ eventId: master.id, cadence: expected, counterpart: person }]);
      expect(meetingStarts(o.meetings, person).length).toBeGreaterThan(0);
    });

    it('takes the 1:1 in a meeting room: the room reaches the engine as a resource and is not a participant', () => {
      const decided = decisionsOf(o, facts.event('Priya / Maya').id);
      expect(decided.length).toBeGreaterThan(0);
      for (const { event, decision } of decided) {
        expect(event.attendees).toContainEqual(expect.objectContaining({ email: ROOM, resource: true }));
        expect(event.organizer).toBe(PRIYA);
        expect(decision).toMatchObject({ oneOnOne: true, counterpart: PRIYA });
      }
    });

    it('takes the report invited under an alias, with the person as counterpart', () => {
      const decided = decisionsOf(o, facts.event('1:1 Maya <> Lee').id);
      expect(decided.length).toBeGreaterThan(0);
      for (const { event, decision } of decided) {
        expect(event.attendees.map((a) => a.email)).toContain(LEE_ALIAS);
        expect(event.attendees.map((a) => a.email)).not.toContain(LEE);
        expect(decision.counterpart).toBe(LEE);
        expect(decision.unmatched).toBeUndefined();
      }
      expect(o.meetings.filter((m) => m.participants.includes(LEE_ALIAS))).toEqual([]);
    });

    it('does not take the declined 1:1, and says so', () => {
      const goals = facts.event('Maya / Jonas – quarterly goals');
      const decided = decisionsOf(o, goals.id);
      expect(decided.map((d) => d.decision)).toEqual([
        expect.objectContaining({ oneOnOne: false, reasons: ['DECLINED'], counterpart: JONAS }),
      ]);
      expect(meetingAt(o.meetings, JONAS, facts.ms(goals.start))).toBeUndefined();
    });

    it('explains every other event: team meetings, the three-person "1:1", all-day events, focus time, unknown people, no keyword', () => {
      const reasonsOf = (title: string): string[][] =>
        decisionsOf(o, facts.event(title).id).map((d) => [...d.decision.reasons]);
      for (const title of ['Platform team weekly', 'Sprint planning']) {
        expect(reasonsOf(title).length).toBeGreaterThan(0);
        for (const reasons of reasonsOf(title)) expect(reasons).toContain('NOT_TWO_PEOPLE');
      }
      expect(reasonsOf('Maya / Sam / Lee: API review')).toEqual([['NOT_TWO_PEOPLE']]);
      for (const title of ['Company offsite', 'Office closed']) {
        expect(reasonsOf(title)).toEqual([expect.arrayContaining(['ALL_DAY'])]);
      }
      const focus = reasonsOf('Focus time');
      expect(focus.length).toBeGreaterThan(0);
      for (const reasons of focus) expect(reasons.length).toBeGreaterThan(0);

      const candidate = facts.event('Intro call: Maya / Jordan');
      const stranger = (candidate.attendees ?? []).map((a) => a.email).find((e) => !e.endsWith('@acme.test'));
      expect(decisionsOf(o, candidate.id).map((d) => d.decision)).toEqual([
        expect.objectContaining({ reasons: ['UNKNOWN_PERSON'], unmatched: [stranger] }),
      ]);
      expect(decisionsOf(o, facts.event('Coffee with Lee').id).map((d) => d.decision)).toEqual([
        expect.objectContaining({ reasons: ['NO_KEYWORD'], counterpart: LEE }),
      ]);
      // Only the seed's 1:1 partners get meetings.
      expect(new Set(o.meetings.map(counterpartOf))).toEqual(new Set(SERIES.map((s) => s.person)));
    });

    it('follows the moved occurrence and drops the cancelled one, keeping their neighbours', () => {
      const sam = facts.event('Maya / Sam');
      const [moved] = facts.exceptionsOf(sam.id);
      const samStarts = meetingStarts(o.meetings, SAM);
      const original = facts.ms(moved?.originalStartTime);
      expect(samStarts).not.toContain(original);
      expect(samStarts).toContain(facts.ms(moved?.start));

      const jonas = facts.event('1on1 Maya/Jonas');
      const cancelled = facts.exceptionsOf(jonas.id).find((e) => e.status === 'cancelled');
      expect(cancelled).toBeDefined();
      const slot = facts.ms(cancelled?.originalStartTime);
      const jonasStarts = meetingStarts(o.meetings, JONAS);
      expect(jonasStarts).not.toContain(slot);
      for (const [person, starts, at] of [
        [SAM, samStarts, moved?.originalStartTime],
        [JONAS, jonasStarts, cancelled?.originalStartTime],
      ] as const) {
        const date = facts.localDate(facts.ms(at));
        for (const week of [-7, 7]) {
          const neighbour = facts.wall(addDays(date, week), timeOf(at));
          if (inWindow(facts, neighbour)) expect(starts, `${person} ${iso(neighbour)}`).toContain(neighbour);
        }
      }
    });

    it('sees both halves of the "this and following" split', () => {
      const { oldId, newId, splitSlot, lastOld } = splitOf(facts);
      const anaStarts = meetingStarts(o.meetings, ANA);
      const first = facts.ms(facts.event('Maya / Ana').start);
      expect(anaStarts).toContain(first);
      // The old series ends before the slot the edit moved: nothing is left there.
      expect(anaStarts).not.toContain(splitSlot);
      const older = decisionsOf(o, oldId);
      if (inWindow(facts, lastOld)) {
        expect(anaStarts).toContain(lastOld);
        expect(older.length).toBeGreaterThan(0);
        for (const { decision } of older)
          expect(decision).toMatchObject({ oneOnOne: true, counterpart: ANA });
        expect(o.decisions.series.map((s) => s.eventId)).toEqual(expect.arrayContaining([oldId, newId]));
        // With masters the engine pairs the ended series with its continuation (docs/architecture.md §4);
        // instances alone carry no end, so there is nothing to pair.
        const { splits } = detectSplits(analyze(o.scenario));
        if (face.shape === 'masters') expect(splits).toContainEqual({ from: oldId, to: newId });
        else expect(splits).toEqual([]);
      } else {
        expect(anaStarts.filter((t) => t < first)).toEqual([]);
        for (const { decision } of older) expect(decision.reasons).toContain('OUTSIDE_WINDOW');
      }
    });
  });

  it('leads to the same 1:1 occurrences through every face (one store, two faces)', () => {
    const keys = [...run.outcomes.entries()].map(([name, o]) => ({ name, keys: occurrenceKeys(o.meetings) }));
    expect(keys.map((k) => k.name)).toEqual(FACES.map((f) => f.name));
    const [reference] = keys;
    expect(reference?.keys.length).toBeGreaterThan(20);
    for (const k of keys) expect(k.keys, k.name).toEqual(reference?.keys);
  });

  it('Graph masters taken as given would invent the cancelled occurrence (Graph v1.0 does not list cancellations)', async () => {
    const raw = runEngine(
      (await graphEventsFace(run.clients.graph, false).open(run.window)).events,
      run.facts.now,
    );
    const reference = occurrenceKeys(run.outcomes.get(FACES[0]?.name as string)?.meetings ?? []);
    const rawKeys = occurrenceKeys(raw.meetings);
    expect(reference.filter((k) => !rawKeys.includes(k))).toEqual([]);
    const invented = raw.meetings.filter((m) => !reference.includes(occurrenceKeys([m])[0] as string));
    const jonas = run.facts.event('1on1 Maya/Jonas');
    const cancelled = run.facts.exceptionsOf(jonas.id).find((e) => e.status === 'cancelled');
    expect(occurrenceKeys(invented)).toContain(`${JONAS} ${iso(run.facts.ms(cancelled?.originalStartTime))}`);
    // Whatever else is invented comes from expanding a master's rule, never from a listed event.
    for (const m of invented) expect(m.link?.instanceStart).toBeDefined();
  });

  // Edits change the store: only the pinned seed, whose every case is in the window, is edited.
  if (pinned) catchUpSuites(() => run);
});

/** The first meeting with `person` at least eight days ahead (past the seed's own moved and cancelled ones). */
function laterMeeting(o: Outcome, person: string, facts: SeedFacts): ScanMeeting {
  const m = o.meetings
    .filter((x) => counterpartOf(x) === person && Date.parse(x.start) >= facts.now.getTime() + 8 * DAY_MS)
    .sort((a, b) => Date.parse(a.start) - Date.parse(b.start))[0];
  if (!m) throw new Error(`no meeting with ${person} eight days ahead`);
  return m;
}

const actionsFor = (actions: Action[], meeting: ScanMeeting): Action[] =>
  actions.filter((a) => a.meetingId === meeting.id);

/**
 * Per face: read the calendar, scan, apply; edit it through the admin API; catch up the face's
 * own way; scan in full mode with the meetings the first scan produced.
 */
function catchUpSuites(current: () => Run): void {
  describe.each(FACES)('$name, catching up after edits to single occurrences', ({ make }) => {
    let face: Face;
    let facts: SeedFacts;
    let before: ScanMeeting[];
    let after: Outcome;
    let refetched: Outcome;
    const target: Record<'lee' | 'jonas' | 'priya' | 'sam', ScanMeeting> = {} as never;
    const moveBy = HOUR_MS;
    const newTitle = '1:1 Maya <> Lee (moved)';

    beforeAll(async () => {
      const run = current();
      facts = run.facts;
      await resetRun(run);
      face = make(run.clients);
      const session = await face.open(run.window);
      const first = runEngine(session.events, facts.now);
      target.lee = laterMeeting(first, LEE, facts);
      target.jonas = laterMeeting(first, JONAS, facts);
      target.priya = laterMeeting(first, PRIYA, facts);
      target.sam = laterMeeting(first, SAM, facts);
      // The Jonas meeting has notes: its cancellation must keep it (unlinked), not delete it.
      before = first.meetings.map((m) => (m.id === target.jonas.id ? { ...m, hasContent: true } : m));
      const occurrence = (title: string, m: ScanMeeting): string =>
        instanceId(facts.event(title).id, Date.parse(m.start));
      const { admin } = run.sb;
      await admin.patchEvent(occurrence('1:1 Maya <> Lee', target.lee), {
        summary: newTitle,
        start: { dateTime: iso(Date.parse(target.lee.start) + moveBy), timeZone: facts.timeZone },
        end: { dateTime: iso(Date.parse(target.lee.end) + moveBy), timeZone: facts.timeZone },
      });
      await admin.patchEvent(occurrence('1on1 Maya/Jonas', target.jonas), { action: 'cancel' });
      await admin.deleteEvent(occurrence('Priya / Maya', target.priya));
      await admin.patchEvent(occurrence('Maya / Sam', target.sam), { action: 'addAttendee', email: ANA });
      // A whole single event deleted: a sync round names it by id alone.
      await admin.deleteEvent(facts.event('Coffee with Lee').id);

      after = runEngine(await session.refresh(), facts.now, before);
      refetched = runEngine((await face.open(run.window)).events, facts.now, before);
    });

    it('retitled and moved: the meeting follows the event', () => {
      // One canonical link (master, original start: docs/architecture.md §4), whether the face
      // lists masters and exceptions or every occurrence: the meeting is updated, never re-linked.
      expect(actionsFor(after.decisions.actions, target.lee).map((a) => a.op)).toEqual(['update']);
      const m = after.meetings.find((x) => x.id === target.lee.id);
      expect(m).toMatchObject({
        title: newTitle,
        start: iso(Date.parse(target.lee.start) + moveBy),
        end: iso(Date.parse(target.lee.end) + moveBy),
      });
      expect(m?.link).toBeTruthy();
    });

    it('cancelled: the meeting with notes is unlinked and kept', () => {
      expect(actionsFor(after.decisions.actions, target.jonas)).toEqual([
        expect.objectContaining({
          op: 'unlink',
          meetingId: target.jonas.id,
          eventId: target.jonas.link?.eventId,
        }),
      ]);
      expect(after.meetings.find((x) => x.id === target.jonas.id)).toMatchObject({
        link: null,
        start: target.jonas.start,
      });
    });

    it('deleted by its organizer: the empty meeting is deleted', () => {
      expect(actionsFor(after.decisions.actions, target.priya).map((a) => a.op)).toEqual(['delete']);
      expect(after.meetings.find((x) => x.id === target.priya.id)).toBeUndefined();
    });

    it('a third attendee: no longer a 1:1, yet the linked meeting stays as it is', () => {
      const slot = Date.parse(target.sam.start);
      const event = after.scenario.events.find(
        (e) => e.recurringEventId === facts.event('Maya / Sam').id && Date.parse(e.start) === slot,
      );
      expect(event?.attendees.map((a) => a.email)).toContain(ANA);
      expect(after.decisions.events.find((d) => d.id === event?.id)?.reasons).toContain('NOT_TWO_PEOPLE');
      // The occurrence became an exception; its canonical link still names it: nothing to do.
      const ops = actionsFor(after.decisions.actions, target.sam).map((a) => a.op);
      expect(ops).toEqual([]);
      expect(after.meetings.find((x) => x.id === target.sam.id)).toMatchObject({
        start: target.sam.start,
        end: target.sam.end,
        title: target.sam.title,
      });
    });

    it('touches nothing else, and the incremental sync agrees with a full re-fetch', () => {
      const touched = new Set(Object.values(target).map((m) => m.id));
      expect(after.decisions.actions.filter((a) => !touched.has(a.meetingId ?? ''))).toEqual([]);
      expect(refetched.decisions.actions).toEqual(after.decisions.actions);
      // The same live events in the window (a sync round may also bring events from outside it).
      const live = (o: Outcome): string[] =>
        o.scenario.events
          .filter((e) => e.status !== 'cancelled' && inWindow(facts, Date.parse(e.start)))
          .map((e) => e.id)
          .sort();
      expect(live(after)).toEqual(live(refetched));
      expect(live(after)).not.toContain(facts.event('Coffee with Lee').id);
    });

    it('applying the actions and scanning again leaves nothing to do', () => {
      expect(runEngine(after.scenario.events, facts.now, after.meetings).decisions.actions).toEqual([]);
    });
  });

  describe.each(FACES)('$name, catching up after a "this and following" edit', ({ make }) => {
    let face: Face;
    let facts: SeedFacts;
    let before: ScanMeeting[];
    let after: Outcome;
    let from: ScanMeeting;
    let newId: string;
    const title = 'Maya / Sam (Tuesdays)';

    beforeAll(async () => {
      const run = current();
      facts = run.facts;
      await resetRun(run);
      face = make(run.clients);
      const session = await face.open(run.window);
      const first = runEngine(session.events, facts.now);
      from = laterMeeting(first, SAM, facts);
      // Every Sam meeting has notes: none may be lost to the edit.
      before = first.meetings.map((m) => (counterpartOf(m) === SAM ? { ...m, hasContent: true } : m));
      const sam = facts.event('Maya / Sam');
      // From that Monday on, the series moves to Tuesdays (a day later: beyond the ±12 h of plain relinking).
      const res = await run.sb.admin.patchEvent(sam.id, {
        action: 'thisAndFollowing',
        from: instanceId(sam.id, Date.parse(from.start)),
        changes: {
          summary: title,
          // As a calendar UI does when the day changes: the rule follows the new first occurrence.
          recurrence: ['RRULE:FREQ=WEEKLY;BYDAY=TU'],
          start: { dateTime: iso(Date.parse(from.start) + DAY_MS), timeZone: facts.timeZone },
          end: { dateTime: iso(Date.parse(from.end) + DAY_MS), timeZone: facts.timeZone },
        },
      });
      newId = (res as unknown as { created: { id: string } }).created.id;
      after = runEngine(await session.refresh(), facts.now, before);
    });

    it('keeps every meeting with notes and gives every new occurrence exactly one meeting', () => {
      expect(after.decisions.actions.filter((a) => a.op === 'delete')).toEqual([]);
      const moved = before.filter(
        (m) => counterpartOf(m) === SAM && Date.parse(m.start) >= Date.parse(from.start),
      );
      expect(moved.length).toBeGreaterThan(1);
      for (const m of moved) expect(after.meetings.map((x) => x.id)).toContain(m.id);
      // The face shows the continuing series (as a master, or as its instances).
      expect(after.scenario.events.some((e) => (e.recurringEventId ?? e.id) === newId)).toBe(true);
      const samMeetings = after.meetings.filter((m) => counterpartOf(m) === SAM && m.link);
      const expected = moved.map((m) => iso(Date.parse(m.start) + DAY_MS));
      for (const start of expected)
        expect(
          samMeetings.filter((m) => m.start === start),
          start,
        ).toHaveLength(1);
    });

    it('relinks the old meetings to the continuing series when it can see both masters', () => {
      const samActions = after.decisions.actions.filter((a) =>
        before.some((m) => m.id === a.meetingId && counterpartOf(m) === SAM),
      );
      expect(samActions.length).toBeGreaterThan(1);
      if (face.shape === 'masters') {
        expect(detectSplits(analyze(after.scenario)).splits).toContainEqual({
          from: facts.event('Maya / Sam').id,
          to: newId,
        });
        expect(samActions.map((a) => a.op)).toEqual(samActions.map(() => 'link'));
        expect(samActions.every((a) => a.eventId === newId)).toBe(true);
        expect(after.decisions.actions.filter((a) => a.op === 'create')).toEqual([]);
      } else {
        // Instances carry no series end, so the split cannot be told from a series that simply
        // changed: the old meetings are kept but unlinked (shown as cancelled, relinkable by
        // hand) and the new occurrences get new meetings.
        expect(samActions.map((a) => a.op)).toEqual(samActions.map(() => 'unlink'));
      }
    });

    it('applying the actions and scanning again leaves nothing to do', () => {
      expect(runEngine(after.scenario.events, facts.now, after.meetings).decisions.actions).toEqual([]);
    });
  });
}
