// The zone maths every process shares (the engine's recurrence expansion and the sandbox's
// Google and Graph faces): offsets, instant -> wall clock, and wall clock -> instant across
// daylight-saving gaps and overlaps.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MINUTE_MS, utcMs } from '../../../src-shared/engine/time';
import {
  fromLocal,
  isValidTimeZone,
  offsetAt,
  toLocal,
  type Zone,
} from '../../../src-shared/engine/timezone';

const berlin: Zone = { kind: 'iana', name: 'Europe/Berlin' };
const newYork: Zone = { kind: 'iana', name: 'America/New_York' };
const wall = (year: number, month: number, day: number, hour: number, minute = 0) => ({
  year,
  month,
  day,
  hour,
  minute,
  second: 0,
  millisecond: 0,
});

describe('offsetAt', () => {
  it('gives minutes east of UTC, following daylight saving', () => {
    expect(offsetAt(berlin, Date.UTC(2024, 0, 15, 12))).toBe(60);
    expect(offsetAt(berlin, Date.UTC(2024, 6, 15, 12))).toBe(120);
    expect(offsetAt(newYork, Date.UTC(2024, 6, 15, 12))).toBe(-240);
    expect(offsetAt({ kind: 'iana', name: 'Asia/Kathmandu' }, Date.UTC(2024, 6, 15, 12))).toBe(345);
    expect(offsetAt({ kind: 'fixed', offsetMinutes: -150 }, Date.UTC(2024, 6, 15, 12))).toBe(-150);
  });

  it('changes exactly at the transition instant', () => {
    const springForward = Date.UTC(2024, 2, 31, 1); // 02:00 CET -> 03:00 CEST
    expect(offsetAt(berlin, springForward - 1)).toBe(60);
    expect(offsetAt(berlin, springForward)).toBe(120);
  });
});

describe('isValidTimeZone', () => {
  it('knows IANA names and refuses others', () => {
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
  });
});

describe('toLocal / fromLocal', () => {
  it('reads the wall clock of an instant in the zone', () => {
    expect(toLocal(berlin, Date.UTC(2024, 6, 15, 8, 30, 5, 250))).toEqual({
      ...wall(2024, 7, 15, 10, 30),
      second: 5,
      millisecond: 250,
    });
  });

  it('maps a wall time skipped by a spring gap just past the gap', () => {
    // 02:30 does not exist in Berlin on 2024-03-31: it becomes 03:30 CEST (01:30 UTC).
    expect(fromLocal(berlin, wall(2024, 3, 31, 2, 30))).toBe(Date.UTC(2024, 2, 31, 1, 30));
    expect(fromLocal(newYork, wall(2024, 3, 10, 2, 30))).toBe(Date.UTC(2024, 2, 10, 7, 30));
  });

  it('maps a wall time that occurs twice (autumn) to its first occurrence', () => {
    expect(fromLocal(berlin, wall(2024, 10, 27, 2, 30))).toBe(Date.UTC(2024, 9, 27, 0, 30));
    expect(fromLocal(newYork, wall(2024, 11, 3, 1, 30))).toBe(Date.UTC(2024, 10, 3, 5, 30));
  });

  it('handles years before 100 without moving them to the 1900s', () => {
    expect(fromLocal({ kind: 'fixed', offsetMinutes: 0 }, wall(50, 1, 1, 0))).toBe(utcMs(50, 1, 1));
    expect(toLocal({ kind: 'fixed', offsetMinutes: 0 }, utcMs(50, 1, 1)).year).toBe(50);
  });

  it('round-trips every instant whose wall time is not in an overlap', () => {
    const zones = [
      'Europe/Berlin',
      'America/New_York',
      'Australia/Lord_Howe',
      'Pacific/Chatham',
      'Asia/Kolkata',
    ];
    fc.assert(
      fc.property(fc.constantFrom(...zones), fc.integer({ min: 0, max: 4_000_000_000 }), (name, minutes) => {
        const zone: Zone = { kind: 'iana', name };
        const ms = minutes * MINUTE_MS;
        const back = fromLocal(zone, toLocal(zone, ms));
        // In an overlap the first occurrence wins, so the answer may be earlier but shows the same wall time.
        if (back !== ms) {
          expect(back).toBeLessThan(ms);
          expect(toLocal(zone, back)).toEqual(toLocal(zone, ms));
        } else expect(back).toBe(ms);
      }),
      { numRuns: 2000 },
    );
  });
});
