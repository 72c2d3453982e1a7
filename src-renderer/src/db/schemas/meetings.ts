// One occurrence of a 1:1 (docs/architecture.md §2). The shared agenda, action items and shared notes are NOT
// here: they live in the meeting's Y.Doc (room `roomId`). Private notes are their own collection.
import { defineCollection, emailField, idField, timestampField } from './define';

export const calendarProviders = ['google', 'microsoft', 'sandbox'] as const;
export type CalendarProvider = (typeof calendarProviders)[number];

export interface CalendarLink {
  provider: CalendarProvider;
  accountId: string;
  calendarId: string;
  eventId: string;
  iCalUID: string;
  /** '' for a one-off event. */
  recurringEventId: string;
  /** Original start of a moved instance (ms), 0 when not an exception. */
  originalStart: number;
  /** Start of the occurrence when Duet expanded it from a recurring master itself (ms), else 0. */
  instanceStart: number;
  etag: string;
  /** True only for events Duet created (and may therefore reschedule or cancel). */
  managedByApp: boolean;
}

export type LinkState = 'linked' | 'unlinked' | 'disconnected';
export type MeetingState = 'scheduled' | 'cancelled' | 'archived';

export interface MeetingDoc {
  id: string;
  /** '' for a one-off meeting; required so it can lead the by-series index. */
  seriesId: string;
  title: string;
  start: number;
  end: number;
  /** The two participants' primary emails, lower-cased and sorted. */
  participants: string[];
  /** Email of whoever owns the meeting (created it in the app or organizes the event). */
  owner: string;
  source: 'calendar' | 'app';
  calendarLink?: CalendarLink;
  linkState: LinkState;
  state: MeetingState;
  roomId: string;
  createdAt: number;
  updatedAt: number;
}

export const calendarLinkSchema = {
  type: 'object',
  properties: {
    provider: { type: 'string', enum: [...calendarProviders] },
    accountId: { type: 'string' },
    calendarId: { type: 'string' },
    eventId: { type: 'string' },
    iCalUID: { type: 'string' },
    recurringEventId: { type: 'string' },
    originalStart: { type: 'number' },
    instanceStart: { type: 'number' },
    etag: { type: 'string' },
    managedByApp: { type: 'boolean' },
  },
  required: [
    'provider',
    'accountId',
    'calendarId',
    'eventId',
    'iCalUID',
    'recurringEventId',
    'originalStart',
    'instanceStart',
    'etag',
    'managedByApp',
  ],
} as const;

export const meetingsCollection = defineCollection<MeetingDoc>({
  schema: {
    title: 'meetings',
    description: 'Occurrences of 1:1 meetings, linked to calendar events or created in the app',
    version: 0,
    primaryKey: 'id',
    type: 'object',
    properties: {
      id: idField,
      seriesId: idField,
      title: { type: 'string', maxLength: 500 },
      start: timestampField,
      end: timestampField,
      participants: { type: 'array', items: emailField, minItems: 2, maxItems: 2 },
      owner: emailField,
      source: { type: 'string', enum: ['calendar', 'app'] },
      calendarLink: calendarLinkSchema,
      linkState: { type: 'string', enum: ['linked', 'unlinked', 'disconnected'] },
      state: { type: 'string', enum: ['scheduled', 'cancelled', 'archived'], maxLength: 12 },
      roomId: { type: 'string', maxLength: 200 },
      createdAt: timestampField,
      updatedAt: timestampField,
    },
    required: [
      'id',
      'seriesId',
      'title',
      'start',
      'end',
      'participants',
      'owner',
      'source',
      'linkState',
      'state',
      'roomId',
      'createdAt',
      'updatedAt',
    ],
    // Up next / Meetings list by time; a series page lists its meetings by time; the Meetings
    // list filters archived ones out by state.
    indexes: ['start', ['seriesId', 'start'], ['state', 'start']],
  },
  migrationStrategies: {},
});
