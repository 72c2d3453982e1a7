// Scheduling a 1:1 from the renderer (docs/architecture.md §6, "Scheduling"). The meeting is the
// renderer's document first (RxDB, source 'app'), so it exists whatever the calendar says; then
// main puts the event on the chosen calendar with the meeting's id as its tag. When the event
// comes back through the calendar ingest, reconciliation links this meeting to its first
// occurrence (same two people, within ±12 hours: §4) and makes the series' later meetings.
// Without a calendar the meeting stays in Duet only and can be put on a calendar later.
import type { AccountInfo, DuetApi } from '../../../../src-shared/bridge/contract';
import type { ActivityEntry, ScheduledEvent } from '../../../../src-shared/bridge/schedule-contract';
import type { Repeat } from '../../../../src-shared/calendar/repeat';
import type { DuetDatabase } from '../../db/database';
import type { Cadence, MeetingDoc, PersonDoc, SeriesDoc } from '../../db/schemas';

/**
 * Who "you" are in a meeting made with no calendar connected: an address that can never be
 * anyone's (.invalid is reserved). Putting the meeting on a calendar replaces it with the account's.
 */
export const LOCAL_SELF = 'you@duet.invalid';

const CADENCE_OF: Record<Exclude<Repeat, 'none'>, Cadence> = {
  weekly: 'weekly',
  biweekly: 'biweekly',
  triweekly: 'triweekly',
  monthly: 'monthly',
};

export interface ScheduleChoice {
  person: Pick<PersonDoc, 'name' | 'email'>;
  /** Epoch ms of the first meeting (from the form's local date and time). */
  start: number;
  minutes: number;
  repeat: Repeat;
  video: boolean;
  /** The calendar to put it on; null: Duet only. */
  account: Pick<AccountInfo, 'id' | 'email' | 'provider'> | null;
}

export interface ScheduleOutcome {
  meeting: MeetingDoc;
  event?: ScheduledEvent;
  /** The calendar refused or could not be reached: the meeting is kept in Duet, not on the calendar. */
  calendarError?: string;
}

/** The local date ('YYYY-MM-DD') and time ('HH:MM') of the form, as an instant in the user's zone. */
export function startFromForm(date: string, time: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !/^\d{2}:\d{2}$/.test(time)) return undefined;
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  const [h, mi] = time.split(':').map(Number) as [number, number];
  const at = new Date(y, mo - 1, d, h, mi);
  // new Date rolls 2026-02-31 over into March: a date that does not exist is refused instead.
  if (at.getFullYear() !== y || at.getMonth() !== mo - 1 || at.getDate() !== d) return undefined;
  return at.getTime();
}

/** A start already gone (a minute's grace for the time it takes to fill the form). */
export const isPast = (start: number, now: number = Date.now()): boolean => start < now - 60_000;

export const userTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

const newId = (prefix: string) => `${prefix}-${crypto.randomUUID()}`;
const pair = (a: string, b: string) => [a.toLowerCase(), b.toLowerCase()].sort();

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Makes the meeting (and, in Duet only, its series), then asks main to put it on the calendar. */
export async function scheduleMeeting(
  db: DuetDatabase,
  bridge: Pick<DuetApi, 'schedule'>,
  choice: ScheduleChoice,
  now: number = Date.now(),
): Promise<ScheduleOutcome> {
  const self = choice.account?.email ?? LOCAL_SELF;
  let seriesId = '';
  // A calendar series gets its series document from the ingest (it follows the recurring event);
  // one kept in Duet only gets it here, so Meetings shows its cadence.
  if (choice.repeat !== 'none' && !choice.account) {
    const series: SeriesDoc = {
      id: newId('app-series'),
      title: `1:1 with ${choice.person.name}`,
      participants: pair(self, choice.person.email),
      cadence: CADENCE_OF[choice.repeat],
      linkState: 'unlinked',
      archived: false,
      createdAt: now,
      updatedAt: now,
    };
    await db.series.insert(series);
    seriesId = series.id;
  }
  const meeting: MeetingDoc = {
    id: newId('app'),
    seriesId,
    title: `1:1 with ${choice.person.name}`,
    start: choice.start,
    end: choice.start + choice.minutes * 60_000,
    participants: pair(self, choice.person.email),
    owner: self.toLowerCase(),
    source: 'app',
    linkState: 'unlinked',
    state: 'scheduled',
    roomId: '',
    createdAt: now,
    updatedAt: now,
  };
  await db.meetings.insert(meeting);
  const account = choice.account;
  if (!account) return { meeting };
  return putOnCalendar(db, bridge, meeting, { ...choice, account });
}

/** Puts a meeting Duet holds on a calendar (also later, for one made without a calendar). */
export async function putOnCalendar(
  db: DuetDatabase,
  bridge: Pick<DuetApi, 'schedule'>,
  meeting: MeetingDoc,
  choice: Omit<ScheduleChoice, 'start' | 'minutes'> & { account: NonNullable<ScheduleChoice['account']> },
): Promise<ScheduleOutcome> {
  let current = meeting;
  const self = choice.account.email.toLowerCase();
  if (meeting.participants.includes(LOCAL_SELF)) {
    // The placeholder becomes the account's address, so reconciliation can link the event to it.
    const doc = await db.meetings.findOne(meeting.id).exec();
    const patched = await doc?.incrementalPatch({
      participants: pair(self, choice.person.email),
      owner: self,
      updatedAt: Date.now(),
    });
    if (patched) current = patched.toJSON() as MeetingDoc;
  }
  try {
    const event = await bridge.schedule.create({
      meetingId: current.id,
      accountId: choice.account.id,
      personEmail: choice.person.email,
      personName: choice.person.name,
      start: current.start,
      minutes: Math.round((current.end - current.start) / 60_000),
      repeat: choice.repeat,
      video: choice.video,
      timeZone: userTimeZone(),
    });
    return { meeting: current, event };
  } catch (err) {
    return { meeting: current, calendarError: message(err) };
  }
}

/** The meetings main has put on a calendar: every successful create in the activity log. */
export function onCalendar(activity: readonly ActivityEntry[]): Set<string> {
  return new Set(activity.filter((e) => e.action === 'create' && e.ok).map((e) => e.meetingId));
}

/**
 * The event ids main created (successful creates in the activity log). Graph's delta listing does
 * not carry extended properties, so an imported occurrence cannot show Duet's tag; the log says
 * which series Duet made (main still checks the tag itself before every write).
 */
export function createdEvents(activity: readonly ActivityEntry[]): Set<string> {
  return new Set(activity.filter((e) => e.action === 'create' && e.ok && e.eventId).map((e) => e.eventId));
}
