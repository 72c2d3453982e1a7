// What a meeting list needs beyond the meetings: who the user is (the connected accounts'
// addresses, so the other participant can be named), the team, and each series' cadence.
import { useEffect, useMemo, useState } from 'react';
import { useBridge, useDb } from '../../app/services';
import { useLiveDocs } from '../../db/live-query';
import type { PersonDoc, SeriesDoc } from '../../db/schemas';

export interface MeetingContext {
  people: PersonDoc[];
  series: ReadonlyMap<string, SeriesDoc>;
  selves: ReadonlySet<string>;
}

export function useMeetingContext(): MeetingContext {
  const db = useDb();
  const bridge = useBridge();
  const peopleQuery = useMemo(() => db.people.find(), [db]);
  const seriesQuery = useMemo(() => db.series.find(), [db]);
  const people = useLiveDocs<PersonDoc>(peopleQuery);
  const series = useLiveDocs<SeriesDoc>(seriesQuery);
  const [selves, setSelves] = useState<ReadonlySet<string>>(new Set());
  useEffect(() => {
    let live = true;
    const take = (emails: string[]) => live && setSelves(new Set(emails.map((e) => e.toLowerCase())));
    bridge.accounts.list().then(
      (list) => take(list.map((a) => a.email)),
      () => undefined,
    );
    const off = bridge.on('accounts.changed', (list) => take(list.map((a) => a.email)));
    return () => {
      live = false;
      off();
    };
  }, [bridge]);
  const byId = useMemo(() => new Map(series.value.map((s) => [s.id, s])), [series.value]);
  return { people: people.value, series: byId, selves };
}
