// The notifier (docs/architecture.md §5 "Notifications"): in the leading window only, it asks the
// pure planner (src-shared/notify/plan.ts) what is due now, stores each due notification in the
// inbox under its deterministic id and, only when that insert is the one that stored it, shows it
// through the platform (main's `app.notify`: Electron's Notification) or the browser's
// Notification API. An insert that collides means another window or an earlier run already did:
// nothing is shown twice. Time is injected (`clock`) so tests run weeks in milliseconds.
import type { RxCollection } from 'rxdb';
import { cadenceStats, type TenureRule } from '../../../../src-shared/engine/cadence-health';
import { isValidTimeZone, type Zone } from '../../../../src-shared/engine/timezone';
import { newMeetingText, reminderText, summaryText, type NotificationText } from '../../../../src-shared/notify/messages';
import { planNotifications, type DueNotification, type PlanMeeting } from '../../../../src-shared/notify/plan';
import { DAY_MS } from '../../../../src-shared/engine/time';
import type {
  CalendarAccountDoc,
  MeetingDoc,
  NotificationDoc,
  PersonDoc,
  PreferencesDoc,
  SeriesDoc,
} from '../../db/schemas';
import type { CachedEventChunkDoc } from '../../db/schemas/calendar-events';
import { NOTIFIER_STATE_ID } from '../../db/schemas/notifications';
import { cacheDocIdsFor, findCachedEvent, parseChunk, type CachedEventChunk } from '../../calendar/cache';
import { PREFERENCES_ID } from '../../db/schemas/preferences';
import { CADENCE_WORDS } from '../../../../src-shared/engine/cadence-health';

export interface NotifierClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realClock: NotifierClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** The collections the notifier reads and writes: a narrow type so tests open only these. */
export interface NotifierDb {
  meetings: RxCollection<MeetingDoc>;
  series: RxCollection<SeriesDoc>;
  people: RxCollection<PersonDoc>;
  preferences: RxCollection<PreferencesDoc>;
  /** The connected calendars: who "you" are. Optional for an app that only has a sync identity. */
  calendarAccounts?: RxCollection<CalendarAccountDoc>;
  /** The cached calendar events: when a linked 1:1's event was created. Optional, as above. */
  calendarEvents?: RxCollection<CachedEventChunkDoc>;
  notifications: RxCollection<NotificationDoc>;
  waitForLeadership(): Promise<boolean>;
  isLeader(): boolean;
}

/** Open topics and action items per meeting, as this device holds them (its local Y.Doc copies). */
export interface OpenEntries {
  topics: string[];
  items: string[];
}
export type OpenItemsReader = (meetingIds: readonly string[]) => Promise<Map<string, OpenEntries>>;

export interface DeliveredNotification extends NotificationText {
  id: string;
  href: string;
}

export interface NotifierOptions {
  clock?: NotifierClock;
  /** The user's time zone; defaults to the system's. */
  zone?: Zone;
  openItems?: OpenItemsReader;
  /** Shows one notification outside the app; resolves false when it could not. */
  deliver?: (n: DeliveredNotification) => Promise<boolean>;
  /** Longest wait between two runs, so a sleep or a clock jump is noticed soon (default 1 min). */
  maxSleepMs?: number;
  /** More of the user's own addresses (the sync identity), besides the calendars' `self`. */
  selves?: () => Promise<readonly string[]>;
  /** Changes settle this long before a run (default 1 s). */
  debounceMs?: number;
}

export interface Notifier {
  /** Runs once now (leader only); resolves when done. */
  runNow(): Promise<void>;
  /** Resolves when no run is pending or running. */
  idle(): Promise<void>;
  /** Resolves once this window leads and its first run is done (never in a window that does not lead). */
  leading(): Promise<void>;
  stop(): void;
}

export const DEFAULT_REMINDER_MINUTES = 60;

export function systemZone(): Zone {
  const name = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return name && isValidTimeZone(name) ? { kind: 'iana', name } : { kind: 'fixed', offsetMinutes: 0 };
}

