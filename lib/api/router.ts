// A small router for API Gateway HTTP API (v2) events: match the route, authenticate the caller,
// check tenant or admin access, validate the body, and map errors to JSON responses with the right status.
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { z } from 'zod';
import type { Tenant } from '../domain.ts';
import { HTTP_STATUS, PlannerError } from '../errors.ts';
import { BodyTooLargeError, describeIssues, isLimitIssue, LIMITS } from '../input/grammar.ts';
import type { Logger } from '../log.ts';
import { assertAdmin, assertTenantAccess, type Caller, callerFromClaims } from './auth.ts';
import { withSecurityHeaders } from './security-headers.ts';

export type ApiEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type ApiResponse = APIGatewayProxyStructuredResultV2;

/** The names of a path template's parameters: `/tenants/{tenantId}/plans/{planDate}` → `tenantId | planDate`. */
type ParamNames<P extends string> = P extends `${string}{${infer Name}}${infer Rest}` ? Name | ParamNames<Rest> : never;

/** What the router gives every handler. */
interface RequestContext {
  caller: Caller;
  params: Record<string, string>;
  query: Record<string, string | undefined>;
  body: unknown;
  rawBody: string;
  contentType: string;
  /** Routes under /tenants/{tenantId}: the tenant, loaded (404 when it does not exist). */
  tenant?: Tenant;
}

/** The same, as a route's handler sees it: its path's parameters by name, its body as its schema parsed it. */
type RouteContext<P extends string, B> = Omit<RequestContext, 'params' | 'body' | 'tenant'> & {
  params: { readonly [K in ParamNames<P>]: string };
  body: B;
  tenant: 'tenantId' extends ParamNames<P> ? Tenant : undefined;
};

interface RouteAnswer {
  status?: number;
  body: unknown;
  contentType?: string;
  /** Headers besides the content type (what a request set going beyond its body). */
  headers?: Record<string, string>;
}

/**
 * Per-tenant limits of the expensive routes, a fixed window each: forecast reads (a forecast run per
 * call) and data imports (a merge of the tenant's stored data). Admins are not limited.
 */
export const ROUTE_LIMITS = {
  reads: { requests: 60, windowSeconds: 60 },
  imports: { requests: 20, windowSeconds: 60 },
} as const;
type RouteLimit = keyof typeof ROUTE_LIMITS;

interface RouteSpec<P extends string, B> {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: P;
  /** `tenant`: the caller's tenant must be the path's {tenantId} (or the caller an admin); `public`: no token (static pages only). */
  access: 'tenant' | 'admin' | 'public';
  summary: string;
  /** Costly for the service (a forecast run, an import): counted per tenant against ROUTE_LIMITS. */
  limit?: RouteLimit;
  /** Validates JSON bodies; a route that takes CSV parses its own body. */
  body?: z.ZodType<B>;
  /**
   * An import the handler reads from the raw body itself: JSON of `schema`, or CSV with `csv`'s columns
   * (`drivers`: CSV only). The documents and the fuzz suite read it.
   */
  imports?: { schema?: z.ZodType; csv: string };
  /** The query parameters it reads (the OpenAPI document's; the handler checks them). */
  query?: z.ZodObject;
  /** What a success answers (the OpenAPI document's, held to by the contract test): its status and schema. */
  answer: { status?: number; schema: z.ZodType } | { status?: number; html: true } | { status?: number; csv: true };
  handle(ctx: RouteContext<P, B>): Promise<RouteAnswer>;
}

/** A route as the router holds it. */
export interface Route extends Omit<RouteSpec<string, unknown>, 'handle' | 'body'> {
  body?: z.ZodType;
  handle(ctx: RequestContext): Promise<RouteAnswer>;
}

/**
 * Declares a route with its handler typed from its path and body schema. The router fills the context
 * to match (every parameter of the path, the body its schema parsed, the tenant of a {tenantId} path),
 * so the one widening to the table's common type is here.
 */
export function route<P extends string, B = undefined>(spec: RouteSpec<P, B>): Route {
  return spec as unknown as Route;
}

function compile(path: string): RegExp {
  return new RegExp(`^${path.replace(/\{(\w+)\}/g, '(?<$1>[^/]+)')}/?$`);
}

/** Path parameters follow the input grammar; anything else is a 400 naming the parameter. */
export type ParamGrammar = Record<string, z.ZodType>;

function decodeParam(name: string, raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new PlannerError('invalid', `${name}: the path has a malformed percent-encoding.`, { field: name });
  }
}

/**
 * Paths are taken as sent: a `.` or `..` segment (raw or percent-encoded) or an empty one is refused,
 * never resolved, so that no path can reach another route than the one it names.
 */
