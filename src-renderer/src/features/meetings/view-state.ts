// What the Meetings screen shows (tab, search, person): kept outside the component so opening a
// meeting and coming back finds the list as it was left.
import { create } from 'zustand';

export type MeetingsTab = 'upcoming' | 'past' | 'cancelled' | 'archived';

interface MeetingsViewState {
  tab: MeetingsTab;
  query: string;
  /** A person's id, '' for everyone. */
  person: string;
  setTab: (tab: MeetingsTab) => void;
  setQuery: (query: string) => void;
  setPerson: (person: string) => void;
  reset: () => void;
}

export const useMeetingsViewState = create<MeetingsViewState>()((set) => ({
  tab: 'upcoming',
  query: '',
  person: '',
  setTab: (tab) => set({ tab }),
  setQuery: (query) => set({ query }),
  setPerson: (person) => set({ person }),
  reset: () => set({ tab: 'upcoming', query: '', person: '' }),
}));
