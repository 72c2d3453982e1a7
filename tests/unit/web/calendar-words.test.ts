// The words of the calendar screens, on their own: every reason code has a sentence, names come
// from addresses when nothing better is known, and the alias guess is cautious.
import { describe, expect, it } from 'vitest';
import { REASON_CODES, type ReasonCode } from '../../../src-shared/engine';
import {
  lastSyncText,
  pollingText,
  progressText,
  relativeTime,
  signInOutcome,
} from '../../../src-renderer/src/features/calendars/account-words';
import type { DiagnosedEvent } from '../../../src-renderer/src/features/imports/ingest-port';
import { likelyOwner, nameFromEmail } from '../../../src-renderer/src/features/imports/names';
import { explain, groupOccurrences, REASON_SHORT } from '../../../src-renderer/src/features/imports/reasons';
import { defaultPreferences } from '../../../src-renderer/src/features/settings/preferences-repo';

const NOW = Date.UTC(2030, 0, 7, 12);

describe('account words', () => {
  it('says how long ago, and never for 0', () => {
    expect(relativeTime(NOW - 10_000, NOW)).toBe('just now');
    expect(relativeTime(NOW - 59 * 60_000, NOW)).toBe('59 min ago');
    expect(relativeTime(NOW - 5 * 3_600_000, NOW)).toBe('5 h ago');
    expect(relativeTime(NOW - 3 * 86_400_000, NOW)).toMatch(/^on /);
    expect(lastSyncText({ lastSyncAt: 0 }, NOW)).toBe('Not synced yet');
  });
  it('counts pages and events, and the poll only when push is off', () => {
    expect(progressText({ pages: 1, events: 1 })).toBe('Importing… 1 page, 1 event so far');
    expect(progressText({ pages: 12, events: 2400 })).toBe(
      `Importing… 12 pages, ${(2400).toLocaleString()} events so far`,
    );
    expect(pollingText({ push: false, pollMinutes: 5 })).toBe('Checking every 5 min');
    expect(pollingText({ push: true, pollMinutes: 5 })).toBe('Live updates');
  });
  it('gives a failed sign-in a reason even when main sent none', () => {
    expect(signInOutcome({ state: 'failed', provider: 'google', error: '  ' })?.text).toBe(
      'Could not connect Google Calendar: the sign-in did not complete. Try again.',
    );
    expect(signInOutcome({ state: 'waiting', provider: 'google' })).toBeNull();
  });
});

describe('names', () => {
  it('makes a name from an address', () => {
    expect(nameFromEmail('sam.rivera@acme.test')).toBe('Sam Rivera');
    expect(nameFromEmail('j_doe+cal@x.test')).toBe('J Doe');
    expect(nameFromEmail('@x.test')).toBe('@x.test');
  });
  it('guesses an owner only when exactly one person fits', () => {
    const lee = { name: 'Lee Park', email: 'lee.park@acme.test' };
    const lea = { name: 'Lee Anders', email: 'lee.anders@acme.test' };
    expect(likelyOwner('lee@acme-labs.test', [lee])).toBe(lee);
    expect(likelyOwner('lee@acme-labs.test', [lee, lea])).toBeUndefined();
    expect(likelyOwner('lee.p@acme-labs.test', [lee])).toBeUndefined();
    expect(likelyOwner('lp@acme-labs.test', [lee, lea], undefined, 'Lee Anders')).toBe(lea);
    expect(likelyOwner('x@y.test', [lee, lea], 'LEE.PARK@acme.test')).toBe(lee);
  });
});

describe('reasons', () => {
  const base: DiagnosedEvent = {
    event: {
      id: 'e',
      calendarId: 'primary',
      primary: true,
      title: 'Chat',
      start: '2030-01-07T10:00:00Z',
      end: '2030-01-07T10:30:00Z',
      organizer: 'me@x.test',
      attendees: [{ email: 'me@x.test' }, { email: 'ada@x.test', response: 'declined' }],
    },
    oneOnOne: false,
    reasons: [],
    self: 'me@x.test',
    unmatched: ['ada@x.test'],
  };
  it.each(REASON_CODES.map((r) => [r]))('%s has a sentence and a short label', (code: ReasonCode) => {
    const { reasons } = explain({ ...base, reasons: [code] }, defaultPreferences(), []);
    expect(reasons).toHaveLength(1);
    expect(reasons[0]!.length).toBeGreaterThan(10);
    expect(reasons[0]).not.toContain('undefined');
    expect(REASON_SHORT[code]).toBeTruthy();
  });
  it('offers no fix for an event that cannot become a 1:1', () => {
    expect(explain({ ...base, reasons: ['NO_KEYWORD', 'DECLINED'] }, defaultPreferences(), []).fixes).toEqual(
      [],
    );
  });
  it('never offers an absurd keyword', () => {
    const long = {
      ...base,
      event: { ...base.event, title: 'x'.repeat(300) },
      reasons: ['NO_KEYWORD'] as const,
    };
    expect(explain(long, defaultPreferences(), []).fixes.map((f) => f.kind)).toEqual(['match-mode']);
  });
});

describe('grouping occurrences', () => {
  const occ = (id: string, start: string, reasons: ReasonCode[], series = 'm1'): DiagnosedEvent => ({
    event: {
      id,
      calendarId: 'c',
      primary: true,
      title: 'T',
      start,
      end: start,
      attendees: [],
      recurringEventId: series,
    },
    oneOnOne: false,
    reasons,
    self: 'me@x.test',
  });
  it('shows a series once, at its next occurrence, unless the reasons differ', () => {
    const groups = groupOccurrences(
      [
        occ('a', '2030-01-01T10:00:00Z', ['UNKNOWN_PERSON']),
        occ('b', '2030-01-08T10:00:00Z', ['UNKNOWN_PERSON']),
        occ('c', '2030-01-15T10:00:00Z', ['UNKNOWN_PERSON']),
        occ('d', '2030-01-15T10:00:00Z', ['DECLINED']),
        occ('e', '2030-01-15T10:00:00Z', ['UNKNOWN_PERSON'], 'm2'),
      ],
      Date.UTC(2030, 0, 5),
    );
    expect(groups.map((g) => [g.d.event.id, g.count])).toEqual([
      ['b', 3],
      ['d', 1],
      ['e', 1],
    ]);
    expect(
      groupOccurrences([occ('a', '2030-01-01T10:00:00Z', ['CANCELLED'])], Date.UTC(2031, 0, 1))[0]!.d.event
        .id,
    ).toBe('a');
  });
});
