// When a series is disconnected from its calendar event, and Relink (docs/architecture.md §4,
// "Series links"): through runDetection, the pass the app runs, over calendars shaped as Google
// returns them after the edit. Every row checks that a second pass over the same calendar writes
// nothing (idempotence), and the property at the end checks it over generated edits, with the
// user's Relink choice on top.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CalendarEvent } from '../../../src-shared/engine/model';
import { runDetection, seriesIdFor, type DetectionInput, type DetectionResult } from '../../../src-shared/meeting/detection';
import type { MeetingDoc, SeriesDoc } from '../../../src-shared/meeting/model';
import { relinkCandidates, relinkedSeries } from '../../../src-shared/meeting/relink';
import { LEE, MAYA, PEOPLE, SAM } from './helpers';

// Window: 2026-10-19T12:00Z .. 2026-12-16T12:00Z.
const NOW = Date.parse('2026-11-18T12:00:00Z');
const ACCOUNT = 'acct-google';
const TITLE = '1:1 Maya <> Lee';
const DAY = 86_400_000;

function master(id: string, day: string, rule: string, extra: Partial<CalendarEvent> = {}, who = LEE): CalendarEvent {
  return {
    id,
    iCalUID: `${id}@google.com`,
    calendarId: MAYA,
    primary: true,
    provider: 'google',
    accountId: ACCOUNT,
    title: TITLE,
    start: `${day}T15:00:00Z`,
    end: `${day}T15:30:00Z`,
    timeZone: 'UTC',
    status: 'confirmed',
    organizer: MAYA,
    attendees: [
      { email: MAYA, response: 'accepted' },
      { email: who, response: 'accepted' },
    ],
    recurrence: [rule],
    ...extra,
  };
}

const weekly = (extra: Partial<CalendarEvent> = {}) => master('wk', '2026-11-02', 'RRULE:FREQ=WEEKLY;BYDAY=MO', extra);
const ended = () => master('wk', '2026-11-02', 'RRULE:FREQ=WEEKLY;BYDAY=MO;UNTIL=20261130T145959Z');
const thursdays = () => master('wk_R20261203', '2026-12-03', 'RRULE:FREQ=WEEKLY;BYDAY=TH');
const fridays = () => master('fri', '2026-12-04', 'RRULE:FREQ=WEEKLY;BYDAY=FR');

interface State {
  meetings: MeetingDoc[];
  series: SeriesDoc[];
}

const EMPTY: State = { meetings: [], series: [] };

function pass(events: CalendarEvent[], state: State, opts: { content?: (m: MeetingDoc) => boolean; complete?: boolean } = {}): DetectionResult {
  const input: DetectionInput = {
    accountId: ACCOUNT,
    provider: 'google',
    self: MAYA,
    complete: opts.complete ?? true,
    events,
    people: PEOPLE,
    settings: {},
    now: NOW,
    meetings: state.meetings,
    series: state.series,
    withContent: new Set(state.meetings.filter((m) => opts.content?.(m) ?? false).map((m) => m.id)),
  };
  return runDetection(input);
}

function applied(state: State, r: DetectionResult): State {
  const meetings = new Map(state.meetings.map((m) => [m.id, m]));
  for (const m of r.plan.meetings) meetings.set(m.id, m);
  for (const id of r.plan.deletions) meetings.delete(id);
  const series = new Map(state.series.map((s) => [s.id, s]));
  for (const s of r.plan.series) series.set(s.id, s);
  return { meetings: [...meetings.values()], series: [...series.values()] };
}

/** Runs a pass, applies it, and checks a second pass over the same calendar writes nothing. */
function settle(events: CalendarEvent[], state: State, opts: Parameters<typeof pass>[2] = {}): State {
  const next = applied(state, pass(events, state, opts));
  const again = pass(events, next, opts).plan;
  expect({ meetings: again.meetings, deletions: again.deletions, series: again.series }).toEqual({ meetings: [], deletions: [], series: [] });
  return next;
}

