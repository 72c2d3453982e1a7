// The repeat rules Duet writes (src-shared/calendar/repeat.ts): both providers' shapes describe the
// same days, from the first meeting's local date in the user's zone.
import { describe, expect, it } from 'vitest';
import {
  googleRecurrence,
  graphRecurrence,
  localStart,
  repeatOfGoogleRule,
  repeats,
} from '../../../src-shared/calendar/repeat';
import { graphRecurrenceToRRule } from '../../../src-shared/calendar/graph';

describe('repeat rules', () => {
  // Tuesday 2026-12-01 09:30 in Berlin is 08:30 UTC.
  const tuesday = Date.parse('2026-12-01T08:30:00Z');

  it('writes weekly, every 2 and 3 weeks on the local weekday, none as no rule', () => {
    expect(googleRecurrence('none', tuesday, 'Europe/Berlin')).toEqual([]);
    expect(graphRecurrence('none', tuesday, 'Europe/Berlin')).toBeNull();
    expect(googleRecurrence('weekly', tuesday, 'Europe/Berlin')).toEqual(['RRULE:FREQ=WEEKLY;BYDAY=TU']);
    expect(googleRecurrence('biweekly', tuesday, 'Europe/Berlin')).toEqual([
      'RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TU',
    ]);
    expect(googleRecurrence('triweekly', tuesday, 'Europe/Berlin')).toEqual([
      'RRULE:FREQ=WEEKLY;INTERVAL=3;BYDAY=TU',
    ]);
    const g = graphRecurrence('triweekly', tuesday, 'Europe/Berlin');
    expect(g?.pattern).toMatchObject({ type: 'weekly', interval: 3, daysOfWeek: ['tuesday'] });
    expect(g?.range).toEqual({ type: 'noEnd', startDate: '2026-12-01', recurrenceTimeZone: 'Europe/Berlin' });
  });

  it('takes the weekday in the user zone, not in UTC', () => {
    // Tuesday 23:30 UTC is already Wednesday in Tokyo and still Tuesday in New York.
    const late = Date.parse('2026-12-01T23:30:00Z');
    expect(googleRecurrence('weekly', late, 'Asia/Tokyo')).toEqual(['RRULE:FREQ=WEEKLY;BYDAY=WE']);
    expect(googleRecurrence('weekly', late, 'America/New_York')).toEqual(['RRULE:FREQ=WEEKLY;BYDAY=TU']);
    expect(localStart(late, 'Asia/Tokyo').wall).toBe('2026-12-02T08:30:00');
  });

  it('writes monthly as the n-th weekday, the last one in a fifth week, on both faces alike', () => {
    expect(googleRecurrence('monthly', tuesday, 'Europe/Berlin')).toEqual(['RRULE:FREQ=MONTHLY;BYDAY=1TU']);
    const fifth = Date.parse('2026-12-29T09:00:00Z'); // the fifth Tuesday of December
    expect(googleRecurrence('monthly', fifth, 'UTC')).toEqual(['RRULE:FREQ=MONTHLY;BYDAY=-1TU']);
    expect(graphRecurrence('monthly', fifth, 'UTC')?.pattern).toMatchObject({
      type: 'relativeMonthly',
      daysOfWeek: ['tuesday'],
      index: 'last',
    });
    // The engine's reading of Graph's pattern gives back the Google rule.
    for (const r of repeats.filter((x) => x !== 'none')) {
      for (const at of [tuesday, fifth]) {
        const graph = graphRecurrence(r, at, 'UTC');
        const lines = graphRecurrenceToRRule(graph as NonNullable<typeof graph>);
        expect(repeatOfGoogleRule(lines), `${r} ${new Date(at).toISOString()}`).toBe(r);
        expect(repeatOfGoogleRule(googleRecurrence(r, at, 'UTC'))).toBe(r);
      }
    }
  });

  it('refuses an unknown zone with a clear error', () => {
    expect(() => googleRecurrence('weekly', tuesday, 'Mars/Olympus')).toThrow(
      /Unknown time zone: Mars\/Olympus/,
    );
    expect(repeatOfGoogleRule(['RRULE:FREQ=DAILY'])).toBeUndefined();
    expect(repeatOfGoogleRule([])).toBe('none');
  });
});