interface NotifierState {
  /** First run: nothing older is due (no back-dated summaries). */
  since: number;
  /** First run that knew who the user is: meetings arriving before it are not news. */
  newsSince: number;
  /**
   * Per calendar account, the first run that found its first import finished: what that import
   * brought (a second calendar connected months later brings its long-standing 1:1s) is not news.
   */
  accountsSince: Record<string, number>;
}

const meetingHref = (id: string) => `#/meetings/${encodeURIComponent(id)}`;

async function readState(
  db: NotifierDb,
  now: number,
  knowsSelf: boolean,
  importedAccounts: readonly string[],
): Promise<NotifierState> {
  const doc = await db.notifications.findOne(NOTIFIER_STATE_ID).exec();
  let state: NotifierState | undefined;
  try {
    const parsed = doc ? (JSON.parse(doc.body) as Partial<Record<keyof NotifierState, unknown>>) : undefined;
    if (parsed && typeof parsed.since === 'number') {
      const accounts = parsed.accountsSince && typeof parsed.accountsSince === 'object' ? parsed.accountsSince : {};
      state = {
        since: parsed.since,
        newsSince: typeof parsed.newsSince === 'number' ? parsed.newsSince : Infinity,
        accountsSince: Object.fromEntries(
          Object.entries(accounts).filter((e): e is [string, number] => typeof e[1] === 'number'),
        ),
      };
    }
  } catch {
    // A damaged state document starts over from now: at worst one summary is skipped.
  }
  const next: NotifierState = state
    ? { ...state, accountsSince: { ...state.accountsSince } }
    : { since: now, newsSince: Infinity, accountsSince: {} };
  if (knowsSelf && next.newsSince === Infinity) next.newsSince = now;
  let changed = !doc || !state || next.newsSince !== state.newsSince;
  for (const id of importedAccounts) {
    if (next.accountsSince[id] === undefined) {
      next.accountsSince[id] = now;
      changed = true;
    }
  }
  if (changed) {
    await db.notifications.upsert({
      id: NOTIFIER_STATE_ID,
      kind: 'state',
      title: '',
      body: JSON.stringify({
        since: next.since,
        newsSince: Number.isFinite(next.newsSince) ? next.newsSince : null,
        accountsSince: next.accountsSince,
      }),
      href: '',
      dueAt: next.since,
      createdAt: doc?.createdAt ?? now,
      readAt: now,
    });
  }
  return next;
}

/**
 * When the calendar event a meeting follows was created (the series' for an occurrence), from the
 * cached events; undefined when unknown (no cache, an event the provider gave no time for).
 */
async function eventCreatedAt(db: NotifierDb, link: NonNullable<MeetingDoc['calendarLink']>): Promise<number | undefined> {
  if (!db.calendarEvents) return undefined;
  const refs = [link.eventId, link.recurringEventId]
    .filter((id): id is string => !!id)
    .map((eventId) => ({ accountId: link.accountId, calendarId: link.calendarId, eventId }));
  const docs = await db.calendarEvents.findByIds(refs.flatMap(cacheDocIdsFor)).exec();
  const chunks: CachedEventChunk[] = [];
  for (const d of docs.values()) {
    try {
      chunks.push(parseChunk(d));
    } catch {
      // A damaged chunk is the ingest's to report; here it only means "unknown".
    }
  }
  for (const ref of refs) {
    const created = findCachedEvent(chunks, ref)?.created;
    const at = created ? Date.parse(created) : NaN;
    if (Number.isFinite(at)) return at;
  }
  return undefined;
}

function personFor(people: readonly PersonDoc[], email: string): PersonDoc | undefined {
  const e = email.toLowerCase();
  return people.find((p) => p.email === e || p.aliases.includes(e));
}