const SERIES = seriesIdFor('google', ACCOUNT, 'wk');
const seriesOf = (s: State, id = SERIES) => s.series.find((x) => x.id === id);
const meetingOn = (s: State, day: string) => s.meetings.find((m) => new Date(m.start).toISOString().slice(0, 10) === day);
const byDay = (s: State, seriesId: string) => s.meetings.filter((m) => m.seriesId === seriesId).map((m) => new Date(m.start).toISOString().slice(0, 10)).sort();

/** The Monday series, imported: a meeting for each Monday in the window. */
const imported = () => settle([weekly()], EMPTY);
const onThe = (...days: string[]) => (m: MeetingDoc) => days.some((d) => new Date(m.start).toISOString().startsWith(d));

describe('a series is disconnected from its calendar event', () => {
  it('stays linked after an import, and after an unambiguous "this and following" split', () => {
    const s0 = imported();
    expect(seriesOf(s0)?.linkState).toBe('linked');
    const s1 = settle([ended(), thursdays()], s0);
    expect(seriesOf(s1)?.linkState).toBe('linked');
    // The old series' coming meetings moved to Thursdays (§4), nothing disconnected.
    expect(s1.series.every((s) => s.linkState === 'linked')).toBe(true);
  });

  it('is disconnected by an ambiguous split, keeps every meeting with content, and a second pass changes nothing', () => {
    const s0 = imported();
    const content = onThe('2026-11-16', '2026-11-30');
    const s1 = settle([ended(), thursdays(), fridays()], s0, { content });
    expect(seriesOf(s1)?.linkState).toBe('disconnected');
    // The record of the event it followed stays.
    expect(seriesOf(s1)?.calendarLink?.eventId).toBe('wk');
    // Its past meetings stay linked to the old master; the 30 November one (content) is kept, cancelled.
    expect(meetingOn(s1, '2026-11-16')).toMatchObject({ linkState: 'linked', seriesId: SERIES });
    expect(meetingOn(s1, '2026-11-30')).toMatchObject({ linkState: 'unlinked', state: 'cancelled', seriesId: SERIES });
    // Each continuation is a series of its own, linked.
    expect(seriesOf(s1, seriesIdFor('google', ACCOUNT, 'fri'))?.linkState).toBe('linked');
  });

  it('is disconnected when its recurring event is gone from a whole-window cache and a meeting with content is kept', () => {
    const s0 = imported();
    const s1 = settle([], s0, { content: onThe('2026-11-23') });
    expect(seriesOf(s1)?.linkState).toBe('disconnected');
    expect(s1.meetings).toHaveLength(1);
    expect(meetingOn(s1, '2026-11-23')).toMatchObject({ linkState: 'unlinked', state: 'cancelled', seriesId: SERIES });
  });

  it('is disconnected the same way when the calendar reports its event cancelled', () => {
    const s1 = settle([weekly({ status: 'cancelled' })], imported(), { content: onThe('2026-11-09') });
    expect(seriesOf(s1)?.linkState).toBe('disconnected');
    expect(meetingOn(s1, '2026-11-09')).toMatchObject({ linkState: 'unlinked', state: 'cancelled' });
  });

  it('is left as it is when nothing of it is kept (no content), when the cache is incomplete, or when the event stops being a 1:1', () => {
    const gone = settle([], imported());
    expect(gone.meetings).toEqual([]);
    expect(seriesOf(gone)?.linkState).toBe('linked');
    const partial = settle([], imported(), { complete: false, content: onThe('2026-11-23') });
    expect(seriesOf(partial)?.linkState).toBe('linked');
    expect(partial.meetings.every((m) => m.linkState === 'linked')).toBe(true);
    // Retitled without a keyword: its meetings keep following it (§4), the series is not lost.
    const retitled = settle([weekly({ title: 'Planning' })], imported(), { content: onThe('2026-11-23') });
    expect(seriesOf(retitled)?.linkState).toBe('linked');
    expect(retitled.meetings.every((m) => m.linkState === 'linked' && m.title === 'Planning')).toBe(true);
  });

  it('is linked again by a pass that finds its recurring event again', () => {
    const s1 = settle([], imported(), { content: onThe('2026-11-23') });
    expect(seriesOf(s1)?.linkState).toBe('disconnected');
    const s2 = settle([weekly()], s1, { content: onThe('2026-11-23') });
    expect(seriesOf(s2)?.linkState).toBe('linked');
  });
});

