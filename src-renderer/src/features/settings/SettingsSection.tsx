import { useState } from 'react';
import { SectionPage } from '../../ui/SectionPage';
import { AboutPanel } from './AboutPanel';
import { CalendarsPanel } from '../calendars/CalendarsPanel';
import { ConnectionForm } from './ConnectionForm';
import { DetectionPreferences } from './DetectionPreferences';
import { SyncServerPanel } from './SyncServerPanel';

export function SettingsSection() {
  // Saving client ids changes which calendars are available: list them again.
  const [providersKey, setProvidersKey] = useState(0);
  return (
    <SectionPage title="Settings" description="Calendars, syncing and how Duet recognizes your 1:1s.">
      <div className="settings-grid">
        <CalendarsPanel refreshKey={providersKey} />
        <SyncServerPanel />
        <ConnectionForm onSaved={() => setProvidersKey((k) => k + 1)} />
        <DetectionPreferences />
        <AboutPanel />
      </div>
    </SectionPage>
  );
}