export function startNotifier(db: NotifierDb, options: NotifierOptions = {}): Notifier {
  const clock = options.clock ?? realClock;
  const zone = options.zone ?? systemZone();
  const maxSleep = options.maxSleepMs ?? 60_000;
  let stopped = false;
  let leader = false;
  let timer: unknown;
  let debounce: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> = Promise.resolve();
  let pending = 0;

  const compose = async (
    due: DueNotification,
    ctx: { meetings: Map<string, MeetingDoc>; people: PersonDoc[]; series: Map<string, SeriesDoc>; selves: Set<string>; prefs: PreferencesDoc | null; now: number; all: MeetingDoc[] },
  ): Promise<(NotificationText & { href: string }) | null> => {
    const other = (m: MeetingDoc) => {
      const email = m.participants.find((p) => !ctx.selves.has(p)) ?? m.participants[0] ?? '';
      return personFor(ctx.people, email)?.name ?? email;
    };
    if (due.kind === 'prep-reminder' || due.kind === 'new-meeting' || due.kind === 'new-series') {
      const m = ctx.meetings.get(due.meetingId ?? '');
      if (!m) return null;
      if (due.kind === 'prep-reminder') {
        const open = (await options.openItems?.([m.id]))?.get(m.id);
        // The time actually left: the lead time when on time, less when caught up late.
        const minutes = Math.max(1, Math.round((m.start - ctx.now) / 60_000));
        return { ...reminderText({ who: other(m), start: m.start, minutes, openItems: [...(open?.topics ?? []), ...(open?.items ?? [])], zone }), href: meetingHref(m.id) };
      }
      const cadence = ctx.series.get(m.seriesId)?.cadence;
      return {
        ...newMeetingText({ who: other(m), start: m.start, series: due.kind === 'new-series', ...(cadence && cadence !== 'irregular' ? { cadence: CADENCE_WORDS[cadence] } : {}), zone }),
        href: meetingHref(m.id),
      };
    }
    // The weekly summary: the week that ends at its slot.
    const end = due.dueAt;
    const held = ctx.all.filter((m) => m.state !== 'cancelled' && m.start <= end && m.start > end - 7 * DAY_MS);
    const recent = ctx.all.filter((m) => m.state !== 'cancelled' && m.start <= end + 7 * DAY_MS && m.start > end - 30 * DAY_MS);
    const open = (await options.openItems?.(recent.map((m) => m.id))) ?? new Map<string, OpenEntries>();
    let openActionItems = 0;
    for (const entries of open.values()) openActionItems += entries.items.length;
    const rules: TenureRule[] = ctx.prefs?.tenureCadenceRules ?? [];
    const notMetLately = ctx.people
      .filter((p) => p.directReport)
      .filter((p) => {
        const addresses = new Set([p.email, ...p.aliases]);
        const theirs = ctx.all.filter((m) => m.participants.some((e) => addresses.has(e)));
        return cadenceStats(theirs, end, { startDate: p.startDate, rules, zone }).overdue;
      })
      .map((p) => p.name);
    return { ...summaryText({ held: held.length, openActionItems, notMetLately }), href: '#/team' };
  };

  const runOnce = async (now: number): Promise<void> => {
    if (stopped || !db.isLeader()) return;
    const [meetingDocs, seriesDocs, people, prefsDoc, accounts] = await Promise.all([
      db.meetings.find().exec(),
      db.series.find().exec(),
      db.people.find().exec(),
      db.preferences.findOne(PREFERENCES_ID).exec(),
      db.calendarAccounts?.find().exec() ?? Promise.resolve([]),
    ]);
    const all = meetingDocs.map((d) => d.toMutableJSON());
    const prefs = prefsDoc?.toMutableJSON() ?? null;
    const extra = (await options.selves?.().catch(() => [])) ?? [];
    const selves = new Set([...accounts.map((a) => a.self), ...extra].map((e) => e.toLowerCase()).filter(Boolean));
    // A calendar's first import stores its account before its meetings, and its summary after
    // them: until every account has a summary, its meetings are still arriving and are not news.
    const imported = accounts.every((a) => a.summary !== null);
    const state = await readState(
      db,
      now,
      selves.size > 0 && imported,
      accounts.filter((a) => a.summary !== null).map((a) => a.id),
    );
    const importing = new Set(accounts.filter((a) => a.summary === null).map((a) => a.id));
    const series = new Map(seriesDocs.map((s) => [s.id, s.toMutableJSON()]));
    const planMeetings: PlanMeeting[] = all.map((m) => ({
      id: m.id,
      seriesId: m.seriesId,
      title: m.title,
      start: m.start,
      end: m.end,
      owner: m.owner,
      state: m.state,
      createdAt: m.createdAt,
      ...(series.has(m.seriesId) ? { seriesCreatedAt: series.get(m.seriesId)!.createdAt } : {}),
    }));
    const plan = planNotifications(
      {
        meetings: planMeetings,
        selves,
        reminderMinutes: prefs?.prepareReminderMinutes ?? DEFAULT_REMINDER_MINUTES,
        zone,
        since: state.since,
      },
      now,
    );
    // News needs to know who "you" are: without it every meeting would look like someone else's.
    // A calendar's own first import is not news either, however late it is connected: its
    // meetings are news only once they arrive after that import (docs/architecture.md §5).
    const byId = new Map(all.map((m) => [m.id, m]));
    // Nor is a 1:1 whose calendar event was created before then, whenever its meeting appeared
    // here (the team filled in with "Add all" after the import makes meetings of old events).
    const news = async (d: (typeof plan.due)[number]): Promise<boolean> => {
      if (d.dueAt < state.newsSince) return false;
      const link = d.meetingId ? byId.get(d.meetingId)?.calendarLink : undefined;
      if (!link) return true;
      if (importing.has(link.accountId)) return false;
      const since = state.accountsSince[link.accountId] ?? state.newsSince;
      if (d.dueAt < since) return false;
      const created = await eventCreatedAt(db, link);
      return created === undefined || created >= since;
    };
    const due: typeof plan.due = [];
    for (const d of plan.due) {
      if (d.kind === 'prep-reminder' || d.kind === 'weekly-summary' || (await news(d))) due.push(d);
    }
    const stored = new Set((await db.notifications.findByIds(due.map((d) => d.id)).exec()).keys());
    const ctx = { meetings: new Map(all.map((m) => [m.id, m])), people: people.map((p) => p.toMutableJSON()), series, selves, prefs, now, all };
    for (const d of due) {
      if (stored.has(d.id) || stopped) continue;
      const text = await compose(d, ctx);
      if (!text) continue;
      try {
        await db.notifications.insert({ id: d.id, kind: d.kind, title: text.title, body: text.body, href: text.href, dueAt: d.dueAt, createdAt: now, readAt: 0 });
      } catch {
        // Another window (or a run racing this one) stored it first: it was shown there.
        continue;
      }
      if (prefs?.notificationsEnabled !== false) await options.deliver?.({ id: d.id, ...text }).catch(() => false);
    }
    if (stopped) return;
    clock.clearTimeout(timer);
    const wait = Math.max(0, Math.min(plan.nextAt === null ? maxSleep : plan.nextAt - now, maxSleep));
    timer = clock.setTimeout(() => void schedule(), wait);
  };

  const schedule = (): Promise<void> => {
    if (stopped || !leader) return Promise.resolve();
    // The instant is read when the run is asked for: a test clock may move on while it runs.
    const now = clock.now();
    pending++;
    running = running.then(() => runOnce(now).catch(() => undefined)).finally(() => void pending--);
    return running;
  };

  const soon = () => {
    clearTimeout(debounce);
    debounce = setTimeout(() => void schedule(), options.debounceMs ?? 1000);
  };

  const led = db.waitForLeadership().then(() => {
    if (stopped) return;
    leader = true;
    return schedule();
  });
  const subs = [db.meetings.$.subscribe(soon), db.preferences.$.subscribe(soon)];
  if (db.calendarAccounts) subs.push(db.calendarAccounts.$.subscribe(soon));

  return {
    runNow: schedule,
    leading: () => led.then(() => undefined),
    async idle() {
      while (pending > 0) await running;
    },
    stop() {
      stopped = true;
      clearTimeout(debounce);
      clock.clearTimeout(timer);
      for (const s of subs) s.unsubscribe();
    },
  };
}
