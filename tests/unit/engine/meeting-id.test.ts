// The one meeting id scheme: a correct SHA-256, ids a deep link and RxDB accept, the same id for
// one occurrence however the provider listed it, and different ids for different occurrences.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDeepLink } from '../../../src-main/app/deep-link';
import { applyActions } from '../../../src-shared/engine/apply';
import type { CalendarEvent } from '../../../src-shared/engine/model';
import { scan } from '../../../src-shared/engine/scan';
import { calendarMeetingId, isMeetingId } from '../../../src-shared/meeting/meeting-id';
import { base32, sha256 } from '../../../src-shared/meeting/sha256';
import { oneOnOne, scenario } from './helpers';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('sha256', () => {
  it('matches the standard vectors and node:crypto on arbitrary input (block edges included)', () => {
    expect(hex(sha256(new Uint8Array()))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(hex(sha256(new TextEncoder().encode('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    for (const n of [55, 56, 63, 64, 65, 119, 120, 1000]) {
      const data = new Uint8Array(n).map((_, i) => (i * 31 + n) & 255);
      expect(hex(sha256(data))).toBe(createHash('sha256').update(data).digest('hex'));
    }
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (data) => {
        expect(hex(sha256(data))).toBe(createHash('sha256').update(data).digest('hex'));
      }),
      { numRuns: 100 },
    );
  });

  it('base32 follows RFC 4648 (lower case, no padding)', () => {
    const enc = (s: string) => base32(new TextEncoder().encode(s));
    expect(enc('')).toBe('');
    expect(enc('f')).toBe('my');
    expect(enc('foobar')).toBe('mzxw6ytboi');
  });
});

describe('calendar meeting ids', () => {
  it('are short, deterministic, valid in a duet:// link, and differ by provider, account, key and original start', () => {
    const graphId = `AAMkAGI2TG93AAA${'x'.repeat(140)}=`;
    const id = calendarMeetingId({ provider: 'microsoft', accountId: 'acct-1', key: graphId, originalStart: Date.UTC(2024, 2, 11, 14) });
    expect(id).toMatch(/^cal-[a-z2-7]{26}$/);
    expect(isMeetingId(id)).toBe(true);
    expect(parseDeepLink(`duet://meeting/${id}`)).toEqual({ kind: 'meeting', meetingId: id });
    expect(calendarMeetingId({ provider: 'microsoft', accountId: 'acct-1', key: graphId, originalStart: Date.UTC(2024, 2, 11, 14) })).toBe(id);
    const others = [
      calendarMeetingId({ provider: 'google', accountId: 'acct-1', key: graphId, originalStart: Date.UTC(2024, 2, 11, 14) }),
      calendarMeetingId({ provider: 'microsoft', accountId: 'acct-2', key: graphId, originalStart: Date.UTC(2024, 2, 11, 14) }),
      calendarMeetingId({ provider: 'microsoft', accountId: 'acct-1', key: `${graphId}y`, originalStart: Date.UTC(2024, 2, 11, 14) }),
      calendarMeetingId({ provider: 'microsoft', accountId: 'acct-1', key: graphId, originalStart: Date.UTC(2024, 2, 18, 14) }),
      calendarMeetingId({ provider: 'microsoft', accountId: 'acct-1', key: graphId }),
    ];
    expect(new Set([id, ...others]).size).toBe(6);
  });

  it('the engine gives one occurrence the same id whether the master expands it or it is listed as its own instance', () => {
    const master = oneOnOne({
      id: 'ser',
      start: '2024-03-04T10:00:00-05:00',
      end: '2024-03-04T10:30:00-05:00',
      recurrence: ['RRULE:FREQ=WEEKLY'],
      timeZone: 'America/New_York',
      provider: 'google',
      accountId: 'a1',
      iCalUID: 'ser@google.com',
    });
    const fromMaster = applyActions(scenario([master]), scan(scenario([master])).actions);
    // Google singleEvents=true: the same series as instance events, no master.
    const instances: CalendarEvent[] = fromMaster.map((m, i) => ({
      ...master,
      id: `ser_${i}`,
      recurrence: undefined,
      recurringEventId: 'ser',
      originalStart: m.start,
      start: m.start,
      end: m.end,
    }));
    const fromInstances = applyActions(scenario(instances), scan(scenario(instances)).actions);
    expect(fromMaster.length).toBeGreaterThan(3);
    expect(fromInstances.map((m) => m.id).sort()).toEqual(fromMaster.map((m) => m.id).sort());
    for (const m of fromMaster) expect(parseDeepLink(`duet://meeting/${m.id}`)).toEqual({ kind: 'meeting', meetingId: m.id });
  });
});
