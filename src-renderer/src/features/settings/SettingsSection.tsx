import { useState } from 'react';
import { SectionPage } from '../../ui/SectionPage';
import { CalendarsPanel } from '../calendars/CalendarsPanel';
import { DiagnosticsPage } from '../imports/DiagnosticsPage';
import { ImportSummaryView } from '../imports/ImportSummaryView';
import { TeamSuggestionsPanel } from '../imports/TeamSuggestionsPanel';
import { useDiagnosis, useSubpage } from '../imports/use-diagnosis';
import { AboutPanel } from './AboutPanel';
import { ActivityPanel } from './ActivityPanel';
import { SchedulingPanel } from './SchedulingPanel';
import { ImportedLinksPanel } from './ImportedLinksPanel';
import { NotificationsPanel } from './NotificationsPanel';
import { ConnectionForm } from './ConnectionForm';
import { DetectionPreferences } from './DetectionPreferences';
import { SyncServerPanel } from './SyncServerPanel';

export function SettingsSection() {
  const subpage = useSubpage();
  return subpage === 'diagnostics' ? <DiagnosticsPage /> : <SettingsMain />;
}

function SettingsMain() {
  // Saving client ids changes which calendars are available: list them again.
  const [providersKey, setProvidersKey] = useState(0);
  const diagnosis = useDiagnosis();
  const latest = diagnosis.summaries[0];
  // An import that finds an empty team ends on the suggestions, and they stay while the user adds
  // people one by one (the team is no longer empty after the first).
  const [firstImport, setFirstImport] = useState(false);
  const emptyTeamImport = Boolean(
    latest && diagnosis.ready && (latest.teamWasEmpty || diagnosis.people.length === 0),
  );
  if (emptyTeamImport && !firstImport) setFirstImport(true);
  return (
    <SectionPage title="Settings" description="Calendars, syncing and how Duet recognizes your 1:1s.">
      <div className="settings-grid">
        <CalendarsPanel
          refreshKey={providersKey}
          renderAccountExtra={(account) => {
            const summary = diagnosis.summaries.find((s) => s.accountId === account.id);
            return summary ? <ImportSummaryView summary={summary} /> : null;
          }}
        />
        {/* A first import into an empty team ends here: who to add, so the 1:1s appear. */}
        {latest && (firstImport || emptyTeamImport) ? (
          <TeamSuggestionsPanel
            diagnosis={diagnosis}
            focusKey={latest.finishedAt}
            intro="Your first import is done. Add the people you have 1:1s with and their meetings appear at once."
          />
        ) : null}
        <SyncServerPanel />
        <ConnectionForm onSaved={() => setProvidersKey((k) => k + 1)} />
        <DetectionPreferences />
        <SchedulingPanel />
        <ImportedLinksPanel />
        <NotificationsPanel />
        <ActivityPanel />
        <AboutPanel />
      </div>
    </SectionPage>
  );
}
