// Live open action items across meetings (open-items.ts), from two RxDB queries: the meetings and
// the projections with an open item (an indexed field), never a Y.Doc per meeting.
import { useMemo } from 'react';
import { useDb } from '../../app/services';
import { useLiveDocs } from '../../db/live-query';
import type { MeetingContentDoc, MeetingDoc } from '../../db/schemas';
import { useMeetingContext, type MeetingContext } from '../meetings/use-meeting-context';
import { openItems, type OpenItem } from './open-items';

export interface LiveOpenItems {
  ready: boolean;
  items: OpenItem[];
  meetings: MeetingDoc[];
  context: MeetingContext;
}

/** Open items of the meetings `keep` accepts (all when absent). Pass a stable `keep`. */
export function useOpenItems(keep?: (m: MeetingDoc) => boolean): LiveOpenItems {
  const db = useDb();
  const meetingsQuery = useMemo(() => db.meetings.find({ sort: [{ start: 'asc' }] }), [db]);
  const contentQuery = useMemo(() => db.meetingContent.find({ selector: { openItems: { $gt: 0 } } }), [db]);
  const meetings = useLiveDocs<MeetingDoc>(meetingsQuery);
  const contents = useLiveDocs<MeetingContentDoc>(contentQuery);
  const context = useMeetingContext();
  const kept = useMemo(() => (keep ? meetings.value.filter(keep) : meetings.value), [meetings.value, keep]);
  const items = useMemo(
    () => openItems(kept, contents.value, context.people, context.selves),
    [kept, contents.value, context.people, context.selves],
  );
  return { ready: meetings.ready && contents.ready, items, meetings: kept, context };
}
