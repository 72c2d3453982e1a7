// The scan file's meetings (issue 4's JSON format, kept for the CLI, support tools and fixtures)
// meet the engine's one meeting shape here and nowhere else: a file's meeting becomes the document
// the app would store, and a result goes back to the file's form. The app never comes this way:
// it hands the engine its RxDB documents as they are (src-shared/meeting/detection.ts).
import type { MeetingDoc } from '../meeting/model';
import { linkOf } from './meeting-link';
import type { EngineInput, Meeting, Scenario, ScanMeeting } from './model';
import { instantOf, toIso } from './time';

export function fromScanMeeting(m: ScanMeeting): MeetingDoc {
  const doc: MeetingDoc = {
    id: m.id,
    seriesId: '',
    title: m.title ?? '',
    start: instantOf(m.start),
    end: instantOf(m.end),
    participants: [m.participants[0], m.participants[1]],
    owner: '',
    source: 'calendar',
    linkState: m.link ? 'linked' : 'unlinked',
    state: 'scheduled',
    roomId: '',
    createdAt: 0,
    updatedAt: 0,
  };
  if (m.link) {
    const t = m.link.instanceStart === undefined ? undefined : instantOf(m.link.instanceStart);
    doc.calendarLink = {
      provider: 'google',
      accountId: '',
      calendarId: '',
      eventId: m.link.eventId,
      iCalUID: '',
      // A file link with an instance start names (master, original start): the canonical form.
      recurringEventId: t === undefined ? '' : m.link.eventId,
      originalStart: t ?? 0,
      instanceStart: t ?? 0,
      etag: '',
      managedByApp: false,
    };
  }
  return doc;
}

export function toScanMeeting(m: Meeting, hasContent: boolean): ScanMeeting {
  const link = linkOf(m);
  return {
    id: m.id,
    participants: [m.participants[0] ?? '', m.participants[1] ?? ''],
    title: m.title,
    start: toIso(m.start),
    end: toIso(m.end),
    link: link ? (link.instanceStart === undefined ? { eventId: link.eventId } : { eventId: link.eventId, instanceStart: toIso(link.instanceStart) }) : null,
    hasContent,
  };
}

export function fromScanFile(s: Scenario): EngineInput {
  const { meetings, ...rest } = s;
  const input: EngineInput = rest;
  if (meetings) {
    input.meetings = meetings.map(fromScanMeeting);
    input.withContent = new Set(meetings.filter((m) => m.hasContent === true).map((m) => m.id));
  }
  return input;
}
