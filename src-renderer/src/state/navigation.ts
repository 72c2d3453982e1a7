// Which section is showing. The URL hash mirrors it (#/team) so a reload keeps the section and
// Back/Forward move between sections; Ctrl/Cmd+1..6 jump straight to one.
import { create } from 'zustand';

export const sections = [
  { id: 'up-next', label: 'Up next' },
  { id: 'meetings', label: 'Meetings' },
  { id: 'team', label: 'Team' },
  { id: 'settings', label: 'Settings' },
  // Added last, so Ctrl/Cmd+1..4 keep the places they had before the inbox and
  // the action items existed.
  { id: 'inbox', label: 'Inbox' },
  { id: 'action-items', label: 'Action items' },
] as const;

export type SectionId = (typeof sections)[number]['id'];

export const DEFAULT_SECTION: SectionId = 'up-next';

export const sectionLabel = (id: SectionId): string => sections.find((s) => s.id === id)?.label ?? id;

export const hashFor = (id: SectionId): string => `#/${id}`;

/** '#/team' → 'team'; anything unknown → null (the caller falls back to the default section). */
export function sectionFromHash(hash: string): SectionId | null {
  const id = hash.replace(/^#\/?/, '').split(/[/?]/)[0];
  return sections.find((s) => s.id === id)?.id ?? null;
}

export interface ShortcutKey {
  key: string;
  code?: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

/**
 * Ctrl+1..6 (Cmd+1..6 on macOS) → the section in that position. Looks at `code` too, so the
 * digit row works on layouts where the unshifted key is not a digit (AZERTY: '&', 'é', …).
 */
export function sectionForShortcut(e: ShortcutKey): SectionId | null {
  if (!(e.ctrlKey || e.metaKey) || e.altKey || e.shiftKey) return null;
  const fromCode = /^(?:Digit|Numpad)([1-9])$/.exec(e.code ?? '')?.[1];
  const digit = fromCode ?? (/^[1-9]$/.test(e.key) ? e.key : undefined);
  if (!digit) return null;
  return sections[Number(digit) - 1]?.id ?? null;
}

interface NavigationState {
  section: SectionId;
  /** True when the section's heading should take focus (after a keyboard shortcut). */
  pendingFocus: boolean;
  go: (section: SectionId, options?: { focus?: boolean }) => void;
  focusTaken: () => void;
}

export const useNavigation = create<NavigationState>()((set) => ({
  section: DEFAULT_SECTION,
  pendingFocus: false,
  go: (section, options) => set({ section, pendingFocus: options?.focus ?? false }),
  focusTaken: () => set({ pendingFocus: false }),
}));

/**
 * Connects the store to a window: reads the section from the hash, keeps the hash in step with
 * the store (and the store with Back/Forward), and handles the section shortcuts. Returns the
 * function that undoes all of it.
 */
export function bindNavigation(win: Window): () => void {
  const fromHash = sectionFromHash(win.location.hash);
  useNavigation.getState().go(fromHash ?? DEFAULT_SECTION);

  // A hash already inside the section ('#/settings/diagnostics', a page within Settings) stays.
  const writeHash = (section: SectionId) => {
    if (sectionFromHash(win.location.hash) !== section) win.location.hash = hashFor(section);
  };
  // Normalize the starting URL without adding a history entry (Back must not land on '#bogus').
  if (sectionFromHash(win.location.hash) !== useNavigation.getState().section) {
    win.history.replaceState(win.history.state, '', hashFor(useNavigation.getState().section));
  }
  const unsubscribe = useNavigation.subscribe((state, prev) => {
    if (state.section !== prev.section) writeHash(state.section);
  });

  const onHashChange = () => {
    const section = sectionFromHash(win.location.hash);
    if (section) useNavigation.getState().go(section);
    else writeHash(useNavigation.getState().section);
  };
  const onKeyDown = (e: KeyboardEvent) => {
    const section = sectionForShortcut(e);
    if (!section) return;
    e.preventDefault();
    // Focus follows so screen readers announce the new section and Tab starts inside it.
    useNavigation.getState().go(section, { focus: true });
  };
  win.addEventListener('hashchange', onHashChange);
  win.addEventListener('keydown', onKeyDown);
  return () => {
    unsubscribe();
    win.removeEventListener('hashchange', onHashChange);
    win.removeEventListener('keydown', onKeyDown);
  };
}

/** The page inside a section named by the hash: '#/settings/diagnostics' → 'diagnostics', else ''. */
export function subpageFromHash(hash: string): string {
  return hash.replace(/^#\/?/, '').split('?')[0]?.split('/')[1] ?? '';
}

export const hashForSubpage = (id: SectionId, subpage: string): string => `${hashFor(id)}/${subpage}`;
