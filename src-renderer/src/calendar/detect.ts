// Runs the engine over the cache for one account and writes what it decided (docs/architecture.md
// §4, §6). Reading and running are safe in any window; `writeDetection` is called by the leader only.
import { allowRemoval } from '../db/meeting-rules';
import { DEFAULT_SETTINGS, type CalendarEvent, type Person, type Settings } from '../../../src-shared/engine/model';
import { runDetection, skippedByReason, type DetectionResult } from '../../../src-shared/meeting/detection';
import type { DuetDatabase } from '../db/database';
import type { CalendarAccountDoc } from '../db/schemas';
import { PREFERENCES_ID } from '../db/schemas/preferences';
import { assertBulk, readCachedEvents } from './cache';
import type { DiagnosticEntry, ImportSummary, TeamSuggestion } from './types';

/** Meetings that have content other than what lives in their Y.Doc are found here; the Y.Doc side is injected. */
export type SharedContentCheck = (meetingIds: readonly string[]) => Promise<ReadonlySet<string>>;

export interface DetectionContext {
  db: DuetDatabase;
  now: number;
  sharedContent?: SharedContentCheck;
}

async function peopleOf(db: DuetDatabase): Promise<Person[]> {
  return (await db.people.find().exec()).map((d) => ({ email: d.email, name: d.name, aliases: [...d.aliases] }));
}

async function settingsOf(db: DuetDatabase): Promise<Settings> {
  const p = await db.preferences.findOne(PREFERENCES_ID).exec();
  if (!p) return { ...DEFAULT_SETTINGS, keywords: [...DEFAULT_SETTINGS.keywords] };
  return {
    keywords: [...p.keywords],
    matchMode: p.matchMode,
    pastDays: p.pastDays,
    futureDays: p.futureDays,
    minMinutes: p.minMinutes,
    maxMinutes: p.maxMinutes,
  };
}

/**
 * Runs the engine for one account over what is stored now, or over `events` when the caller holds
 * the account's cache in memory already (a batch being stored: see apply-batch.ts).
 */
export async function detectAccount(ctx: DetectionContext, account: CalendarAccountDoc, events?: readonly CalendarEvent[]): Promise<DetectionResult> {
  const { db } = ctx;
  const [cached, people, settings, meetings, series, notes] = await Promise.all([
    events ?? readCachedEvents(db, account.id),
    peopleOf(db),
    settingsOf(db),
    db.meetings.find().exec(),
    db.series.find().exec(),
    db.privateNotes.find().exec(),
  ]);
  const meetingDocs = meetings.map((m) => m.toMutableJSON());
  const withContent = new Set(notes.map((n) => n.meetingId));
  if (ctx.sharedContent) for (const id of await ctx.sharedContent(meetingDocs.map((m) => m.id))) withContent.add(id);
  return runDetection({
    accountId: account.id,
    provider: account.provider,
    self: account.self,
    complete: account.complete,
    events: cached,
    people,
    settings,
    now: ctx.now,
    meetings: meetingDocs,
    series: series.map((s) => s.toMutableJSON()),
    withContent,
  });
}

export function summaryOf(account: CalendarAccountDoc, result: DetectionResult, batchId: string, at: number): ImportSummary {
  const { decisions, analysis } = result;
  return {
    accountId: account.id,
    eventsSeen: decisions.events.length,
    oneOnOnes: decisions.events.filter((e) => e.oneOnOne).length,
    occurrences: analysis.candidates.length,
    skipped: skippedByReason(decisions),
    changes: { ...result.plan.counts },
    batchId,
    at,
  };
}

/**
 * Writes a run's plan, then the account's summary (and the batch it stored, if any). Meeting ids
 * are deterministic and the engine is idempotent, so a write that fails half-way and is retried
 * finishes the job without duplicating anything.
 */
