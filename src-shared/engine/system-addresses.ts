// Addresses that are calendars, not people: Google rooms/resources, secondary and imported
// calendars (an event created on a team calendar has that calendar as organizer).
const SYSTEM_SUFFIXES = [
  '@resource.calendar.google.com',
  '@group.calendar.google.com',
  '@group.v.calendar.google.com',
  '@import.calendar.google.com',
];

export function isSystemAddress(lower: string): boolean {
  if (!lower.endsWith('.com')) return false;
  for (const s of SYSTEM_SUFFIXES) if (lower.endsWith(s)) return true;
  return false;
}
