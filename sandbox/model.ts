// The sandbox's data model. Events are stored ONCE, in Google Calendar's v3 event shape (the
// scenario format), and each face renders them in its own shape for a given viewer.

export interface GDateTime {
  date?: string;
  dateTime?: string;
  timeZone?: string;
}

export interface GAttendee {
  email: string;
  displayName?: string;
  organizer?: boolean;
  self?: boolean;
  resource?: boolean;
  optional?: boolean;
  responseStatus?: 'needsAction' | 'declined' | 'tentative' | 'accepted';
  comment?: string;
  additionalGuests?: number;
}

export interface GPerson {
  email?: string;
  displayName?: string;
  self?: boolean;
  id?: string;
}

export interface GEntryPoint {
  entryPointType: 'video' | 'phone' | 'sip' | 'more';
  uri: string;
  label?: string;
  meetingCode?: string;
}

export interface GConferenceData {
  createRequest?: {
    requestId: string;
    conferenceSolutionKey?: { type: string };
    status?: { statusCode: 'pending' | 'success' | 'failure' };
  };
  entryPoints?: GEntryPoint[];
  conferenceSolution?: { key: { type: string }; name: string; iconUri?: string };
  conferenceId?: string;
  notes?: string;
}

export interface GEvent {
  kind?: 'calendar#event';
  etag?: string;
  id?: string;
  status?: 'confirmed' | 'tentative' | 'cancelled';
  htmlLink?: string;
  created?: string;
  updated?: string;
  summary?: string;
  description?: string;
  location?: string;
  colorId?: string;
  creator?: GPerson;
  organizer?: GPerson;
  start?: GDateTime;
  end?: GDateTime;
  endTimeUnspecified?: boolean;
  recurrence?: string[];
  recurringEventId?: string;
  originalStartTime?: GDateTime;
  transparency?: 'opaque' | 'transparent';
  visibility?: 'default' | 'public' | 'private' | 'confidential';
  iCalUID?: string;
  sequence?: number;
  attendees?: GAttendee[];
  attendeesOmitted?: boolean;
  extendedProperties?: { private?: Record<string, string>; shared?: Record<string, string> };
  hangoutLink?: string;
  conferenceData?: GConferenceData;
  guestsCanInviteOthers?: boolean;
  guestsCanModify?: boolean;
  guestsCanSeeOtherGuests?: boolean;
  reminders?: { useDefault: boolean; overrides?: Array<{ method: string; minutes: number }> };
  eventType?: 'default' | 'outOfOffice' | 'focusTime' | 'workingLocation' | 'birthday' | 'fromGmail';
  focusTimeProperties?: Record<string, unknown>;
  outOfOfficeProperties?: Record<string, unknown>;
}

export interface Person {
  email: string;
  name: string;
  aliases: string[];
  /** Rooms and other resources: they never sign in and own no calendar. */
  resource: boolean;
  /** Google's numeric account id (id token `sub`). */
  googleId: string;
  /** Entra object id (Graph user id, id token `oid`). */
  objectId: string;
  /** Org chart (Graph /me/manager, /me/directReports): the manager's primary email. */
  manager?: string;
  /** Graph `employeeHireDate` (YYYY-MM-DD). */
  hireDate?: string;
}

export interface Calendar {
  id: string;
  owner: string;
  summary: string;
  timeZone: string;
  primary: boolean;
  description?: string;
}

/** One stored event: a single event, a recurring master, or an exception of a master. */
export interface StoredEvent {
  id: string;
  calendarId: string;
  /** Google-shaped resource, without per-viewer fields (self flags, kind, etag, htmlLink). */
  data: GEvent;
  /** Global change sequence number of the last change; etags derive from it. */
  seq: number;
  /** Removed for good (Graph: gone for everyone). Google still shows a cancelled tombstone. */
  purged: boolean;
  /** Emails of attendees who deleted the event from their own calendar. */
  hiddenFor: string[];
  /** Graph extended property ids keyed by the private property name they map to. */
  graphPropertyIds: Record<string, string>;
  /** Graph's client-chosen transactionId (idempotent creates). */
  graphTransactionId?: string;
}

/** The scenario format accepted by POST /_admin/scenario and --seed FILE. */
export interface Scenario {
  /** The person who signs in by default (auto-approve, consent page preselection). */
  me?: string;
  people: Array<{ email: string; name?: string; aliases?: string[]; resource?: boolean; manager?: string; hireDate?: string }>;
  calendars?: Array<{ id: string; owner: string; summary?: string; timeZone?: string; primary?: boolean; description?: string }>;
  events?: Array<GEvent & { calendarId?: string }>;
  /** Default time zone for people's primary calendars. */
  timeZone?: string;
}
