// People the user has 1:1s with. Emails (primary and aliases) are stored trimmed and lower-cased:
// calendar attendees are matched case-insensitively, and a lower-cased index makes "who is
// this address" one indexed lookup.
import { defineCollection, emailField, idField, timestampField } from './define';

export interface PersonDoc {
  id: string;
  name: string;
  /** Lower-cased primary email. */
  email: string;
  /** Other addresses of the same person, lower-cased; never contains `email`. */
  aliases: string[];
  /** Lower-cased email of this person's manager, '' when unknown. */
  managerEmail: string;
  /** ISO date (YYYY-MM-DD) the person started, '' when unknown; drives tenure cadence rules. */
  startDate: string;
  directReport: boolean;
  createdAt: number;
  updatedAt: number;
}

export const peopleCollection = defineCollection<PersonDoc>({
  schema: {
    title: 'people',
    description: 'People the user meets 1:1, with every email address they appear under',
    version: 0,
    primaryKey: 'id',
    type: 'object',
    properties: {
      id: idField,
      name: { type: 'string', maxLength: 200 },
      email: emailField,
      aliases: { type: 'array', items: emailField },
      managerEmail: emailField,
      startDate: { type: 'string', maxLength: 10 },
      directReport: { type: 'boolean' },
      createdAt: timestampField,
      updatedAt: timestampField,
    },
    required: [
      'id',
      'name',
      'email',
      'aliases',
      'managerEmail',
      'startDate',
      'directReport',
      'createdAt',
      'updatedAt',
    ],
    indexes: ['email'],
  },
  migrationStrategies: {},
});
