// The edge cases docs/architecture.md §4 decides (issue 9): each decision, and that a second pass
// over the result has nothing left to do.
import { describe, expect, it } from 'vitest';
import { applyActions } from '../../../src-shared/engine/apply';
import type { ScanMeeting } from '../../../src-shared/engine/model';
import { scan } from '../../../src-shared/engine/scan';
import { meeting, oneOnOne, SAM, scenario, settle } from './helpers';

// NOW is 2024-03-06T17:00Z; the window ends 28 days later, on 3 April.
const BEYOND = { start: '2024-04-20T14:00:00.000Z', end: '2024-04-20T14:30:00.000Z' };

describe('(a) a cancelled event beyond the window', () => {
  const cancelled = oneOnOne({ id: 'far', ...BEYOND, status: 'cancelled' });
  const linked = (hasContent: boolean): ScanMeeting => meeting({ id: 'm-far', ...BEYOND, link: { eventId: 'far' }, hasContent });

  it('deletes its meeting when the meeting has no content', () => {
    const s = scenario([cancelled], { meetings: [linked(false)] });
    expect(scan(s).actions).toEqual([{ op: 'delete', eventId: 'far', meetingId: 'm-far' }]);
    expect(settle(s).second.actions).toEqual([]);
  });

  it('keeps a meeting with content, unlinked (shown cancelled)', () => {
    const s = scenario([cancelled], { meetings: [linked(true)] });
    expect(scan(s).actions).toEqual([{ op: 'unlink', eventId: 'far', meetingId: 'm-far' }]);
    expect(settle(s).second.actions).toEqual([]);
  });

  it('a cancelled occurrence of a series beyond the window too; an event merely absent beyond the window is left alone', () => {
    const master = oneOnOne({ id: 'ser', start: '2024-03-04T15:00:00.000Z', end: '2024-03-04T15:30:00.000Z', recurrence: ['RRULE:FREQ=WEEKLY'], timeZone: 'UTC' });
    const slot = '2024-04-22T15:00:00.000Z';
    const stub = oneOnOne({ id: 'ser_0422', recurringEventId: 'ser', originalStart: slot, start: slot, end: slot, status: 'cancelled', title: '' });
    const m = meeting({ id: 'm-slot', start: slot, end: '2024-04-22T15:30:00.000Z', link: { eventId: 'ser', instanceStart: slot } });
    const withStub = scan(scenario([master, stub], { meetings: [m] })).actions.filter((x) => x.meetingId === 'm-slot');
    expect(withStub).toEqual([{ op: 'delete', eventId: 'ser', instanceStart: slot, meetingId: 'm-slot' }]);
    const absent = meeting({ id: 'm-abs', ...BEYOND, link: { eventId: 'not-listed' } });
    expect(scan(scenario([], { meetings: [absent] })).actions).toEqual([]);
  });
});

describe('(c) decisions where the design was silent', () => {
  it('a linked event that stops being a 1:1 (declined) and moves: the meeting stays linked and follows it', () => {
    const ev = oneOnOne({ id: 'e1' });
    const { meetings } = settle(scenario([ev]));
    const moved = { ...ev, start: '2024-03-08T10:00:00-05:00', end: '2024-03-08T10:30:00-05:00', attendees: [ev.attendees[0]!, { email: SAM, response: 'declined' as const }] };
    const s = scenario([moved], { meetings });
    const d = scan(s);
    expect(d.events[0]?.reasons).toEqual(['DECLINED']);
    expect(d.actions).toEqual([{ op: 'update', eventId: 'e1', meetingId: meetings[0]!.id }]);
    const after = applyActions(s, d.actions);
    expect(after[0]).toMatchObject({ start: '2024-03-08T15:00:00.000Z', link: { eventId: 'e1' } });
    expect(scan({ ...s, meetings: after }).actions).toEqual([]);
  });

  it('a series whose only occurrence in the window is a cancelled exception: no series, no meeting', () => {
    // Weekly from 6 March, COUNT=1 … only 13 March's slot, cancelled: nothing in the window remains.
    const master = oneOnOne({ id: 'one', start: '2024-03-13T15:00:00.000Z', end: '2024-03-13T15:30:00.000Z', recurrence: ['RRULE:FREQ=WEEKLY;COUNT=1'], timeZone: 'UTC' });
    const stub = oneOnOne({ id: 'one_0313', recurringEventId: 'one', originalStart: master.start, start: master.start, end: master.start, status: 'cancelled', title: '' });
    const d = scan(scenario([master, stub]));
    expect(d.series).toEqual([]);
    expect(d.actions).toEqual([]);
    expect(d.events.find((e) => e.id === 'one')?.reasons).toContain('OUTSIDE_WINDOW');
  });

  it('a series whose only occurrence moved out of the window: its meeting follows the occurrence out, and stays', () => {
    const master = oneOnOne({ id: 'mv', start: '2024-03-13T15:00:00.000Z', end: '2024-03-13T15:30:00.000Z', recurrence: ['RRULE:FREQ=WEEKLY;COUNT=1'], timeZone: 'UTC' });
    const first = settle(scenario([master]));
    expect(first.meetings).toHaveLength(1);
    const movedOut = oneOnOne({ id: 'mv_0313', recurringEventId: 'mv', originalStart: master.start, ...BEYOND });
    const s = scenario([master, movedOut], { meetings: first.meetings });
    const d = scan(s);
    expect(d.series).toEqual([]);
    expect(d.actions).toEqual([{ op: 'update', eventId: 'mv_0313', meetingId: first.meetings[0]!.id }]);
    const after = applyActions(s, d.actions);
    expect(after[0]).toMatchObject({ start: BEYOND.start, link: { eventId: 'mv', instanceStart: master.start } });
    expect(scan({ ...s, meetings: after }).actions).toEqual([]);
  });

  it('an UNTIL before DTSTART: RFC 5545 counts DTSTART as the first occurrence, so the series is that one meeting', () => {
    const master = oneOnOne({ id: 'u', start: '2024-03-13T15:00:00.000Z', end: '2024-03-13T15:30:00.000Z', recurrence: ['RRULE:FREQ=WEEKLY;UNTIL=20240301T000000Z'], timeZone: 'UTC' });
    const { first, second } = settle(scenario([master]));
    expect(first.actions).toEqual([{ op: 'create', eventId: 'u', instanceStart: '2024-03-13T15:00:00.000Z' }]);
    expect(second.actions).toEqual([]);
  });
});
