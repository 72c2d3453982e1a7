// Cadence per person as the screens show it (docs/architecture.md §5 "Cadence"): the shared maths
// (src-shared/engine/cadence-health.ts) over this app's meetings, with the tenure rules from
// preferences. One live computation per screen, keyed by person id.
import { useEffect, useMemo, useState } from 'react';
import { cadenceStats, type CadenceStats, type TenureRule } from '../../../../src-shared/engine/cadence-health';
import { useDb } from '../../app/services';
import { useLiveDocs } from '../../db/live-query';
import type { MeetingDoc, PersonDoc, PreferencesDoc } from '../../db/schemas';
import { PREFERENCES_ID } from '../../db/schemas/preferences';
import { systemZone } from '../inbox/notifier';
import type { Zone } from '../../../../src-shared/engine/timezone';

export function cadenceByPerson(
  people: readonly PersonDoc[],
  meetings: readonly Pick<MeetingDoc, 'participants' | 'start' | 'state'>[],
  now: number,
  rules: readonly TenureRule[],
  zone: Zone = systemZone(),
): Map<string, CadenceStats> {
  const byEmail = new Map<string, string>();
  for (const p of people) for (const e of [p.email, ...p.aliases]) byEmail.set(e, p.id);
  const theirs = new Map<string, { start: number; state: MeetingDoc['state'] }[]>();
  for (const m of meetings) {
    const ids = new Set(m.participants.map((e) => byEmail.get(e)).filter((x): x is string => Boolean(x)));
    for (const id of ids) {
      const list = theirs.get(id) ?? [];
      list.push({ start: m.start, state: m.state });
      theirs.set(id, list);
    }
  }
  return new Map(people.map((p) => [p.id, cadenceStats(theirs.get(p.id) ?? [], now, { startDate: p.startDate, rules, zone })]));
}

/** Cadence figures for everyone on the team, recomputed when meetings, people or rules change. */
export function useCadence(): { ready: boolean; byPerson: Map<string, CadenceStats>; now: number } {
  const db = useDb();
  // Days since the last meeting move with the clock: an hourly tick is plenty.
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 3_600_000);
    return () => clearInterval(t);
  }, []);
  const people = useLiveDocs<PersonDoc>(useMemo(() => db.people.find(), [db]));
  const meetings = useLiveDocs<MeetingDoc>(useMemo(() => db.meetings.find(), [db]));
  const prefs = useLiveDocs<PreferencesDoc>(useMemo(() => db.preferences.find({ selector: { id: PREFERENCES_ID } }), [db]));
  const rules = prefs.value[0]?.tenureCadenceRules;
  const byPerson = useMemo(
    () => cadenceByPerson(people.value, meetings.value, now, rules ?? []),
    [people.value, meetings.value, now, rules],
  );
  return { ready: people.ready && meetings.ready, byPerson, now };
}