function assertPlainPath(path: string): void {
  const segments = path.split('/').slice(1);
  if (path.length > 2048) throw new PlannerError('too_long', 'The path is too long.');
  segments.forEach((segment, i) => {
    const decoded = /%2e/i.test(segment) ? segment.replace(/%2e/gi, '.') : segment;
    if (decoded === '.' || decoded === '..')
      throw new PlannerError('invalid', 'The path has a "." or ".." segment; send the path without it.', {
        field: 'path',
      });
    if (segment === '' && i < segments.length - 1)
      throw new PlannerError('invalid', 'The path has an empty segment ("//").', { field: 'path' });
  });
}

const json = (statusCode: number, body: unknown): ApiResponse => ({
  statusCode,
  headers: withSecurityHeaders({ 'content-type': 'application/json' }),
  body: JSON.stringify(body),
});

/** The one mapping from errors to responses: a kind's status, the message and its details; anything else is a 500, logged. */
function errorResponse(error: unknown, log: Logger): ApiResponse {
  if (error instanceof z.ZodError) {
    const { message, field } = describeIssues(error);
    const issues = error.issues.map((issue) => ({ path: issue.path.map(String), message: issue.message }));
    return json(HTTP_STATUS[error.issues.every(isLimitIssue) ? 'too_large' : 'invalid'], {
      error: `Invalid request: ${message}`,
      field,
      issues,
    });
  }
  if (error instanceof PlannerError) {
    const response = json(HTTP_STATUS[error.kind], { error: error.message, ...error.details });
    const retryAfter = error.details.retryAfterSeconds;
    return typeof retryAfter === 'number'
      ? { ...response, headers: { ...response.headers, 'retry-after': String(retryAfter) } }
      : response;
  }
  log.error('Unhandled API error', { error });
  return json(500, { error: 'Internal error; it has been logged.' });
}

export function createRouter(routes: readonly Route[], log: Logger, paramGrammar: ParamGrammar = {}) {
  const compiled = routes.map((route) => ({ route, pattern: compile(route.path) }));
  return async (event: ApiEvent): Promise<ApiResponse> => {
    const method = event.requestContext.http.method.toUpperCase();
    const path = event.rawPath;
    try {
      assertPlainPath(path);
      const matches = compiled.filter((c) => c.pattern.test(path));
      if (matches.length === 0) throw new PlannerError('not_found', `No route for ${path.slice(0, 200)}.`);
      const match = matches.find((c) => c.route.method === method);
      if (!match)
        throw new PlannerError(
          'method_not_allowed',
          `${method} is not allowed on this path; use ${matches.map((c) => c.route.method).join(', ')}.`,
        );
      const params: Record<string, string> = Object.create(null);
      for (const [name, raw] of Object.entries(match.pattern.exec(path)!.groups ?? {}))
        params[name] = decodeParam(name, raw);
      const caller: Caller =
        match.route.access === 'public'
          ? { subject: 'anonymous', admin: false }
          : callerFromClaims(event.requestContext.authorizer?.jwt?.claims as Record<string, unknown> | undefined);
      for (const [name, value] of Object.entries(params)) {
        const checked = paramGrammar[name]?.safeParse(value);
        if (checked && !checked.success)
          throw new PlannerError('invalid', `${name}: ${checked.error.issues[0]!.message}.`, { field: name });
      }
      if (match.route.access === 'admin') assertAdmin(caller);
      else if (match.route.access === 'tenant') assertTenantAccess(caller, params.tenantId!);
      const rawBody = event.body
        ? event.isBase64Encoded
          ? Buffer.from(event.body, 'base64').toString('utf8')
          : event.body
        : '';
      if (Buffer.byteLength(rawBody) > LIMITS.bodyBytes) throw new BodyTooLargeError();
      const contentType = (
        event.headers?.['content-type'] ??
        event.headers?.['Content-Type'] ??
        'application/json'
      ).toLowerCase();
      let body: unknown;
      if (match.route.body) {
        let parsed: unknown;
        try {
          parsed = rawBody ? JSON.parse(rawBody) : {};
        } catch {
          throw new PlannerError('invalid', 'The request body is not valid JSON.', { field: 'body' });
        }
        body = match.route.body.parse(parsed);
      }
      const query: Record<string, string | undefined> = Object.assign(
        Object.create(null),
        event.queryStringParameters ?? {},
      );
      const result = await match.route.handle({ caller, params, query, body, rawBody, contentType });
      if (result.contentType)
        return {
          statusCode: result.status ?? 200,
          headers: withSecurityHeaders({ 'content-type': result.contentType, ...result.headers }),
          body: String(result.body),
        };
      const answer = json(result.status ?? 200, result.body);
      return result.headers ? { ...answer, headers: { ...answer.headers, ...result.headers } } : answer;
    } catch (error) {
      return errorResponse(error, log);
    }
  };
}
