// Scheduling 1:1s onto the user's calendar (docs/architecture.md §6, "Scheduling"): the event is
// titled "1:1 with NAME", invites the other person, links back to the meeting (duet://meeting/<id>)
// and carries Duet's tag; every later write goes through the providers' tag check. Each write,
// done or refused, is recorded in the activity log, and a sync round follows at once so the
// change flows back to the renderer like any other calendar change.
import type {
  ActivityAction,
  CancelRequest,
  RepeatChangeRequest,
  RescheduleRequest,
  ScheduleRequest,
  ScheduledEvent,
} from '../../src-shared/bridge/schedule-contract';
import { REPEAT_LABELS, type Repeat } from '../../src-shared/calendar/repeat';
import type { AccountRecord, AccountsService } from '../services/types';
import type { ActivityLog } from './activity-log';
import { classify, DEFAULT_BACKOFF, retryDelay, type BackoffPolicy } from './backoff';
import { ProviderHttpError, type CalendarProvider } from './provider';
import { createProviderFor } from './provider-factory';

export interface ScheduleServiceDeps {
  accounts: Pick<AccountsService, 'list' | 'getAccessToken' | 'endpoints'>;
  log: ActivityLog;
  /** Runs an incremental round for the account after a write (the scheduler's "Sync now"). */
  syncNow?: (accountId: string) => void;
  providerFor?: (account: AccountRecord) => CalendarProvider;
  /** Waits between tries (tests pass a fast one); real time by default. */
  sleep?: (ms: number) => Promise<void>;
  backoff?: BackoffPolicy;
  random?: () => number;
}

/** A write the user is waiting for is tried at most this many times in all. */
export const SCHEDULE_ATTEMPTS = 4;
/** Longer than this and the user is told when to try again instead of being kept waiting. */
export const SCHEDULE_MAX_WAIT_MS = 30_000;

export interface ScheduleService {
  create(req: ScheduleRequest): Promise<ScheduledEvent>;
  reschedule(req: RescheduleRequest): Promise<void>;
  changeRepeat(req: RepeatChangeRequest): Promise<void>;
  cancel(req: CancelRequest): Promise<void>;
}

/** The link the deep-link parser accepts (src-main/app/deep-link.ts). */
export const meetingLink = (meetingId: string): string => `duet://meeting/${meetingId}`;

export const eventTitle = (personName: string): string => `1:1 with ${personName.trim()}`;

export function eventDescription(meetingId: string): string {
  return `Agenda, action items and shared notes for this 1:1 are in Duet: ${meetingLink(meetingId)}`;
}

/** "Tue 8 Dec 2026, 10:00" in the user's zone, for the log. */
function when(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(ms));
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** The provider's refusal, with what the user can do about it. */
function tellWhatNext(err: unknown, waitMs?: number): unknown {
  if (!(err instanceof ProviderHttpError)) return err;
  const minutes = waitMs !== undefined ? Math.max(1, Math.ceil(waitMs / 60_000)) : undefined;
  if (err.status === 429)
    return new Error(
      `The calendar is limiting requests right now${minutes ? `; try again in ${minutes} minute${minutes === 1 ? '' : 's'}` : '; try again in a minute'}. Nothing was changed.`,
      { cause: err },
    );
  if (err.status >= 500)
    return new Error(
      `The calendar service had a problem (${err.status}). Check your calendar before trying again: the change may or may not have been made.`,
      { cause: err },
    );
  return err;
}

