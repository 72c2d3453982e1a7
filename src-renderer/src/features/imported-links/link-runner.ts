// Proposes the events for "Add the Duet link to 1:1 events I organize" to main
// (docs/architecture.md §6, "Links on imported events"): in the leading window only (RxDB leader
// election, as the ingest), while the option is on, when it is turned on, and after meetings
// change (so 1:1s a sync brings in get the link on that sync). Main decides and writes; an event
// already carrying Duet's tag reads back as managed and is not proposed again.
import type { DuetApi } from '../../../../src-shared/bridge/contract';
import type { DuetDatabase } from '../../db/database';
import { importedLinkCandidates } from './candidates';

export type LinkRunnerBridge = {
  importedLinks: Pick<DuetApi['importedLinks'], 'state' | 'add'>;
  on: DuetApi['on'];
};

export interface LinkRunner {
  /** Proposes the current candidates now (leader only, option on); resolves when main answered. */
  runNow(): Promise<void>;
  stop(): void;
}

export function startImportedLinks(
  db: DuetDatabase,
  bridge: LinkRunnerBridge,
  options: { now?: () => number; debounceMs?: number; retryMs?: number } = {},
): LinkRunner {
  const now = options.now ?? Date.now;
  let leader = false;
  let stopped = false;
  let enabled = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> = Promise.resolve();
  // What main was last sent: a meetings change that leaves the proposal as it was sends nothing.
  let lastSent = '';

  const pass = async () => {
    const [meetings, accounts] = await Promise.all([db.meetings.find().exec(), db.calendarAccounts.find().exec()]);
    const self = new Map(accounts.map((a) => [a.id, a.self]));
    const items = importedLinkCandidates(
      meetings.map((m) => m.toMutableJSON()),
      self,
      now(),
    );
    const key = JSON.stringify(items);
    if (items.length === 0 || key === lastSent) return;
    lastSent = key;
    try {
      const result = await bridge.importedLinks.add({ items });
      // Some writes failed (main logged and named them): the same proposal goes again later.
      if (result.failed > 0) retryLater();
    } catch {
      // Refused (turned off meanwhile) or main unreachable: main logged what it tried.
      retryLater();
    }
  };
  const retryLater = () => {
    lastSent = '';
    clearTimeout(retryTimer);
    retryTimer = setTimeout(() => void run(), options.retryMs ?? 5 * 60_000);
  };
  const run = (): Promise<void> => {
    if (stopped || !leader || !enabled) return Promise.resolve();
    running = running.then(() => (stopped || !enabled ? undefined : pass().catch(() => undefined)));
    return running;
  };
  const soon = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void run(), options.debounceMs ?? 1500);
  };

  const offState = bridge.on('importedLinks.state', (s) => {
    const turnedOn = s.enabled && !enabled;
    enabled = s.enabled;
    if (!enabled) lastSent = '';
    if (turnedOn) void run();
  });
  void bridge.importedLinks
    .state()
    .then((s) => {
      enabled = s.enabled;
      void run();
    })
    .catch(() => undefined);
  void db.waitForLeadership().then(() => {
    leader = true;
    void run();
  });
  const sub = db.meetings.find().$.subscribe(soon);
  return {
    runNow: run,
    stop() {
      stopped = true;
      clearTimeout(timer);
      clearTimeout(retryTimer);
      sub.unsubscribe();
      offState();
    },
  };
}