describe('Relink: the user picks the recurring 1:1 the series follows', () => {
  it('lists the recurring 1:1s with the same person, not the one it follows nor another person’s', () => {
    const events = [ended(), thursdays(), fridays(), master('sam', '2026-11-05', 'RRULE:FREQ=WEEKLY;BYDAY=TH', { title: 'Maya / Sam' }, SAM)];
    const s1 = settle(events, imported());
    const run = { accountId: ACCOUNT, provider: 'google' as const, result: pass(events, s1) };
    const candidates = relinkCandidates([run], seriesOf(s1) as SeriesDoc, s1.series, NOW);
    expect(candidates.map((c) => [c.eventId, new Date(c.start).toISOString()])).toEqual([
      ['wk_R20261203', '2026-12-03T15:00:00.000Z'],
      ['fri', '2026-12-04T15:00:00.000Z'],
    ]);
  });

  it('records the choice: the chosen event’s meetings join the series, old meetings and content stay, and later passes keep it', () => {
    const events = [ended(), thursdays(), fridays()];
    const content = onThe('2026-11-16', '2026-11-30');
    const s1 = settle(events, imported(), { content });
    const run = { accountId: ACCOUNT, provider: 'google' as const, result: pass(events, s1, { content }) };
    const [thu] = relinkCandidates([run], seriesOf(s1) as SeriesDoc, s1.series, NOW);
    const chosen = relinkedSeries(seriesOf(s1) as SeriesDoc, thu!, NOW + 1000);
    const s2 = settle(events, { ...s1, series: s1.series.map((s) => (s.id === SERIES ? chosen : s)) }, { content });
    expect(seriesOf(s2)).toMatchObject({ linkState: 'linked', calendarLink: { eventId: 'wk_R20261203' } });
    expect(byDay(s2, SERIES)).toEqual(['2026-11-02', '2026-11-09', '2026-11-16', '2026-11-23', '2026-11-30', '2026-12-03', '2026-12-10']);
    expect(meetingOn(s2, '2026-11-30')).toMatchObject({ linkState: 'unlinked', state: 'cancelled' });
    // The Thursday series made before the choice has no meetings left; nothing was deleted.
    expect(byDay(s2, seriesIdFor('google', ACCOUNT, 'wk_R20261203'))).toEqual([]);
    expect(s2.meetings.map((m) => m.id).sort()).toEqual(s1.meetings.map((m) => m.id).sort());
    // Fridays remain a series of their own; the choice is no longer offered.
    expect(byDay(s2, seriesIdFor('google', ACCOUNT, 'fri'))).toEqual(['2026-12-04', '2026-12-11']);
    const again = relinkCandidates([{ accountId: ACCOUNT, provider: 'google', result: pass(events, s2, { content }) }], seriesOf(s2) as SeriesDoc, s2.series, NOW);
    expect(again.map((c) => c.eventId)).toEqual(['fri']);
  });

  it('relinks a series whose event was deleted to the event that replaced it', () => {
    const content = onThe('2026-11-23');
    const s1 = settle([], imported(), { content });
    const wednesdays = master('wed', '2026-11-25', 'RRULE:FREQ=WEEKLY;BYDAY=WE');
    const s2 = settle([wednesdays], s1, { content });
    expect(seriesOf(s2)?.linkState).toBe('disconnected');
    const run = { accountId: ACCOUNT, provider: 'google' as const, result: pass([wednesdays], s2, { content }) };
    const [wed] = relinkCandidates([run], seriesOf(s2) as SeriesDoc, s2.series, NOW);
    expect(wed?.eventId).toBe('wed');
    const s3 = settle([wednesdays], { ...s2, series: s2.series.map((s) => (s.id === SERIES ? relinkedSeries(s, wed!, NOW) : s)) }, { content });
    expect(seriesOf(s3)?.linkState).toBe('linked');
    expect(byDay(s3, SERIES)).toEqual(['2026-11-23', '2026-11-25', '2026-12-02', '2026-12-09']);
    // …and when that event goes too, the series is disconnected again, its content kept.
    const s4 = settle([], s3, { content });
    expect(seriesOf(s4)?.linkState).toBe('disconnected');
    expect(s4.meetings.map((m) => m.id)).toEqual([meetingOn(s1, '2026-11-23')?.id]);
  });
});

