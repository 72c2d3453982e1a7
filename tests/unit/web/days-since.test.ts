// "Days since the last 1:1" is one definition on every screen (docs/architecture.md §6): Up next's
// prep summary and the cadence on Team and the person page count calendar days in the user's zone,
// so they never disagree by one, late in the evening or across a DST change.
import { expect, it } from 'vitest';
import { cadenceStats } from '../../../src-shared/engine/cadence-health';
import type { Zone } from '../../../src-shared/engine/timezone';
import type { MeetingDoc } from '../../../src-renderer/src/db/schemas';
import { prepFor } from '../../../src-renderer/src/features/up-next/prep';
import { sampleDocs } from './support/sample-docs';

const meeting = (id: string, start: number): MeetingDoc => ({
  ...sampleDocs.meetings,
  id,
  start,
  end: start + 30 * 60_000,
  state: 'scheduled',
});

const zones: Zone[] = [
  { kind: 'iana', name: 'America/New_York' },
  { kind: 'iana', name: 'Europe/Berlin' },
  { kind: 'iana', name: 'Australia/Lord_Howe' },
];
// Last 1:1s late and early in the day, the week of the spring and autumn changes (2030).
const lasts = [
  Date.UTC(2030, 2, 9, 3, 30),
  Date.UTC(2030, 2, 9, 22, 45),
  Date.UTC(2030, 2, 30, 23, 10),
  Date.UTC(2030, 9, 26, 0, 20),
  Date.UTC(2030, 10, 2, 4, 55),
];
const HOUR = 3_600_000;

it('Up next and the cadence give the same days since the last 1:1 in every zone and hour', () => {
  let checked = 0;
  for (const zone of zones) {
    for (const last of lasts) {
      for (let h = 1; h <= 24 * 9; h += 5) {
        const now = last + h * HOUR;
        const next = meeting('next', now + 2 * HOUR);
        const prep = prepFor(next, [meeting('last', last), next], new Map(), [], new Set(), now, zone);
        const cadence = cadenceStats([{ start: last, state: 'scheduled' }], now, { zone });
        expect(prep.daysSinceLast, `${JSON.stringify(zone)} last ${new Date(last).toISOString()} +${h} h`).toBe(
          cadence.daysSinceLast,
        );
        checked++;
      }
    }
  }
  expect(checked).toBeGreaterThan(500);
});

it('counts calendar days in the given zone: 23:30 yesterday is 1 day ago at 00:30 today', () => {
  const zone: Zone = { kind: 'iana', name: 'America/New_York' };
  const last = Date.UTC(2030, 2, 10, 3, 30); // 23:30 on 9 March in New York (EST)
  const now = Date.UTC(2030, 2, 10, 4, 30) + HOUR; // 01:30 on 10 March, the night clocks go forward
  const next = meeting('next', now + HOUR);
  expect(prepFor(next, [meeting('last', last), next], new Map(), [], new Set(), now, zone).daysSinceLast).toBe(1);
});
