// Provider payloads → the engine's provider-neutral event model.
export {
  normalizeGoogleEvent,
  normalizeGoogleEvents,
  normalizeGoogleChange,
  normalizeGoogleChanges,
  type GoogleEvent,
  type CalendarRef,
} from './google';
export {
  normalizeGraphEvent,
  normalizeGraphEvents,
  normalizeGraphChange,
  normalizeGraphChanges,
  graphRecurrenceToRRule,
  type GraphEvent,
  type GraphCalendarRef,
} from './graph';
export { zonedIso, ianaZone } from './zoned-time';
export { DUET_MEETING_ID_PROPERTY, DUET_PROPERTY_SET_GUID, GRAPH_DUET_MEETING_ID_PROPERTY_ID, isDuetMeetingIdProperty } from './duet-tag';
export { videoUrl, videoUrlInText } from './join-url';
export { LIMITS, fitEvent } from './limits';
export { isTombstone } from './change-schema';
