// Which events the "Add the Duet link to 1:1 events I organize" option proposes to main
// (docs/architecture.md §6, "Links on imported events"): the events behind imported, linked 1:1s
// the user organizes, one per event (a series' master once, however many of its meetings are
// listed), never an event Duet created (its tag is already there: `managedByApp`). Pure. Main
// checks the organizer and the tags again on the event itself before writing anything.
import type { ImportedLinkItem } from '../../../../src-shared/bridge/imported-links-contract';
import type { MeetingDoc } from '../../../../src-shared/meeting/model';

/**
 * `selfByAccount`: each connected account's id → the user's address on it (the import's `self`).
 * The link names the series' next meeting (the one a click from the calendar most likely wants),
 * or its latest when all have ended.
 */
export function importedLinkCandidates(
  meetings: readonly MeetingDoc[],
  selfByAccount: ReadonlyMap<string, string>,
  now: number,
): ImportedLinkItem[] {
  const chosen = new Map<string, { item: ImportedLinkItem; meeting: MeetingDoc }>();
  // A series one of whose meetings reads Duet's tag has it on its master already (an exception
  // listed on its own may not show it): nothing to propose for it.
  const tagged = new Set<string>();
  const better = (a: MeetingDoc, b: MeetingDoc): boolean => {
    const aComing = a.end > now;
    const bComing = b.end > now;
    if (aComing !== bComing) return aComing;
    if (a.start !== b.start) return aComing ? a.start < b.start : a.start > b.start;
    return a.id < b.id;
  };
  for (const m of meetings) {
    const link = m.calendarLink;
    if (m.source !== 'calendar' || m.linkState !== 'linked' || m.state !== 'scheduled' || !link) continue;
    if (link.provider === 'sandbox') continue;
    const self = selfByAccount.get(link.accountId);
    if (!self || m.owner.toLowerCase() !== self.toLowerCase()) continue;
    const eventId = link.recurringEventId || link.eventId;
    if (!eventId || !link.calendarId) continue;
    const key = JSON.stringify([link.accountId, link.calendarId, eventId]);
    if (link.managedByApp) {
      tagged.add(key);
      continue;
    }
    const held = chosen.get(key);
    if (held && !better(m, held.meeting)) continue;
    chosen.set(key, {
      meeting: m,
      item: { accountId: link.accountId, calendarId: link.calendarId, eventId, meetingId: m.id },
    });
  }
  return [...chosen.entries()]
    .filter(([key]) => !tagged.has(key))
    .map(([, c]) => c.item).sort((a, b) => (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0));
}
