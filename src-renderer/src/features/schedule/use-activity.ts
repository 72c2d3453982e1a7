// Main's activity log of calendar writes (docs/architecture.md §6), kept current by its event.
import { useEffect, useState } from 'react';
import type { ActivityEntry } from '../../../../src-shared/bridge/schedule-contract';
import { useBridge } from '../../app/services';
import { errorMessage } from '../settings/bridge-errors';

export function useActivity(): { entries: ActivityEntry[] | null; error: string | null } {
  const bridge = useBridge();
  const [entries, setEntries] = useState<ActivityEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    bridge.schedule.activity().then(
      (list) => live && setEntries(list),
      (err: unknown) => live && setError(errorMessage(err)),
    );
    const off = bridge.on('schedule.activity', (entry) =>
      setEntries((list) => [entry, ...(list ?? []).filter((e) => e.id !== entry.id)]),
    );
    return () => {
      live = false;
      off();
    };
  }, [bridge]);
  return { entries, error };
}
