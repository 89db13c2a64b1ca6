// A small router for API Gateway HTTP API (v2) events: match the route, authenticate the caller,
// check tenant or admin access, validate the body, and map errors to JSON responses with the right status.
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { z } from 'zod';
import { PlanConflictError, PlanNotFoundError, ReviewValidationError } from '../app/plan-review.ts';
import { UnknownTenantsError } from '../app/manual-run.ts';
import { CsvHistoryError } from '../forecasting/csv-history.ts';
import type { Logger } from '../log.ts';
import { InvalidTimezoneError } from '../time/tenant-clock.ts';
import { IllegalTransitionError } from '../workflow/plan-lifecycle.ts';
import { assertAdmin, assertTenantAccess, callerFromClaims, ForbiddenError, UnauthorizedError, type Caller } from './auth.ts';

export type ApiEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type ApiResponse = APIGatewayProxyStructuredResultV2;

export class HttpError extends Error {
  constructor(readonly statusCode: number, message: string, readonly details?: Record<string, unknown>) {
    super(message);
    this.name = 'HttpError';
  }
}

export interface RouteContext {
  caller: Caller;
  params: Record<string, string>;
  query: Record<string, string | undefined>;
  body: unknown;
  rawBody: string;
  contentType: string;
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  /** `tenant`: the caller's tenant must be the path's {tenantId} (or the caller an admin); `public`: no token (static pages only). */
  access: 'tenant' | 'admin' | 'public';
  summary: string;
  /** Validates JSON bodies; a route that takes CSV parses its own body. */
  body?: z.ZodType;
  handle(ctx: RouteContext): Promise<{ status?: number; body: unknown; contentType?: string }>;
}

function compile(path: string): RegExp {
  return new RegExp(`^${path.replace(/\{(\w+)\}/g, '(?<$1>[^/]+)')}/?$`);
}

const json = (statusCode: number, body: unknown): ApiResponse => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

function describeZodError(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : 'body'}: ${issue.message}`).join('; ');
}

export function errorResponse(error: unknown, log: Logger): ApiResponse {
  if (error instanceof HttpError) return json(error.statusCode, { error: error.message, ...error.details });
  if (error instanceof UnauthorizedError) return json(401, { error: error.message });
  if (error instanceof ForbiddenError) return json(403, { error: error.message });
  if (error instanceof z.ZodError) return json(400, { error: `Invalid request: ${describeZodError(error)}`, issues: error.issues });
  if (error instanceof InvalidTimezoneError || error instanceof ReviewValidationError || error instanceof CsvHistoryError) return json(400, { error: error.message });
  if (error instanceof PlanNotFoundError) return json(404, { error: error.message });
  if (error instanceof UnknownTenantsError) return json(404, { error: error.message });
  if (error instanceof IllegalTransitionError) return json(409, { error: error.message, from: error.from, to: error.to, allowed: error.allowed });
  if (error instanceof PlanConflictError) return json(409, { error: error.message, currentStatus: error.currentStatus, currentRevision: error.currentRevision });
  log.error('Unhandled API error', { error });
  return json(500, { error: 'Internal error; it has been logged.' });
}

export function createRouter(routes: readonly Route[], log: Logger) {
  const compiled = routes.map((route) => ({ route, pattern: compile(route.path) }));
  return async (event: ApiEvent): Promise<ApiResponse> => {
    const method = event.requestContext.http.method.toUpperCase();
    const path = event.rawPath;
    try {
      const matches = compiled.filter((c) => c.pattern.test(path));
      if (matches.length === 0) throw new HttpError(404, `No route for ${path}.`);
      const match = matches.find((c) => c.route.method === method);
      if (!match) throw new HttpError(405, `${method} is not allowed on ${path}; use ${matches.map((c) => c.route.method).join(', ')}.`);
      const params = Object.fromEntries(Object.entries(match.pattern.exec(path)!.groups ?? {}).map(([k, v]) => [k, decodeURIComponent(v)]));
      const caller: Caller = match.route.access === 'public'
        ? { subject: 'anonymous', admin: false }
        : callerFromClaims(event.requestContext.authorizer?.jwt?.claims as Record<string, unknown> | undefined);
      if (match.route.access === 'admin') assertAdmin(caller);
      else if (match.route.access === 'tenant') assertTenantAccess(caller, params.tenantId!);
      const rawBody = event.body ? (event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body) : '';
      const contentType = (event.headers?.['content-type'] ?? event.headers?.['Content-Type'] ?? 'application/json').toLowerCase();
      let body: unknown;
      if (match.route.body) {
        let parsed: unknown;
        try {
          parsed = rawBody ? JSON.parse(rawBody) : {};
        } catch {
          throw new HttpError(400, 'The request body is not valid JSON.');
        }
        body = match.route.body.parse(parsed);
      }
      const result = await match.route.handle({ caller, params, query: event.queryStringParameters ?? {}, body, rawBody, contentType });
      if (result.contentType) return { statusCode: result.status ?? 200, headers: { 'content-type': result.contentType }, body: String(result.body) };
      return json(result.status ?? 200, result.body);
    } catch (error) {
      return errorResponse(error, log);
    }
  };
}
