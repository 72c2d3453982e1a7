// "Suggested for your team": one click adds a person (their 1:1s appear at once, because detection
// runs again right after), "Add all" adds every suggested person, and an address that is probably
// someone's other address is offered as an alias.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Diagnosis } from './use-diagnosis';
import { useFixer } from './use-diagnosis';
import { teamSuggestions, type PersonSuggestion } from './suggestions';

const relationText: Record<PersonSuggestion['relation'], string> = {
  report: 'Reports to you',
  manager: 'Your manager',
  calendar: 'From your calendar',
};

const eventsText = (n: number) => (n === 0 ? '' : ` · ${n} two-person ${n === 1 ? 'event' : 'events'}`);

interface TeamSuggestionsPanelProps {
  diagnosis: Diagnosis;
  intro?: string;
  /** When it changes (a new first import finished), the panel takes focus: the import ends here. */
  focusKey?: number;
}

export function TeamSuggestionsPanel({ diagnosis, intro, focusKey }: TeamSuggestionsPanelProps) {
  const fixer = useFixer();
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    // A fresh import only: opening Settings later must not pull focus away from the sidebar.
    if (focusKey === undefined || Date.now() - focusKey > 15_000) return;
    heading.current?.scrollIntoView?.({ block: 'nearest' });
    heading.current?.focus();
  }, [focusKey]);
  const suggestions = useMemo(
    () => teamSuggestions(diagnosis.diagnosed, diagnosis.directory, diagnosis.people),
    [diagnosis.diagnosed, diagnosis.directory, diagnosis.people],
  );
  if (suggestions.people.length === 0 && suggestions.aliases.length === 0) return null;

  // The row the user acted on disappears: keep keyboard focus inside the panel.
  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await action();
    } finally {
      setBusy(false);
      heading.current?.focus();
    }
  };
  const asNew = (s: PersonSuggestion) => ({
    name: s.name,
    email: s.email,
    directReport: s.relation === 'report',
    startDate: s.startDate,
  });

  return (
    <section
      className="card suggestions"
      aria-labelledby="suggestions-heading"
      data-testid="team-suggestions"
    >
      <div className="card__title-row">
        <h2 className="card__title" id="suggestions-heading" tabIndex={-1} ref={heading}>
          Suggested for your team
        </h2>
        {suggestions.people.length > 1 ? (
          <button
            type="button"
            className="button button--primary button--small"
            disabled={busy}
            onClick={() => void run(() => fixer.addAll(suggestions.people.map(asNew)))}
          >
            Add all
          </button>
        ) : null}
      </div>
      <p className="card__intro">
        {intro ??
          'Duet takes an event as a 1:1 when the other person is on your team. These people are in your directory or in two-person events on your calendar.'}
      </p>
      <ul className="suggestion-list">
        {suggestions.people.map((s) => (
          <li key={s.email} className="suggestion" data-testid="suggestion">
            <div className="suggestion__main">
              <span className="suggestion__name">{s.name}</span>
              <span className="suggestion__detail">
                {s.email} · {relationText[s.relation]}
                {eventsText(s.events)}
              </span>
            </div>
            <button
              type="button"
              className="button button--small"
              disabled={busy}
              onClick={() => void run(() => fixer.addPerson(asNew(s)))}
            >
              Add {s.name}
            </button>
          </li>
        ))}
        {suggestions.aliases.map((a) => (
          <li key={a.address} className="suggestion" data-testid="suggestion">
            <div className="suggestion__main">
              <span className="suggestion__name">{a.address}</span>
              <span className="suggestion__detail">
                Probably {a.personName} under another address{eventsText(a.events)}
              </span>
            </div>
            <button
              type="button"
              className="button button--small"
              disabled={busy}
              aria-label={`Add ${a.address} as an alias of ${a.personName}`}
              onClick={() => void run(() => fixer.addAlias(a.personId, a.address))}
            >
              Add as alias of {a.personName}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
