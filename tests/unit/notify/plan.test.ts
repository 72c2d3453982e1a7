// Notification timing with a controllable clock (docs/architecture.md §5 "Notifications"): the
// weekly summary at Sunday 18:00 local in several zones, across their DST weeks; the prep reminder
// its lead time before each meeting; catching up after a sleep (a missed reminder dropped, a missed
// summary shown once); news of a series once.
import { describe, expect, it } from 'vitest';
import { fromLocal, type Zone } from '../../../src-shared/engine/timezone';
import { lastSummarySlot, nextSummarySlot, planNotifications, type PlanInput, type PlanMeeting } from '../../../src-shared/notify/plan';

const H = 3_600_000;
const DAY = 24 * H;
const iana = (name: string): Zone => ({ kind: 'iana', name });
const local = (zone: Zone, y: number, mo: number, d: number, h: number, mi = 0) =>
  fromLocal(zone, { year: y, month: mo, day: d, hour: h, minute: mi, second: 0, millisecond: 0 });

/** Runs the planner the way the notifier does: jump to each next instant, keep the first time each id is due. */
function simulate(input: PlanInput, from: number, to: number): Map<string, number> {
  const fired = new Map<string, number>();
  let now = from;
  while (now <= to) {
    const plan = planNotifications(input, now);
    for (const d of plan.due) if (!fired.has(d.id)) fired.set(d.id, now);
    if (plan.nextAt === null) break;
    expect(plan.nextAt).toBeGreaterThan(now);
    now = plan.nextAt;
  }
  return fired;
}

// Each zone's DST change falls inside its three simulated weeks (Sydney's ends; Kolkata has none).
const cases = [
  { zone: 'Europe/Berlin', dst: [2026, 3, 29], utcHours: [17, 16, 16] },
  { zone: 'America/New_York', dst: [2026, 3, 8], utcHours: [23, 22, 22] },
  { zone: 'Australia/Sydney', dst: [2026, 4, 5], utcHours: [7, 8, 8] },
  { zone: 'Asia/Kolkata', dst: [2026, 3, 29], utcHours: [12.5, 12.5, 12.5] },
] as const;

describe('weekly summary: Sunday 18:00 in the user\'s zone, DST week included', () => {
  it.each(cases)('$zone', ({ zone: name, dst, utcHours }) => {
    const zone = iana(name);
    // From the Thursday ten days before the change's Sunday.
    const start = local(zone, dst[0], dst[1], dst[2] - 10, 0);
    const input: PlanInput = { meetings: [], selves: new Set(), reminderMinutes: 60, zone, since: start };
    const fired = simulate(input, start, start + 20 * DAY);
    const summaries = [...fired].filter(([id]) => id.startsWith('summary:'));
    // The Sunday before the change, the change's own Sunday, the one after: each at 18:00 local.
    const sundayBefore = new Date(Date.UTC(dst[0], dst[1] - 1, dst[2]) - 7 * DAY).toISOString().slice(0, 10);
    const sundays = [sundayBefore, ...[0, 7].map((k) => new Date(Date.UTC(dst[0], dst[1] - 1, dst[2]) + k * DAY).toISOString().slice(0, 10))];
    expect(summaries.map(([id]) => id)).toEqual(sundays.map((d) => `summary:${d}`));
    summaries.forEach(([, t], i) => {
      const d = new Date(t);
      expect(d.toISOString().slice(0, 10)).toBe(sundays[i]);
      expect(d.getUTCHours() + d.getUTCMinutes() / 60).toBe(utcHours[i]);
    });
  });

  it('the slot before and after an instant', () => {
    const zone = iana('Europe/Berlin');
    const sunday6pm = local(zone, 2026, 3, 29, 18);
    expect(lastSummarySlot(zone, sunday6pm)).toEqual({ at: sunday6pm, week: '2026-03-29' });
    expect(lastSummarySlot(zone, sunday6pm - 1).week).toBe('2026-03-22');
    expect(nextSummarySlot(zone, sunday6pm)).toEqual({ at: local(zone, 2026, 4, 5, 18), week: '2026-04-05' });
  });
});

const weeklyAt10 = (zone: Zone, first: [number, number, number], weeks: number, over: Partial<PlanMeeting> = {}): PlanMeeting[] =>
  Array.from({ length: weeks }, (_, k) => {
    const start = local(zone, first[0], first[1], first[2] + 7 * k, 10);
    return { id: `m${k}`, seriesId: 's1', title: 'Maya / Sam', start, end: start + H / 2, owner: 'maya@acme.io', state: 'scheduled', createdAt: 0, ...over };
  });

