// The OpenAPI 3.1 document of the HTTP API, built from the route table: every route with its path
// parameters, query, body (the same zod schemas that validate it), its success answer (answers.ts) and
// the errors it can answer. Served at GET /openapi.json and written to docs/openapi.json.
import { z } from 'zod';
import { EVENT_SOURCE } from '../events/catalogue.ts';
import { SHARED_ANSWERS } from './answers.ts';
import { PATH_PARAMS } from './path-params.ts';
import type { Route } from './router.ts';

type Json = Record<string, unknown>;

const ERRORS: Record<string, string> = {
  '400': 'Invalid path parameter, query or body: `error` says what, `field` names it; nothing is written.',
  '401': 'No token, or an invalid or expired one.',
  '403': "Another tenant's token, or a non-admin on an admin route.",
  '404': 'Unknown tenant, plan, endpoint or route.',
  '409': 'An illegal or concurrent change (`currentStatus`, `currentRevision`), or a duplicate.',
  '413': 'Past a request limit: the body is too large, or a list too long.',
  '414': 'The path is longer than 2,048 characters.',
  '429': "Past the tenant's limit of this kind of request: `Retry-After` and `retryAfterSeconds` say when to retry.",
  '500': 'Unexpected; logged, never with a stack trace in the answer.',
  '503': 'A service it needs is not configured (no e-mail sender): `error` says what to do instead.',
};

const TAGS: Record<string, string> = {
  tenants: 'Bakeries: create, read, change (a zone change plans every date once), catch up.',
  'bakery data': 'What a bakery knows: catalog, stock, sales and daily drivers.',
  plans: 'Production schedules and procurement plans: read, approve or reject, modify.',
  forecasts: "Forecasts, the review page's morning and the forecast cache.",
  webhooks: "A bakery's webhook endpoints, their delivery log and replays (docs/webhooks.md).",
  operations: 'Admin: manual runs, fleet-wide cache invalidation, zone name migration.',
  pages: 'The review page, its sign-in configuration and this document.',
};

function tagOf(path: string): string {
  const [first, , third] = path.split('/').slice(1);
  if (first === 'review' || first === 'openapi.json') return 'pages';
  if (first !== 'tenants') return 'operations';
  if (!third || third === 'catch-up') return 'tenants';
  if (['catalog', 'stock', 'sales', 'drivers'].includes(third)) return 'bakery data';
  if (third.endsWith('-plans') || third.endsWith('-schedules')) return 'plans';
  if (third === 'webhooks') return 'webhooks';
  return 'forecasts';
}

/** `GET /tenants/{tenantId}/webhooks/{endpointId}` → `getTenantsWebhooksByEndpointId`. */
function operationId(route: Route): string {
  const segments = route.path.split('/').filter(Boolean);
  const words = segments.filter((s) => !s.startsWith('{')).flatMap((s) => s.split(/[-.]/));
  const last = segments.at(-1)!;
  if (last.startsWith('{')) words.push('by', last.slice(1, -1));
  return [route.method.toLowerCase(), ...words.map((w) => w[0]!.toUpperCase() + w.slice(1))].join('');
}

const pascal = (id: string) => id[0]!.toUpperCase() + id.slice(1);

/** Each registry's schemas as components, each nested named one as a $ref (no $schema or $id of their own). */
function components(schemas: Record<string, z.ZodType>, io: 'input' | 'output'): Record<string, Json> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(schemas)) registry.add(schema, { id });
  const { schemas: out } = z.toJSONSchema(registry, {
    uri: (id) => `#/components/schemas/${id}`,
    io,
    unrepresentable: 'any',
  }) as { schemas: Record<string, Json> };
  return Object.fromEntries(
    Object.entries(out).map(([id, { $schema: _s, $id: _i, ...schema }]) => [id, withoutOpenMarker(schema) as Json]),
  );
}

/** `additionalProperties: {}` says what leaving it out says (more properties may come); generators read it as a map. */
function withoutOpenMarker(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withoutOpenMarker);
  if (!schema || typeof schema !== 'object') return schema;
  return Object.fromEntries(
    Object.entries(schema as Json)
      .filter(([key, value]) => !(key === 'additionalProperties' && JSON.stringify(value) === '{}'))
      .map(([key, value]) => [key, withoutOpenMarker(value)]),
  );
}

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });

/** The JSON body a route validates: its schema, or its import's (that route parses its own, JSON or CSV). */
const jsonBodyOf = (route: Route) => route.body ?? route.imports?.schema;

const csvBody = (columns: string) => ({ schema: { type: 'string', description: columns } });

