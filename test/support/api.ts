// Test support: API Gateway HTTP API (v2) events as the JWT authorizer delivers them.
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';

export type Claims = Record<string, unknown> | undefined;

export const tenantClaims = (tenantId: string): Claims => ({ sub: `user-of-${tenantId}`, 'custom:tenant_id': tenantId });
export const adminClaims: Claims = { sub: 'ops-admin', 'cognito:groups': ['admin'] };

export function apiEvent(
  method: string,
  path: string,
  options: { claims?: Claims; body?: unknown; query?: Record<string, string>; contentType?: string } = {},
): APIGatewayProxyEventV2WithJWTAuthorizer {
  const body = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: new URLSearchParams(options.query ?? {}).toString(),
    headers: { 'content-type': options.contentType ?? 'application/json' },
    ...(options.query ? { queryStringParameters: options.query } : {}),
    ...(body === undefined ? {} : { body }),
    isBase64Encoded: false,
    requestContext: {
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      ...(options.claims ? { authorizer: { jwt: { claims: options.claims, scopes: [] }, principalId: '', integrationLatency: 0 } } : {}),
    },
  } as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;
}
