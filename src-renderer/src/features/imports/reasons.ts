// "Why isn't my 1:1 showing?" in words (docs/architecture.md §3): what each reason code means for
// one event, and the one-click fixes that would make it a 1:1.
import type { ReasonCode } from '../../../../src-shared/engine/model';
import type { PersonDoc, PreferencesDoc } from '../../db/schemas';
import type { DiagnosedEvent } from './ingest-port';
import { likelyOwner, nameFromEmail } from './names';

export type Fix =
  | { kind: 'add-person'; email: string; name: string; label: string }
  | { kind: 'add-alias'; address: string; personId: string; personName: string; label: string }
  | { kind: 'add-keyword'; keyword: string; label: string }
  | { kind: 'match-mode'; label: string }
  | { kind: 'duration'; minMinutes: number; maxMinutes: number; label: string };

export interface Explained {
  /** One sentence per reason, in the engine's order. */
  reasons: string[];
  fixes: Fix[];
}

type Prefs = Pick<
  PreferencesDoc,
  'keywords' | 'matchMode' | 'minMinutes' | 'maxMinutes' | 'pastDays' | 'futureDays'
>;
type Person = Pick<PersonDoc, 'id' | 'name' | 'email' | 'aliases'>;

const minutesOf = (d: DiagnosedEvent) =>
  Math.round((Date.parse(d.event.end) - Date.parse(d.event.start)) / 60_000);

/** Human participants as the engine counts them: attendees that are not rooms, plus the organizer. */
export function humanParticipants(d: DiagnosedEvent): string[] {
  const set = new Set<string>();
  for (const a of d.event.attendees) if (!a.resource) set.add(a.email.toLowerCase());
  if (d.event.organizer) set.add(d.event.organizer.toLowerCase());
  return [...set];
}

const quoteList = (items: readonly string[], max = 4) => {
  const shown = items.slice(0, max).map((k) => `“${k}”`);
  return items.length > max ? `${shown.join(', ')}…` : shown.join(', ');
};

export function displayName(
  address: string,
  people: readonly Person[],
  names: ReadonlyMap<string, string>,
): string {
  const lower = address.toLowerCase();
  const p = people.find((x) => x.email === lower || x.aliases.includes(lower));
  return p?.name ?? names.get(lower) ?? address;
}

function reasonText(
  code: ReasonCode,
  d: DiagnosedEvent,
  prefs: Prefs,
  people: readonly Person[],
  names: ReadonlyMap<string, string>,
): string {
  switch (code) {
    case 'CANCELLED':
      return 'The event is cancelled.';
    case 'ALL_DAY':
      return 'It is an all-day event; a 1:1 has a start and an end time.';
    case 'NOT_PRIMARY_CALENDAR':
      return 'It is on another calendar than your main one, and Duet reads only your main calendar.';
    case 'OUTSIDE_WINDOW':
      return `It is outside the dates Duet looks at (${prefs.pastDays} days back to ${prefs.futureDays} days ahead).`;
    case 'NOT_TWO_PEOPLE': {
      const n = humanParticipants(d).length;
      return n <= 1
        ? 'Nobody else is invited; a 1:1 has exactly two people.'
        : `It has ${n} people; a 1:1 has exactly two — you and one other person (meeting rooms don’t count).`;
    }
    case 'SELF_NOT_PARTICIPANT':
      return 'You are not one of its participants.';
    case 'DECLINED': {
      const who = d.event.attendees
        .filter((a) => a.response === 'declined')
        .map((a) => displayName(a.email, people, names));
      return who.length > 0
        ? `${who.join(' and ')} declined it, so it will not take place as a 1:1.`
        : 'Someone declined it, so it will not take place as a 1:1.';
    }
    case 'UNKNOWN_PERSON': {
      const addresses = d.unmatched ?? [];
      return addresses.length === 0
        ? 'The other person is not on your team.'
        : `${addresses.join(' and ')} ${addresses.length === 1 ? 'is' : 'are'} not on your team, under this address.`;
    }
    case 'NO_KEYWORD':
      return `Its title has none of your keywords (${quoteList(prefs.keywords)}).`;
    case 'DURATION_OUT_OF_RANGE':
      return `It lasts ${minutesOf(d)} minutes; Duet takes 1:1s of ${prefs.minMinutes} to ${prefs.maxMinutes} minutes.`;
  }
}

