// "Export as Markdown" on the meeting page and the series page (docs/architecture.md §5, "Export"):
// this meeting or its whole series; private notes stay out unless the user ticks "Include my
// private notes".
import { useId, useState } from 'react';
import { useBridge, useDb } from '../../app/services';
import type { MeetingDoc } from '../../db/schemas';
import { buildMarkdownExport, downloadFile } from './export-markdown';
import { useIdentity } from './use-meeting-workspace';

export function ExportMarkdown({
  meeting,
  seriesOnly = false,
}: {
  /** The meeting to export, or (with `seriesOnly`) any meeting of the series to export. */
  meeting: MeetingDoc;
  /** The series page: the whole series, no choice offered. */
  seriesOnly?: boolean;
}) {
  const db = useDb();
  const bridge = useBridge();
  const me = useIdentity(bridge)?.email ?? '';
  const [open, setOpen] = useState(false);
  const [scope, setScope] = useState<'meeting' | 'series'>(seriesOnly ? 'series' : 'meeting');
  const [includePrivate, setIncludePrivate] = useState(false);
  const [state, setState] = useState<{ busy: boolean; message: string; error: boolean }>({
    busy: false,
    message: '',
    error: false,
  });
  const id = useId();

  const run = async () => {
    setState({ busy: true, message: '', error: false });
    try {
      const file = await buildMarkdownExport(db, bridge, {
        meeting,
        scope: meeting.seriesId ? scope : 'meeting',
        includePrivateNotes: includePrivate,
        // Whose notes: as PrivateNotes stores them ('me' before anyone signed in).
        me: me || 'me',
      });
      downloadFile(file);
      setState({ busy: false, message: `Saved as ${file.name}.`, error: false });
    } catch (error) {
      setState({
        busy: false,
        message: `Could not export: ${error instanceof Error ? error.message : String(error)}`,
        error: true,
      });
    }
  };

  return (
    <div className="export-markdown">
      <button
        type="button"
        className="button"
        aria-expanded={open}
        aria-controls={`${id}-dialog`}
        onClick={() => setOpen((o) => !o)}
      >
        Export as Markdown
      </button>
      {open ? (
        <div
          role="dialog"
          aria-label="Export as Markdown"
          id={`${id}-dialog`}
          className="export-markdown__dialog"
        >
          {meeting.seriesId && !seriesOnly ? (
            <fieldset>
              <legend>What to export</legend>
              <label>
                <input
                  type="radio"
                  name={`${id}-scope`}
                  checked={scope === 'meeting'}
                  onChange={() => setScope('meeting')}
                />{' '}
                This meeting
              </label>
              <label>
                <input
                  type="radio"
                  name={`${id}-scope`}
                  checked={scope === 'series'}
                  onChange={() => setScope('series')}
                />{' '}
                The whole series
              </label>
            </fieldset>
          ) : null}
          <label>
            <input
              type="checkbox"
              checked={includePrivate}
              onChange={(e) => setIncludePrivate(e.target.checked)}
            />{' '}
            Include my private notes
          </label>
          <p className="muted">
            Agenda, action items and shared notes are always in the file; your private notes only when ticked.
          </p>
          <div className="export-markdown__actions">
            <button
              type="button"
              className="button button--primary"
              disabled={state.busy}
              onClick={() => void run()}
            >
              {state.busy ? 'Exporting…' : 'Download'}
            </button>
            <button type="button" className="button" onClick={() => setOpen(false)}>
              Close
            </button>
          </div>
          {state.message ? (
            <p role="status" className={state.error ? 'field__error' : 'muted'}>
              {state.message}
            </p>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
