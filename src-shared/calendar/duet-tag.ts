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

/**
 * Set (value "1") beside the tag on an imported event when the "add the Duet link to 1:1 events I
 * organize" option wrote the link and the tag: it tells those events from the ones Duet created,
 * so turning the option off finds exactly what it added (docs/architecture.md §6).
 */
export const DUET_LINK_ADDED_PROPERTY = 'duetLinkAdded';

/** The Graph single-value extended property id of that mark. */
export const GRAPH_DUET_LINK_ADDED_PROPERTY_ID = `String {${DUET_PROPERTY_SET_GUID}} Name ${DUET_LINK_ADDED_PROPERTY}`;
