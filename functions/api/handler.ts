// HTTP API Lambda (API Gateway HTTP API, payload v2, JWT authorizer): one handler, one router.
import middy from '@middy/core';
import { apiRoutes, PATH_PARAMS } from '../../lib/api/routes.ts';
import { createRouter, type ApiEvent, type ApiResponse } from '../../lib/api/router.ts';
import { cloudPorts } from '../../lib/aws/cloud-ports.ts';
import type { PlannerPorts } from '../../lib/ports.ts';

export function createApiHandler(ports: () => PlannerPorts) {
  let router: ((event: ApiEvent) => Promise<ApiResponse>) | undefined;
  return middy(async (event: ApiEvent): Promise<ApiResponse> => {
    router ??= createRouter(apiRoutes(ports), ports().log, PATH_PARAMS);
    return router(event);
  });
}

export const handler = createApiHandler(cloudPorts);