describe('prep reminder', () => {
  it.each(['Europe/Berlin', 'America/New_York', 'Australia/Sydney'])('fires its lead time before each meeting of a weekly series across DST (%s)', (name) => {
    const zone = iana(name);
    const first: [number, number, number] = name === 'America/New_York' ? [2026, 3, 3] : name === 'Australia/Sydney' ? [2026, 3, 31] : [2026, 3, 24];
    const meetings = weeklyAt10(zone, first, 3);
    const input: PlanInput = { meetings, selves: new Set(['maya@acme.io']), reminderMinutes: 60, zone, since: 0 };
    const fired = simulate(input, meetings[0]!.start - 2 * DAY, meetings[2]!.end);
    for (const m of meetings) {
      expect(fired.get(`prep:${m.id}:${m.start}`)).toBe(m.start - H);
      // 09:00 local every week, whichever side of the change.
      expect(new Intl.DateTimeFormat('en-GB', { timeZone: name, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(m.start - H)).toBe('09:00');
    }
  });

  it('is off at 0 minutes, and a missed one is dropped once its meeting started', () => {
    const zone = iana('Europe/Berlin');
    const [m] = weeklyAt10(zone, [2026, 3, 24], 1);
    const base: PlanInput = { meetings: [m!], selves: new Set(['maya@acme.io']), reminderMinutes: 60, zone, since: 0 };
    expect(planNotifications({ ...base, reminderMinutes: 0 }, m!.start - 30 * 60_000).due.filter((d) => d.kind === 'prep-reminder')).toEqual([]);
    // Awake 30 minutes before: still useful, fires late.
    expect(planNotifications(base, m!.start - 30 * 60_000).due.map((d) => d.id)).toContain(`prep:m0:${m!.start}`);
    // Asleep through the start: dropped.
    expect(planNotifications(base, m!.start + 60_000).due.filter((d) => d.kind === 'prep-reminder')).toEqual([]);
    // A cancelled meeting has none; a moved one gets a new id (its new time).
    expect(planNotifications({ ...base, meetings: [{ ...m!, state: 'cancelled' }] }, m!.start - 30 * 60_000).due.filter((d) => d.kind === 'prep-reminder')).toEqual([]);
  });
});

describe('catching up after sleep', () => {
  it('three missed Sundays show one summary, the latest', () => {
    const zone = iana('America/New_York');
    const since = local(zone, 2026, 3, 1, 9);
    const wake = local(zone, 2026, 3, 25, 8);
    const due = planNotifications({ meetings: [], selves: new Set(), reminderMinutes: 60, zone, since }, wake).due;
    expect(due.map((d) => d.id)).toEqual(['summary:2026-03-22']);
    // Nothing from before the notifier first ran.
    expect(planNotifications({ meetings: [], selves: new Set(), reminderMinutes: 60, zone, since: wake }, wake).due).toEqual([]);
  });
});

describe('news of a new 1:1 or series', () => {
  const zone = iana('Europe/Berlin');
  const since = local(zone, 2026, 3, 20, 9);
  const now = since + DAY;
  it('once per series someone else owns, arriving after the notifier started, still to come', () => {
    const meetings = weeklyAt10(zone, [2026, 3, 24], 3, { createdAt: since + H, seriesCreatedAt: since + H });
    const one = { ...meetings[0]!, id: 'solo', seriesId: '', seriesCreatedAt: undefined };
    const input: PlanInput = { meetings: [...meetings, one], selves: new Set(['sam@acme.io']), reminderMinutes: 0, zone, since };
    const news = planNotifications(input, now).due.filter((d) => d.kind.startsWith('new-'));
    expect(news.map((d) => [d.id, d.kind])).toEqual([['new-series:s1', 'new-series'], ['new-meeting:solo', 'new-meeting']]);
    // The user's own, an old series with a new occurrence, a past one: no news.
    expect(planNotifications({ ...input, selves: new Set(['maya@acme.io']) }, now).due.filter((d) => d.kind.startsWith('new-'))).toEqual([]);
    expect(planNotifications({ ...input, meetings: meetings.map((m) => ({ ...m, seriesCreatedAt: since - DAY })) }, now).due.filter((d) => d.kind.startsWith('new-'))).toEqual([]);
    expect(planNotifications({ ...input, meetings: [one] }, one.end + 1).due.filter((d) => d.kind.startsWith('new-'))).toEqual([]);
  });

  it('a 1:1 shared with you, which arrives one meeting per occurrence, is news once', () => {
    const rooms = weeklyAt10(zone, [2026, 3, 24], 3).map((m, k) => ({ ...m, id: `room-${k}`, seriesId: '', createdAt: since + k * 7 * DAY }));
    const input: PlanInput = { meetings: rooms, selves: new Set(['sam@acme.io']), reminderMinutes: 0, zone, since };
    // Week by week, as each occurrence's room arrives: always the first one's id, so stored once.
    for (let k = 0; k < 3; k++) {
      const news = planNotifications({ ...input, meetings: rooms.slice(0, k + 1) }, since + k * 7 * DAY + H).due.filter((d) => d.kind !== 'weekly-summary');
      expect(news.map((d) => d.id)).toEqual(['new-meeting:room-0']);
    }
    // Known before the notifier started: a later occurrence is no news.
    expect(planNotifications({ ...input, since: since + DAY }, since + 8 * DAY).due.filter((d) => d.kind !== 'weekly-summary')).toEqual([]);
  });
});
