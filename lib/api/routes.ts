// The HTTP API's route table: the groups of lib/api/routes/, each route validating its input, calling a
// use case and shaping the answer; routes under /tenants/{tenantId} first load the tenant (404 without).
import { z } from 'zod';
import type { SignInConfig } from '../config.ts';
import type { Tenant } from '../domain.ts';
import { PlannerError, TooManyRequestsError } from '../errors.ts';
import type { PlannerPorts } from '../ports.ts';
import { openApiDocument } from './openapi.ts';
import { ROUTE_LIMITS, type Route, route } from './router.ts';
import { adminRoutes } from './routes/admin.ts';
import { bakeryDataRoutes } from './routes/bakery-data.ts';
import { forecastRoutes } from './routes/forecasts.ts';
import { planRoutes } from './routes/plans.ts';
import { pageRoutes } from './routes/sign-in-page.ts';
import { tenantRoutes } from './routes/tenants.ts';
import { webhookRoutes } from './routes/webhooks.ts';

export function apiRoutes(ports: () => PlannerPorts, signIn: () => SignInConfig | null = () => null): Route[] {
  const tenantOr404 = async (tenantId: string): Promise<Tenant> => {
    const tenant = await ports().tenants.getTenant(tenantId);
    if (!tenant) throw new PlannerError('not_found', `Tenant "${tenantId}" does not exist.`);
    return tenant;
  };
  const routes = [
    ...pageRoutes(signIn),
    ...tenantRoutes(ports),
    ...bakeryDataRoutes(ports),
    ...planRoutes(ports),
    ...forecastRoutes(ports),
    ...webhookRoutes(ports),
    ...adminRoutes(ports),
  ];
  let document: unknown;
  const openApi = () => {
    document ??= openApiDocument(routes);
    return document;
  };
  routes.push(
    route({
      method: 'GET',
      path: '/openapi.json',
      access: 'public',
      answer: { schema: z.looseObject({ openapi: z.string(), paths: z.looseObject({}) }) },
      summary: 'This API as an OpenAPI 3.1 document (also docs/openapi.json): generate a client from it.',
      handle: async () => ({ body: openApi() }),
    }),
  );
  // A tenant's share of an expensive route: counted before any work, refused with 429 and Retry-After past it.
  const withinLimit = async (declared: Route, tenantId: string, admin: boolean) => {
    if (!declared.limit || admin) return;
    const { requests, windowSeconds } = ROUTE_LIMITS[declared.limit];
    const taken = await ports().limits.take(`${tenantId}#${declared.limit}`, requests, windowSeconds, ports().now());
    if (!taken.allowed)
      throw new TooManyRequestsError(
        `Tenant "${tenantId}" made more than ${requests} ${declared.limit === 'reads' ? 'forecast reads' : 'imports'} in ${windowSeconds} s; try again in ${taken.retryAfterSeconds} s.`,
        taken.retryAfterSeconds,
      );
  };
  // Every route under /tenants/{tenantId} answers 404 for a tenant that does not exist, before it reads or writes.
  return routes.map((declared) => {
    if (!declared.path.includes('{tenantId}')) return declared;
    return {
      ...declared,
      handle: async (ctx) => {
        const tenant = await tenantOr404(String(ctx.params.tenantId));
        await withinLimit(declared, tenant.tenantId, ctx.caller.admin);
        return declared.handle({ ...ctx, tenant });
      },
    };
  });
}
