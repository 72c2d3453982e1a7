// The private-notes window (docs/architecture.md §5): one meeting's private notes in a window of
// their own, excluded from screen capture (`setContentProtection`: Windows' display affinity,
// macOS's window sharing type). Some macOS capture tools still record such windows, which is why
// the window says presenting mode is the one to trust. Plain functions over the few BrowserWindow
// members used, so tests check them without the Electron binary.
import type { BrowserWindowConstructorOptions } from 'electron';
import { isMeetingId } from '../../src-shared/meeting/meeting-id';
import type { AppWindows } from '../services/types';
import { hardenedWebPreferences } from './security';

/** The BrowserWindow members this module uses. */
export interface ProtectableWindow {
  setContentProtection(enable: boolean): void;
  loadURL(url: string): Promise<void>;
  once(event: 'ready-to-show' | 'closed', listener: () => void): unknown;
  show(): void;
  focus(): void;
  restore(): void;
  isMinimized(): boolean;
  isDestroyed(): boolean;
}

export function privateNotesWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 480,
    height: 600,
    minWidth: 320,
    minHeight: 320,
    title: 'Private notes — Duet',
    show: false, // shown once protected and painted
    autoHideMenuBar: true,
    webPreferences: hardenedWebPreferences(preloadPath),
  };
}

/** The renderer's page for one meeting's private notes, in the same bundle as the main window. */
export function privateNotesUrl(entry: string, meetingId: string): string {
  const u = new URL(entry);
  u.hash = `#/private-notes/${encodeURIComponent(meetingId)}`;
  return u.href;
}

export function createPrivateNotesWindows(deps: {
  entry: string;
  preloadPath: string;
  create: (options: BrowserWindowConstructorOptions) => ProtectableWindow;
}): AppWindows {
  const open = new Map<string, ProtectableWindow>();
  return {
    openPrivateNotes(meetingId) {
      if (!isMeetingId(meetingId)) return Promise.reject(new Error('not a meeting id'));
      const existing = open.get(meetingId);
      if (existing && !existing.isDestroyed()) {
        if (existing.isMinimized()) existing.restore();
        existing.focus();
        return Promise.resolve(true);
      }
      const win = deps.create(privateNotesWindowOptions(deps.preloadPath));
      // Before anything is drawn: the window is never capturable, not even for its first frame.
      win.setContentProtection(true);
      open.set(meetingId, win);
      win.once('closed', () => {
        if (open.get(meetingId) === win) open.delete(meetingId);
      });
      win.once('ready-to-show', () => win.show());
      void win.loadURL(privateNotesUrl(deps.entry, meetingId)).catch(() => undefined);
      return Promise.resolve(true);
    },
  };
}
