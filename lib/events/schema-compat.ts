// The event schemas as subscribers see them (one JSON Schema per detail-type and major version,
// published in docs/schemas/events/ and the stack's schema registry), and what counts as breaking them.
// Within a major version a schema may only grow: a new optional property, a new event type. Anything a
// subscriber relies on — a property, its being always there, its type, the values it can take — stays.
import { z } from 'zod';
import { EVENT_DETAIL_TYPES, EVENT_SCHEMAS, type EventDetailType, SCHEMA_VERSION } from './catalogue.ts';

type Schema = Record<string, unknown>;

/** The major version of the catalogue's schemas: the folder of docs/schemas/events/. */
export const SCHEMA_MAJOR = `v${SCHEMA_VERSION.split('.')[0]}`;

/** Subscribers ignore what they do not know: a published schema never forbids more properties. */
function open(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(open);
  if (!schema || typeof schema !== 'object') return schema;
  return Object.fromEntries(
    Object.entries(schema as Schema)
      .filter(([key, value]) => !(key === 'additionalProperties' && value === false))
      .map(([key, value]) => [key, open(value)]),
  );
}

/** A schema of a major version covers each of its minor versions. */
const schemaVersionField = {
  type: 'string',
  pattern: `^${SCHEMA_VERSION.split('.')[0]}\\.\\d+$`,
  description: `major.minor: this schema covers every ${SCHEMA_VERSION.split('.')[0]}.x (now ${SCHEMA_VERSION})`,
};

function withVersionField(schema: Schema): Schema {
  const properties = schema.properties as Record<string, Schema>;
  return { ...schema, properties: { ...properties, schemaVersion: schemaVersionField } };
}

/** The published JSON Schema (draft 2020-12) of an event's detail. */
function publishedSchema(type: EventDetailType): Schema {
  return {
    ...withVersionField(open(z.toJSONSchema(EVENT_SCHEMAS[type])) as Schema),
    $id: `https://bakery-planner.dev/schemas/events/${SCHEMA_MAJOR}/${type}.json`,
    title: type,
  };
}

const typeOf = (s: Schema) => JSON.stringify(s.type ?? null);
const valuesOf = (s: Schema): unknown[] | null =>
  s.const !== undefined ? [s.const] : Array.isArray(s.enum) ? (s.enum as unknown[]) : null;

/** How `next` breaks a subscriber written against `previous` (empty: it does not). */
export function breakingChanges(previous: Schema, next: Schema, at = '$'): string[] {
  const changes: string[] = [];
  if (typeOf(previous) !== typeOf(next)) changes.push(`${at}: type ${typeOf(previous)} became ${typeOf(next)}`);
  const before = valuesOf(previous);
  const after = valuesOf(next);
  if (before && (!after || after.some((v) => !before.some((b) => JSON.stringify(b) === JSON.stringify(v)))))
    changes.push(`${at}: can now take values outside ${JSON.stringify(before)}`);
  const props = (s: Schema) => (s.properties ?? {}) as Record<string, Schema>;
  const required = (s: Schema) => new Set((s.required ?? []) as string[]);
  for (const [name, schema] of Object.entries(props(previous))) {
    const now = props(next)[name];
    if (!now) changes.push(`${at}.${name}: removed`);
    else {
      if (required(previous).has(name) && !required(next).has(name))
        changes.push(`${at}.${name}: no longer always present`);
      changes.push(...breakingChanges(schema, now, `${at}.${name}`));
    }
  }
  for (const key of ['items', 'additionalProperties'] as const) {
    const a = previous[key];
    const b = next[key];
    if (a && typeof a === 'object' && b && typeof b === 'object')
      changes.push(...breakingChanges(a as Schema, b as Schema, `${at}.${key === 'items' ? '[]' : '*'}`));
  }
  return changes;
}

/** Every detail-type's published schema, by file name under docs/schemas/events/<major>/. */
export function publishedSchemas(): Record<string, Schema> {
  return Object.fromEntries(EVENT_DETAIL_TYPES.map((type) => [`${type}.json`, publishedSchema(type)]));
}

/**
 * The schema of one event type as EventBridge's schema registry takes it (OpenAPI 3, the envelope and
 * its detail, with the source and detail-type extensions): what code bindings are generated from.
 */
export function registrySchema(type: EventDetailType, source: string): Schema {
  const detail = withVersionField(open(z.toJSONSchema(EVENT_SCHEMAS[type], { target: 'openapi-3.0' })) as Schema);
  return {
    openapi: '3.0.0',
    info: { version: SCHEMA_VERSION, title: type },
    paths: {},
    components: {
      schemas: {
        AWSEvent: {
          type: 'object',
          required: ['detail-type', 'resources', 'detail', 'id', 'source', 'time', 'region', 'version', 'account'],
          'x-amazon-events-detail-type': type,
          'x-amazon-events-source': source,
          properties: {
            detail: { $ref: '#/components/schemas/Detail' },
            account: { type: 'string' },
            'detail-type': { type: 'string' },
            id: { type: 'string' },
            region: { type: 'string' },
            resources: { type: 'array', items: { type: 'string' } },
            source: { type: 'string' },
            time: { type: 'string', format: 'date-time' },
            version: { type: 'string' },
          },
        },
        Detail: detail,
      },
    },
  };
}
