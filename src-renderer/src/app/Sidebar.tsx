import type { ReactNode } from 'react';
import { hashFor, sections, useNavigation, type SectionId } from '../state/navigation';
import { ActionItemsIcon, MeetingsIcon, SettingsIcon, TeamIcon, UpNextIcon } from '../ui/icons';

const icons: Record<SectionId, () => ReactNode> = {
  'up-next': UpNextIcon,
  meetings: MeetingsIcon,
  'action-items': ActionItemsIcon,
  team: TeamIcon,
  settings: SettingsIcon,
};

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

export function Sidebar() {
  const current = useNavigation((s) => s.section);
  const go = useNavigation((s) => s.go);
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
                onClick={(e) => {
                  // The store writes the hash; doing it here too would add a second history entry.
                  e.preventDefault();
                  go(s.id);
                }}
              >
                <Icon />
                <span className="nav-item__label">{s.label}</span>
                {/* Hidden from the accessible name, which must stay exactly the section label. */}
                <kbd className="nav-item__kbd" aria-hidden="true">
                  {isMac ? '⌘' : 'Ctrl+'}
                  {i + 1}
                </kbd>
              </a>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
