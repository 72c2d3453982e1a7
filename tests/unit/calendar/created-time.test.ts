// Providers' creation timestamps, read into one UTC ISO form (src-shared/calendar/zoned-time.ts):
// what the notifier compares with when a calendar was connected (docs/architecture.md §5).
import { expect, it } from 'vitest';
import { createdIso } from '../../../src-shared/calendar/zoned-time';

it('reads Google and Graph forms to the millisecond, in UTC', () => {
  expect(createdIso('2024-01-22T16:03:11.000Z')).toBe('2024-01-22T16:03:11.000Z');
  expect(createdIso('2024-01-22T16:03:11.0214578Z')).toBe('2024-01-22T16:03:11.021Z');
  expect(createdIso('2024-01-22T16:03:11.0214578')).toBe('2024-01-22T16:03:11.021Z'); // Graph without Z is UTC
  expect(createdIso('2024-01-22T16:03:11Z')).toBe('2024-01-22T16:03:11.000Z');
  expect(createdIso('2024-01-22T11:03:11.5-05:00')).toBe('2024-01-22T16:03:11.500Z');
});

it('gives nothing for what is not a timestamp', () => {
  for (const bad of [undefined, null, '', 'yesterday', '2024-13-45T99:99:99Z', '2024-01-22', `2024-01-22T16:03:11.${'1'.repeat(80)}Z`])
    expect(createdIso(bad), String(bad)).toBeUndefined();
});
