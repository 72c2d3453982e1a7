// The frame of every section: its <h1> (focusable, so keyboard navigation can land on it) and a
// one-line description.
import { useEffect, useRef, type ReactNode } from 'react';
import { useNavigation } from '../state/navigation';

interface SectionPageProps {
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
}

export function SectionPage({ title, description, actions, children }: SectionPageProps) {
  const heading = useRef<HTMLHeadingElement>(null);
  const pendingFocus = useNavigation((s) => s.pendingFocus);
  useEffect(() => {
    // Only after a shortcut: clicking in the sidebar leaves focus in the sidebar.
    if (!pendingFocus) return;
    heading.current?.focus();
    useNavigation.getState().focusTaken();
  }, [pendingFocus]);
  return (
    <div className="section">
      <header className="section__header">
        <div>
          <h1 className="section__title" tabIndex={-1} ref={heading}>
            {title}
          </h1>
          {description ? <p className="section__description">{description}</p> : null}
        </div>
        {actions ? <div className="section__actions">{actions}</div> : null}
      </header>
      {children}
    </div>
  );
}
