// "Relink series" (docs/architecture.md §4 "Series links", §5 "Meetings screen"): when detection
// alone cannot link a disconnected series, the user picks the recurring 1:1 it follows from now on.
// A non-modal dialog under the warning, like Export as Markdown: one radio per candidate (title,
// cadence, weekday and time, next date), "Link" and "Cancel"; focus moves into it on open and
// Escape closes it. Pure: the candidates and the choice go through props.
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { CADENCE_LABEL, timeRange } from './meeting-format';
import { candidateKey, type RelinkCandidate } from './relink-series';

export interface RelinkDialogProps {
  /** The series' title and the other person, for the dialog's sentence. */
  seriesTitle: string;
  who: string;
  candidates: readonly RelinkCandidate[];
  busy?: boolean;
  error?: string;
  onLink: (candidate: RelinkCandidate) => void;
  onCancel: () => void;
}

/** "Weekly on Thursdays, 3:00 PM – 3:30 PM · next Thu, Dec 3". */
export function candidateWhen(c: Pick<RelinkCandidate, 'cadence' | 'start' | 'end'>, locale?: string): string {
  const weekday = new Date(c.start).toLocaleDateString(locale, { weekday: 'long' });
  const next = new Date(c.start).toLocaleDateString(locale, { weekday: 'short', day: 'numeric', month: 'short' });
  const cadence = c.cadence === 'irregular' ? 'Irregular' : `${CADENCE_LABEL[c.cadence]} on ${weekday}s`;
  return `${cadence}, ${timeRange(c.start, c.end, locale)} · next ${next}`;
}

export function RelinkDialog({ seriesTitle, who, candidates, busy = false, error, onLink, onCancel }: RelinkDialogProps) {
  const id = useId();
  const [picked, setPicked] = useState(() => (candidates[0] ? candidateKey(candidates[0]) : ''));
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  const chosen = candidates.find((c) => candidateKey(c) === picked);
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'Escape') return;
    e.preventDefault();
    onCancel();
  };
  return (
    <div role="dialog" aria-label="Relink series" aria-describedby={`${id}-what`} className="relink-dialog" onKeyDown={onKeyDown}>
      <p id={`${id}-what`}>
        Choose the recurring 1:1 that {seriesTitle || 'this series'} with {who} follows from now on. Its meetings join
        the series; the series’ earlier meetings and their notes stay as they are.
      </p>
      <fieldset disabled={busy}>
        <legend className="visually-hidden">Recurring 1:1s with {who}</legend>
        {candidates.map((c, i) => {
          const key = candidateKey(c);
          return (
            <label key={key} className="relink-dialog__option">
              <input
                ref={i === 0 ? first : undefined}
                type="radio"
                name={`${id}-candidate`}
                checked={picked === key}
                onChange={() => setPicked(key)}
              />{' '}
              <span>
                <strong>{c.title || '(no title)'}</strong> <span className="muted">{candidateWhen(c)}</span>
              </span>
            </label>
          );
        })}
      </fieldset>
      <div className="relink-dialog__actions">
        <button type="button" className="button button--primary" disabled={busy || !chosen} onClick={() => chosen && onLink(chosen)}>
          {busy ? 'Linking…' : 'Link'}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
      {error ? (
        <p role="alert" className="field__error">
          {error}
        </p>
      ) : null}
    </div>
  );
}
