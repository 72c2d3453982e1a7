// The app shell: header, section navigation, the current section and toasts.
import { useEffect, useState, useSyncExternalStore, type ReactNode } from 'react';
import { isMeetingId } from '../../../src-shared/meeting/meeting-id';
import { ActionItemsSection } from '../features/action-items/ActionItemsSection';
import { InboxSection } from '../features/inbox/InboxSection';
import { PrivateNotesWindow } from '../features/meeting/PrivateNotes';
import { hashForDeepLink } from '../../../src-shared/app/deep-link';
import { MeetingsSection } from '../features/meetings/MeetingsSection';
import { SettingsSection } from '../features/settings/SettingsSection';
import { TeamSection } from '../features/team/TeamSection';
import { UpNextSection } from '../features/up-next/UpNextSection';
import { bindNavigation, useNavigation, type SectionId } from '../state/navigation';
import { usePresenting } from '../state/presenting';
import { Toasts } from '../ui/Toasts';
import { Header } from './Header';
import { SectionBoundary } from './SectionBoundary';
import { ServicesProvider, useBridge, type Services } from './services';
import { Sidebar } from './Sidebar';

const views: Record<SectionId, () => ReactNode> = {
  'up-next': UpNextSection,
  meetings: MeetingsSection,
  'action-items': ActionItemsSection,
  team: TeamSection,
  settings: SettingsSection,
  inbox: InboxSection,
};

/** Events from main that change app-wide state. */
function useBridgeEvents() {
  usePresentingEvents();
  useDeepLinks();
}

/** Presenting mode as main holds it (button, global shortcut): every window follows. */
function usePresentingEvents() {
  const bridge = useBridge();
  useEffect(() => {
    const off = bridge.on('app.presenting', ({ on }) => usePresenting.getState().setPresenting(on));
    // A window opened while presenting must start hidden too.
    bridge.app.getPresenting().then(
      ({ on }) => usePresenting.getState().setPresenting(on),
      () => undefined,
    );
    return off;
  }, [bridge]);
}

/**
 * duet://meeting/<id> links main passed on (src-main/app/deep-link.ts) open that meeting: the one
 * given with the launch is taken once at start, later ones as their event arrives. Taking (not
 * just reading the event) keeps a link from being followed again after a reload.
 */
function useDeepLinks() {
  const bridge = useBridge();
  useEffect(() => {
    let live = true;
    const take = () =>
      bridge.app.takeDeepLink().then(
        ({ url }) => {
          const hash = live && url ? hashForDeepLink(url) : null;
          if (hash) window.location.hash = hash;
        },
        () => undefined,
      );
    const off = bridge.on('app.deepLink', () => void take());
    void take();
    return () => {
      live = false;
      off();
    };
  }, [bridge]);
}

function Shell() {
  const section = useNavigation((s) => s.section);
  const presenting = usePresenting((s) => s.presenting);
  useEffect(() => bindNavigation(window), []);
  useBridgeEvents();
  const View = views[section];
  // A page inside a section ('#/meetings/<id>') is a place of its own: leaving it clears an error.
  const hash = useSyncExternalStore(subscribeHash, () => window.location.hash);
  return (
    <div className={`app${presenting ? ' app--presenting' : ''}`} data-testid="app-shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Header />
      <div className="app-body">
        <Sidebar />
        <main id="main" className="main" tabIndex={-1}>
          <SectionBoundary resetKey={`${section} ${hash}`}>
            <View key={section} />
          </SectionBoundary>
        </main>
      </div>
      <Toasts />
    </div>
  );
}

function subscribeHash(cb: () => void): () => void {
  window.addEventListener('hashchange', cb);
  return () => window.removeEventListener('hashchange', cb);
}

/** '#/private-notes/<meeting id>': this window is a meeting's private-notes window (desktop). */
export function privateNotesWindowMeeting(hash: string): string | null {
  const m = /^#\/private-notes\/([^/?#]+)$/.exec(hash);
  if (!m) return null;
  try {
    const id = decodeURIComponent(m[1]!);
    return isMeetingId(id) ? id : null;
  } catch {
    return null;
  }
}

function PrivateNotesShell({ meetingId }: { meetingId: string }) {
  usePresentingEvents();
  return <PrivateNotesWindow meetingId={meetingId} />;
}

export function App({ services }: { services: Services }) {
  // Fixed for the window's life: main opens a private-notes window at its own address.
  const [privateNotesFor] = useState(() => privateNotesWindowMeeting(window.location.hash));
  return (
    <ServicesProvider services={services}>
      {privateNotesFor ? <PrivateNotesShell meetingId={privateNotesFor} /> : <Shell />}
    </ServicesProvider>
  );
}
