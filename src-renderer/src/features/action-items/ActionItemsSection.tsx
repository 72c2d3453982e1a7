// "Action items": everything still open across all meetings, grouped by the person across the
// table and sorted by due date, each completed from here into its meeting's Y.Doc
// (docs/architecture.md §5). Reads the content projection, so it works offline and never opens a
// connection per meeting.
import { useState } from 'react';
import { EmptyState } from '../../ui/EmptyState';
import { SectionPage } from '../../ui/SectionPage';
import { groupByPerson } from './open-items';
import { OpenItemList } from './OpenItemList';
import { useOpenItems } from './use-open-items';

export function ActionItemsSection() {
  const { ready, items, context } = useOpenItems();
  const [now] = useState(() => Date.now());
  const groups = groupByPerson(items);
  return (
    <SectionPage
      title="Action items"
      description="Everything still open across your 1:1s, by person and due date."
    >
      {!ready ? null : groups.length === 0 ? (
        <EmptyState title="Nothing open">
          <p>
            Action items added in a meeting show here until they are done. Items the other person added show once
            this device has synced that meeting: in the background for the two weeks around today,
            otherwise when you open it.
          </p>
        </EmptyState>
      ) : (
        groups.map((g) => (
          <section key={g.person} className="open-items-group" aria-label={g.person}>
            <h2 className="subheading">
              {g.person} <span className="muted">({g.items.length} open)</span>
            </h2>
            <OpenItemList
              items={g.items}
              people={context.people}
              selves={context.selves}
              now={now}
              label={`Open action items with ${g.person}`}
            />
          </section>
        ))
      )}
    </SectionPage>
  );
}
