// One occurrence of a 1:1 (docs/architecture.md §2). The shared agenda, action items and shared notes are NOT
// here: they live in the meeting's Y.Doc (room `roomId`). Private notes are their own collection.
import {
  calendarLinkProviders,
  type CalendarLink,
  type CalendarLinkProvider,
  type LinkState,
  type MeetingDoc,
  type MeetingState,
} from '../../../../src-shared/meeting/model';
import { defineCollection, emailField, idField, timestampField } from './define';
import type { SchemaIs } from './schema-type';

// The shape itself is defined once, in src-shared/meeting/model.ts (the engine and links use it too).
export const calendarProviders = calendarLinkProviders;
export type CalendarProvider = CalendarLinkProvider;
export type { CalendarLink, LinkState, MeetingDoc, MeetingState };

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

/**
 * The stored meeting: the JSON schema of src-shared/meeting/model.ts's MeetingDoc, the one shape the
 * engine reconciles, the ingest writes and the UI reads (docs/architecture.md §2). The check below
 * makes the compiler refuse any drift between the two.
 */
export const meetingsSchema = {
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
} as const;

// Compile-time: the schema's documents are exactly MeetingDoc (schema-type.ts).
export const meetingsSchemaIsMeetingDoc: SchemaIs<typeof meetingsSchema, MeetingDoc> = true;
export const calendarLinkSchemaIsCalendarLink: SchemaIs<typeof calendarLinkSchema, CalendarLink> = true;

export const meetingsCollection = defineCollection<MeetingDoc>({
  schema: meetingsSchema,
  migrationStrategies: {},
});
