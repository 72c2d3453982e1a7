// @vitest-environment happy-dom
// The meeting page's calendar links and the private-notes window, over a real RxDB and the test
// bridge: a linked meeting's time is read-only with "Open in calendar" (the event's own page) and
// "Join" (its video link); the Private notes region offers its own window in the desktop app only,
// with the note on macOS capture tools; the window's page follows presenting mode.
import 'fake-indexeddb/auto';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { App, privateNotesWindowMeeting } from '../../../src-renderer/src/app/App';
import { bucketOf, chunkIdFor } from '../../../src-renderer/src/calendar/cache';
import type { DuetDatabase } from '../../../src-renderer/src/db/database';
import { privateNoteCodecs, readPrivateNote } from '../../../src-renderer/src/db/private-notes';
import { MeetingsSection } from '../../../src-renderer/src/features/meetings/MeetingsSection';
import { PrivateNotes } from '../../../src-renderer/src/features/meeting/PrivateNotes';
import { ServicesProvider } from '../../../src-renderer/src/app/services';
import { usePresenting } from '../../../src-renderer/src/state/presenting';
import { openMemoryDb, renderWithServices } from './support/render-app';
import { sampleCalendarEvent, sampleDocs } from './support/sample-docs';
import { createTestBridge, type TestBridge } from './support/test-bridge';

const ME = 'me@example.com';
const JOIN = 'https://meet.google.com/abc-defg-hij';
const PAGE = 'https://calendar.google.com/calendar/event?eid=ZXZ0MQ';
let db: DuetDatabase | undefined;
let n = 0;

beforeEach(() => usePresenting.setState({ presenting: false }));
afterEach(async () => {
  cleanup();
  await db?.close();
  db = undefined;
  window.location.hash = '';
});

const identity = () => ({
  email: ME,
  idToken: 'token',
  expiresAt: Date.now() + 3_600_000,
  issuer: 'https://issuer.test',
  accountId: ME,
});

function bridgeFor(mode: 'web' | 'desktop', opened: string[] = []): TestBridge {
  return createTestBridge({
    app: {
      info: () => ({ name: 'Duet', version: '1', mode, platform: 'darwin' }),
      openPrivateNotes: ({ meetingId }) => (opened.push(meetingId), { opened: mode === 'desktop' }),
    },
    accounts: { identity },
    sync: { serverInfo: () => ({ url: '', embedded: true, state: 'stopped' as const }) },
  });
}

/** A calendar meeting whose cached event carries `event` fields; or an app meeting (no link). */
async function openMeeting(bridge: TestBridge, event: Record<string, string> | null) {
  const id = `m-links-${Date.now()}-${n++}`;
  db = await openMemoryDb();
  const link = { ...sampleDocs.meetings.calendarLink!, accountId: 'acct-1', eventId: `evt-${id}` };
  if (event) {
    await db.meetings.insert({ ...sampleDocs.meetings, id, calendarLink: link });
    await db.calendarEvents.insert({
      ...sampleDocs.calendarEvents,
      id: chunkIdFor(link.accountId, bucketOf(link.calendarId!, link.eventId)),
      eventsJson: JSON.stringify([{ ...sampleCalendarEvent, id: link.eventId, ...event }]),
    });
  } else {
    const { calendarLink: _drop, ...rest } = sampleDocs.meetings;
    await db.meetings.insert({ ...rest, id, source: 'app', linkState: 'unlinked' } as typeof sampleDocs.meetings);
  }
  window.location.hash = `#/meetings/${id}`;
  await renderWithServices(<MeetingsSection />, bridge, db);
  await screen.findByRole('heading', { level: 1, name: sampleDocs.meetings.title });
  return id;
}