describe('a listing without masters (Graph\'s calendar view lists each occurrence on its own)', () => {
  /** The occurrences of a weekly series from `day` as instance events, as Graph lists them. */
  const instances = (id: string, day: string, weeks: number): CalendarEvent[] => {
    const first = Date.parse(`${day}T15:00:00Z`);
    return Array.from({ length: weeks }, (_, k) => {
      const at = first + k * 7 * DAY;
      const { recurrence: _rule, ...base } = master(id, day, 'RRULE:FREQ=WEEKLY');
      const iso = new Date(at).toISOString();
      return { ...base, id: `${id}_${k}`, recurringEventId: id, originalStart: iso, start: iso, end: new Date(at + 30 * 60_000).toISOString() };
    });
  };

  it('disconnects a series whose occurrences are all gone, and relinks it to another series of instances for good', () => {
    const content = onThe('2026-11-23');
    const s0 = settle(instances('wk', '2026-11-02', 7), EMPTY, { content });
    expect(seriesOf(s0)).toMatchObject({ linkState: 'linked' });
    expect(seriesOf(s0)?.calendarLink).toBeUndefined();
    const s1 = settle([], s0, { content });
    expect(seriesOf(s1)?.linkState).toBe('disconnected');
    const wed = instances('wed', '2026-11-25', 3);
    const s2 = settle(wed, s1, { content });
    const run = { accountId: ACCOUNT, provider: 'google' as const, result: pass(wed, s2, { content }) };
    const candidates = relinkCandidates([run], seriesOf(s2) as SeriesDoc, s2.series, NOW);
    expect(candidates.map((c) => [c.eventId, c.event.id])).toEqual([['wed', 'wed_0']]);
    const s3 = settle(wed, { ...s2, series: s2.series.map((s) => (s.id === SERIES ? relinkedSeries(s, candidates[0]!, NOW) : s)) }, { content });
    expect(seriesOf(s3)).toMatchObject({ linkState: 'linked', calendarLink: { recurringEventId: 'wed' } });
    expect(byDay(s3, SERIES)).toEqual(['2026-11-23', '2026-11-25', '2026-12-02', '2026-12-09']);
    // A pass over a later listing of the same series keeps the choice too.
    const s4 = settle(wed.slice(1), s3, { content });
    expect(seriesOf(s4)).toMatchObject({ linkState: 'linked', calendarLink: { recurringEventId: 'wed' } });
  });
});

// ---- Property: over generated edits, a second pass is a no-op, content is never deleted, a
// disconnected series keeps a meeting, and a Relink choice survives every later pass.
type Edit = 'none' | 'delete' | 'cancel' | 'retitle' | 'split1' | 'split2';
const editArb = fc.constantFrom<Edit>('none', 'delete', 'cancel', 'retitle', 'split1', 'split2');
const seriesArb = fc.record({ who: fc.constantFrom(LEE, SAM), weekday: fc.integer({ min: 0, max: 4 }), startWeek: fc.integer({ min: -4, max: 2 }), edit: editArb, splitWeek: fc.integer({ min: 0, max: 3 }) });
const caseArb = fc.record({
  series: fc.array(seriesArb, { minLength: 1, maxLength: 3 }),
  contentMod: fc.integer({ min: 2, max: 5 }),
  complete: fc.boolean(),
  choose: fc.nat(),
});

const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR'];
const MONDAY = Date.parse('2026-11-16T00:00:00Z');
const ymd = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const compact = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').slice(0, 15) + 'Z';

type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

