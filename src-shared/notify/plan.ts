// Which notifications are due at an instant (docs/architecture.md §5 "Notifications"): pure, so
// the timing is tested with any clock and any zone. The notifier (src-renderer/src/features/inbox)
// runs it and writes each due one into the inbox under its id; the ids are deterministic, so a
// notification is stored (and shown) once whichever window or run finds it due first.
//
// Catching up after sleep or a closed app follows from evaluating "due at now" rather than
// replaying missed timers: a reminder is due only while its meeting has not started (a missed one
// is dropped), and only the latest weekly summary slot is due (a missed one shows once, never one
// per week missed).
import { fromLocal, toLocal, type Zone } from '../engine/timezone';
import { dayNumber, fromDayNumber, weekdayOf, MINUTE_MS } from '../engine/time';

export type NotificationKind = 'new-meeting' | 'new-series' | 'prep-reminder' | 'weekly-summary';

/** The weekly summary comes on Sunday at this local hour. */
export const SUMMARY_HOUR = 18;

export interface PlanMeeting {
  id: string;
  seriesId: string;
  title: string;
  start: number;
  end: number;
  owner: string;
  state: 'scheduled' | 'cancelled' | 'archived';
  createdAt: number;
  /** For a meeting of a series: when this app first stored the series (a series is news once). */
  seriesCreatedAt?: number;
}

export interface PlanInput {
  meetings: readonly PlanMeeting[];
  /** The user's own addresses (lower-cased): a meeting they own is not news to them. */
  selves: ReadonlySet<string>;
  /** Minutes before a meeting; 0 turns prep reminders off. */
  reminderMinutes: number;
  zone: Zone;
  /** When the notifier first ran here: what existed before is not "new", no older summary is due. */
  since: number;
}

export interface DueNotification {
  id: string;
  kind: NotificationKind;
  /** The instant it was due (a reminder's lead time before the start; the summary's slot). */
  dueAt: number;
  meetingId?: string;
  seriesId?: string;
  /** The local date of the summary's Sunday (YYYY-MM-DD). */
  week?: string;
}

const pad = (n: number) => String(n).padStart(2, '0');
const isoDate = (d: { year: number; month: number; day: number }) => `${d.year}-${pad(d.month)}-${pad(d.day)}`;

export const reminderId = (m: Pick<PlanMeeting, 'id' | 'start'>): string => `prep:${m.id}:${m.start}`;
export const summaryId = (week: string): string => `summary:${week}`;

/** The instant of Sunday SUMMARY_HOUR:00 local in the week of local day `dayNum` (moved to its Sunday). */
function summaryOn(zone: Zone, sundayDayNum: number): { at: number; week: string } {
  const d = fromDayNumber(sundayDayNum);
  const at = fromLocal(zone, { ...d, hour: SUMMARY_HOUR, minute: 0, second: 0, millisecond: 0 });
  return { at, week: isoDate(d) };
}

/** The latest summary slot at or before `now`, in the zone's wall-clock time (DST-proof). */
export function lastSummarySlot(zone: Zone, now: number): { at: number; week: string } {
  const local = toLocal(zone, now);
  const today = dayNumber(local.year, local.month, local.day);
  const sunday = today - weekdayOf(today);
  const slot = summaryOn(zone, sunday);
  return slot.at <= now ? slot : summaryOn(zone, sunday - 7);
}

export function nextSummarySlot(zone: Zone, now: number): { at: number; week: string } {
  const last = lastSummarySlot(zone, now);
  const local = toLocal(zone, last.at);
  return summaryOn(zone, dayNumber(local.year, local.month, local.day) + 7);
}

/** When a meeting (or its series) arrived in this app. */
const arrival = (m: PlanMeeting): number => (m.seriesId ? (m.seriesCreatedAt ?? m.createdAt) : m.createdAt);

export interface Plan {
  due: DueNotification[];
  /** The next instant something becomes due (for the notifier's timer), or null. */
  nextAt: number | null;
}

export function planNotifications(input: PlanInput, now: number): Plan {
  const due: DueNotification[] = [];
  let nextAt: number | null = null;
  const later = (t: number) => {
    if (t > now && (nextAt === null || t < nextAt)) nextAt = t;
  };
  const lead = Math.max(0, input.reminderMinutes) * MINUTE_MS;
  for (const m of input.meetings) {
    if (m.state !== 'scheduled' || lead <= 0 || m.start <= now) continue;
    const at = m.start - lead;
    if (at <= now) due.push({ id: reminderId(m), kind: 'prep-reminder', dueAt: at, meetingId: m.id });
    else later(at);
  }
  // News of a 1:1 someone else set up with the user, once per 1:1: per series, and for meetings
  // without one (a 1:1 shared with you arrives as one meeting per occurrence) per owner and title.
  // It is news when the first of its meetings arrived here after the notifier started and one of
  // them is still to come.
  const groups = new Map<string, PlanMeeting[]>();
  for (const m of input.meetings) {
    const key = m.seriesId ? `s\n${m.seriesId}` : `o\n${m.owner.toLowerCase()}\n${m.title}`;
    const list = groups.get(key);
    if (list) list.push(m);
    else groups.set(key, [m]);
  }
  for (const list of groups.values()) {
    const first = list.reduce((a, b) => (arrival(b) < arrival(a) || (arrival(b) === arrival(a) && b.id < a.id) ? b : a));
    const owner = first.owner.toLowerCase();
    if (!owner || input.selves.has(owner) || arrival(first) < input.since) continue;
    const coming = list.filter((m) => m.state === 'scheduled' && m.end > now).sort((a, b) => a.start - b.start)[0];
    if (!coming) continue;
    due.push({
      id: first.seriesId ? `new-series:${first.seriesId}` : `new-meeting:${first.id}`,
      kind: first.seriesId ? 'new-series' : 'new-meeting',
      dueAt: arrival(first),
      meetingId: coming.id,
      ...(first.seriesId ? { seriesId: first.seriesId } : {}),
    });
  }
  const slot = lastSummarySlot(input.zone, now);
  if (slot.at >= input.since) due.push({ id: summaryId(slot.week), kind: 'weekly-summary', dueAt: slot.at, week: slot.week });
  later(nextSummarySlot(input.zone, now).at);
  return { due, nextAt };
}
