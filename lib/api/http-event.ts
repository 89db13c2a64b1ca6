// An API Gateway HTTP API (payload v2) event as the JWT authorizer delivers it, for everything that
// calls the API handler without API Gateway: the local server, the local run's review, the tests.
import type { ApiEvent } from './router.ts';

export interface HttpRequest {
  method: string;
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string;
  /** Verified JWT claims; omitted for an unauthenticated request. */
  claims?: Record<string, unknown>;
  sourceIp?: string;
}

export function httpApiEvent(request: HttpRequest): ApiEvent {
  const headers = request.headers ?? {};
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: request.path,
    rawQueryString: new URLSearchParams(request.query ?? {}).toString(),
    headers,
    ...(request.query ? { queryStringParameters: request.query } : {}),
    ...(request.body === undefined ? {} : { body: request.body }),
    isBase64Encoded: false,
    requestContext: {
      http: {
        method: request.method,
        path: request.path,
        protocol: 'HTTP/1.1',
        sourceIp: request.sourceIp ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      ...(request.claims
        ? { authorizer: { jwt: { claims: request.claims, scopes: [] }, principalId: '', integrationLatency: 0 } }
        : {}),
    },
  } as unknown as ApiEvent;
}
