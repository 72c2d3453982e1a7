// "Why isn't my 1:1 showing?" (docs/architecture.md §3): every event in the scan window that Duet
// did not take, its reasons in words, and the one-click fixes; a fix re-runs detection at once, so
// the event leaves this list (and its meetings appear) as soon as it is a 1:1.
import { useEffect, useMemo, useRef, useState } from 'react';
import { hashFor } from '../../state/navigation';
import { EmptyState } from '../../ui/EmptyState';
import { formatEventTime } from '../meetings/meeting-format';
import type { DiagnosedEvent } from './ingest-port';
import {
  explain,
  groupOccurrences,
  listed,
  twoPersonWithSelf,
  type DiagnosedGroup,
  type Fix,
} from './reasons';
import { useDiagnosis, useFixer } from './use-diagnosis';
import { calendarNames, nameFromEmail } from './names';

export function DiagnosticsPage() {
  const diagnosis = useDiagnosis();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  // Directory names first (they are the organisation's), then what the invitations called people.
  const names = useMemo(() => {
    const map = calendarNames(diagnosis.diagnosed.map((d) => d.event));
    for (const d of diagnosis.directory) map.set(d.email.toLowerCase(), d.name);
    return map;
  }, [diagnosis.diagnosed, diagnosis.directory]);
  const [now] = useState(() => Date.now());
  const shown = diagnosis.diagnosed.filter(listed);
  const likely = groupOccurrences(shown.filter(twoPersonWithSelf), now);
  const others = groupOccurrences(
    shown.filter((d) => !twoPersonWithSelf(d)),
    now,
  );

  const item = ({ d, count }: DiagnosedGroup) => (
    <DiagnosticItem
      key={`${d.event.accountId ?? ''}:${d.event.id}`}
      d={d}
      count={count}
      diagnosis={diagnosis}
      names={names}
    />
  );
  return (
    <div className="section">
      <header className="section__header">
        <div>
          <a className="back-link" href={hashFor('settings')}>
            ← Settings
          </a>
          <h1 className="section__title" tabIndex={-1} ref={heading}>
            Why isn’t my 1:1 showing?
          </h1>
          <p className="section__description">
            Every event from the last {diagnosis.prefs.pastDays} days to the next {diagnosis.prefs.futureDays}{' '}
            days that Duet did not take as a 1:1, and why. Fixing one runs detection again straight away.
          </p>
        </div>
      </header>
      {diagnosis.error ? (
        <p className="form__error" role="alert">
          Could not read the events: {diagnosis.error}
        </p>
      ) : null}
      {!diagnosis.ready ? (
        <p className="muted">Loading…</p>
      ) : !diagnosis.hasIngest || diagnosis.diagnosed.length === 0 ? (
        <EmptyState title="No calendar events yet">
          <p>
            Connect a calendar in Settings. Once its events are imported, this page explains each one Duet
            skipped.
          </p>
        </EmptyState>
      ) : shown.length === 0 ? (
        <EmptyState title="Nothing was skipped">
          <p>Every event in the window is a 1:1 Duet already shows.</p>
        </EmptyState>
      ) : (
        <>
          <section aria-labelledby="diag-likely" className="diagnostics">
            <h2 className="subheading" id="diag-likely">
              Two-person events that are not 1:1s
              <span className="count"> · {likely.length}</span>
            </h2>
            {likely.length === 0 ? (
              <p className="muted">None: every two-person event with you is already a 1:1.</p>
            ) : (
              <ul className="diagnostic-list">{likely.map(item)}</ul>
            )}
          </section>
          {others.length > 0 ? (
            <details className="diagnostics diagnostics--others">
              <summary className="subheading">Other events Duet skipped · {others.length}</summary>
              <ul className="diagnostic-list">{others.map(item)}</ul>
            </details>
          ) : null}
        </>
      )}
    </div>
  );
}

function DiagnosticItem({
  d,
  count,
  diagnosis,
  names,
}: {
  d: DiagnosedEvent;
  count: number;
  diagnosis: ReturnType<typeof useDiagnosis>;
  names: ReadonlyMap<string, string>;
}) {
  const fixer = useFixer();
  const [busy, setBusy] = useState(false);
  const { reasons, fixes } = explain(d, diagnosis.prefs, diagnosis.people, names);
  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await action();
    } finally {
      setBusy(false);
    }
  };
  const unknownAddresses = d.reasons.includes('UNKNOWN_PERSON')
    ? (d.unmatched ?? []).filter((a) => a !== d.self)
    : [];
  const title = d.event.title.trim() || '(no title)';
  return (
    <li className="diagnostic" aria-label={title} data-testid="diagnostic">
      <div className="diagnostic__head">
        <span className="diagnostic__title">{title}</span>
        <span className="diagnostic__time">
          {formatEventTime(Date.parse(d.event.start), Date.parse(d.event.end), d.event.allDay === true)}
          {count > 1 ? ` · ${count} occurrences` : d.event.recurrence ? ' · repeats' : ''}
        </span>
      </div>
      <ul className="diagnostic__reasons" aria-label="Reasons">
        {reasons.map((r) => (
          <li key={r}>{r}</li>
        ))}
      </ul>
      {fixes.length > 0 || unknownAddresses.length > 0 ? (
        <div className="diagnostic__fixes">
          {fixes.map((f: Fix) => (
            <button
              key={`${f.kind}:${f.label}`}
              type="button"
              className={`button button--small${f.kind === 'add-alias' ? ' button--primary' : ''}`}
              disabled={busy}
              onClick={() => void run(() => fixer.fix(f))}
            >
              {f.label}
            </button>
          ))}
          {diagnosis.people.length > 0 && fixes.length > 0
            ? unknownAddresses.map((address) => (
                <AliasPicker
                  key={address}
                  address={address}
                  people={diagnosis.people}
                  busy={busy}
                  onPick={(personId) => run(() => fixer.addAlias(personId, address))}
                />
              ))
            : null}
        </div>
      ) : null}
    </li>
  );
}

/** "Add as alias of…": any team member, for an address no guess was made for. */
function AliasPicker({
  address,
  people,
  busy,
  onPick,
}: {
  address: string;
  people: ReturnType<typeof useDiagnosis>['people'];
  busy: boolean;
  onPick: (personId: string) => Promise<void>;
}) {
  const [personId, setPersonId] = useState('');
  const sorted = [...people].sort((a, b) => a.name.localeCompare(b.name));
  const label = `Add ${address} as an alias of`;
  return (
    <form
      className="alias-picker"
      onSubmit={(e) => {
        e.preventDefault();
        if (personId) void onPick(personId);
      }}
    >
      <label className="alias-picker__label">
        <span>Or add as alias of…</span>
        <select aria-label={label} value={personId} onChange={(e) => setPersonId(e.target.value)}>
          <option value="">Choose a person ({nameFromEmail(address)}?)</option>
          {sorted.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="button button--small" disabled={busy || !personId}>
        Add alias
      </button>
    </form>
  );
}
