// Presenting mode (docs/architecture.md §5) lives in main so a global shortcut works whichever
// window has focus, and every window follows it.

export interface PresentingState {
  get(): boolean;
  set(on: boolean): void;
  onChange(listener: (on: boolean) => void): () => void;
}

export function createPresentingState(): PresentingState {
  let on = false;
  const listeners = new Set<(on: boolean) => void>();
  return {
    get: () => on,
    set(next) {
      if (next === on) return;
      on = next;
      for (const l of listeners) l(on);
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
