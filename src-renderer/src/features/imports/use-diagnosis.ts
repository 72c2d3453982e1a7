// Everything the diagnostics, the import summary and the team suggestions read, live: the engine's
// verdicts from the ingest, the team and the detection preferences from RxDB, and the directory of
// every Microsoft account from main.
import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import type { AccountInfo, DirectoryPerson } from '../../../../src-shared/bridge/contract';
import { useBridge, useDb } from '../../app/services';
import { useLiveDoc, useLiveDocs } from '../../db/live-query';
import type { PersonDoc, PreferencesDoc } from '../../db/schemas';
import { PREFERENCES_ID } from '../../db/schemas/preferences';
import { useToasts } from '../../state/toasts';
import { subpageFromHash } from '../../state/navigation';
import { errorMessage } from '../settings/bridge-errors';
import { defaultPreferences } from '../settings/preferences-repo';
import { addAlias, addTeamMember, applyFix, type FixResult, type NewPerson } from './apply-fix';
import { fillStartDatesFromDirectory } from '../team/team-repo';
import { useIngest, useIngestVersion, type DiagnosedEvent, type ImportSummary } from './ingest-port';
import type { Fix } from './reasons';

export interface Diagnosis {
  /** False until the first verdicts arrived (or there is no ingest to ask). */
  ready: boolean;
  hasIngest: boolean;
  diagnosed: DiagnosedEvent[];
  summaries: ImportSummary[];
  people: PersonDoc[];
  prefs: PreferencesDoc;
  directory: DirectoryPerson[];
  error: string | null;
}

export function useDiagnosis(): Diagnosis {
  const db = useDb();
  const ingest = useIngest();
  const version = useIngestVersion(ingest);
  const peopleQuery = useMemo(() => db.people.find(), [db]);
  const prefsQuery = useMemo(() => db.preferences.findOne(PREFERENCES_ID), [db]);
  const people = useLiveDocs<PersonDoc>(peopleQuery);
  const prefs = useLiveDoc<PreferencesDoc>(prefsQuery);
  const [fallbackPrefs] = useState(() => defaultPreferences());
  const [state, setState] = useState<{ diagnosed: DiagnosedEvent[]; ready: boolean; error: string | null }>({
    diagnosed: [],
    ready: !ingest,
    error: null,
  });
  const directory = useDirectory();

  useEffect(() => {
    if (!ingest) return;
    let live = true;
    ingest.diagnostics().then(
      (diagnosed) => live && setState({ diagnosed, ready: true, error: null }),
      (err: unknown) => live && setState((s) => ({ ...s, ready: true, error: errorMessage(err) })),
    );
    return () => {
      live = false;
    };
  }, [ingest, version]);

  return {
    ready: state.ready && people.ready,
    hasIngest: ingest !== null,
    diagnosed: state.diagnosed,
    // Read on every render: the ingest's summaries change with `version`.
    summaries: ingest?.summaries() ?? [],
    people: people.value,
    prefs: prefs.value ?? fallbackPrefs,
    directory,
    error: state.error,
  };
}

/** Managers and direct reports from every Microsoft account's directory (Google has none). */
function useDirectory(): DirectoryPerson[] {
  const bridge = useBridge();
  const db = useDb();
  const [directory, setDirectory] = useState<DirectoryPerson[]>([]);
  useEffect(() => {
    let live = true;
    let asked = '';
    const load = (accounts: AccountInfo[]) => {
      const ids = accounts
        .filter((a) => a.provider === 'microsoft' && a.status !== 'needs-reconnect')
        .map((a) => a.id);
      const key = ids.join('\n');
      if (key === asked) return;
      asked = key;
      Promise.all(ids.map((accountId) => bridge.calendar.directory({ accountId }).catch(() => [])))
        .then((lists) => {
          if (!live) return;
          setDirectory(lists.flat());
          // People already on the team get their start date (tenure, docs/architecture.md §5 "Cadence").
          void fillStartDatesFromDirectory(db.people, lists.flat()).catch(() => undefined);
        })
        .catch(() => undefined);
    };
    bridge.accounts.list().then(load, () => undefined);
    const off = bridge.on('accounts.changed', load);
    return () => {
      live = false;
      off();
    };
  }, [bridge, db]);
  return directory;
}

/** Runs a change, then detection again at once; says what happened with an Undo. */
export function useFixer() {
  const db = useDb();
  const ingest = useIngest();
  const showToast = useToasts((s) => s.show);
  const redetect = useCallback(async () => {
    try {
      await ingest?.redetect();
    } catch (err) {
      showToast({ tone: 'error', message: `Detection could not run again: ${errorMessage(err)}` });
    }
  }, [ingest, showToast]);

  const report = useCallback(
    async (result: FixResult, quiet = false): Promise<boolean> => {
      if (!result.ok) {
        showToast({ tone: 'error', message: result.message });
        return false;
      }
      // Say it at once; the re-detection that makes the 1:1s appear follows (it may take a moment).
      if (!quiet)
        showToast({
          message: result.message,
          action: {
            label: 'Undo',
            run: async () => {
              await result.undo();
              await redetect();
            },
          },
        });
      await redetect();
      return true;
    },
    [redetect, showToast],
  );

  return {
    fix: async (fix: Fix) => report(await applyFix(db, fix)),
    addPerson: async (p: NewPerson) => report(await addTeamMember(db, p)),
    addAlias: async (personId: string, address: string) => report(await addAlias(db, personId, address)),
    /** Adds everyone, then one re-detection and one message with one Undo for all of them. */
    addAll: async (list: NewPerson[]) => {
      const done: Extract<FixResult, { ok: true }>[] = [];
      const failed: string[] = [];
      for (const p of list) {
        const r = await addTeamMember(db, p);
        if (r.ok) done.push(r);
        else failed.push(r.message);
      }
      if (failed.length > 0) showToast({ tone: 'error', message: failed.join(' ') });
      if (done.length > 0)
        showToast({
          message: `Added ${done.length} ${done.length === 1 ? 'person' : 'people'} to your team.`,
          action: {
            label: 'Undo',
            run: async () => {
              for (const r of done) await r.undo();
              await redetect();
            },
          },
        });
      await redetect();
      return done.length;
    },
  };
}

/** The page inside the current section named by the URL hash ('' for the section itself). */
export function useSubpage(): string {
  return useSyncExternalStore(
    (cb) => {
      window.addEventListener('hashchange', cb);
      return () => window.removeEventListener('hashchange', cb);
    },
    () => subpageFromHash(window.location.hash),
  );
}
