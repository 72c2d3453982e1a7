// @vitest-environment happy-dom
// Team suggestions, the import summary and "Why isn't my 1:1 showing?" over the real 1:1 engine:
// the verdicts come from `scan`, the fixes write to RxDB, and detection runs again at once.
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { DuetDatabase } from '../../../src-renderer/src/db/database';
import { DiagnosticsPage } from '../../../src-renderer/src/features/imports/DiagnosticsPage';
import { SettingsSection } from '../../../src-renderer/src/features/settings/SettingsSection';
import { loadPreferences } from '../../../src-renderer/src/features/settings/preferences-repo';
import { addPerson } from '../../../src-renderer/src/features/team/team-repo';
import { TeamSection } from '../../../src-renderer/src/features/team/TeamSection';
import { useToasts } from '../../../src-renderer/src/state/toasts';
import { Toasts } from '../../../src-renderer/src/ui/Toasts';
import { fixtureCalendar, fixtureDirectory, mayaAccount, SELF } from './support/calendar-fixtures';
import { createEngineIngest } from './support/engine-ingest';
import { openMemoryDb, renderWithServices } from './support/render-app';
import { createTestBridge } from './support/test-bridge';

let db: DuetDatabase | undefined;
beforeEach(() => {
  useToasts.setState({ toasts: [] });
  window.location.hash = '';
});
afterEach(async () => {
  cleanup();
  await db?.close();
  db = undefined;
});

function bridgeWithDirectory() {
  const bridge = createTestBridge({
    calendar: { directory: ({ accountId }) => (accountId === 'acc-maya' ? fixtureDirectory : []) },
  });
  bridge.state.accounts = [mayaAccount];
  return bridge;
}

async function setup(ui: React.ReactNode, seedPeople: [string, string][] = []) {
  db = await openMemoryDb();
  for (const [name, email] of seedPeople)
    await addPerson(db.people, { name, email, aliases: '', directReport: true });
  const ingest = createEngineIngest(db, fixtureCalendar(), { self: SELF, now: new Date().toISOString() });
  await renderWithServices(
    <>
      {ui}
      <Toasts />
    </>,
    bridgeWithDirectory(),
    db,
    ingest,
  );
  return { db, ingest };
}

const suggestionNames = () =>
  within(screen.getByTestId('team-suggestions'))
    .getAllByTestId('suggestion')
    .map(
      (li) =>
        within(li).getByRole('button').getAttribute('aria-label') ??
        within(li).getByRole('button').textContent,
    );

it('suggests directory reports first, then the manager, then calendar counterparts; one click adds a person', async () => {
  const { db, ingest } = await setup(<TeamSection />);
  await waitFor(() =>
    expect(suggestionNames()).toEqual([
      'Add Sam Rivera',
      'Add Lee Park',
      'Add Dana Whitfield',
      'Add Jonas Weber',
    ]),
  );
  // lee@acme-labs.test is probably Lee Park: not offered as a person of its own.
  expect(screen.queryByText('lee@acme-labs.test')).toBeNull();

  fireEvent.click(screen.getByRole('button', { name: 'Add Sam Rivera' }));
  await waitFor(() => expect(suggestionNames()).not.toContain('Add Sam Rivera'));
  const sam = (await db.people.findOne({ selector: { email: 'sam.rivera@acme.test' } }).exec())!;
  expect(sam.toJSON()).toMatchObject({ name: 'Sam Rivera', directReport: true, startDate: '2024-03-01' });
  expect(ingest.redetects).toBe(1);
  // Sam's 1:1 is a 1:1 now.
  expect((await ingest.diagnostics()).find((d) => d.event.id === 'sam-1')?.oneOnOne).toBe(true);
  expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Suggested for your team' }));
});

it('Add all adds everyone at once, then offers the alias, and one Undo takes them all back', async () => {
  const { db, ingest } = await setup(<TeamSection />);
  fireEvent.click(await screen.findByRole('button', { name: 'Add all' }));
  const alias = await screen.findByRole('button', { name: 'Add lee@acme-labs.test as an alias of Lee Park' });
  expect(await db.people.count().exec()).toBe(4);
  const dana = (await db.people.findOne({ selector: { email: 'dana.whitfield@acme.test' } }).exec())!;
  expect(dana.directReport).toBe(false);
  expect(ingest.redetects).toBe(1);

  // The panel's buttons stay disabled while "Add all" is still finishing (its toast, the
  // re-detection): a click on a disabled button is ignored, as for a user.
  await waitFor(() => expect((alias as HTMLButtonElement).disabled).toBe(false));
  fireEvent.click(alias);
  await waitFor(async () =>
    expect((await db.people.findOne({ selector: { email: 'lee.park@acme.test' } }).exec())?.aliases).toEqual([
      'lee@acme-labs.test',
    ]),
  );
  await waitFor(() => expect(screen.queryByTestId('team-suggestions')).toBeNull());
  expect((await ingest.diagnostics()).find((d) => d.event.id === 'lee-alias')?.oneOnOne).toBe(true);

  const added = screen.getAllByTestId('toast').find((t) => t.textContent?.includes('Added 4 people'))!;
  fireEvent.click(within(added).getByRole('button', { name: 'Undo' }));
  await waitFor(async () => expect(await db.people.count().exec()).toBe(0));
});

