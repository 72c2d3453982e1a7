// The document type a JSON schema describes, computed by the compiler from the schema literal
// itself (the subset Duet's schemas use: string, number, boolean, enum, array, object with
// `required`). A collection whose documents are a shape defined elsewhere (MeetingDoc and SeriesDoc
// live in src-shared/meeting/model.ts, where the engine reconciles them) states
// `const check: SchemaIs<typeof schema, Doc> = true`, so a field added, dropped, retyped or made
// optional on one side only fails `npm run typecheck` (docs/architecture.md §2).

type Simplify<T> = { [K in keyof T]: T[K] } & unknown;

type Mutable<T> = T extends readonly (infer U)[] ? U[] : T;

/** The value a property schema describes. */
export type ValueOf<P> = P extends { enum: readonly (infer E)[] }
  ? E
  : P extends { type: 'string' }
    ? string
    : P extends { type: 'number' | 'integer' }
      ? number
      : P extends { type: 'boolean' }
        ? boolean
        : P extends { type: 'array'; items: infer I }
          ? Mutable<readonly ValueOf<I>[]>
          : P extends { type: 'object'; properties: infer Props }
            ? DocOf<{ properties: Props; required: P extends { required: infer R } ? R : readonly [] }>
            : P extends { type: 'object' }
              ? Record<string, unknown>
              : unknown;

/** Properties named in `required` are required; every other one is optional. */
export type DocOf<S> = S extends { properties: infer Props; required: readonly (infer R)[] }
  ? Simplify<
      { -readonly [K in keyof Props as K extends R ? K : never]: ValueOf<Props[K]> } & {
        -readonly [K in keyof Props as K extends R ? never : K]?: ValueOf<Props[K]>;
      }
    >
  : S extends { properties: infer Props }
    ? Simplify<{ -readonly [K in keyof Props]?: ValueOf<Props[K]> }>
    : never;

/** Exact equality (optional vs required, readonly, and every field's type included). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/** Deeply flattened, so two equal shapes written differently compare equal. */
type Deep<T> = T extends (infer U)[] ? Deep<U>[] : T extends object ? { [K in keyof T]: Deep<T[K]> } : T;

/** `true` exactly when the schema's documents are `Doc`, field for field; `false` otherwise. */
export type SchemaIs<S, Doc> = Equal<Deep<DocOf<S>>, Deep<Doc>>;
