// Export as Markdown (docs/architecture.md §5, "Export"): gathers a meeting, or every meeting of
// its series, from this device (each doc's local copy through the page's doc cache, names from
// the team, private notes only when asked and through their codec) and hands the file to the
// browser as a download. In the desktop app Electron asks where to save a download with its own
// save dialog, so one path serves both modes and nothing new crosses the bridge.
import type { DuetApi } from '../../../../src-shared/bridge/contract';
import {
  markdownFileName,
  meetingToMarkdown,
  seriesToMarkdown,
  type ExportMeeting,
  type ExportOptions,
} from '../../../../src-shared/workspace/markdown-export';
import type { DuetDatabase } from '../../db/database';
import { privateNoteCodecs, readPrivateNote } from '../../db/private-notes';
import type { MeetingDoc } from '../../db/schemas';
import { timeRange } from '../meetings/meeting-format';
import { meetingDocs, type MeetingDocCache } from './meeting-doc-cache';
import { displayName } from './use-meeting-workspace';

export interface ExportRequest {
  meeting: MeetingDoc;
  scope: 'meeting' | 'series';
  includePrivateNotes: boolean;
  /** The signed-in user's email: whose private notes. */
  me: string;
}

export interface MarkdownFile {
  name: string;
  text: string;
}

export async function buildMarkdownExport(
  db: DuetDatabase,
  bridge: DuetApi,
  req: ExportRequest,
  docs: MeetingDocCache = meetingDocs,
): Promise<MarkdownFile> {
  const people = await db.people.find().exec();
  const nameOf = (email: string): string =>
    people.find((p) => p.email === email || p.aliases.includes(email))?.name ?? displayName(email);
  const options: ExportOptions = {
    // A file outlives "today": always the full date, in the user's zone and language.
    formatWhen: (start, end) =>
      `${new Date(start).toLocaleDateString(undefined, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' })}, ${timeRange(start, end)}`,
    nameOf,
  };
  const series = req.scope === 'series' && req.meeting.seriesId;
  const meetings = series
    ? (
        await db.meetings
          .find({ selector: { seriesId: req.meeting.seriesId }, sort: [{ start: 'asc' }] })
          .exec()
      ).map((d) => d.toMutableJSON())
    : [req.meeting];
  const codecs = req.includePrivateNotes ? await privateNoteCodecs(bridge) : null;

  const held = meetings.map((m) => docs.acquire(m.id));
  try {
    const parts: ExportMeeting[] = [];
    for (let i = 0; i < meetings.length; i++) {
      const m = meetings[i]!;
      await held[i]!.loaded;
      const part: ExportMeeting = {
        title: m.title,
        start: m.start,
        end: m.end,
        people: m.participants.map(nameOf),
        doc: held[i]!.doc,
      };
      // An unreadable note fails the export with its reason: never a file silently without it.
      if (codecs) part.privateNotes = await readPrivateNote(db.privateNotes, m.id, req.me, { codecs });
      parts.push(part);
    }
    if (series) {
      const s = await db.series.findOne(req.meeting.seriesId).exec();
      const title = s?.title || req.meeting.title;
      return { name: markdownFileName(`${title} series`), text: seriesToMarkdown(title, parts, options) };
    }
    return {
      name: markdownFileName(req.meeting.title, req.meeting.start),
      text: meetingToMarkdown(parts[0]!, options),
    };
  } finally {
    for (const h of held) h.release();
  }
}

/** Hands the file to the browser as a download (Electron: its save dialog). */
export function downloadFile(file: MarkdownFile, doc: Document = document): void {
  const url = URL.createObjectURL(new Blob([file.text], { type: 'text/markdown;charset=utf-8' }));
  const a = doc.createElement('a');
  a.href = url;
  a.download = file.name;
  a.hidden = true;
  doc.body.append(a);
  a.click();
  a.remove();
  // The download has its own copy by then; the URL only needs to outlive the click.
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}
