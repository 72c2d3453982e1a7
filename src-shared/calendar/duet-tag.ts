// How Duet tags the calendar events it creates (docs/architecture.md §6): the Duet meeting id, in a
// Google private extended property and in a Graph single-value extended property. Only events
// carrying this tag are ever written to. The GUID names Duet's own property set; it is fixed
// forever, since events created by older versions must still be recognised.

/** Duet's MAPI property-set GUID for Graph single-value extended properties. */
export const DUET_PROPERTY_SET_GUID = '8d541765-7c3b-4a28-ae8b-682d6014aaf6';

/** The property name, in Google `extendedProperties.private` and in the Graph property id. */
export const DUET_MEETING_ID_PROPERTY = 'duetMeetingId';

/** The Graph single-value extended property id holding the Duet meeting id. */
export const GRAPH_DUET_MEETING_ID_PROPERTY_ID = `String {${DUET_PROPERTY_SET_GUID}} Name ${DUET_MEETING_ID_PROPERTY}`;

/** Graph compares extended property ids without regard to case (GUID hex digits, the `String` and `Name` words). */
export function isDuetMeetingIdProperty(id: string): boolean {
  return id.toLowerCase() === GRAPH_DUET_MEETING_ID_PROPERTY_ID.toLowerCase();
}
