// Startup: find the bridge, open the local database, then show the app — or a full-page
// explanation of what is missing. Nothing here may end in a blank window. The dependencies are
// parameters so tests can start the app without Electron, a host or IndexedDB.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { DuetApi } from '../../../src-shared/bridge/contract';
import { NoBridgeError } from '../bridge';
import type { DuetDatabase } from '../db/database';
import { startCalendarIngest } from '../calendar/ingest';
import { ydocSharedContent } from '../features/meeting/shared-content';
import { startRoomSync } from '../features/meetings/room-sync';
import { notificationDelivery } from '../features/inbox/deliver';
import { startNotifier } from '../features/inbox/notifier';
import { localOpenItems } from '../features/inbox/open-items';
import { startRollOver } from '../features/meeting/roll-over-runner';
import { startBackgroundSync } from '../features/meeting/background-sync';
import { startImportedLinks } from '../features/imported-links/link-runner';
import { backfillProjections } from '../features/meeting/content-projection';
import { createRxdbIngestView } from '../features/imports/rxdb-ingest-view';
import { errorMessage } from '../features/settings/bridge-errors';
import { App } from './App';
import { FatalScreen } from './FatalScreen';

export interface BootDeps {
  getBridge: () => DuetApi;
  openDatabase: () => Promise<DuetDatabase>;
}

export async function boot(container: HTMLElement, deps: BootDeps): Promise<{ unmount: () => void }> {
  const root = createRoot(container);
  const handle = { unmount: () => root.unmount() };
  const fatal = (title: string, message: string, hint?: string) =>
    root.render(<FatalScreen title={title} message={message} {...(hint ? { hint } : {})} />);

  let bridge: DuetApi;
  try {
    bridge = deps.getBridge();
  } catch (err) {
    if (err instanceof NoBridgeError) fatal('Duet is not connected', err.message);
    else fatal('Duet could not start', errorMessage(err));
    return handle;
  }
  try {
    // Opened before the first render (not in an effect), so StrictMode's double mount cannot
    // open the database twice.
    const db = await deps.openDatabase();
    // The calendar ingest writes in the leading window only; every window reads (docs/architecture.md §6).
    // A meeting's Y.Doc content (topics, items, shared notes) keeps it when its event is
    // cancelled, as a private note does (docs/architecture.md §4).
    const ingest = startCalendarIngest(
      db,
      bridge,
      typeof indexedDB === 'undefined' ? {} : { sharedContent: ydocSharedContent() },
    );
    // Rooms for calendar meetings, and meetings shared with this user (docs/architecture.md §5).
    startRoomSync(db, bridge);
    // Reminders, news of 1:1s and the weekly summary, in the leading window (docs/architecture.md §5).
    startNotifier(db, {
      openItems: localOpenItems(),
      deliver: notificationDelivery(bridge),
      // The signed-in identity counts as "you" too (an app that only has the sync server).
      selves: async () => {
        const id = await bridge.accounts.identity();
        return id ? [id.email] : [];
      },
    });
    // Unfinished topics and items move to the next meeting of a series (docs/architecture.md §5).
    startRollOver(db, bridge);
    // The docs of meetings around now are kept in step with their rooms without opening them, so
    // Up next, reminders, Action items and search see what the other person wrote (docs/architecture.md §5).
    if (typeof indexedDB !== 'undefined') startBackgroundSync(db, bridge);
    // With the user's consent (Settings), imported 1:1s they organize get the Duet link (docs/architecture.md §6).
    startImportedLinks(db, bridge);
    // Meeting copies from before the content projection existed get theirs (docs/architecture.md §5).
    void backfillProjections(db).catch(() => undefined);
    root.render(
      <StrictMode>
        <App services={{ bridge, db, ingest: createRxdbIngestView(db, { redetect: ingest.redetect }) }} />
      </StrictMode>,
    );
  } catch (err) {
    fatal(
      'Duet could not open your local data',
      errorMessage(err),
      'If this keeps happening, quit every Duet window and start the app again.',
    );
  }
  return handle;
}