/** The words and the fixes for one event that was not taken. */
export function explain(
  d: DiagnosedEvent,
  prefs: Prefs,
  people: readonly Person[],
  names: ReadonlyMap<string, string> = new Map(),
): Explained {
  const reasons = d.reasons.map((r) => reasonText(r, d, prefs, people, names));
  const fixes: Fix[] = [];
  // Only events that are otherwise a 1:1 get fixes: adding a keyword to a team meeting helps nobody.
  const fixable: ReasonCode[] = ['UNKNOWN_PERSON', 'NO_KEYWORD', 'DURATION_OUT_OF_RANGE'];
  if (!d.reasons.every((r) => fixable.includes(r))) return { reasons, fixes };
  if (d.reasons.includes('UNKNOWN_PERSON')) {
    for (const address of d.unmatched ?? []) {
      if (address === d.self) continue;
      const guess = d.suggestions?.find((s) => s.address === address)?.person;
      const owner = likelyOwner(address, people, guess, names.get(address));
      if (owner)
        fixes.push({
          kind: 'add-alias',
          address,
          personId: owner.id,
          personName: owner.name,
          label: `Add ${address} as an alias of ${owner.name}`,
        });
      const name = names.get(address) ?? nameFromEmail(address);
      fixes.push({ kind: 'add-person', email: address, name, label: `Add ${name} to your team` });
    }
  }
  if (d.reasons.includes('NO_KEYWORD')) {
    const keyword = d.event.title.trim().toLowerCase();
    if (keyword && keyword.length <= 100)
      fixes.push({ kind: 'add-keyword', keyword, label: `Add “${keyword}” as a keyword` });
    fixes.push({ kind: 'match-mode', label: 'Take any two-person event with someone on my team' });
  }
  if (d.reasons.includes('DURATION_OUT_OF_RANGE')) {
    const m = minutesOf(d);
    const minMinutes = Math.max(1, Math.min(prefs.minMinutes, m));
    const maxMinutes = Math.min(1440, Math.max(prefs.maxMinutes, m));
    if (m >= 1 && m <= 1440)
      fixes.push({
        kind: 'duration',
        minMinutes,
        maxMinutes,
        label: `Allow 1:1s of ${minMinutes} to ${maxMinutes} minutes`,
      });
  }
  return { reasons, fixes };
}

/** Events the diagnostics view lists: inside the window, not taken. */
export const listed = (d: DiagnosedEvent) => !d.oneOnOne && !d.reasons.includes('OUTSIDE_WINDOW');

/** A two-person event with the user: the ones a user would call "my 1:1". */
export const twoPersonWithSelf = (d: DiagnosedEvent) =>
  !d.reasons.some(
    (r) => r === 'NOT_TWO_PEOPLE' || r === 'SELF_NOT_PARTICIPANT' || r === 'ALL_DAY' || r === 'CANCELLED',
  );

/** Short plural labels for the import summary's "skipped by reason". */
export const REASON_SHORT: Record<ReasonCode, string> = {
  CANCELLED: 'cancelled',
  ALL_DAY: 'all-day',
  NOT_PRIMARY_CALENDAR: 'on another calendar',
  OUTSIDE_WINDOW: 'outside the dates Duet looks at',
  NOT_TWO_PEOPLE: 'not two people',
  SELF_NOT_PARTICIPANT: 'without you',
  DECLINED: 'declined',
  UNKNOWN_PERSON: 'with someone not on your team',
  NO_KEYWORD: 'no keyword in the title',
  DURATION_OUT_OF_RANGE: 'too short or too long',
};

export interface DiagnosedGroup {
  /** The occurrence shown: the next one to come, else the latest. */
  d: DiagnosedEvent;
  /** How many events of the same series share these reasons. */
  count: number;
}

/**
 * Occurrences of one series skipped for the same reasons read as one entry ("5 occurrences"): a
 * provider that lists every instance would otherwise repeat the same explanation and fix.
 */
export function groupOccurrences(list: readonly DiagnosedEvent[], now: number): DiagnosedGroup[] {
  const groups = new Map<string, DiagnosedEvent[]>();
  for (const d of list) {
    const key = [
      d.event.accountId ?? '',
      d.event.recurringEventId ?? d.event.id,
      d.reasons.join(','),
      (d.unmatched ?? []).join(','),
    ].join('|');
    const g = groups.get(key);
    if (g) g.push(d);
    else groups.set(key, [d]);
  }
  return [...groups.values()].map((g) => {
    const next = g.find((d) => Date.parse(d.event.start) >= now) ?? g[g.length - 1]!;
    return { d: next, count: g.length };
  });
}
