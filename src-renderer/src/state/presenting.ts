// Presenting mode: while on, every private note is hidden (docs/architecture.md §5) so the screen can be shared.
// Toggled from the header button, or by main (global shortcut / tray) through 'app.presenting'.
import { create } from 'zustand';

interface PresentingState {
  presenting: boolean;
  setPresenting: (on: boolean) => void;
  toggle: () => void;
}

export const usePresenting = create<PresentingState>()((set) => ({
  presenting: false,
  setPresenting: (presenting) => set({ presenting }),
  toggle: () => set((s) => ({ presenting: !s.presenting })),
}));
