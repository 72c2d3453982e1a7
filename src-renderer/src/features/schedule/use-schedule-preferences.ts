// The lengths the scheduling form offers, from main (Settings → Scheduling), kept current.
import { useEffect, useState } from 'react';
import {
  DEFAULT_SCHEDULE_PREFERENCES,
  type SchedulePreferences,
} from '../../../../src-shared/bridge/schedule-contract';
import { useBridge } from '../../app/services';

export function useSchedulePreferences(): SchedulePreferences {
  const bridge = useBridge();
  const [prefs, setPrefs] = useState<SchedulePreferences>(DEFAULT_SCHEDULE_PREFERENCES);
  useEffect(() => {
    let live = true;
    bridge.schedule.preferences().then(
      (p) => live && setPrefs(p),
      () => undefined, // the defaults stay
    );
    const off = bridge.on('schedule.preferences', setPrefs);
    return () => {
      live = false;
      off();
    };
  }, [bridge]);
  return prefs;
}
