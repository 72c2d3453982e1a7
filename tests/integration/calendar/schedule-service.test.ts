// Main's scheduling service (src-main/calendar/schedule-service.ts) against the sandbox with the
// real providers: what it writes ("1:1 with NAME", the invite, the duet:// link, the tag, Teams or
// Meet), that every write and every refusal lands in the persisted activity log, and that a sync
// round follows each write.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDeepLink } from '../../../src-main/app/deep-link';
import { createActivityLog } from '../../../src-main/calendar/activity-log';
import { NotAppManagedError } from '../../../src-main/calendar/provider';
import { createSchedulePreferences } from '../../../src-main/calendar/schedule-preferences';
import { createScheduleService } from '../../../src-main/calendar/schedule-service';
import type { AccountRecord } from '../../../src-main/services/types';
import { jsonFileStore } from '../../../src-main/storage/json-file';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { MAYA, NOOR } from '../../support/seed-people';

const DAY = 86_400_000;
let sb: TestSandbox;
let dir: string;

beforeAll(async () => {
  sb = await startTestSandbox();
  dir = mkdtempSync(join(tmpdir(), 'duet-schedule-'));
});
afterAll(async () => {
  await sb?.close();
  rmSync(dir, { recursive: true, force: true });
});

const ACCOUNTS: AccountRecord[] = [
  {
    id: 'g-maya',
    provider: 'google',
    sandbox: true,
    email: MAYA,
    name: 'Maya Chen',
    auth: 'connected',
    connectedAt: 1,
  },
  {
    id: 'm-maya',
    provider: 'microsoft',
    sandbox: true,
    email: MAYA,
    name: 'Maya Chen',
    auth: 'connected',
    connectedAt: 1,
  },
];

function service(file: string, waits?: number[]) {
  const store = jsonFileStore(file);
  const log = createActivityLog(store);
  const synced: string[] = [];
  const schedule = createScheduleService({
    accounts: {
      list: () => ACCOUNTS,
      getAccessToken: (id) => sb.accessToken(MAYA, id === 'g-maya' ? 'google' : 'microsoft'),
      endpoints: () => ({
        googleRootUrl: sb.googleRootUrl,
        graphBaseUrl: sb.graphBaseUrl,
        ca: readFileSync(sb.caCertPath, 'utf8'),
      }),
    },
    log,
    syncNow: (id) => synced.push(id),
    ...(waits ? { sleep: async (ms: number) => void waits.push(ms), random: () => 0.5 } : {}),
  });
  return { schedule, log, synced };
}

/** Next week's Tuesday-or-so at 10:00 UTC, whole minutes. */
const slot = (days: number) => {
  const d = new Date(Date.now() + days * DAY);
  d.setUTCHours(10, 0, 0, 0);
  return d.getTime();
};

