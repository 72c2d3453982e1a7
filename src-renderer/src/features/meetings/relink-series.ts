// Relink's data side (docs/architecture.md §4 "Series links", §5 "Meetings screen"): the recurring
// 1:1s in the cached calendar a disconnected series could follow, and recording the user's choice in
// the series' own link, which the next detection pass reads and keeps. Reads RxDB and runs the
// engine like "Why isn't my 1:1 showing?" does (calendar/detect.ts); any window may ask.
import { relinkCandidates, relinkedSeries, type AccountRun, type RelinkCandidate } from '../../../../src-shared/meeting/relink';
import { detectAccount } from '../../calendar/detect';
import type { DuetDatabase } from '../../db/database';

export type { RelinkCandidate };

/** A candidate's key in the dialog: account and master (unique among the candidates). */
export const candidateKey = (c: Pick<RelinkCandidate, 'accountId' | 'eventId'>): string => `${c.accountId}\n${c.eventId}`;

export async function findRelinkCandidates(db: DuetDatabase, seriesId: string, now = Date.now()): Promise<RelinkCandidate[]> {
  const [series, all, accounts] = await Promise.all([
    db.series.findOne(seriesId).exec(),
    db.series.find().exec(),
    db.calendarAccounts.find().exec(),
  ]);
  if (!series) throw new Error('That series no longer exists.');
  const runs: AccountRun[] = [];
  for (const doc of accounts) {
    const account = doc.toMutableJSON();
    runs.push({ accountId: account.id, provider: account.provider, result: await detectAccount({ db, now }, account) });
  }
  return relinkCandidates(runs, series.toMutableJSON(), all.map((s) => s.toMutableJSON()), now);
}

/**
 * Records the choice: the series follows `candidate`'s recurring event from now on. The caller runs
 * detection next, which moves that event's meetings into the series; nothing is deleted.
 */
export async function relinkSeriesTo(db: DuetDatabase, seriesId: string, candidate: RelinkCandidate, now = Date.now()): Promise<void> {
  const doc = await db.series.findOne(seriesId).exec();
  if (!doc) throw new Error('That series no longer exists.');
  await doc.incrementalModify((s) => relinkedSeries(s, candidate, now));
}
