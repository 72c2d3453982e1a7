// Provider payloads → the engine's provider-neutral event model.
export { normalizeGoogleEvent, normalizeGoogleEvents, type GoogleEvent, type CalendarRef } from './google';
export { normalizeGraphEvent, normalizeGraphEvents, graphRecurrenceToRRule, type GraphEvent, type GraphCalendarRef } from './graph';
export { zonedIso, ianaZone } from './zoned-time';
