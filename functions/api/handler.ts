// HTTP API Lambda (API Gateway HTTP API, payload v2, JWT authorizer): one handler, one router.
import middy from '@middy/core';
import { PATH_PARAMS } from '../../lib/api/path-params.ts';
import { type ApiEvent, type ApiResponse, createRouter } from '../../lib/api/router.ts';
import { apiRoutes } from '../../lib/api/routes.ts';
import { cloudPorts } from '../../lib/aws/cloud-ports.ts';
import { type SignInConfig, signInConfig } from '../../lib/config.ts';
import type { PlannerPorts } from '../../lib/ports.ts';
import { flushMetrics } from '../middleware.ts';

/** `signIn`: where clients sign in (GET /review/config); in the cloud, from the environment the stack sets. */
export function createApiHandler(ports: () => PlannerPorts, signIn: () => SignInConfig | null = signInConfig) {
  let router: ((event: ApiEvent) => Promise<ApiResponse>) | undefined;
  return middy(async (event: ApiEvent): Promise<ApiResponse> => {
    router ??= createRouter(apiRoutes(ports, signIn), ports().log, PATH_PARAMS);
    return router(event);
  }).use(flushMetrics(ports));
}

export const handler = createApiHandler(cloudPorts);
