// The engine's entry point: scenario in, decisions out. Pure and deterministic: inputs are
// indexed, never trusted for order, and every output list is sorted canonically, so shuffling
// events, people or meetings changes nothing and scanning twice gives the same answer.
import { analyze, type Analysis } from './analyze';
import type { CalendarEvent, Decisions, EventDecision, Scenario } from './model';
import { suggestionsFor } from './people';
import { reconcile } from './reconcile';
import { sortByTime } from './order';
import { reasonList } from './rules';
import { seriesOf } from './series';

function eventDecisions(a: Analysis): EventDecision[] {
  const n = a.events.length;
  const out: EventDecision[] = new Array<EventDecision>(n);
  for (let i = 0; i < n; i++) {
    const ev = a.events[i] as CalendarEvent;
    const mask = a.masks[i] as number;
    const d: EventDecision = { id: ev.id, oneOnOne: mask === 0, reasons: reasonList(mask) };
    const counterpart = a.counterparts[i];
    if (counterpart !== undefined) d.counterpart = counterpart;
    const unknown = a.unknown[i];
    if (unknown !== undefined) {
      d.unmatched = [...unknown].sort();
      const suggestions = suggestionsFor(a.dir, d.unmatched);
      if (suggestions.length > 0) d.suggestions = suggestions;
    }
    out[i] = d;
  }
  // Chronological by the event's own start (a master's first occurrence), then by id: ids are
  // unique (validation refuses duplicates), so this is a total order.
  return sortByTime(out, (_d, i) => a.starts[i] as number, (d) => d.id);
}

/** Runs the whole engine on a validated scenario (see validate.ts for untrusted input). */
export function scan(scenario: Scenario): Decisions {
  return decide(analyze(scenario));
}

/** The decisions over an analysis the caller keeps (to apply the actions with it, say). */
export function decide(a: Analysis): Decisions {
  return { events: eventDecisions(a), series: seriesOf(a), actions: reconcile(a) };
}
