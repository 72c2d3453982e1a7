import type { ReactNode } from 'react';
import { hashFor, sections, useNavigation, type SectionId } from '../state/navigation';
import { ActionItemsIcon, InboxIcon, MeetingsIcon, SettingsIcon, TeamIcon, UpNextIcon } from '../ui/icons';
import { useUnreadCount } from '../features/inbox/use-inbox';

const icons: Record<SectionId, () => ReactNode> = {
  'up-next': UpNextIcon,
  meetings: MeetingsIcon,
  'action-items': ActionItemsIcon,
  team: TeamIcon,
  settings: SettingsIcon,
  inbox: InboxIcon,
};

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

export function Sidebar() {
  const current = useNavigation((s) => s.section);
  const go = useNavigation((s) => s.go);
  const unread = useUnreadCount();
  return (
    <nav className="sidebar" aria-label="Sections">
      <ul>
        {sections.map((s, i) => {
          const Icon = icons[s.id];
          const active = s.id === current;
          return (
            <li key={s.id}>
              <a
                href={hashFor(s.id)}
                className={`nav-item${active ? ' nav-item--active' : ''}`}
                aria-current={active ? 'page' : undefined}
                aria-describedby={s.id === 'inbox' && unread > 0 ? 'inbox-unread-words' : undefined}
                onClick={(e) => {
                  // The store writes the hash; doing it here too would add a second history entry.
                  e.preventDefault();
                  // On a page inside this section (a meeting, a person, the diagnostics) the
                  // store does not change, so the link itself goes back to the section's start.
                  if (active && window.location.hash !== hashFor(s.id)) window.location.hash = hashFor(s.id);
                  go(s.id);
                }}
              >
                <Icon />
                <span className="nav-item__label">{s.label}</span>
                {s.id === 'inbox' && unread > 0 ? (
                  // The count is the link's description (below), so its name stays exactly "Inbox".
                  <span className="nav-item__count" aria-hidden="true" data-testid="inbox-unread">
                    {unread}
                  </span>
                ) : null}
                {/* Hidden from the accessible name, which must stay exactly the section label. */}
                <kbd className="nav-item__kbd" aria-hidden="true">
                  {isMac ? '⌘' : 'Ctrl+'}
                  {i + 1}
                </kbd>
              </a>
              {s.id === 'inbox' && unread > 0 ? (
                <span className="visually-hidden" id="inbox-unread-words">
                  {unread} unread
                </span>
              ) : null}
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