describe('a linked meeting’s calendar links', () => {
  it('shows the time read-only with "Open in calendar" and a "Join" button', async () => {
    await openMeeting(bridgeFor('web'), { joinUrl: JOIN, webLink: PAGE });
    const open = await screen.findByRole('link', { name: 'Open in calendar' });
    expect(open.getAttribute('href')).toBe(PAGE);
    expect(open.getAttribute('rel')).toContain('noopener');
    const join = screen.getByRole('button', { name: 'Join' });
    expect(join.getAttribute('href')).toBe(JOIN);
    // Nothing in the time line can be edited here.
    const when = open.closest('p')!;
    expect(within(when).queryAllByRole('textbox')).toHaveLength(0);
    expect(when.querySelectorAll('input, select')).toHaveLength(0);
  });

  it('offers neither for a link that is not http(s), nor for a meeting made in the app', async () => {
    await openMeeting(bridgeFor('web'), { joinUrl: 'javascript:alert(1)', webLink: 'javascript:alert(2)' });
    await screen.findByRole('region', { name: 'Agenda' });
    expect(screen.queryByRole('link', { name: 'Open in calendar' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Join' })).toBeNull();
    cleanup();
    await db?.close();
    await openMeeting(bridgeFor('web'), null);
    await screen.findByRole('region', { name: 'Agenda' });
    expect(screen.queryByRole('link', { name: 'Open in calendar' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Join' })).toBeNull();
  });
});

describe('private notes in their own window', () => {
  it('web mode: no button to open a window', async () => {
    await openMeeting(bridgeFor('web'), null);
    const region = await screen.findByRole('complementary', { name: 'Private notes' });
    await within(region).findByRole('textbox', { name: 'Private notes text' });
    await new Promise((r) => setTimeout(r, 30)); // app.info has answered
    expect(within(region).queryByRole('button', { name: 'Open in own window' })).toBeNull();
  });

  it('desktop: the button asks main for the window, and the region says presenting mode is the one to trust', async () => {
    const opened: string[] = [];
    const id = await openMeeting(bridgeFor('desktop', opened), null);
    const region = await screen.findByRole('complementary', { name: 'Private notes' });
    fireEvent.click(await within(region).findByRole('button', { name: 'Open in own window' }));
    await waitFor(() => expect(opened).toEqual([id]));
    expect(region.textContent).toMatch(/macOS/);
    expect(region.textContent).toMatch(/Presenting mode/);
  });

  it('the window’s page: the note, saved encrypted; gone from the DOM while presenting', async () => {
    const bridge = bridgeFor('desktop');
    const id = `m-window-${Date.now()}`;
    db = await openMemoryDb();
    await db.meetings.insert({ ...sampleDocs.meetings, id });
    window.location.hash = `#/private-notes/${id}`;
    render(<App services={{ bridge: bridge.api, db }} />);
    expect(await screen.findByRole('heading', { level: 1, name: sampleDocs.meetings.title })).toBeTruthy();
    expect(screen.queryByRole('navigation', { name: 'Sections' })).toBeNull();
    const box = await screen.findByRole('textbox', { name: 'Private notes text' });
    expect(screen.queryByRole('button', { name: 'Open in own window' })).toBeNull();
    fireEvent.change(box, { target: { value: 'canary-window-5' } });
    const codecs = await privateNoteCodecs(bridge.api);
    await waitFor(async () => expect(await readPrivateNote(db!.privateNotes, id, ME, { codecs })).toBe('canary-window-5'));
    act(() => bridge.emit('app.presenting', { on: true }));
    await waitFor(() => expect(screen.queryByRole('textbox', { name: 'Private notes text' })).toBeNull());
    expect(screen.getByRole('status').textContent).toContain('Presenting');
    expect(document.body.innerHTML).not.toContain('canary-window-5');
  });

  it('a window not being typed in follows the note the other window saved', async () => {
    const bridge = bridgeFor('desktop');
    const id = `m-follow-${Date.now()}`;
    db = await openMemoryDb();
    await db.meetings.insert({ ...sampleDocs.meetings, id });
    const { container: one } = render(
      <ServicesProvider services={{ bridge: bridge.api, db }}>
        <PrivateNotes meetingId={id} owner={ME} />
      </ServicesProvider>,
    );
    const { container: two } = render(
      <ServicesProvider services={{ bridge: bridge.api, db }}>
        <PrivateNotes meetingId={id} owner={ME} inOwnWindow />
      </ServicesProvider>,
    );
    const boxOne = await within(one).findByRole('textbox', { name: 'Private notes text' });
    const boxTwo = (await within(two).findByRole('textbox', { name: 'Private notes text' })) as HTMLTextAreaElement;
    boxOne.focus();
    fireEvent.change(boxOne, { target: { value: 'typed in the main window' } });
    await waitFor(() => expect(boxTwo.value).toBe('typed in the main window'));
  });

  it('only a well-formed meeting id makes a window a private-notes window', () => {
    expect(privateNotesWindowMeeting('#/private-notes/m-1')).toBe('m-1');
    for (const bad of ['#/private-notes/', '#/private-notes/a/b', '#/private-notes/%E0%A4%A', '#/private-notes/..%2Fx', '#/meetings/m-1']) {
      expect(privateNotesWindowMeeting(bad)).toBeNull();
    }
  });
});