function errorsOf(route: Route): string[] {
  const hasParams = route.path.includes('{');
  const codes = ['500'];
  if (hasParams || jsonBodyOf(route) || route.query) codes.push('400');
  if (route.access !== 'public') codes.push('401', '403');
  if (hasParams || route.path === '/review/config') codes.push('404');
  if (route.method !== 'GET') codes.push('409');
  if (route.body || route.imports) codes.push('413');
  if (hasParams) codes.push('414');
  if (route.limit) codes.push('429');
  if (route.path.endsWith('/purchase-orders/send')) codes.push('503');
  return codes.sort();
}

export function openApiDocument(routes: readonly Route[]): Json {
  const requestSchemas: Record<string, z.ZodType> = {};
  const answerSchemas: Record<string, z.ZodType> = { ...SHARED_ANSWERS };
  const named = new Map([...Object.entries(SHARED_ANSWERS)].map(([id, schema]) => [schema, id]));
  for (const route of routes) {
    const id = pascal(operationId(route));
    const body = jsonBodyOf(route);
    if (body) requestSchemas[`${id}Body`] = body;
    if ('schema' in route.answer && !named.has(route.answer.schema)) answerSchemas[`${id}Answer`] = route.answer.schema;
  }
  const schemas = { ...components(answerSchemas, 'output'), ...components(requestSchemas, 'input') };

  const paths: Record<string, Record<string, Json>> = {};
  for (const route of routes) {
    const id = operationId(route);
    const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
    const queryShape = route.query ? (z.toJSONSchema(route.query, { io: 'input' }) as Json) : undefined;
    const queryProps = (queryShape?.properties ?? {}) as Record<string, Json>;
    const parameters = [
      ...names.map((name) => ({
        name,
        in: 'path',
        required: true,
        schema: PATH_PARAMS[name] ? z.toJSONSchema(PATH_PARAMS[name]!, { io: 'input' }) : { type: 'string' },
      })),
      ...Object.entries(queryProps).map(([name, schema]) => ({ name, in: 'query', required: false, schema })),
    ].map(({ schema, ...p }) => ({ ...p, schema: strip(schema as Json) }));
    const body = jsonBodyOf(route);
    const answer = route.answer;
    const answerSchema = 'schema' in answer ? ref(named.get(answer.schema) ?? `${pascal(id)}Answer`) : undefined;
    const success = String(answer.status ?? 200);
    const sentences = route.summary.split(/(?<=\.)\s/);
    const operation: Json = {
      operationId: id,
      summary: sentences[0],
      ...(sentences.length > 1 ? { description: route.summary } : {}),
      tags: [tagOf(route.path)],
      ...(route.access === 'public' ? { security: [] } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(body
        ? {
            requestBody: {
              required: true,
              content: {
                'application/json': { schema: ref(`${pascal(id)}Body`) },
                ...(route.imports ? { 'text/csv': csvBody(route.imports.csv) } : {}),
              },
            },
          }
        : route.imports
          ? { requestBody: { required: true, content: { 'text/csv': csvBody(route.imports.csv) } } }
          : {}),
      responses: {
        [success]: {
          description: 'Success.',
          content: answerSchema
            ? { 'application/json': { schema: answerSchema } }
            : 'csv' in answer
              ? { 'text/csv': { schema: { type: 'string' } } }
              : { 'text/html': { schema: { type: 'string' } } },
        },
        ...Object.fromEntries(
          errorsOf(route).map((code) => [
            code,
            {
              description: ERRORS[code],
              ...(code === '429'
                ? { headers: { 'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer' } } } }
                : {}),
              content: { 'application/json': { schema: ref('Error') } },
            },
          ]),
        ),
      },
    };
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: operation };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Bakery planner API',
      version: '1.0.0',
      summary:
        'Tenants, catalog, stock, sales, plans, forecasts, reviews, webhooks and manual runs of the bakery planner.',
      description: `JSON over HTTPS; every route but the review page's takes a JWT bearer token (docs/api.md). Plan events: source \`${EVENT_SOURCE}\` (docs/events.md).`,
      license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
    },
    servers: [
      { url: 'http://127.0.0.1:8787', description: '`npm run serve` on this machine' },
      {
        url: 'https://{apiId}.execute-api.{region}.amazonaws.com',
        description: 'A deployed stack (its `ApiUrl` output)',
        variables: { apiId: { default: 'api-id' }, region: { default: 'eu-west-1' } },
      },
    ],
    security: [{ bearer: [] }],
    tags: Object.entries(TAGS).map(([name, description]) => ({ name, description })),
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas,
    },
  };
}

/** A parameter's schema without the JSON Schema dialect line. */
function strip({ $schema: _s, ...schema }: Json): Json {
  return schema;
}
