// @vitest-environment happy-dom
// The renderer's half of "Add the Duet link to 1:1 events I organize" (docs/architecture.md §6,
// "Links on imported events"): which events it proposes and the Settings panel (off by default,
// progress, failures named, Retry). The runner: imported-links-runner.test.ts.
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { CalendarLink, MeetingDoc } from '../../../src-shared/meeting/model';
import { importedLinkCandidates } from '../../../src-renderer/src/features/imported-links/candidates';
import { ImportedLinksPanel } from '../../../src-renderer/src/features/settings/ImportedLinksPanel';
import { renderWithServices } from './support/render-app';
import { createTestBridge } from './support/test-bridge';

const ME = 'me@acme.test';
const ADA = 'ada@acme.test';
const NOW = Date.UTC(2030, 0, 10, 12);
const H = 3_600_000;

function meeting(id: string, start: number, link: Partial<CalendarLink> = {}, over: Partial<MeetingDoc> = {}): MeetingDoc {
  return {
    id,
    seriesId: '',
    title: 'Ada / Me',
    start,
    end: start + H / 2,
    participants: [ADA, ME],
    owner: ME,
    source: 'calendar',
    calendarLink: {
      provider: 'google',
      accountId: 'acct',
      calendarId: ME,
      eventId: `evt-${id}`,
      iCalUID: `${id}@x`,
      recurringEventId: '',
      originalStart: 0,
      instanceStart: 0,
      etag: '"1"',
      managedByApp: false,
      ...link,
    },
    linkState: 'linked',
    state: 'scheduled',
    roomId: '',
    createdAt: 0,
    updatedAt: 0,
    ...over,
  };
}

const self = new Map([['acct', ME]]);

describe('importedLinkCandidates', () => {
  it('proposes each organized, linked, imported 1:1 once: a series by its master, naming its next meeting', () => {
    const series = { recurringEventId: 'master', eventId: 'master' };
    const items = importedLinkCandidates(
      [
        meeting('past', NOW - 7 * 24 * H, series),
        meeting('next', NOW + 24 * H, series),
        meeting('later', NOW + 8 * 24 * H, series),
        meeting('one', NOW + 2 * H),
      ],
      self,
      NOW,
    );
    expect(items).toEqual([
      { accountId: 'acct', calendarId: ME, eventId: 'evt-one', meetingId: 'one' },
      { accountId: 'acct', calendarId: ME, eventId: 'master', meetingId: 'next' },
    ]);
  });

  it('leaves out what is not the user’s to tag, or is tagged already', () => {
    const out = importedLinkCandidates(
      [
        meeting('theirs', NOW, {}, { owner: ADA }),
        meeting('app', NOW, {}, { source: 'app' }),
        meeting('unlinked', NOW, {}, { linkState: 'unlinked' }),
        meeting('cancelled', NOW, {}, { state: 'cancelled' }),
        meeting('duet', NOW, { managedByApp: true }),
        meeting('other-account', NOW, { accountId: 'elsewhere' }),
        meeting('sandbox', NOW, { provider: 'sandbox' }),
        // One meeting of this series reads the tag (its master has it): the series is done.
        meeting('s1', NOW, { recurringEventId: 'm2', managedByApp: true }),
        meeting('s2', NOW + 7 * 24 * H, { recurringEventId: 'm2', eventId: 'm2_exception' }),
      ],
      self,
      NOW,
    );
    expect(out).toEqual([]);
  });
});

describe('the Settings panel', () => {
  afterEach(() => cleanup());

  it('is off by default, says what it writes, and turns on and off through main', async () => {
    const set: boolean[] = [];
    const bridge = createTestBridge({
      importedLinks: {
        setEnabled: ({ enabled }) => {
          set.push(enabled);
          return { enabled, running: null, done: 0, total: 0, failed: [] };
        },
      },
    });
    const r = await renderWithServices(<ImportedLinksPanel />, bridge);
    const box = await screen.findByRole('checkbox', { name: 'Add the Duet link to 1:1 events I organize' });
    await waitFor(() => expect((box as HTMLInputElement).disabled).toBe(false));
    expect((box as HTMLInputElement).checked).toBe(false);
    expect(box.getAttribute('aria-describedby')).toBeTruthy();
    expect(document.getElementById(box.getAttribute('aria-describedby')!)?.textContent).toMatch(
      /writes to those events.*Turning this off removes/s,
    );
    fireEvent.click(box);
    await waitFor(() => expect((box as HTMLInputElement).checked).toBe(true));
    fireEvent.click(box);
    await waitFor(() => expect(set).toEqual([true, false]));
    await r.db.close();
  });

  it('shows the removal’s progress, names the events left, and retries', async () => {
    let retried = 0;
    const bridge = createTestBridge({
      importedLinks: {
        retry: () => {
          retried += 1;
          return { enabled: false, running: 'removing', done: 0, total: 1, failed: [] };
        },
      },
    });
    const r = await renderWithServices(<ImportedLinksPanel />, bridge);
    await screen.findByRole('checkbox', { name: 'Add the Duet link to 1:1 events I organize' });
    act(() => bridge.emit('importedLinks.state', { enabled: false, running: 'removing', done: 3, total: 5, failed: [] }));
    expect(screen.getByRole('status').textContent).toMatch(/Removing the Duet link: 3 of 5 events/);
    act(() =>
      bridge.emit('importedLinks.state', {
        enabled: false,
        running: null,
        done: 5,
        total: 5,
        failed: [{ accountId: 'acct', eventId: 'e1', title: 'Maya / Sam', error: 'Backend Error' }],
      }),
    );
    expect(screen.getByRole('alert').textContent).toMatch(/Maya \/ Sam: Backend Error/);
    fireEvent.click(screen.getByRole('button', { name: 'Retry removing' }));
    await waitFor(() => expect(retried).toBe(1));
    await r.db.close();
  });
});
