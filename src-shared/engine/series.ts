// Series (docs/architecture.md §3): a 1:1 recurring master, or — when the master is not in the input — the
// instances sharing a recurringEventId, with how regularly they meet.
import type { Analysis } from './analyze';
import { cadenceFromRule, inferCadence } from './cadence';
import type { CalendarEvent, SeriesDecision } from './model';
import { cmp } from './people';
import type { RRule } from './rrule';
import { DAY_MS, instantOf, utcMs } from './time';

export function seriesOf(a: Analysis): SeriesDecision[] {
  const out: SeriesDecision[] = [];
  for (const [i, master] of a.masters) {
    const ev = a.events[i] as CalendarEvent;
    if (a.masks[i] !== 0) {
      // A master that is not a 1:1 series itself (none of its own occurrences in the window, say:
      // its only one moved in from outside) still has a series when one of its listed occurrences
      // is a 1:1: the same series a listing of instances alone gives (Graph's), so the meeting of
      // that occurrence belongs to one series whichever way the provider lists the calendar
      // (docs/architecture.md §4, "one canonical link form").
      const counterpart = voteCounterpart(a, a.instancesOf.get(ev.id) ?? []);
      if (counterpart === '') continue;
      const cadence = cadenceFromRule(master.set.rules) ?? inferCadence(master.generated);
      out.push({ eventId: ev.id, cadence, counterpart });
      continue;
    }
    // Instances standing in for occurrences keep their original slot: the schedule is the cadence.
    const cadence = cadenceFromRule(master.set.rules) ?? inferCadence(master.generated);
    out.push({ eventId: ev.id, cadence, counterpart: a.counterparts[i] as string });
  }
  for (const [recurringId, members] of a.instancesOf) {
    if (a.masterIndex.has(recurringId)) continue;
    const counterpart = voteCounterpart(a, members);
    if (counterpart === '') continue;
    const slots = members.map((i) => {
      const ev = a.events[i] as CalendarEvent;
      return ev.originalStart !== undefined ? instantOf(ev.originalStart) : (a.starts[i] as number);
    });
    out.push({ eventId: recurringId, cadence: inferCadence(slots), counterpart });
  }
  return out.sort((x, y) => cmp(x.eventId, y.eventId));
}

/** The counterpart most of a series' 1:1 occurrences have (ties: the first by address), or ''. */
function voteCounterpart(a: Analysis, members: readonly number[]): string {
  const votes = new Map<string, number>();
  for (const i of members) {
    const c = a.counterparts[i];
    if (a.masks[i] === 0 && c !== undefined) votes.set(c, (votes.get(c) ?? 0) + 1);
  }
  let counterpart = '';
  let best = -1;
  for (const [c, v] of votes) {
    if (v > best || (v === best && c < counterpart)) {
      counterpart = c;
      best = v;
    }
  }
  return counterpart;
}

export interface SeriesSplit {
  /** The master that was given an end ("this and following" edit). */
  from: string;
  /** The master that continues it. */
  to: string;
}

/** One period of a rule (its frequency times its interval); BY* parts only ever make it denser. */
export function periodMs(rule: RRule): number {
  const days = rule.freq === 'DAILY' ? 1 : rule.freq === 'WEEKLY' ? 7 : rule.freq === 'MONTHLY' ? 28 : 365;
  return days * rule.interval * DAY_MS;
}

/**
 * "This and following" edits end the old master (UNTIL or COUNT) and start a new one. A split is
 * reported when a 1:1 master with an end and a 1:1 master with the same counterpart pair up
 * one-to-one, the new one starting no earlier than ONE PERIOD of the old rule (at least a day)
 * before the old one's end and no later than 35 days after it; when several candidates compete
 * the split is ambiguous and left to the user (docs/architecture.md §4).
 * Why a period before: the edit can move the rest earlier than the edited slot (a Monday series
 * edited at its 30 November slot to run on Fridays starts on Friday 27 November, while Google
 * ends the old rule one second before 30 November). Within one period the two series never run
 * side by side, since the old one's last occurrence comes at most one period before its end; a
 * series that started earlier than that overlapped the old one and is a separate series.
 */
export function detectSplits(a: Analysis): { splits: SeriesSplit[]; ambiguous: string[] } {
  const ended: { id: string; counterpart: string; end: number; period: number }[] = [];
  const started: { id: string; counterpart: string; start: number }[] = [];
  for (const [i, master] of a.masters) {
    if (a.masks[i] !== 0) continue;
    const ev = a.events[i] as CalendarEvent;
    const counterpart = a.counterparts[i] as string;
    started.push({ id: ev.id, counterpart, start: a.starts[i] as number });
    const rule = master.set.rules[0];
    if (master.set.rules.length !== 1 || !rule) continue;
    let end: number | undefined;
    if (rule.until?.kind === 'utc') end = rule.until.ms;
    else if (rule.until?.kind === 'date') end = (rule.until.day + 1) * 86_400_000;
    else if (rule.until?.kind === 'floating') end = utcMs(rule.until.local.year, rule.until.local.month, rule.until.local.day) + 86_400_000;
    else if (master.generated.length > 0 && rule.count !== undefined) end = master.generated[master.generated.length - 1];
    if (end !== undefined) ended.push({ id: ev.id, counterpart, end, period: Math.max(DAY_MS, periodMs(rule)) });
  }
  const MAX_GAP = 35 * 86_400_000;
  const startedBy = new Map<string, typeof started>();
  for (const s of started) {
    const list = startedBy.get(s.counterpart);
    if (list) list.push(s);
    else startedBy.set(s.counterpart, [s]);
  }
  const matchesOf = new Map<string, string[]>();
  const reverse = new Map<string, string[]>();
  const push = (m: Map<string, string[]>, k: string, v: string) => {
    const list = m.get(k);
    if (list) list.push(v);
    else m.set(k, [v]);
  };
  for (const old of ended) {
    for (const next of startedBy.get(old.counterpart) ?? []) {
      if (next.id === old.id) continue;
      if (next.start < old.end - old.period || next.start > old.end + MAX_GAP) continue;
      push(matchesOf, old.id, next.id);
      push(reverse, next.id, old.id);
    }
  }
  const splits: SeriesSplit[] = [];
  const ambiguous: string[] = [];
  for (const [from, tos] of matchesOf) {
    const to = tos[0] as string;
    if (tos.length === 1 && reverse.get(to)?.length === 1) splits.push({ from, to });
    else ambiguous.push(from);
  }
  splits.sort((x, y) => cmp(x.from, y.from));
  ambiguous.sort(cmp);
  return { splits, ambiguous };
}
