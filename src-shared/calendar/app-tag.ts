// The tag that marks a calendar event as created and managed by Duet (docs/architecture.md §6):
// Duet writes (reschedules, cancels) only events carrying it. Both the provider adapters (which
// write it) and the normalizers (which read it into `CalendarEvent.duetMeetingId`) use these.

/** Google: the key of a private extended property (`extendedProperties.private`). */
export const DUET_TAG_NAME = 'duetMeetingId';

/**
 * Microsoft Graph: a single-value extended property needs a property-set GUID of its own; this
 * one is Duet's and must never change, or events Duet created stop being recognised.
 */
export const DUET_GRAPH_PROPERTY_SET = '8d3c5b0e-6f1a-4e57-9a63-2b7f0c4d1e9a';

/** The full Graph extended-property id: `String {GUID} Name duetMeetingId`. */
export const DUET_GRAPH_PROPERTY_ID = `String {${DUET_GRAPH_PROPERTY_SET}} Name ${DUET_TAG_NAME}`;
