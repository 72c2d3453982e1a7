// A recurring 1:1 between the same two people (docs/architecture.md §2–3).
import { defineCollection, emailField, idField, timestampField } from './define';
import { calendarLinkSchema, type CalendarLink, type LinkState } from './meetings';

export const cadences = ['weekly', 'biweekly', 'triweekly', 'monthly', 'irregular'] as const;
export type Cadence = (typeof cadences)[number];

export interface SeriesDoc {
  id: string;
  title: string;
  /** The two participants' primary emails, lower-cased and sorted. */
  participants: string[];
  cadence: Cadence;
  /** Link to the recurring master event, absent for series made of loose instances. */
  calendarLink?: CalendarLink;
  linkState: LinkState;
  archived: boolean;
  createdAt: number;
  updatedAt: number;
}

export const seriesCollection = defineCollection<SeriesDoc>({
  schema: {
    title: 'series',
    description: 'Recurring 1:1 series between two people',
    version: 0,
    primaryKey: 'id',
    type: 'object',
    properties: {
      id: idField,
      title: { type: 'string', maxLength: 500 },
      participants: { type: 'array', items: emailField, minItems: 2, maxItems: 2 },
      cadence: { type: 'string', enum: [...cadences] },
      calendarLink: calendarLinkSchema,
      linkState: { type: 'string', enum: ['linked', 'unlinked', 'disconnected'] },
      archived: { type: 'boolean' },
      createdAt: timestampField,
      updatedAt: timestampField,
    },
    required: ['id', 'title', 'participants', 'cadence', 'linkState', 'archived', 'createdAt', 'updatedAt'],
    indexes: ['updatedAt'],
  },
  migrationStrategies: {},
});