describe.each(ACCOUNTS)('scheduling through $provider', (account) => {
  it('creates the series Duet describes, logs it, and logs refusals too', async () => {
    const file = join(dir, `${account.id}.json`);
    const { schedule, log, synced } = service(file);
    const meetingId = `app-${account.provider}-${Date.now()}`;
    const start = slot(6);
    const made = await schedule.create({
      meetingId,
      accountId: account.id,
      personEmail: NOOR,
      personName: 'Noor Haddad',
      start,
      minutes: 30,
      repeat: 'weekly',
      video: true,
      timeZone: 'Europe/Berlin',
    });
    expect(made.start).toBe(start);
    expect(made.end).toBe(start + 30 * 60_000);
    expect(made.joinUrl).toMatch(
      account.provider === 'google' ? /meet\.google\.com/ : /teams\.microsoft\.com/,
    );
    expect(synced).toEqual([account.id]);

    const stored = (await sb.admin.events()).events.find((e) => e.id === made.eventId);
    expect(stored?.summary).toBe('1:1 with Noor Haddad');
    expect(stored?.attendees?.map((a) => a.email)).toEqual(expect.arrayContaining([NOOR]));
    expect(stored?.extendedProperties?.private?.duetMeetingId).toBe(meetingId);
    expect(stored?.recurrence?.[0]).toMatch(/^RRULE:FREQ=WEEKLY;BYDAY=/);
    const link = /duet:\/\/meeting\/\S+/.exec(stored?.description ?? '')?.[0] ?? '';
    expect(parseDeepLink(link)).toEqual({ kind: 'meeting', meetingId });

    const ref = { meetingId, accountId: account.id, calendarId: made.calendarId, eventId: made.eventId };
    await schedule.reschedule({
      ...ref,
      originalStart: start + 7 * DAY,
      start: start + 8 * DAY,
      minutes: 60,
      timeZone: 'UTC',
    });
    await schedule.changeRepeat({ ...ref, repeat: 'biweekly' });
    await schedule.cancel({ ...ref, originalStart: start + 14 * DAY });
    await schedule.reschedule({
      ...ref,
      start: start + DAY,
      minutes: 30,
      repeat: 'biweekly',
      timeZone: 'Europe/Berlin',
    });
    await schedule.cancel(ref);

    // A seed event (no tag): refused, nothing written, and the refusal is in the log.
    const seed = (await sb.admin.events()).events.find((e) => e.summary === 'Maya / Sam');
    await expect(
      schedule.cancel({
        meetingId,
        accountId: account.id,
        calendarId: made.calendarId,
        eventId: seed?.id as string,
      }),
    ).rejects.toBeInstanceOf(NotAppManagedError);
    await expect(schedule.changeRepeat({ ...ref, accountId: 'nobody', repeat: 'weekly' })).rejects.toThrow(
      'That calendar account is not connected.',
    );

    const entries = log.list();
    expect(entries.map((e) => [e.action, e.ok])).toEqual([
      ['cancel', false],
      ['cancel', true],
      ['reschedule', true],
      ['cancel-occurrence', true],
      ['change-repeat', true],
      ['reschedule-occurrence', true],
      ['create', true],
    ]);
    expect(entries[0]?.error).toMatch(/not created by Duet/);
    expect(entries.at(-1)).toMatchObject({
      title: '1:1 with Noor Haddad',
      eventId: made.eventId,
      accountEmail: MAYA,
    });
    expect(entries.at(-1)?.detail).toMatch(
      /^Weekly from .*, 30 min, with noor\.haddad@acme\.test, (Google Meet|Microsoft Teams)$/,
    );
    expect(synced).toHaveLength(6);

    // Persisted: a new process reading the same store sees the same log.
    expect(createActivityLog(jsonFileStore(file)).list()).toEqual(entries);
  });
});