function calendars(c: Case): { before: CalendarEvent[]; after: CalendarEvent[] } {
  const before: CalendarEvent[] = [];
  const after: CalendarEvent[] = [];
  c.series.forEach((s, i) => {
    const first = MONDAY + (s.startWeek * 7 + s.weekday) * DAY;
    const rule = `RRULE:FREQ=WEEKLY;BYDAY=${WEEKDAYS[s.weekday]}`;
    const base = master(`s${i}`, ymd(first), rule, {}, s.who);
    before.push(base);
    const cut = MONDAY + (s.splitWeek * 7 + s.weekday) * DAY + 15 * 3_600_000;
    switch (s.edit) {
      case 'none':
        after.push(base);
        break;
      case 'delete':
        break;
      case 'cancel':
        after.push({ ...base, status: 'cancelled' });
        break;
      case 'retitle':
        after.push({ ...base, title: 'Planning' });
        break;
      case 'split1':
      case 'split2':
        after.push({ ...base, recurrence: [`${rule};UNTIL=${compact(cut - 1000)}`] });
        after.push(master(`s${i}_R${compact(cut)}`, ymd(cut + DAY), `RRULE:FREQ=WEEKLY;BYDAY=${WEEKDAYS[(s.weekday + 1) % 5]}`, {}, s.who));
        if (s.edit === 'split2') after.push(master(`s${i}_alt`, ymd(cut + 2 * DAY), `RRULE:FREQ=WEEKLY;BYDAY=${WEEKDAYS[(s.weekday + 2) % 5]}`, {}, s.who));
        break;
    }
  });
  return { before, after };
}

describe('series links: properties', () => {
  it('a second pass is a no-op, content is kept, and a Relink choice is never undone', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const { before, after } = calendars(c);
        const content = (m: MeetingDoc) => m.start % (c.contentMod * 60_000) === 0 && Math.floor(m.start / DAY) % c.contentMod === 0;
        const opts = { content, complete: c.complete };
        const s0 = settle(before, EMPTY, opts);
        const s1 = settle(after, s0, opts);
        // Nothing with content was deleted.
        const kept = new Set(s1.meetings.map((m) => m.id));
        for (const m of s0.meetings) if (content(m)) expect(kept.has(m.id)).toBe(true);
        // A disconnected series keeps at least one meeting, and only the edits above disconnect one
        // (a single split can be ambiguous too: another series with the same person may start
        // within a period of its end).
        for (const s of s1.series.filter((x) => x.linkState === 'disconnected')) {
          expect(s1.meetings.some((m) => m.seriesId === s.id)).toBe(true);
          const i = Number(/^s(\d+)$/.exec(s.calendarLink?.eventId ?? '')?.[1]);
          expect(['delete', 'cancel', 'split1', 'split2']).toContain(c.series[i]?.edit);
        }
        // Relink every disconnected series that has a candidate; the next passes keep the choice.
        let s2 = s1;
        const run = { accountId: ACCOUNT, provider: 'google' as const, result: pass(after, s1, opts) };
        const chosen = new Map<string, string>();
        for (const s of s1.series.filter((x) => x.linkState === 'disconnected')) {
          const candidates = relinkCandidates([run], s, s2.series, NOW).filter((x) => ![...chosen.values()].includes(x.eventId));
          const pick = candidates[c.choose % Math.max(1, candidates.length)];
          if (!pick) continue;
          chosen.set(s.id, pick.eventId);
          s2 = { ...s2, series: s2.series.map((x) => (x.id === s.id ? relinkedSeries(x, pick, NOW) : x)) };
        }
        const s3 = settle(after, s2, opts);
        for (const [id, eventId] of chosen) {
          expect(seriesOf(s3, id)).toMatchObject({ linkState: 'linked', calendarLink: { eventId } });
          // Every meeting of the chosen event's occurrences is in the series now.
          for (const m of s3.meetings) if (m.linkState === 'linked' && m.calendarLink?.recurringEventId === eventId) expect(m.seriesId).toBe(id);
        }
        expect(new Set(s3.meetings.map((m) => m.id))).toEqual(new Set(s1.meetings.map((m) => m.id)));
      }),
      { numRuns: 150 },
    );
  });
});