it('explains every skipped event in words and fixes it in one click', async () => {
  const { db, ingest } = await setup(<DiagnosticsPage />, [
    ['Lee Park', 'lee.park@acme.test'],
    ['Jonas Weber', 'jonas.weber@acme.test'],
    ['Sam Rivera', 'sam.rivera@acme.test'],
  ]);
  expect(document.activeElement).toBe(
    screen.getByRole('heading', { level: 1, name: 'Why isn’t my 1:1 showing?' }),
  );
  const item = async (title: string) => screen.findByRole('listitem', { name: title });

  const declined = await item('Maya / Jonas – quarterly goals');
  expect(
    within(declined).getByText('Jonas Weber declined it, so it will not take place as a 1:1.'),
  ).toBeTruthy();
  expect(within(declined).queryAllByRole('button')).toEqual([]);

  const lee = await item('1:1 Maya <> Lee');
  expect(within(lee).getByText('lee@acme-labs.test is not on your team, under this address.')).toBeTruthy();
  fireEvent.click(
    within(lee).getByRole('button', { name: 'Add lee@acme-labs.test as an alias of Lee Park' }),
  );
  await waitFor(() => expect(screen.queryByRole('listitem', { name: '1:1 Maya <> Lee' })).toBeNull());
  expect(ingest.redetects).toBe(1);

  const coffee = await item('Coffee with Sam');
  expect(within(coffee).getByText(/Its title has none of your keywords \(“\/”, “<>”/)).toBeTruthy();
  fireEvent.click(
    within(coffee).getByRole('button', { name: 'Take any two-person event with someone on my team' }),
  );
  await waitFor(() => expect(screen.queryByRole('listitem', { name: 'Coffee with Sam' })).toBeNull());
  expect((await loadPreferences(db.preferences)).matchMode).toBe('two-person');

  const long = await item('Maya / Sam planning');
  expect(within(long).getByText('It lasts 180 minutes; Duet takes 1:1s of 10 to 120 minutes.')).toBeTruthy();
  fireEvent.click(within(long).getByRole('button', { name: 'Allow 1:1s of 10 to 180 minutes' }));
  await waitFor(() => expect(screen.queryByRole('listitem', { name: 'Maya / Sam planning' })).toBeNull());

  // Team meetings are listed too, apart, with their reason and no fix.
  const team = screen.getByRole('listitem', { name: 'Platform team weekly' });
  expect(within(team).getByText(/It has 3 people; a 1:1 has exactly two/)).toBeTruthy();
  expect(within(team).queryAllByRole('button')).toEqual([]);
});

it('offers a keyword from the title, and Undo puts the keywords back', async () => {
  const { db } = await setup(<DiagnosticsPage />, [['Sam Rivera', 'sam.rivera@acme.test']]);
  const coffee = await screen.findByRole('listitem', { name: 'Coffee with Sam' });
  const before = (await loadPreferences(db.preferences)).keywords;
  fireEvent.click(within(coffee).getByRole('button', { name: 'Add “coffee with sam” as a keyword' }));
  await waitFor(() => expect(screen.queryByRole('listitem', { name: 'Coffee with Sam' })).toBeNull());
  expect((await loadPreferences(db.preferences)).keywords).toEqual([...before, 'coffee with sam']);
  fireEvent.click(within(screen.getByTestId('toast')).getByRole('button', { name: 'Undo' }));
  await screen.findByRole('listitem', { name: 'Coffee with Sam' });
  expect((await loadPreferences(db.preferences)).keywords).toEqual(before);
});

it('adds an unknown address as an alias of anyone chosen from the team', async () => {
  const { db } = await setup(<DiagnosticsPage />, [['Jonas Weber', 'jonas.weber@acme.test']]);
  const lee = await screen.findByRole('listitem', { name: '1:1 Maya <> Lee' });
  // No guess for Lee (not on the team): add as a person, or as an alias of whoever the user picks.
  expect(within(lee).getByRole('button', { name: 'Add Lee to your team' })).toBeTruthy();
  fireEvent.change(within(lee).getByLabelText('Add lee@acme-labs.test as an alias of'), {
    target: { value: (await db.people.findOne().exec())!.id },
  });
  fireEvent.click(within(lee).getByRole('button', { name: 'Add alias' }));
  await waitFor(async () =>
    expect(
      (await db.people.findOne({ selector: { email: 'jonas.weber@acme.test' } }).exec())?.aliases,
    ).toEqual(['lee@acme-labs.test']),
  );
});

it('after a first import, Settings shows the summary with a link to the diagnostics, then the suggestions', async () => {
  const { ingest } = await setup(<SettingsSection />);
  const account = await screen.findByRole('listitem', { name: SELF });
  expect(within(account).queryByTestId('import-summary')).toBeNull();
  await act(() => ingest.finishImport('acc-maya', true));
  const summary = await within(account).findByTestId('import-summary');
  expect(summary.textContent).toContain('Last import: 6 events seen, 0 1:1s found.');
  expect(within(summary).getByRole('list', { name: 'Skipped events by reason' }).textContent).toContain(
    '6 with someone not on your team',
  );
  const link = within(summary).getByRole('link', { name: 'Why isn’t my 1:1 showing?' });
  expect(link.getAttribute('href')).toBe('#/settings/diagnostics');
  const panel = await screen.findByTestId('team-suggestions');
  await within(panel).findByRole('button', { name: 'Add Sam Rivera' });
  expect(document.activeElement).toBe(
    within(panel).getByRole('heading', { name: 'Suggested for your team' }),
  );

  // Following the link opens the diagnostics page inside Settings.
  act(() => {
    window.location.hash = '#/settings/diagnostics';
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  });
  expect(await screen.findByRole('heading', { level: 1, name: 'Why isn’t my 1:1 showing?' })).toBeTruthy();
});

it('without any calendar events the diagnostics page says what to do', async () => {
  db = await openMemoryDb();
  const ingest = createEngineIngest(db, [], { self: SELF, now: new Date().toISOString() });
  await renderWithServices(<DiagnosticsPage />, createTestBridge(), db, ingest);
  expect(await screen.findByText('No calendar events yet')).toBeTruthy();
});
