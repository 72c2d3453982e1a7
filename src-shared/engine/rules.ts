// docs/architecture.md §3's candidate rules, each producing its reason code. Reasons are a bit mask internally
// (one integer per event, cheap at a million events) and a list in REASON_CODES order outside.
import { REASON_CODES, type CalendarEvent, type ReasonCode, type ResolvedSettings } from './model';
import { collectParticipants, newScratch } from './participants';
import type { Directory } from './people';
import { MINUTE_MS } from './time';

export const REASON_BIT: Readonly<Record<ReasonCode, number>> = Object.fromEntries(
  REASON_CODES.map((code, i) => [code, 1 << i]),
) as Record<ReasonCode, number>;

const LISTS = new Map<number, readonly ReasonCode[]>();

/**
 * Reason codes of a mask, in canonical order. The arrays are frozen and shared between
 * decisions (a scan of a million events would otherwise allocate one per event).
 */
export function reasonList(mask: number): readonly ReasonCode[] {
  let cached = LISTS.get(mask);
  if (!cached) {
    cached = Object.freeze(REASON_CODES.filter((code) => (mask & REASON_BIT[code]) !== 0));
    LISTS.set(mask, cached);
  }
  return cached;
}

export interface Window {
  from: number;
  to: number;
}

export function windowOf(now: number, s: ResolvedSettings): Window {
  return { from: now - s.pastDays * 86_400_000, to: now + s.futureDays * 86_400_000 };
}

/** Rule 5: a keyword anywhere in the title, case-insensitively (unless matching any two-person event). */
export function hasKeyword(title: string, s: ResolvedSettings): boolean {
  if (s.matchMode === 'two-person') return true;
  const lower = title.toLowerCase();
  for (const k of s.keywords) if (lower.includes(k)) return true;
  return false;
}

/** Rule 6: duration within [minMinutes, maxMinutes], bounds inclusive. */
export function durationInRange(startMs: number, endMs: number, s: ResolvedSettings): boolean {
  const minutes = (endMs - startMs) / MINUTE_MS;
  return minutes >= s.minMinutes && minutes <= s.maxMinutes;
}

export interface Judgement {
  mask: number;
  /** The other participant's primary email, when the event is self plus exactly one known person. */
  counterpart: string | undefined;
  unknown: string[] | undefined;
}

export function newJudgement(): Judgement {
  return { mask: 0, counterpart: undefined, unknown: undefined };
}

const scratch = newScratch();

/**
 * Every rule but the window (the caller knows whether any occurrence falls inside it: a master is
 * judged on all its occurrences, docs/architecture.md §4). Writes into `out` so a scan allocates nothing here.
 */
export function judge(
  ev: CalendarEvent,
  startMs: number,
  endMs: number,
  inWindow: boolean,
  dir: Directory,
  s: ResolvedSettings,
  out: Judgement = newJudgement(),
): Judgement {
  let mask = 0;
  if (ev.status === 'cancelled') mask |= REASON_BIT.CANCELLED;
  if (ev.allDay === true) mask |= REASON_BIT.ALL_DAY;
  if (!ev.primary) mask |= REASON_BIT.NOT_PRIMARY_CALENDAR;
  if (!inWindow) mask |= REASON_BIT.OUTSIDE_WINDOW;
  const p = scratch;
  collectParticipants(ev, dir, p);
  let selfIn = false;
  for (let k = 0; k < p.count; k++) if (p.ids[k] === dir.selfId) selfIn = true;
  if (p.count !== 2) mask |= REASON_BIT.NOT_TWO_PEOPLE;
  if (!selfIn) mask |= REASON_BIT.SELF_NOT_PARTICIPANT;
  if (p.declined) mask |= REASON_BIT.DECLINED;
  if (p.unknown !== undefined) mask |= REASON_BIT.UNKNOWN_PERSON;
  if (!hasKeyword(ev.title, s)) mask |= REASON_BIT.NO_KEYWORD;
  if (!durationInRange(startMs, endMs, s)) mask |= REASON_BIT.DURATION_OUT_OF_RANGE;
  out.mask = mask;
  out.unknown = p.unknown;
  out.counterpart = undefined;
  if (p.count === 2 && selfIn && p.unknown === undefined) {
    out.counterpart = p.ids[0] === dir.selfId ? p.ids[1] : p.ids[0];
  }
  return out;
}