export async function writeDetection(db: DuetDatabase, account: CalendarAccountDoc, result: DetectionResult, summary: ImportSummary, batchId: string): Promise<void> {
  const { plan } = result;
  if (plan.series.length > 0) assertBulk('storing series', await db.series.bulkUpsert(plan.series));
  if (plan.meetings.length > 0) assertBulk('storing meetings', await db.meetings.bulkUpsert(plan.meetings));
  if (plan.deletions.length > 0) {
    // The calendar took these away (docs/architecture.md §4): not a person's delete.
    allowRemoval(db.meetings, plan.deletions);
    assertBulk('removing meetings', await db.meetings.bulkRemove(plan.deletions));
  }
  // The account as stored, with what this run knows of it (a batch may have set self, provider or
  // complete): one write for the bookkeeping, after the meetings.
  const fresh = await db.calendarAccounts.findOne(account.id).exec();
  const base = fresh ? { ...fresh.toMutableJSON(), provider: account.provider, self: account.self, complete: account.complete } : account;
  await db.calendarAccounts.upsert({
    ...base,
    lastBatchId: batchId === '' ? base.lastBatchId : batchId,
    summary: summary as unknown as Record<string, unknown>,
    updatedAt: summary.at,
  });
}

/** Every event in the window not taken, with its reasons and the alias it probably is. Any window may ask. */
export async function diagnostics(db: DuetDatabase, now = Date.now()): Promise<DiagnosticEntry[]> {
  const out: DiagnosticEntry[] = [];
  for (const account of await db.calendarAccounts.find().exec()) {
    const acc = account.toMutableJSON();
    const result = await detectAccount({ db, now }, acc);
    const byId = new Map(result.analysis.events.map((e, i) => [e.id, i]));
    for (const d of result.decisions.events) {
      if (d.oneOnOne || d.reasons.includes('OUTSIDE_WINDOW') || d.reasons.includes('CANCELLED')) continue;
      const ev = result.analysis.events[byId.get(d.id) ?? -1];
      if (!ev) continue;
      const entry: DiagnosticEntry = {
        accountId: acc.id,
        eventId: d.id,
        title: ev.title,
        start: ev.start,
        reasons: d.reasons,
        unmatched: d.unmatched ?? [],
        aliasSuggestions: d.suggestions ?? [],
      };
      if (d.counterpart !== undefined) entry.counterpart = d.counterpart;
      out.push(entry);
    }
  }
  return out.sort((x, y) => Date.parse(x.start) - Date.parse(y.start) || (x.eventId < y.eventId ? -1 : 1));
}

const TWO_PERSON_BLOCKERS = new Set(['NOT_TWO_PEOPLE', 'SELF_NOT_PARTICIPANT', 'CANCELLED', 'ALL_DAY', 'OUTSIDE_WINDOW']);

/** The counterparts of two-person events in the window who are not on the team yet (nor an alias of someone who is). */
export async function teamSuggestions(db: DuetDatabase, now = Date.now()): Promise<TeamSuggestion[]> {
  const found = new Map<string, TeamSuggestion>();
  for (const account of await db.calendarAccounts.find().exec()) {
    const acc = account.toMutableJSON();
    const result = await detectAccount({ db, now }, acc);
    const byId = new Map(result.analysis.events.map((e, i) => [e.id, i]));
    const self = acc.self.toLowerCase();
    for (const d of result.decisions.events) {
      if (!d.reasons.includes('UNKNOWN_PERSON') || d.reasons.some((r) => TWO_PERSON_BLOCKERS.has(r))) continue;
      const aliasOf = new Set((d.suggestions ?? []).map((s) => s.address));
      const ev = result.analysis.events[byId.get(d.id) ?? -1];
      for (const address of d.unmatched ?? []) {
        const lower = address.toLowerCase();
        if (lower === self || aliasOf.has(address)) continue;
        const prev = found.get(lower);
        if (prev) {
          prev.events++;
          continue;
        }
        const named = ev?.attendees.find((a) => a.email.toLowerCase() === lower)?.name;
        found.set(lower, { email: lower, name: named ?? nameFromAddress(lower), events: 1, accountId: acc.id });
      }
    }
  }
  return [...found.values()].sort((x, y) => y.events - x.events || (x.email < y.email ? -1 : 1));
}

/** "ana.lima@acme.test" → "Ana Lima": a starting point the user can edit. */
export function nameFromAddress(address: string): string {
  const local = address.split('@')[0] ?? address;
  return local
    .split(/[._-]+/)
    .filter((p) => p !== '')
    .map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join(' ');
}
