// Short-lived messages at the bottom of the window, optionally with one action (e.g. Undo).
import { create } from 'zustand';

export interface ToastAction {
  label: string;
  run: () => void | Promise<void>;
}

export interface Toast {
  id: number;
  message: string;
  tone: 'info' | 'error';
  action?: ToastAction;
}

interface ToastState {
  toasts: Toast[];
  show: (toast: Omit<Toast, 'id' | 'tone'> & { tone?: Toast['tone']; timeoutMs?: number }) => number;
  dismiss: (id: number) => void;
}

/** Long enough to read the message and reach Undo with the keyboard. */
export const DEFAULT_TOAST_MS = 10_000;

let nextId = 1;

export const useToasts = create<ToastState>()((set, get) => ({
  toasts: [],
  show: ({ timeoutMs = DEFAULT_TOAST_MS, tone = 'info', ...toast }) => {
    const id = nextId++;
    // Newest last; keep only a few so a burst of deletes does not cover the window.
    set((s) => ({ toasts: [...s.toasts, { ...toast, tone, id }].slice(-3) }));
    if (timeoutMs > 0) setTimeout(() => get().dismiss(id), timeoutMs);
    return id;
  },
  dismiss: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
}));
