// @vitest-environment happy-dom
// Scheduling a 1:1 as a user does it: from a person's page (Team → the person), the form's
// labelled controls, the meeting in RxDB, the bridge call main receives, the meeting kept in Duet
// when no calendar is connected and put on one later, and Settings → Activity.
import { cleanup, configure, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { AccountInfo } from '../../../src-shared/bridge/contract';
import type { DuetDatabase } from '../../../src-renderer/src/db/database';
import { LOCAL_SELF } from '../../../src-renderer/src/features/schedule/schedule-meeting';
import { ScheduleButton } from '../../../src-renderer/src/features/schedule/ScheduleButton';
import { ActivityPanel } from '../../../src-renderer/src/features/settings/ActivityPanel';
import { SchedulingPanel } from '../../../src-renderer/src/features/settings/SchedulingPanel';
import { TeamSection } from '../../../src-renderer/src/features/team/TeamSection';
import { useToasts } from '../../../src-renderer/src/state/toasts';
import { Toasts } from '../../../src-renderer/src/ui/Toasts';
import { renderWithServices } from './support/render-app';
import { createTestBridge } from './support/test-bridge';

const MAYA = 'maya.chen@acme.test';
const NOOR = 'noor.haddad@acme.test';
const account: AccountInfo = {
  id: 'acc-maya',
  provider: 'microsoft',
  sandbox: true,
  email: MAYA,
  name: 'Maya Chen',
  status: 'connected',
  lastSyncAt: 0,
  lastError: '',
  progress: null,
  push: true,
  pollMinutes: 5,
};

// RxDB, the bridge and React settle in a few ms alone, but far slower on a machine shared with other
// suites: wait up to 5 s for what is expected rather than the default second.
configure({ asyncUtilTimeout: 5000 });

/** The bridge calls that write to a calendar (reads of the log and preferences are not). */
const WRITES = new Set(['create', 'reschedule', 'changeRepeat', 'cancel']);

let db: DuetDatabase | undefined;
beforeEach(() => useToasts.setState({ toasts: [] }));
afterEach(async () => {
  cleanup();
  window.location.hash = '';
  await db?.close();
});

async function openNoorsPage(
  accounts: AccountInfo[],
  overrides: Parameters<typeof createTestBridge>[0] = {},
) {
  const bridge = createTestBridge(overrides);
  bridge.state.accounts = accounts;
  const r = await renderWithServices(
    <>
      <TeamSection />
      <Toasts />
    </>,
    bridge,
  );
  db = r.db;
  const now = Date.now();
  await r.db.people.insert({
    id: 'p-noor',
    name: 'Noor Haddad',
    email: NOOR,
    aliases: [],
    managerEmail: MAYA,
    startDate: '2026-11-23',
    directReport: true,
    createdAt: now,
    updatedAt: now,
  });
  // From Team: the name is the way to the person's page.
  const link = await screen.findByRole('link', { name: 'Noor Haddad' });
  expect(link.getAttribute('href')).toBe('#/team/p-noor');
  window.location.hash = '#/team/p-noor';
  window.dispatchEvent(new HashChangeEvent('hashchange'));
  await screen.findByRole('heading', { level: 1, name: 'Noor Haddad' });
  return r;
}

const nextWeek = () => {
  const d = new Date(Date.now() + 7 * 86_400_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return { date: `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`, at: d };
};

function fill(dialog: HTMLElement, values: Record<string, string>) {
  for (const [label, value] of Object.entries(values))
    fireEvent.change(within(dialog).getByLabelText(label), { target: { value } });
}

it('schedules a weekly 1:1 with a Teams link from the person page: the meeting, then main’s call', async () => {
  const { db, bridge } = await openNoorsPage([account]);
  fireEvent.click(screen.getByRole('button', { name: 'Schedule 1:1' }));
  const dialog = await screen.findByRole('dialog', { name: 'Schedule a 1:1 with Noor Haddad' });
  // Every control is reachable by its name.
  for (const label of ['Date', 'Time', 'Length', 'Repeat', 'Calendar', 'Add a Microsoft Teams link'])
    expect(within(dialog).getByLabelText(label)).toBeTruthy();
  const { date, at } = nextWeek();
  fill(dialog, { Date: date, Time: '09:30', Length: '60', Repeat: 'weekly' });
  expect((within(dialog).getByLabelText('Add a Microsoft Teams link') as HTMLInputElement).checked).toBe(
    true,
  );
  fireEvent.click(within(dialog).getByRole('button', { name: 'Schedule' }));

  await waitFor(() =>
    expect(bridge.calls.some((c) => c.ns === 'schedule' && c.method === 'create')).toBe(true),
  );
  const meetings = (await db.meetings.find().exec()).map((m) => m.toJSON());
  expect(meetings).toHaveLength(1);
  const meeting = meetings[0]!;
  const start = new Date(at.getFullYear(), at.getMonth(), at.getDate(), 9, 30).getTime();
  expect(meeting).toMatchObject({
    title: '1:1 with Noor Haddad',
    participants: [MAYA, NOOR],
    owner: MAYA,
    source: 'app',
    linkState: 'unlinked',
    state: 'scheduled',
    start,
    end: start + 60 * 60_000,
  });
  const call = bridge.calls.find((c) => c.method === 'create');
  expect(call?.input).toMatchObject({
    meetingId: meeting.id,
    accountId: account.id,
    personEmail: NOOR,
    personName: 'Noor Haddad',
    start,
    minutes: 60,
    repeat: 'weekly',
    video: true,
  });
  expect(await screen.findByText(/Scheduled 1:1 with Noor Haddad, weekly, on your calendar/)).toBeTruthy();
  // On the page, and not offered for the calendar again (main logged the create).
  const row = await screen.findByTestId('person-meeting');
  expect(within(row).getByRole('link', { name: '1:1 with Noor Haddad' })).toBeTruthy();
  expect(within(row).queryByRole('button', { name: /Put .* on the calendar/ })).toBeNull();
});

it('refuses a time in the past and a length out of range, next to the fields, and saves nothing', async () => {
  const { db, bridge } = await openNoorsPage([account]);
  fireEvent.click(screen.getByRole('button', { name: 'Schedule 1:1' }));
  const dialog = await screen.findByRole('dialog');
  fill(dialog, { Date: '2020-01-06', Length: 'other' });
  fill(dialog, { 'Length in minutes': '3' });
  fireEvent.click(within(dialog).getByRole('button', { name: 'Schedule' }));
  expect(await within(dialog).findByText('Choose a time that is still to come.')).toBeTruthy();
  expect(
    within(dialog).getByText('A meeting is between 5 minutes and 8 hours, in whole minutes.'),
  ).toBeTruthy();
  expect(within(dialog).getByLabelText('Date').getAttribute('aria-invalid')).toBe('true');
  fill(dialog, { Date: '2031-02-31' });
  fireEvent.click(within(dialog).getByRole('button', { name: 'Schedule' }));
  expect(await within(dialog).findByText('Enter a date and a time that exist.')).toBeTruthy();
  expect(await db.meetings.count().exec()).toBe(0);
  expect(bridge.calls.filter((c) => c.ns === 'schedule' && WRITES.has(c.method))).toEqual([]);
});

it('without a calendar keeps the meeting in Duet, and puts it on a calendar once one is connected', async () => {
  const { db, bridge } = await openNoorsPage([]);
  fireEvent.click(screen.getByRole('button', { name: 'Schedule 1:1' }));
  const dialog = await screen.findByRole('dialog');
  expect((within(dialog).getByLabelText('Calendar') as HTMLSelectElement).value).toBe('');
  expect((within(dialog).getByLabelText('Add a Microsoft Teams link') as HTMLInputElement).disabled).toBe(
    true,
  );
  fill(dialog, { Date: nextWeek().date, Repeat: 'biweekly' });
  fireEvent.click(within(dialog).getByRole('button', { name: 'Schedule' }));
  expect(await screen.findByText(/in Duet only/)).toBeTruthy();
  const [meeting] = (await db.meetings.find().exec()).map((m) => m.toJSON());
  expect(meeting?.participants).toEqual([NOOR, LOCAL_SELF].sort());
  const series = (await db.series.find().exec()).map((s) => s.toJSON());
  expect(series).toMatchObject([{ cadence: 'biweekly', participants: [NOOR, LOCAL_SELF].sort() }]);
  expect(meeting?.seriesId).toBe(series[0]?.id);
  expect(bridge.calls.filter((c) => c.ns === 'schedule' && WRITES.has(c.method))).toEqual([]);
  expect(await screen.findByText('In Duet only')).toBeTruthy();

  // A calendar is connected: the meeting can go there now.
  bridge.state.accounts = [account];
  bridge.emit('accounts.changed', [account]);
  fireEvent.click(await screen.findByRole('button', { name: 'Put 1:1 with Noor Haddad on the calendar' }));
  const form = await screen.findByRole('form', { name: `Put 1:1 with Noor Haddad on ${MAYA}` });
  fireEvent.change(within(form).getByLabelText('Repeat'), { target: { value: 'biweekly' } });
  fireEvent.click(within(form).getByRole('button', { name: `Put on ${MAYA}` }));
  await waitFor(() => expect(bridge.calls.some((c) => c.method === 'create')).toBe(true));
  expect(bridge.calls.find((c) => c.method === 'create')?.input).toMatchObject({
    meetingId: meeting?.id,
    repeat: 'biweekly',
    minutes: 30,
    video: true,
  });
  const after = (await db.meetings.findOne(meeting!.id).exec())?.toJSON();
  expect(after?.participants).toEqual([MAYA, NOOR]);
  expect(after?.owner).toBe(MAYA);
  await waitFor(() => expect(screen.queryByRole('button', { name: /on the calendar/ })).toBeNull());
});

it('Settings → Activity lists every calendar write, and new ones as they happen', async () => {
  const bridge = createTestBridge();
  bridge.state.accounts = [account];
  const r = await renderWithServices(<ActivityPanel />, bridge);
  db = r.db;
  const panel = await screen.findByRole('region', { name: 'Activity' });
  expect(await within(panel).findByText('Duet has not changed any calendar yet.')).toBeTruthy();
  await bridge.api.schedule.create({
    meetingId: 'app-1',
    accountId: account.id,
    personEmail: NOOR,
    personName: 'Noor Haddad',
    start: Date.now() + 86_400_000,
    minutes: 30,
    repeat: 'weekly',
    video: true,
    timeZone: 'UTC',
  });
  const list = await within(panel).findByRole('list', { name: 'Calendar changes' });
  expect(within(list).getAllByRole('listitem')).toHaveLength(1);
  expect(list.textContent).toContain('Created “1:1 with Noor Haddad” on maya.chen@acme.test (Microsoft)');
});

it('moves and cancels a meeting Duet put on the calendar: this one, or the series, and changes its repeat', async () => {
  const { db, bridge } = await openNoorsPage([account], {
    schedule: {
      changeRepeat: () => {
        throw new Error('Event master-1 was not created by Duet; Duet does not change it.');
      },
    },
  });
  const start = Date.now() + 3 * 86_400_000;
  const now = Date.now();
  await db.series.insert({
    id: 'series-1',
    title: '1:1 with Noor Haddad',
    participants: [MAYA, NOOR],
    cadence: 'weekly',
    linkState: 'linked',
    archived: false,
    createdAt: now,
    updatedAt: now,
  });
  await db.meetings.insert({
    id: 'app-m1',
    seriesId: 'series-1',
    title: '1:1 with Noor Haddad',
    start,
    end: start + 30 * 60_000,
    participants: [MAYA, NOOR],
    owner: MAYA,
    source: 'app',
    calendarLink: {
      provider: 'microsoft',
      accountId: account.id,
      calendarId: 'cal-1',
      eventId: 'occ-1',
      iCalUID: 'uid-1',
      recurringEventId: 'master-1',
      originalStart: start,
      instanceStart: 0,
      etag: 'e1',
      managedByApp: true,
    },
    linkState: 'linked',
    state: 'scheduled',
    roomId: '',
    createdAt: now,
    updatedAt: now,
  });
  const when = new Date(start).toLocaleDateString(undefined, { day: 'numeric', month: 'short' });
  const ref = { meetingId: 'app-m1', accountId: account.id, calendarId: 'cal-1', eventId: 'master-1' };
  const last = () => bridge.calls.filter((c) => c.ns === 'schedule' && WRITES.has(c.method)).at(-1);

  fireEvent.click(await screen.findByRole('button', { name: `Cancel the meeting of ${when}` }));
  await waitFor(() =>
    expect(last()).toMatchObject({ method: 'cancel', input: { ...ref, originalStart: start } }),
  );

  fireEvent.click(screen.getByRole('button', { name: 'Cancel the series of 1:1 with Noor Haddad' }));
  await waitFor(() => expect(last()).toMatchObject({ method: 'cancel', input: ref }));
  expect((last()?.input as { originalStart?: number }).originalStart).toBeUndefined();

  fireEvent.change(screen.getByLabelText('Repeat'), { target: { value: 'monthly' } });
  fireEvent.click(screen.getByRole('button', { name: 'Change repeat' }));
  await waitFor(() =>
    expect(last()).toMatchObject({ method: 'changeRepeat', input: { ...ref, repeat: 'monthly' } }),
  );
  // Main's refusal is shown where the user acted.
  expect((await screen.findByRole('alert')).textContent).toContain('was not created by Duet');

  fireEvent.click(screen.getByRole('button', { name: `Move the meeting of ${when}` }));
  const form = await screen.findByRole('form', { name: `Move the meeting of ${when}` });
  fireEvent.change(within(form).getByLabelText('New time'), { target: { value: '16:15' } });
  fireEvent.click(within(form).getByRole('button', { name: 'Move this meeting' }));
  const moved = new Date(start);
  moved.setHours(16, 15, 0, 0);
  await waitFor(() =>
    expect(last()).toMatchObject({
      method: 'reschedule',
      input: { ...ref, originalStart: start, start: moved.getTime(), minutes: 30 },
    }),
  );

  // The whole series moves with its repeat, so the rule follows the new weekday.
  fireEvent.click(screen.getByRole('button', { name: `Move the meeting of ${when}` }));
  const again = await screen.findByRole('form', { name: `Move the meeting of ${when}` });
  fireEvent.click(within(again).getByRole('button', { name: 'Move the series' }));
  await waitFor(() =>
    expect(last()).toMatchObject({ method: 'reschedule', input: { ...ref, repeat: 'weekly' } }),
  );
  expect((last()?.input as { originalStart?: number }).originalStart).toBeUndefined();
});

it('offers moving and cancelling only for events Duet made: its tag, or its own log when the listing has no tag', async () => {
  const { db, bridge } = await openNoorsPage([account]);
  const start = Date.now() + 2 * 86_400_000;
  const now = Date.now();
  const meeting = (id: string, eventId: string) => ({
    id,
    seriesId: '',
    title: `1:1 ${id}`,
    start,
    end: start + 30 * 60_000,
    participants: [MAYA, NOOR],
    owner: MAYA,
    source: 'calendar' as const,
    calendarLink: {
      provider: 'microsoft' as const,
      accountId: account.id,
      calendarId: 'cal-1',
      eventId: `${eventId}-occ`,
      iCalUID: 'uid',
      recurringEventId: eventId,
      originalStart: start,
      instanceStart: 0,
      etag: 'e',
      // Graph's delta listing carries no extended properties: the tag is not seen.
      managedByApp: false,
    },
    linkState: 'linked' as const,
    state: 'scheduled' as const,
    roomId: '',
    createdAt: now,
    updatedAt: now,
  });
  await db.meetings.bulkInsert([meeting('ours', 'master-ours'), meeting('seed', 'master-seed')]);
  await screen.findByRole('link', { name: '1:1 seed' });
  expect(screen.queryAllByRole('button', { name: /^Cancel the meeting of/ })).toHaveLength(0);
  // Main logs that it created master-ours: that series, and only it, can now be changed from here.
  bridge.emit('schedule.activity', {
    id: 'a1',
    at: now,
    action: 'create',
    ok: true,
    accountId: account.id,
    provider: 'microsoft',
    accountEmail: MAYA,
    meetingId: 'ours',
    eventId: 'master-ours',
    title: '1:1 with Noor Haddad',
    detail: 'Weekly',
    error: '',
  });
  await waitFor(() =>
    expect(screen.queryAllByRole('button', { name: /^Cancel the meeting of/ })).toHaveLength(1),
  );
  const ours = screen.getByRole('link', { name: '1:1 ours' }).closest('li') as HTMLElement;
  expect(within(ours).getByRole('button', { name: /^Cancel the meeting of/ })).toBeTruthy();
});

it('Settings → Scheduling changes the lengths the form offers, and refuses nonsense next to the field', async () => {
  const r = await renderWithServices(
    <>
      <SchedulingPanel />
      <ScheduleButton people={[]} />
    </>,
  );
  db = r.db;
  const field = (await screen.findByLabelText('Meeting lengths (minutes)')) as HTMLInputElement;
  await waitFor(() => expect(field.value).toBe('30, 60'));
  fireEvent.change(field, { target: { value: '50, 25' } });
  fireEvent.click(screen.getByRole('button', { name: 'Save lengths' }));
  expect(await screen.findByRole('status')).toHaveProperty('textContent', 'Saved.');
  expect(r.bridge.state.schedulePreferences).toEqual({ lengths: [50, 25] });
  fireEvent.click(screen.getByRole('button', { name: 'Schedule 1:1' }));
  const length = within(await screen.findByRole('dialog')).getByLabelText('Length') as HTMLSelectElement;
  expect([...length.options].map((o) => o.textContent)).toEqual([
    '50 minutes',
    '25 minutes',
    'Other length…',
  ]);
  expect(length.value).toBe('50');

  fireEvent.change(field, { target: { value: '2' } });
  fireEvent.click(screen.getByRole('button', { name: 'Save lengths' }));
  expect(await screen.findByText(/at least 5 minutes/)).toBeTruthy();
  fireEvent.change(field, { target: { value: 'half an hour' } });
  fireEvent.click(screen.getByRole('button', { name: 'Save lengths' }));
  expect(await screen.findByText('Enter whole numbers of minutes, separated by commas.')).toBeTruthy();
  expect(r.bridge.state.schedulePreferences).toEqual({ lengths: [50, 25] });
});