describe.each(ACCOUNTS)('a busy or failing calendar ($provider)', (account) => {
  // The sandbox's fault paths: every write goes under these.
  const writes = account.provider === 'google' ? '/calendar/v3/calendars/' : '/v1.0/me/';
  const request = (meetingId: string, days: number) => ({
    meetingId,
    accountId: account.id,
    personEmail: NOOR,
    personName: 'Noor Haddad',
    start: slot(days),
    minutes: 30,
    repeat: 'none' as const,
    video: false,
    timeZone: 'UTC',
  });

  it('waits out a 429, retries a move through 503s, and never repeats a create that failed with a 5xx', async () => {
    const waits: number[] = [];
    const { schedule, log } = service(join(dir, `faults-${account.id}.json`), waits);
    const run = `${account.provider}-${Date.now()}`;

    await sb.admin.fault({ kind: 'rateLimit', path: writes, method: 'POST', retryAfter: 2, count: 1 });
    const made = await schedule.create(request(`app-429-${run}`, 9));
    expect(waits).toEqual([2000]);
    expect((await sb.admin.events()).events.filter((e) => e.extendedProperties?.private?.duetMeetingId === `app-429-${run}`)).toHaveLength(1);

    waits.length = 0;
    await sb.admin.fault({ kind: 'serverError', path: writes, method: 'POST', status: 503, count: 1 });
    await expect(schedule.create(request(`app-503-${run}`, 10))).rejects.toThrow(
      'The calendar service had a problem (503). Check your calendar before trying again: the change may or may not have been made.',
    );
    expect(waits).toEqual([]); // not sent again behind the user's back

    const ref = { meetingId: `app-429-${run}`, accountId: account.id, calendarId: made.calendarId, eventId: made.eventId };
    await sb.admin.fault({ kind: 'serverError', path: writes, method: 'PATCH', status: 503, count: 2 });
    await schedule.reschedule({ ...ref, start: slot(11), minutes: 30, timeZone: 'UTC' });
    expect(waits).toHaveLength(2);
    const moved = (await sb.admin.events()).events.find((e) => e.id === made.eventId);
    expect(Date.parse(moved?.start?.dateTime ?? '')).toBe(slot(11));

    // Told when to come back rather than kept waiting two minutes.
    waits.length = 0;
    await sb.admin.fault({ kind: 'rateLimit', path: writes, method: 'PATCH', retryAfter: 120, count: 1 });
    await expect(schedule.reschedule({ ...ref, start: slot(12), minutes: 30, timeZone: 'UTC' })).rejects.toThrow(
      'The calendar is limiting requests right now; try again in 2 minutes. Nothing was changed.',
    );
    expect(waits).toEqual([]);
    await sb.admin.clearFaults();
    expect(log.list().map((e) => [e.action, e.ok])).toEqual([
      ['reschedule', false],
      ['reschedule', true],
      ['create', false],
      ['create', true],
    ]);
  });
});

describe('activity log', () => {
  it('keeps the newest entries only, and reads a damaged store as empty', () => {
    const file = join(dir, 'cap.json');
    const store = jsonFileStore(file);
    let t = 0;
    const log = createActivityLog(store, () => ++t, 50);
    const entry = {
      action: 'create' as const,
      ok: true,
      accountId: 'a',
      provider: 'google' as const,
      accountEmail: MAYA,
      meetingId: 'm',
      eventId: 'e',
      title: 't',
      detail: 'd',
      error: '',
    };
    for (let i = 0; i < 55; i++) log.record({ ...entry, eventId: `e${i}` });
    const list = log.list();
    expect(list).toHaveLength(50);
    expect(list[0]?.eventId).toBe('e54');
    expect(list.at(-1)?.eventId).toBe('e5');
    store.set('calendarActivity', [{ hostile: true }, 'x', { ...entry, id: 'ok', at: 5 }]);
    expect(log.list().map((e) => e.id)).toEqual(['ok']);
    store.set('calendarActivity', { not: 'a list' });
    expect(log.list()).toEqual([]);
  });
});

describe('schedule preferences', () => {
  it('offers 30 and 60 minutes until changed, keeps a change sorted, and ignores a damaged value', () => {
    const store = jsonFileStore(join(dir, 'prefs.json'));
    const prefs = createSchedulePreferences(store);
    expect(prefs.get()).toEqual({ lengths: [30, 60] });
    const seen: number[][] = [];
    prefs.onChange((p) => seen.push(p.lengths));
    expect(prefs.set({ lengths: [50, 25] })).toEqual({ lengths: [25, 50] });
    expect(createSchedulePreferences(jsonFileStore(join(dir, 'prefs.json'))).get()).toEqual({
      lengths: [25, 50],
    });
    expect(seen).toEqual([[25, 50]]);
    expect(() => prefs.set({ lengths: [30, 30] })).toThrow(/each length once/);
    expect(() => prefs.set({ lengths: [3] })).toThrow(/at least 5 minutes/);
    expect(prefs.get()).toEqual({ lengths: [25, 50] });
    store.set('schedulePreferences', { lengths: ['a lot'] });
    expect(prefs.get()).toEqual({ lengths: [30, 60] });
  });
});
