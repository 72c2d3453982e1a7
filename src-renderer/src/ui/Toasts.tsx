// Renders the toast store. The live region exists from the start (empty), so screen readers
// announce toasts added later.
import { useState } from 'react';
import { useToasts, type Toast } from '../state/toasts';

function ToastItem({ toast }: { toast: Toast }) {
  const dismiss = useToasts((s) => s.dismiss);
  const [busy, setBusy] = useState(false);
  const runAction = async () => {
    if (!toast.action) return;
    setBusy(true);
    try {
      await toast.action.run();
    } finally {
      dismiss(toast.id);
    }
  };
  return (
    <div className={`toast toast--${toast.tone}`} data-testid="toast">
      <span className="toast__message">{toast.message}</span>
      {toast.action ? (
        <button type="button" className="toast__action" onClick={() => void runAction()} disabled={busy}>
          {toast.action.label}
        </button>
      ) : null}
      <button type="button" className="toast__close" aria-label="Dismiss" onClick={() => dismiss(toast.id)}>
        <span aria-hidden="true">×</span>
      </button>
    </div>
  );
}

export function Toasts() {
  const toasts = useToasts((s) => s.toasts);
  return (
    <div className="toasts" role="region" aria-label="Notifications" aria-live="polite">
      {toasts.map((t) => (
        <ToastItem key={t.id} toast={t} />
      ))}
    </div>
  );
}
