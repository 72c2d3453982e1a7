// The sandbox's zone maths (sandbox/tz.ts, straight on Intl) and the engine's
// (src-shared/engine/timezone.ts) are independent implementations; here they must agree around
// daylight-saving edges in zones that move forward, back, by half an hour, or not at all, and on
// a historical rule (São Paulo kept DST until 2019, with its gap at midnight).
import { describe, expect, it } from 'vitest';
import { fromLocal, offsetAt, toLocal, type Zone } from '../../../src-shared/engine/timezone';
import { instantFromWall, offsetMs, wallClock, type Wall } from '../../../sandbox/tz';

const MINUTE = 60_000;

interface Edge {
  zone: string;
  /** The instant the offset changes. */
  at: string;
  /** Offsets (minutes east of UTC) just before and just after. */
  before: number;
  after: number;
}

// Facts of the tz database, each one a law or decree (not output of either implementation).
const EDGES: Edge[] = [
  { zone: 'America/New_York', at: '2024-03-10T07:00:00Z', before: -300, after: -240 }, // 02:00 → 03:00
  { zone: 'America/New_York', at: '2024-11-03T06:00:00Z', before: -240, after: -300 }, // 02:00 → 01:00
  { zone: 'Europe/London', at: '2024-03-31T01:00:00Z', before: 0, after: 60 },
  { zone: 'Europe/London', at: '2024-10-27T01:00:00Z', before: 60, after: 0 },
  { zone: 'Europe/Berlin', at: '2024-03-31T01:00:00Z', before: 60, after: 120 },
  { zone: 'Europe/Berlin', at: '2024-10-27T01:00:00Z', before: 120, after: 60 },
  { zone: 'Australia/Sydney', at: '2024-04-06T16:00:00Z', before: 660, after: 600 }, // 03:00 → 02:00
  { zone: 'Australia/Sydney', at: '2024-10-05T16:00:00Z', before: 600, after: 660 }, // 02:00 → 03:00
  { zone: 'America/Sao_Paulo', at: '2018-11-04T03:00:00Z', before: -180, after: -120 }, // 00:00 → 01:00
  { zone: 'America/Sao_Paulo', at: '2019-02-17T02:00:00Z', before: -120, after: -180 }, // 00:00 → 23:00
  { zone: 'Asia/Kolkata', at: '1945-10-14T17:30:00Z', before: 390, after: 330 }, // war time ends
  { zone: 'Australia/Lord_Howe', at: '2024-10-05T15:30:00Z', before: 630, after: 660 }, // half-hour DST
];
// A zone with no change at all near these dates.
const STEADY = ['Asia/Kolkata', 'Asia/Kathmandu'];

const iana = (name: string): Zone => ({ kind: 'iana', name });
const engineWall = (ms: number, tz: string): Wall => {
  const { millisecond: _ms, ...wall } = toLocal(iana(tz), ms);
  return wall;
};

const sameWall = (a: Wall, b: Wall) => JSON.stringify(a) === JSON.stringify(b);

/** Instants every 5 minutes (and a second either side of the edge) over ±3 hours. */
function instantsAround(at: number): number[] {
  const out = [at - 1000, at + 1000];
  for (let m = -180; m <= 180; m += 5) out.push(at + m * MINUTE);
  return out;
}

/** Wall times every 15 minutes over ±3 hours of the edge's local time, seconds included. */
function wallsAround(at: number, zone: string): Wall[] {
  const base = wallClock(at - 3 * 3600_000, zone);
  const start = Date.UTC(base.year, base.month - 1, base.day, base.hour, 0, 0);
  const out: Wall[] = [];
  for (let m = 0; m <= 7 * 60; m += 15) {
    const d = new Date(start + m * MINUTE + (m % 30 === 15 ? 30_000 : 0));
    out.push({
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
    });
  }
  return out;
}

describe.each(EDGES)('$zone at $at', ({ zone, at, before, after }) => {
  const edge = Date.parse(at);

  it('both know the offsets either side of the edge', () => {
    expect(offsetMs(edge - 1000, zone) / MINUTE).toBe(before);
    expect(offsetMs(edge, zone) / MINUTE).toBe(after);
    expect(offsetAt(iana(zone), edge - 1000)).toBe(before);
    expect(offsetAt(iana(zone), edge)).toBe(after);
  });

  it('agree on the offset and wall clock of every instant around it', () => {
    for (const ms of instantsAround(edge)) {
      expect({ ms, offset: offsetMs(ms, zone) / MINUTE }).toEqual({ ms, offset: offsetAt(iana(zone), ms) });
      expect({ ms, wall: wallClock(ms, zone) }).toEqual({ ms, wall: engineWall(ms, zone) });
    }
  });

  it('agree on the instant of every wall time around it: gaps forward, overlaps first', () => {
    const gap = after > before;
    let inGap = 0;
    let twice = 0;
    for (const wall of wallsAround(edge, zone)) {
      const sandbox = instantFromWall(wall, zone);
      expect({ wall, ms: sandbox }).toEqual({ wall, ms: fromLocal(iana(zone), { ...wall, millisecond: 0 }) });
      const shown = wallClock(sandbox, zone);
      if (!sameWall(shown, wall)) {
        // Skipped by the gap: placed with the offset from before it, so it shows that much later.
        inGap++;
        expect(gap).toBe(true);
        expect(sandbox).toBe(
          Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second) -
            before * MINUTE,
        );
      } else if (!gap && sameWall(wallClock(sandbox + (before - after) * MINUTE, zone), wall)) {
        // Shown again an offset-change later: the first of the two instants is the one taken.
        twice++;
      }
    }
    // Every edge's window holds wall times that are skipped, or shown twice.
    expect(gap ? inGap : twice).toBeGreaterThan(0);
  });
});

describe.each(STEADY)('%s, without daylight saving', (zone) => {
  it('agrees on a year of instants and wall times', () => {
    for (let ms = Date.UTC(2024, 0, 1); ms < Date.UTC(2025, 0, 1); ms += 7 * 3600_000 + 13 * MINUTE) {
      expect(offsetMs(ms, zone) / MINUTE).toBe(offsetAt(iana(zone), ms));
      const wall = wallClock(ms, zone);
      expect(wall).toEqual(engineWall(ms, zone));
      expect(instantFromWall(wall, zone)).toBe(fromLocal(iana(zone), { ...wall, millisecond: 0 }));
    }
  });
});