export function createScheduleService(deps: ScheduleServiceDeps): ScheduleService {
  const providerFor = deps.providerFor ?? ((a: AccountRecord) => createProviderFor(a, deps.accounts));
  const accountOf = (accountId: string): AccountRecord => {
    const account = deps.accounts.list().find((a) => a.id === accountId);
    if (!account) throw new Error('That calendar account is not connected.');
    return account;
  };

  /** Runs one write, logs it (done or failed) and starts a sync round after a success. */
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  /**
   * A 429 waits its Retry-After; a 5xx or a dropped connection backs off (backoff.ts), but only
   * for writes that are safe to repeat (a move, a rule change, a cancel): a create that failed
   * with a 5xx may still have made the event, so it is not sent again behind the user's back.
   */
  const withRetry = async <T>(write: () => Promise<T>, repeatable: boolean): Promise<T> => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await write();
      } catch (err) {
        const kind = classify(err);
        const again = kind === 'rate-limited' || (repeatable && (kind === 'server' || kind === 'offline'));
        if (!again || attempt + 1 >= SCHEDULE_ATTEMPTS) throw tellWhatNext(err);
        const wait = retryDelay(err, attempt, deps.random ?? Math.random, deps.backoff ?? DEFAULT_BACKOFF);
        if (wait > SCHEDULE_MAX_WAIT_MS) throw tellWhatNext(err, wait);
        await sleep(wait);
      }
    }
  };

  const logged = async <T>(
    account: AccountRecord,
    what: { action: ActivityAction; meetingId: string; eventId: string; title: string; detail: string },
    write: () => Promise<T>,
    eventIdOf?: (result: T) => string,
  ): Promise<T> => {
    const base = {
      ...what,
      accountId: account.id,
      provider: account.provider,
      accountEmail: account.email,
    };
    try {
      const result = await withRetry(write, what.action !== 'create');
      deps.log.record({ ...base, eventId: eventIdOf?.(result) ?? what.eventId, ok: true, error: '' });
      deps.syncNow?.(account.id);
      return result;
    } catch (err) {
      deps.log.record({ ...base, ok: false, error: message(err) });
      throw err;
    }
  };

  const videoName = (account: AccountRecord) =>
    account.provider === 'google' ? 'Google Meet' : 'Microsoft Teams';
  const repeatWords = (repeat: Repeat) => (repeat === 'none' ? 'One meeting' : REPEAT_LABELS[repeat]);

  return {
    async create(req) {
      const account = accountOf(req.accountId);
      const provider = providerFor(account);
      const title = eventTitle(req.personName);
      const end = req.start + req.minutes * 60_000;
      const detail = `${repeatWords(req.repeat)} from ${when(req.start, req.timeZone)}, ${req.minutes} min, with ${req.personEmail}${req.video ? `, ${videoName(account)}` : ''}`;
      const event = await logged(
        account,
        { action: 'create', meetingId: req.meetingId, eventId: '', title, detail },
        async () => {
          const calendars = await provider.listCalendars();
          const primary = calendars.find((c) => c.primary) ?? calendars[0];
          if (!primary) throw new Error('The account has no calendar to put the meeting on.');
          return provider.createEvent({
            calendarId: primary.id,
            duetMeetingId: req.meetingId,
            title,
            start: new Date(req.start).toISOString(),
            end: new Date(end).toISOString(),
            attendees: [req.personEmail],
            description: eventDescription(req.meetingId),
            conference: req.video,
            repeat: req.repeat,
            timeZone: req.timeZone,
          });
        },
        (e) => e.id,
      );
      return {
        accountId: account.id,
        provider: account.provider,
        calendarId: event.calendarId ?? '',
        eventId: event.id,
        iCalUID: event.iCalUID ?? event.id,
        start: Date.parse(event.start),
        end: Date.parse(event.end),
        ...(event.joinUrl ? { joinUrl: event.joinUrl } : {}),
      };
    },

    async reschedule(req) {
      const account = accountOf(req.accountId);
      const provider = providerFor(account);
      const start = new Date(req.start).toISOString();
      const end = new Date(req.start + req.minutes * 60_000).toISOString();
      const one = req.originalStart !== undefined;
      const detail = one
        ? `The meeting of ${when(req.originalStart!, req.timeZone)} moved to ${when(req.start, req.timeZone)}, ${req.minutes} min`
        : `Moved to ${when(req.start, req.timeZone)}, ${req.minutes} min${req.repeat && req.repeat !== 'none' ? `, ${REPEAT_LABELS[req.repeat].toLowerCase()}` : ''}`;
      await logged(
        account,
        {
          action: one ? 'reschedule-occurrence' : 'reschedule',
          meetingId: req.meetingId,
          eventId: req.eventId,
          title: '',
          detail,
        },
        () =>
          one
            ? provider.updateOccurrence(
                {
                  calendarId: req.calendarId,
                  seriesId: req.eventId,
                  originalStart: new Date(req.originalStart!).toISOString(),
                },
                { start, end },
              )
            : provider.updateEvent(req.calendarId, req.eventId, {
                start,
                end,
                timeZone: req.timeZone,
                ...(req.repeat && req.repeat !== 'none' ? { repeat: req.repeat } : {}),
              }),
      );
    },

    async changeRepeat(req) {
      const account = accountOf(req.accountId);
      const provider = providerFor(account);
      await logged(
        account,
        {
          action: 'change-repeat',
          meetingId: req.meetingId,
          eventId: req.eventId,
          title: '',
          detail: `Repeat changed to ${REPEAT_LABELS[req.repeat].toLowerCase()}`,
        },
        () => provider.updateEvent(req.calendarId, req.eventId, { repeat: req.repeat }),
      );
    },

    async cancel(req) {
      const account = accountOf(req.accountId);
      const provider = providerFor(account);
      const one = req.originalStart !== undefined;
      await logged(
        account,
        {
          action: one ? 'cancel-occurrence' : 'cancel',
          meetingId: req.meetingId,
          eventId: req.eventId,
          title: '',
          detail: one
            ? `Cancelled the meeting of ${new Date(req.originalStart!).toISOString()}`
            : 'Cancelled the event (every meeting of a series)',
        },
        () =>
          one
            ? provider.cancelOccurrence({
                calendarId: req.calendarId,
                seriesId: req.eventId,
                originalStart: new Date(req.originalStart!).toISOString(),
              })
            : provider.cancelEvent(req.calendarId, req.eventId),
      );
    },
  };
}
