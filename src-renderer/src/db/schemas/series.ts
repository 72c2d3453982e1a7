// A recurring 1:1 between the same two people (docs/architecture.md §2–3).
import { defineCollection, emailField, idField, timestampField } from './define';
import { cadences, type Cadence, type SeriesDoc } from '../../../../src-shared/meeting/model';
import { calendarLinkSchema } from './meetings';
import type { SchemaIs } from './schema-type';

// The shape is defined once, in src-shared/meeting/model.ts.
export { cadences };
export type { Cadence, SeriesDoc };

/** The stored series: the JSON schema of src-shared/meeting/model.ts's SeriesDoc (checked below). */
export const seriesSchema = {
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
} as const;

// Compile-time: the schema's documents are exactly SeriesDoc (schema-type.ts).
export const seriesSchemaIsSeriesDoc: SchemaIs<typeof seriesSchema, SeriesDoc> = true;

export const seriesCollection = defineCollection<SeriesDoc>({
  schema: seriesSchema,
  migrationStrategies: {},
});
