// The engine's Meeting and RxDB's MeetingDoc are one shape (docs/architecture.md §2): the stored
// schema is checked against src-shared/meeting/model.ts by the compiler (schema-type.ts). These
// cases prove the check bites: each drift below must be a type error (an unused `@ts-expect-error`
// fails `npm run typecheck`), and the real schemas must pass.
import { describe, expect, it } from 'vitest';
import type { Meeting } from '../../../src-shared/engine/model';
import type { CalendarLink, MeetingDoc, SeriesDoc } from '../../../src-shared/meeting/model';
import type { calendarLinkSchema, meetingsSchema } from '../../../src-renderer/src/db/schemas/meetings';
import type { SchemaIs } from '../../../src-renderer/src/db/schemas/schema-type';
import type { seriesSchema } from '../../../src-renderer/src/db/schemas/series';

type Schema = typeof meetingsSchema;
type Props = Schema['properties'];
type WithProps<P> = Omit<Schema, 'properties'> & { properties: P };
type LinkSchema = typeof calendarLinkSchema;

describe('one meeting shape', () => {
  it('the engine reconciles the very type RxDB stores', () => {
    const same: [Meeting] extends [MeetingDoc] ? ([MeetingDoc] extends [Meeting] ? true : false) : false = true;
    expect(same).toBe(true);
  });

  it('the stored schemas are exactly MeetingDoc, CalendarLink and SeriesDoc', () => {
    const meeting: SchemaIs<Schema, MeetingDoc> = true;
    const link: SchemaIs<LinkSchema, CalendarLink> = true;
    const series: SchemaIs<typeof seriesSchema, SeriesDoc> = true;
    expect([meeting, link, series]).toEqual([true, true, true]);
  });

  it('a field dropped, added, retyped or made optional on one side is a compile error', () => {
    // @ts-expect-error the schema lost a field MeetingDoc has
    const dropped: SchemaIs<WithProps<Omit<Props, 'roomId'>>, MeetingDoc> = true;
    // @ts-expect-error the schema has a field MeetingDoc lacks
    const added: SchemaIs<WithProps<Props & { extra: { type: 'string' } }>, MeetingDoc> = true;
    // @ts-expect-error start stored as a string while MeetingDoc says epoch ms
    const retyped: SchemaIs<WithProps<Omit<Props, 'start'> & { start: { type: 'string' } }>, MeetingDoc> = true;
    // @ts-expect-error roomId optional in the schema, required in MeetingDoc
    const loosened: SchemaIs<Omit<Schema, 'required'> & { required: readonly Exclude<Schema['required'][number], 'roomId'>[] }, MeetingDoc> = true;
    type WideLink = Omit<LinkSchema, 'properties'> & {
      properties: Omit<LinkSchema['properties'], 'provider'> & { provider: { type: 'string'; enum: readonly ['google', 'yahoo'] } };
    };
    // @ts-expect-error a provider the link type does not allow
    const widened: SchemaIs<WideLink, CalendarLink> = true;
    // The proof is `npm run typecheck` (each line above must fail to compile); at run time they are plain values.
    expect([dropped, added, retyped, loosened, widened] as boolean[]).toHaveLength(5);
  });
});
