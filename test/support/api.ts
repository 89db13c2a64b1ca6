// Test support: API Gateway HTTP API (v2) events as the JWT authorizer delivers them.
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { httpApiEvent } from '../../lib/api/http-event.ts';

export type Claims = Record<string, unknown> | undefined;

export const tenantClaims = (tenantId: string): Claims => ({
  sub: `user-of-${tenantId}`,
  'custom:tenant_id': tenantId,
});
export const adminClaims: Claims = { sub: 'ops-admin', 'cognito:groups': ['admin'] };

export function apiEvent(
  method: string,
  path: string,
  options: { claims?: Claims; body?: unknown; query?: Record<string, string>; contentType?: string } = {},
): APIGatewayProxyEventV2WithJWTAuthorizer {
  return httpApiEvent({
    method,
    path,
    headers: { 'content-type': options.contentType ?? 'application/json' },
    ...(options.query ? { query: options.query } : {}),
    ...(options.body === undefined
      ? {}
      : { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) }),
    ...(options.claims ? { claims: options.claims } : {}),
  });
}
